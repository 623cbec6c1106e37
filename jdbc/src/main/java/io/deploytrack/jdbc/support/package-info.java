/**
 * Helpers public only because another deploytrack module needs them (the SQL dialect's small differences, text stored
 * in the history's columns): for deploytrack modules; may change. They are not part of the user's API and may change
 * or go in any release.
 */
package io.deploytrack.jdbc.support;

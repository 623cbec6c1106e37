/**
 * Helpers public only because another deploytrack module needs them: for deploytrack modules; may change. They are
 * not part of the user's API and may change or go in any release.
 */
package io.deploytrack.core.support;

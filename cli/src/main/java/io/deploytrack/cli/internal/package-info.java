/**
 * The subcommands, the doctor's diagnosis, the repair, the HTML report and progress display. Not public API: it may
 * change in any release.
 */
package io.deploytrack.cli.internal;

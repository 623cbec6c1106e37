/** The emulator's machinery; not an API, may change at any time. */
package io.deploytrack.ncp.emulator.internal;

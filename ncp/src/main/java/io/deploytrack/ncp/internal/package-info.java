/** The client's and the status source's machinery; not an API, may change at any time. */
package io.deploytrack.ncp.internal;

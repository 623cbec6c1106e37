/**
 * A status source written outside the library (a service whose {@code GET /version} answers the running commit),
 * registered through {@code META-INF/services} and found by the tracker without being named.
 */
package io.deploytrack.examples.customsource;

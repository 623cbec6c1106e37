/**
 * Micrometer metrics and observations of deploytrack: {@link io.deploytrack.micrometer.DeploytrackMicrometer} wires
 * them, {@link io.deploytrack.micrometer.DeploytrackMeterNames} names them. Core stays free of Micrometer.
 */
package io.deploytrack.micrometer;

package io.deploytrack.ncp;

/**
 * A project, stage or scenario as SourceDeploy names it in a history: {@code {"id":..,"name":..}}.
 *
 * @param id   its id
 * @param name its name, or null when NCP sent none
 */
public record NcpRef(long id, String name) {
}

package io.deploytrack.live;

/**
 * One message of the live message set, encoded.
 *
 * @param deploymentId the deployment it is about, or 0 for {@code connection_established}, {@code pong}, errors
 * @param eventId      the event of the log it was made from (no event gives two messages to one client), or 0 for a
 *                     {@code stage_progress} tick and the replies to a client
 * @param type         {@code deployment_started}, {@code stage_started}, {@code stage_progress},
 *                     {@code stage_completed}, {@code deployment_completed}, ...
 * @param json         the message as one JSON object
 */
public record LiveMessage(long deploymentId, long eventId, String type, String json) {
}

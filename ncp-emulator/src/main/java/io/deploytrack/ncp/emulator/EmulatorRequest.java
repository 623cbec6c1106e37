package io.deploytrack.ncp.emulator;

import java.time.Instant;

/**
 * One request the emulator received, as kept in its request log. Holds the access key that was
 * sent, never the signature.
 *
 * @param time           the emulator clock when the request arrived
 * @param method         HTTP method
 * @param path           the raw path, without the query
 * @param query          the raw query, or null when there was none
 * @param kind           which call it was
 * @param projectId      the project in the path, or null
 * @param historyId      the history the request concerns (for a deploy, the one it created), or null
 * @param userAgent      the {@code User-Agent} header, or null
 * @param accessKey      the {@code x-ncp-iam-access-key} header, or null
 * @param responseStatus the HTTP status answered, 0 when the connection was dropped on purpose
 */
public record EmulatorRequest(Instant time, String method, String path, String query, RequestKind kind,
                              Long projectId, Long historyId, String userAgent, String accessKey,
                              int responseStatus) {
}

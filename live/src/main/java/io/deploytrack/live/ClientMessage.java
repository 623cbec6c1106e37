package io.deploytrack.live;

/**
 * What a client may send: {@code {"type":"subscribe","deployment_id":42}}, {@code {"type":"subscribe",
 * "user_id":"alice"}}, {@code {"type":"ping"}}; anything else is {@link Invalid}, answered with an {@code error}
 * message that says what is expected.
 */
public sealed interface ClientMessage {

    /** Follow one deployment ({@code deploymentId}) or every deployment of one user ({@code userId}). */
    record Subscribe(Long deploymentId, String userId) implements ClientMessage {
        /** Requires exactly one of the two. */
        public Subscribe {
            if ((deploymentId == null) == (userId == null)) {
                throw new IllegalArgumentException("a subscribe names a deployment_id or a user_id");
            }
        }
    }

    /** Asks for a {@code pong}. */
    record Ping() implements ClientMessage {
    }

    /** Not understood; {@code reason} says what was wrong and what is expected. */
    record Invalid(String reason) implements ClientMessage {
    }
}

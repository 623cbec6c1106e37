package io.deploytrack.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One entry of the append-only log of a deployment: transitions, source statuses seen, errors, manual marks.
 *
 * @param id           the store's id (0 before it is stored)
 * @param deploymentId the deployment
 * @param at           when it happened
 * @param type         what happened, the stored word: one of {@link Type}'s words ({@code started},
 *                     {@code source_status}, {@code completed}, {@code poll_error}, {@code marked}, {@code repaired},
 *                     ...), or a word a newer or another writer of the same store used
 * @param checkName    the check concerned, or null
 * @param fromStatus   the deployment's status before, or null
 * @param toStatus     the deployment's status after, or null
 * @param sourceStatus the source's word, or null
 * @param message      a detail, or null
 */
public record DeploymentEvent(long id, long deploymentId, Instant at, String type, String checkName,
                              DeploymentStatus fromStatus, DeploymentStatus toStatus, String sourceStatus,
                              String message) {

    /** What happened, as the tracker, the store and the modules write it; each carries the word stored. */
    public enum Type {
        /** The deployment was recorded and is running. */
        STARTED("started"),
        /** A check's source reported a status word. */
        SOURCE_STATUS("source_status"),
        /** A check's source reported progress (its message is the progress). */
        PROGRESS("progress"),
        /** Asking a check's source failed; it is retried with backoff. */
        POLL_ERROR("poll_error"),
        /** A check was added to a running deployment. */
        CHECK_ADDED("check_added"),
        /** One check of several ended. */
        CHECK_COMPLETED("check_completed"),
        /** A pending stage got its reference. */
        STAGE_ATTACHED("stage_attached"),
        /** A declared stage began. */
        STAGE_STARTED("stage_started"),
        /** A declared stage ended. */
        STAGE_COMPLETED("stage_completed"),
        /** The deployment ended. */
        COMPLETED("completed"),
        /** A person marked the deployment's status by hand. */
        MARKED("marked"),
        /** An instance resumed tracking the deployment. */
        RESUMED("resumed"),
        /** {@code repair} changed the row. */
        REPAIRED("repaired"),
        /** A deployment without checks passed its deadline. */
        EXPIRED("expired"),
        /** An operator asked for a notification to be delivered again. */
        NOTIFICATION_REDELIVERY("notification_redelivery");

        private final String word;

        Type(String word) {
            this.word = word;
        }

        /** The word stored in {@code deployment_events.type}; it never changes with the constant's name. */
        public String word() {
            return word;
        }

        /** The type whose word this is, or empty for a word this version does not know. */
        public static Optional<Type> fromWord(String word) {
            for (Type t : values()) {
                if (t.word.equals(word)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** This event's type, or empty when its stored word is not one of {@link Type}'s. */
    public Optional<Type> knownType() {
        return Type.fromWord(type);
    }

    /** Whether this event is of type {@code t}. */
    public boolean is(Type t) {
        return t.word().equals(type);
    }

    /** A new event (id 0) for a deployment. */
    public static DeploymentEvent of(long deploymentId, Instant at, Type type, String checkName,
                                     DeploymentStatus from, DeploymentStatus to, String sourceStatus, String message) {
        return of(deploymentId, at, type.word(), checkName, from, to, sourceStatus, message);
    }

    /** A new event (id 0) for a deployment, of a type given by its stored word. */
    public static DeploymentEvent of(long deploymentId, Instant at, String type, String checkName,
                                     DeploymentStatus from, DeploymentStatus to, String sourceStatus, String message) {
        return new DeploymentEvent(0, deploymentId, at, type, checkName, from, to, sourceStatus, message);
    }
}

package io.deploytrack.core;

import java.util.Objects;

/**
 * One observation pushed from outside (a webhook callback), and how to find the check it is about: either by the
 * check's reference (the type and some of its fields: every field given must match the stored one, fields not needed
 * to tell checks apart may be left out), or by a deployment attribute (a GitHub deployment id), which selects the
 * checks of that deployment that are pushed by {@code via}.
 *
 * @param via            the {@link PushSource#type()} that received it
 * @param deliveryId     the sender's unique id of this delivery (for the log), or null
 * @param ref            the check's reference or part of it, or null when {@code attributeKey} selects
 * @param attributeKey   a deployment attribute's key, or null when {@code ref} selects
 * @param attributeValue the attribute's value
 * @param observation    what the sender says
 */
public record Push(String via, String deliveryId, CheckRef ref, String attributeKey, String attributeValue,
                   Observation observation) {

    /** Requires a source, an observation and exactly one way to select. */
    public Push {
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(observation, "observation");
        if ((ref == null) == (attributeKey == null)) {
            throw new IllegalArgumentException("a push selects its check by ref or by attribute, exactly one of them");
        }
        if (attributeKey != null && attributeValue == null) {
            throw new IllegalArgumentException("attribute '" + attributeKey + "' needs a value to select by");
        }
    }

    /** A push for the check whose reference contains {@code ref}'s type and fields. */
    public static Push forRef(String via, String deliveryId, CheckRef ref, Observation observation) {
        return new Push(via, deliveryId, Objects.requireNonNull(ref, "ref"), null, null, observation);
    }

    /** A push for the checks pushed by {@code via} of the deployment whose attribute {@code key} is {@code value}. */
    public static Push forAttribute(String via, String deliveryId, String key, String value, Observation observation) {
        return new Push(via, deliveryId, null, Objects.requireNonNull(key, "key"), value, observation);
    }

    /** Whether {@code check} of {@code d} is one this push is about. */
    public boolean selects(Deployment d, DeploymentCheck check) {
        if (ref != null) {
            if (!ref.type().equals(check.sourceType())) {
                return false;
            }
            for (var f : ref.fields().entrySet()) {
                if (!f.getValue().equals(check.ref().fields().get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return attributeValue.equals(d.attributes().get(attributeKey))
                && (via.equals(check.sourceType()) || pushedBy(d, via).contains(check.name()));
    }

    /** The attribute under which a deployment lists the checks that {@code pushSourceType} may push. */
    public static String pushedByAttribute(String pushSourceType) {
        return "pushed_by." + pushSourceType;
    }

    /** The names of the checks of {@code d} that {@code pushSourceType} may push, as recorded when it was tracked. */
    public static java.util.Set<String> pushedBy(Deployment d, String pushSourceType) {
        String v = d.attributes().get(pushedByAttribute(pushSourceType));
        return v == null || v.isEmpty() ? java.util.Set.of() : java.util.Set.of(v.split(","));
    }
}

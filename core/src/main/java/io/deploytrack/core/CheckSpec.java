package io.deploytrack.core;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One check to follow for a deployment: a name (it becomes the deployment's {@code errorStage} when it fails), the
 * source reference, and optional deadlines that override the tracker's defaults.
 *
 * @param name            the check's name, unique within the deployment; defaults to the source type
 * @param ref             where the source finds it
 * @param timeout         the rollout deadline, or null for the tracker's default (5 minutes)
 * @param approvalTimeout how long it may wait for a human's approval, or null for the tracker's default (24 hours)
 * @param pushedBy        the type of a {@link PushSource} that may also push observations of this check (a webhook),
 *                        or null when only the check's own source reports; the check's own source stays the safety net
 * @param stage           whether it is a declared stage: the deployment's stages run one after the other in the order
 *                        given, a stage may be declared before its reference is known ({@link #pendingStage}), and the
 *                        deployment is not done while one has not started
 */
public record CheckSpec(String name, CheckRef ref, Duration timeout, Duration approvalTimeout, String pushedBy,
                        boolean stage) {
    private static final Pattern PUSH_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,63}");

    /** Validates. */
    public CheckSpec {
        if (ref == null) {
            throw new InvalidRequestException("ref", "a check needs a source reference");
        }
        name = name == null ? ref.type() : name;
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRequestException("name", "check name '" + name + "' is not valid: expected 1 to 64 letters, digits, spaces or ._:/-");
        }
        requirePositive("timeout", timeout);
        requirePositive("approvalTimeout", approvalTimeout);
        if (pushedBy != null && !PUSH_TYPE.matcher(pushedBy).matches()) {
            throw new InvalidRequestException("pushedBy", "push source type '" + pushedBy
                    + "' is not valid: expected 1 to 32 lowercase letters, digits, '.', '-' or '_' (e.g. webhook)");
        }
    }

    /** A check that is not a declared stage; {@code pushedBy} as in the record's description. */
    public static CheckSpec of(String name, CheckRef ref, Duration timeout, Duration approvalTimeout,
                               String pushedBy) {
        return new CheckSpec(name, ref, timeout, approvalTimeout, pushedBy, false);
    }

    /** A check without a push path; null durations take the tracker's defaults. */
    public static CheckSpec of(String name, CheckRef ref, Duration timeout, Duration approvalTimeout) {
        return of(name, ref, timeout, approvalTimeout, null);
    }

    /**
     * A declared stage whose reference is known: followed at once.
     *
     * @param name the stage's name, e.g. {@code sourcebuild}
     * @param ref  where its source finds it
     * @return the spec, with the tracker's default deadlines
     */
    public static CheckSpec stage(String name, CheckRef ref) {
        return new CheckSpec(name, ref, null, null, null, true);
    }

    /**
     * A declared stage whose reference comes later ({@link DeploymentTracker#startStage}), e.g. a deploy the host
     * starts after the build succeeded. Its deadline counts from the end of the stage before it: a stage that never
     * starts times the deployment out then.
     *
     * @param name       the stage's name, e.g. {@code sourcedeploy}
     * @param sourceType the type of the source that will follow it, e.g. {@code ncp}
     * @return the spec, with the tracker's default deadlines
     */
    public static CheckSpec pendingStage(String name, String sourceType) {
        return new CheckSpec(name, new CheckRef(sourceType, null), null, null, null, true);
    }

    /** Whether it is a stage declared without its reference (its source follows it once the reference arrives). */
    public boolean isPending() {
        return stage && ref.fields().isEmpty();
    }

    /** A check named after the ref's type, with the tracker's default deadlines. */
    public static CheckSpec of(CheckRef ref) {
        return CheckSpec.of(null, ref, null, null);
    }

    /** A named check with the tracker's default deadlines. */
    public static CheckSpec of(String name, CheckRef ref) {
        return CheckSpec.of(name, ref, null, null);
    }

    /** A copy with a rollout deadline. */
    public CheckSpec withTimeout(Duration timeout) {
        return new CheckSpec(name, ref, timeout, approvalTimeout, pushedBy, stage);
    }

    /** A copy with an approval deadline. */
    public CheckSpec withApprovalTimeout(Duration approvalTimeout) {
        return new CheckSpec(name, ref, timeout, approvalTimeout, pushedBy, stage);
    }

    /**
     * A copy that {@code pushSource} may also end: its pushes are applied at once, while the check's own source keeps
     * following it (polls stretch while pushes arrive), so a lost push is still ended by the source. The first
     * terminal observation wins. The push source must be registered with the tracker.
     */
    public CheckSpec pushedBy(PushSource pushSource) {
        return new CheckSpec(name, ref, timeout, approvalTimeout, pushSource.type(), stage);
    }

    private static void requirePositive(String field, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new InvalidRequestException(field, field + " " + d + " is not usable: expected a positive duration");
        }
    }
}

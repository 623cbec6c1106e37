package io.deploytrack.core;

/** Thrown when a status change breaks the rules of {@link DeploymentStatus}. */
public class IllegalTransitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final DeploymentStatus from;
    private final DeploymentStatus to;

    /** Creates the exception for the refused change {@code from -> to}. */
    public IllegalTransitionException(DeploymentStatus from, DeploymentStatus to, boolean reconcile) {
        super(message(from, to, reconcile));
        this.from = from;
        this.to = to;
    }

    private static String message(DeploymentStatus from, DeploymentStatus to, boolean reconcile) {
        String why;
        if (to == DeploymentStatus.RUNNING) {
            why = "a deployment never goes back to running";
        } else if (from == DeploymentStatus.TIMED_OUT && !reconcile) {
            why = "a timed_out deployment changes only through an explicit reconcile with evidence from its source";
        } else if (from == to) {
            why = "it already is " + to.word();
        } else {
            why = "a " + from.word() + " deployment is final";
        }
        return "cannot change status from " + from.word() + " to " + (to == null ? "null" : to.word()) + ": " + why;
    }

    /** The status the deployment had. */
    public DeploymentStatus from() {
        return from;
    }

    /** The status that was refused. */
    public DeploymentStatus to() {
        return to;
    }
}

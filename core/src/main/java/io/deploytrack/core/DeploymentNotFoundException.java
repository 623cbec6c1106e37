package io.deploytrack.core;

/** No deployment has the id asked for. */
public class DeploymentNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long id;

    /** Creates the exception for {@code id}. */
    public DeploymentNotFoundException(long id) {
        super("no deployment has id " + id);
        this.id = id;
    }

    /** The id that was not found. */
    public long id() {
        return id;
    }
}

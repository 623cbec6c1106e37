package io.deploytrack.kubernetes;

import java.util.NoSuchElementException;

/** The workload to update or follow does not exist. The message names its kind, namespace and name. */
public final class WorkloadNotFoundException extends NoSuchElementException {

    private static final long serialVersionUID = 1L;

    /** The workload kind. */
    private final WorkloadKind kind;
    /** The namespace looked in. */
    private final String namespace;
    /** The workload name. */
    private final String name;

    /**
     * Creates the exception.
     *
     * @param kind      the workload kind
     * @param namespace the namespace looked in
     * @param name      the workload name
     * @param cause     the client's error, if any
     */
    public WorkloadNotFoundException(WorkloadKind kind, String namespace, String name, Throwable cause) {
        super(kind.word() + " \"" + name + "\" not found in namespace \"" + namespace + "\"", cause);
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
    }

    /** @return the workload kind */
    public WorkloadKind kind() {
        return kind;
    }

    /** @return the namespace looked in */
    public String namespace() {
        return namespace;
    }

    /** @return the workload name */
    public String name() {
        return name;
    }
}

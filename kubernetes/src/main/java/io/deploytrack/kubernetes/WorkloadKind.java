package io.deploytrack.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/** The kinds of workload whose rollout kubectl, and so this module, can follow. */
public enum WorkloadKind {
    /** An {@code apps/v1} Deployment. */
    DEPLOYMENT("deployment", Deployment.class),
    /** An {@code apps/v1} StatefulSet. */
    STATEFULSET("statefulset", StatefulSet.class),
    /** An {@code apps/v1} DaemonSet. */
    DAEMONSET("daemonset", DaemonSet.class);

    private final String word;
    private final Class<? extends HasMetadata> type;

    WorkloadKind(String word, Class<? extends HasMetadata> type) {
        this.word = word;
        this.type = type;
    }

    /** @return the lowercase word stored in source references, e.g. {@code statefulset} */
    public String word() {
        return word;
    }

    /** @return the fabric8 model class of this kind, e.g. {@code Deployment.class} */
    public Class<? extends HasMetadata> type() {
        return type;
    }

    /**
     * Reads a kind from its word, ignoring case.
     *
     * @param value {@code deployment}, {@code statefulset} or {@code daemonset}, in any case
     * @return the kind
     * @throws IllegalArgumentException naming the value and the accepted words otherwise
     */
    public static WorkloadKind parse(String value) {
        if (value != null) {
            String lower = value.trim().toLowerCase(Locale.ROOT);
            for (WorkloadKind kind : values()) {
                if (kind.word.equals(lower)) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown workload kind " + (value == null ? "null" : "\"" + value + "\"")
                + ", expected one of " + Arrays.stream(values()).map(WorkloadKind::word)
                .collect(Collectors.joining(", ")) + " (case-insensitive)");
    }

    /**
     * The kind of a fabric8 workload object.
     *
     * @param workload a Deployment, StatefulSet or DaemonSet, not null
     * @return its kind
     * @throws IllegalArgumentException for any other type
     */
    public static WorkloadKind of(HasMetadata workload) {
        Objects.requireNonNull(workload, "workload must not be null");
        for (WorkloadKind kind : values()) {
            if (kind.type.isInstance(workload)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unsupported workload type " + workload.getClass().getName()
                + " (kind " + workload.getKind() + "), expected an apps/v1 Deployment, StatefulSet or DaemonSet");
    }
}

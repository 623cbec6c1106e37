package io.deploytrack.micrometer.internal;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.SourceException;

import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Low-cardinality tag values derived from deployments and failures. Not public API. */
public final class Tags {
    /** The outcome of a source call that answered. */
    public static final String SUCCESS = "success";

    private Tags() {
    }

    /** The source types of a deployment's checks, sorted and joined with '+', or {@code none}. */
    public static String source(Deployment d) {
        TreeSet<String> types = new TreeSet<>();
        for (DeploymentCheck c : d.checks()) {
            types.add(c.sourceType());
        }
        return types.isEmpty() ? "none" : String.join("+", types);
    }

    /** The outcome tag of a failed source call. */
    public static String outcome(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof SourceException se) {
            return switch (se.kind()) {
                case TRANSIENT -> "transient_error";
                case NOT_FOUND -> "not_found";
                default -> "permanent_error";
            };
        }
        return "error";
    }
}

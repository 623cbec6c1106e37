package io.deploytrack.ncp.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Observation;
import io.deploytrack.core.SourceException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What the NCP polling sources share: their checks grouped by project (one timer and one list call per project), a
 * reference that does not parse failing its check alone, and a call that throws turned into a failed future.
 */
public final class ProjectGroups {
    private ProjectGroups() {
    }

    /**
     * Parses each reference and groups the parsed targets by project, in the order given.
     *
     * @param refs      the references due
     * @param parse     parses one reference, throwing IllegalArgumentException when it is not usable
     * @param projectId the project of a parsed target
     * @param out       where a reference that does not parse gets its permanent failure
     * @param <T>       the parsed target
     * @return the targets per project
     */
    public static <T> Map<Long, List<T>> byProject(Collection<CheckRef> refs, Function<CheckRef, T> parse,
                                                   ToLongFunction<T> projectId,
                                                   Map<CheckRef, CompletionStage<Observation>> out) {
        Map<Long, List<T>> byProject = new LinkedHashMap<>();
        for (CheckRef ref : refs) {
            try {
                T t = parse.apply(ref);
                byProject.computeIfAbsent(projectId.applyAsLong(t), p -> new ArrayList<>()).add(t);
            } catch (IllegalArgumentException e) {
                out.put(ref, CompletableFuture.failedFuture(SourceException.permanent(e.getMessage(), e)));
            }
        }
        return byProject;
    }

    /**
     * @param prefix    e.g. {@code ncp-project:}
     * @param projectId parses the reference's project, throwing IllegalArgumentException when it is not usable
     * @return the prefix and the project, or null for a reference that does not parse
     */
    public static String pollGroup(String prefix, LongSupplier projectId) {
        try {
            return prefix + projectId.getAsLong();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * @param call starts a client call, which may throw at once (a bad argument, a closed client)
     * @param <T>  what the call answers
     * @return the call's future, or a future failed with what it threw
     */
    public static <T> CompletableFuture<T> started(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * @param interval a poll interval, or null for the tracker's
     * @return the interval
     * @throws IllegalArgumentException when it is zero or negative
     */
    public static Duration checkedPollInterval(Duration interval) {
        if (interval != null && (interval.isZero() || interval.isNegative())) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + interval);
        }
        return interval;
    }
}

package io.deploytrack.cli.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.SourceException;
import io.deploytrack.core.StatusSource;
import io.deploytrack.core.WatchingSource;
import io.deploytrack.jdbc.RepairSources;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpPollingSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The status sources this command can use: those given in-process, the built-in ones that the environment
 * configures (NCP with {@code NCP_ACCESS_KEY}/{@code NCP_SECRET_KEY}, Kubernetes with a kubeconfig or in-cluster
 * config), and any listed in {@code META-INF/services/io.deploytrack.core.StatusSource}. Not public API.
 */
final class Sources implements AutoCloseable, RepairSources {

    /** Builds one kind of built-in source from the environment, or says why it cannot. */
    interface Factory {
        /** The source type it builds, e.g. {@code ncp}. */
        String type();

        /** The source, or empty with {@link #unavailableReason} set. */
        Optional<StatusSource> create(Context context, Duration pollInterval);

        /** Why {@link #create} gave nothing, e.g. "NCP_ACCESS_KEY and NCP_SECRET_KEY are not set". */
        String unavailableReason(Context context);
    }

    private final Map<String, StatusSource> byType = new LinkedHashMap<>();
    private final Map<String, String> unavailable = new LinkedHashMap<>();

    private Sources() {
    }

    /** Every source available here; {@code pollInterval} configures the built-in polling ones (null: theirs). */
    static Sources available(Context context, Duration pollInterval) {
        Sources s = new Sources();
        var it = ServiceLoader.load(StatusSource.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                StatusSource src = it.next();
                s.byType.putIfAbsent(src.type(), src);
            } catch (ServiceConfigurationError e) {
                // a listed source that cannot load is simply not available
            }
        }
        for (Factory f : BuiltInSources.factories()) {
            Optional<StatusSource> src = f.create(context, pollInterval);
            if (src.isPresent()) {
                s.byType.put(f.type(), src.get());
            } else if (!s.byType.containsKey(f.type())) {
                s.unavailable.put(f.type(), f.unavailableReason(context));
            }
        }
        for (StatusSource src : context.sources()) {
            s.byType.put(src.type(), src);
            s.unavailable.remove(src.type());
        }
        return s;
    }

    Map<String, StatusSource> all() {
        return Map.copyOf(byType);
    }

    Optional<StatusSource> get(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    @Override
    public boolean has(String type) {
        return byType.containsKey(type);
    }

    @Override
    public Answer ask(CheckRef ref, Duration timeout) {
        StatusSource s = byType.get(ref.type());
        return s == null ? new Answer(null, whyNot(ref.type())) : ask(s, ref, timeout);
    }

    /** The NCP deployment a row's attributes name (its project and history id, e.g. kept in a host's columns). */
    @Override
    public Optional<CheckRef> checkFor(Map<String, String> attributes) {
        return ncpCheck(attributes);
    }

    /** The NCP check a row's attributes name, when they hold a project id and a history id. */
    static Optional<CheckRef> ncpCheck(Map<String, String> attributes) {
        String project = attributes.get(NcpDeployments.ATTRIBUTE_PROJECT_ID);
        String history = attributes.get(NcpDeployments.ATTRIBUTE_HISTORY_ID);
        if (project == null || history == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(NcpPollingSource.ref(Long.parseLong(project.strip()), Long.parseLong(history.strip())));
        } catch (RuntimeException notIds) {
            return Optional.empty();
        }
    }

    /** Why a type has no source here. */
    @Override
    public String whyNot(String type) {
        return unavailable.getOrDefault(type, "no status source of type '" + type + "' is available to this command");
    }

    /** Asks a source once about one check, waiting at most {@code timeout}. */
    static Answer ask(StatusSource source, CheckRef ref, Duration timeout) {
        CompletableFuture<Observation> f;
        AutoCloseable following = null;
        try {
            source.validate(ref);
            if (source instanceof PollingSource p) {
                f = p.poll(ref).toCompletableFuture();
            } else {
                CompletableFuture<Observation> first = new CompletableFuture<>();
                following = ((WatchingSource) source).follow(ref, first::complete);
                f = first;
            }
            return new Answer(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            return new Answer(null, "no answer within " + Format.duration(timeout));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Answer(null, describe(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, "interrupted");
        } catch (RuntimeException e) {
            return new Answer(null, describe(e));
        } finally {
            if (following != null) {
                try {
                    following.close();
                } catch (Exception ignored) {
                    // stopping a watch we no longer need
                }
            }
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof SourceException se) {
            return se.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + se.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public void close() {
        for (StatusSource s : List.copyOf(byType.values())) {
            if (s instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing what we opened; nothing more to do
                }
            }
        }
    }
}

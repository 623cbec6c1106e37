package io.deploytrack.micrometer;

import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.Insights;
import io.deploytrack.core.InsightsSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * DORA's delivery metrics as gauges ({@code deploytrack.insights.*}, see {@link InsightsMeterNames}), one set per
 * configured project and environment, tagged {@code project} and {@code environment}. The figures are worked out on a
 * schedule ({@link Builder#refresh}, first at once), never per scrape: a scrape reads the last answer. A gauge is NaN
 * until the first refresh, when the store could not be read at the last one, and where the metric has no value (no
 * recovery in the window; lead time without a commit resolver).
 *
 * <p>Projects are tags here only because the host names them one by one ({@link Builder#target}): a handful, not a
 * tag per commit or deployment.
 *
 * <pre>{@code
 * InsightsMetrics insights = InsightsMetrics.builder(store).target("acme", "web", "production")
 *         .window(Duration.ofDays(30)).refresh(Duration.ofMinutes(5)).scheduler(scheduler).build();
 * insights.bindTo(registry);   // schedules the refreshes
 * ...
 * insights.close();            // stops them
 * }</pre>
 */
public final class InsightsMetrics implements MeterBinder, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InsightsMetrics.class);

    /** One project and environment. */
    private record Target(String owner, String repo, String environment) {
        String project() {
            return owner + "/" + repo;
        }
    }

    private final DeploymentHistory history;
    private final List<Target> targets;
    private final Duration window;
    private final Duration refresh;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final InsightsSettings settings;
    private final Map<Target, Insights> last = new ConcurrentHashMap<>();
    private volatile Instant refreshedAt;
    private ScheduledFuture<?> scheduled;

    private InsightsMetrics(Builder b) {
        this.history = DeploymentHistory.of(b.store, b.clock);
        this.targets = List.copyOf(b.targets);
        this.window = b.window;
        this.refresh = b.refresh;
        this.clock = b.clock;
        this.scheduler = b.scheduler;
        this.settings = b.settings;
    }

    /** A builder over {@code store}: 30 days, refreshed every 5 minutes, the system clock, DORA's default settings. */
    public static Builder builder(HistoryStore store) {
        return new Builder(Objects.requireNonNull(store, "store"));
    }

    /** Registers the gauges and schedules the refreshes (the first at once). Binding twice is refused. */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (scheduled != null) {
            throw new IllegalStateException("InsightsMetrics is bound already: expected one bindTo per instance");
        }
        for (Target t : targets) {
            Tags tags = Tags.of(InsightsMeterNames.TAG_PROJECT, t.project(), DeploytrackMeterNames.TAG_ENVIRONMENT,
                    t.environment());
            gauge(registry, InsightsMeterNames.DEPLOYMENTS, t, tags, "successful deployments in the window", null,
                    i -> i.deployments());
            gauge(registry, InsightsMeterNames.ROLLBACKS, t, tags, "successful rollbacks in the window", null,
                    i -> i.rollbacks());
            gauge(registry, InsightsMeterNames.FAILED_ATTEMPTS, t, tags,
                    "failed, cancelled and timed-out attempts in the window (never reached production)", null,
                    i -> i.failedAttempts());
            gauge(registry, InsightsMeterNames.DEPLOYMENT_FREQUENCY, t, tags, "successful deployments a week", null,
                    i -> i.deploymentFrequency().perWeek());
            gauge(registry, InsightsMeterNames.CHANGE_FAILURES, t, tags,
                    "deployments a rollback went back past or a fix redeploy replaced", null,
                    i -> i.changeFailRate().failures());
            gauge(registry, InsightsMeterNames.CHANGE_FAIL_RATE, t, tags, "change failures over deployments", null,
                    i -> nan(i.changeFailRate().ratio()));
            gauge(registry, InsightsMeterNames.RECOVERY_TIME, t, tags,
                    "median failed deployment recovery time", "seconds", i -> nan(i.recoveryTime().medianSeconds()));
            gauge(registry, InsightsMeterNames.REWORK_RATE, t, tags,
                    "rollbacks and fix redeploys over deployments and rollbacks", null, i -> nan(i.reworkRate().ratio()));
            gauge(registry, InsightsMeterNames.LEAD_TIME, t, tags, "median change lead time (NaN without a commit resolver)",
                    "seconds", i -> i.leadTime() == null ? Double.NaN : nan(i.leadTime().medianSeconds()));
        }
        scheduled = scheduler.scheduleAtFixedRate(this::refreshNow, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void gauge(MeterRegistry registry, String name, Target t, Tags tags, String description, String unit,
                       ToDoubleFunction<Insights> value) {
        Gauge.builder(name, this, m -> {
            Insights i = m.last.get(t);
            return i == null ? Double.NaN : value.applyAsDouble(i);
        }).tags(tags).description(description).baseUnit(unit).register(registry);
    }

    /**
     * Works the figures out now for every target, over the window ending at the clock's time; what the scheduler runs.
     * A target whose store cannot be read is NaN until a later refresh reads it.
     */
    public void refreshNow() {
        Instant to = clock.instant();
        for (Target t : targets) {
            try {
                last.put(t, history.insights(t.owner(), t.repo(), t.environment(), to.minus(window), to, settings));
            } catch (RuntimeException e) {
                last.remove(t);
                log.warn("deploytrack_insights_unreadable project={} environment={} error=\"{}\"", t.project(),
                        t.environment(), e.getMessage());
            }
        }
        refreshedAt = to;
    }

    /** When the figures were last worked out (the clock's time then), or null before the first refresh. */
    public Instant refreshedAt() {
        return refreshedAt;
    }

    /** Stops the refreshes; the gauges keep the last answer. */
    @Override
    public synchronized void close() {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }

    /** How the gauges are set up. */
    public static final class Builder {
        private final HistoryStore store;
        private final List<Target> targets = new ArrayList<>();
        private Duration window = Duration.ofDays(30);
        private Duration refresh = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private InsightsSettings settings = InsightsSettings.defaults();

        private Builder(HistoryStore store) {
            this.store = store;
        }

        /** One project and environment to publish (at least one). */
        public Builder target(String owner, String repo, String environment) {
            targets.add(new Target(Objects.requireNonNull(owner, "owner"), Objects.requireNonNull(repo, "repo"),
                    Objects.requireNonNull(environment, "environment")));
            return this;
        }

        /** The window each refresh looks back over, up to the clock's time (default 30 days). */
        public Builder window(Duration window) {
            this.window = positive(window, "window");
            return this;
        }

        /** How often the figures are worked out again (default 5 minutes). */
        public Builder refresh(Duration refresh) {
            this.refresh = positive(refresh, "refresh");
            return this;
        }

        /** The clock whose time ends each window. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where the refreshes run (required; the host owns it and shuts it down). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The fix window and commit resolver (default: 24 hours, none, so lead time is NaN). */
        public Builder settings(InsightsSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The metrics; not yet bound. */
        public InsightsMetrics build() {
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("no target: expected target(owner, repo, environment) at least once");
            }
            if (scheduler == null) {
                throw new IllegalArgumentException("no scheduler: expected scheduler(...) to run the refreshes on");
            }
            return new InsightsMetrics(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " " + d + " is not usable: expected more than zero");
            }
            return d;
        }
    }
}

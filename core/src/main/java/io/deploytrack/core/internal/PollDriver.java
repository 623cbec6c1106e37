package io.deploytrack.core.internal;

import io.deploytrack.core.support.KeyValueLog;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.Following;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.SourceException;
import io.deploytrack.core.TrackerSettings;
import io.deploytrack.core.support.Backoff;
import org.slf4j.event.Level;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Drives one {@link PollingSource} for every check that uses it: on each tick, the checks that are due (and those
 * due within half an interval, so one batch can serve them together) go to {@link PollingSource#pollAll} at once.
 * Checks the source puts in one {@link PollingSource#pollGroup group} (an NCP project) share one timer: when it is
 * due, every check of the group that is not backing off is polled in that batch, and the timer moves on by one
 * interval (its first period spread over a whole interval, for its phase, then exact), so the source is asked about
 * the group once per interval however many checks it has and whenever they started.
 */
final class PollDriver {

    private static final class Entry {
        final Tracked tracked;
        final String checkName;
        final CheckRef ref;
        /** The shared timer, or null when this check has its own. */
        final Group group;
        /**
         * Its own timer; in a group, the end of a backoff (0 when none: the group's timer decides).
         */
        volatile long nextPollAtMillis;
        volatile boolean inFlight;
        volatile boolean removed;
        int failures;
        int notFound;
        /** Transient failures while a resumed check's passed deadline waits for an answer. */
        int resumedFailures;

        Entry(Tracked tracked, String checkName, CheckRef ref, Group group, long nextPollAtMillis) {
            this.tracked = tracked;
            this.checkName = checkName;
            this.ref = ref;
            this.group = group;
            this.nextPollAtMillis = nextPollAtMillis;
        }
    }

    /** The checks of one poll group and their shared timer. */
    private static final class Group {
        final Set<Entry> members = ConcurrentHashMap.newKeySet();
        volatile long nextPollAtMillis;
        /** Whether the timer has its phase: its first period was jittered, the later ones are exactly an interval. */
        volatile boolean phased;

        Group(long nextPollAtMillis) {
            this.nextPollAtMillis = nextPollAtMillis;
        }
    }

    /** How many times a resumed check's source is asked, failing transiently, before its passed deadline applies. */
    static final int RESUMED_DEADLINE_ASKS = 3;

    private final PollingSource source;
    private final Duration interval;
    private final TrackerSettings settings;
    /** After failures: from one interval (or the cap, if shorter) up to {@code maxBackoff}, with the poll jitter. */
    private final Backoff backoff;
    private final TrackerTime time;
    private final Workers workers;
    private final LeaseKeeper leases;
    private final ObservationSink sink;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** The checks with a timer of their own. */
    private final Map<String, Entry> solo = new ConcurrentHashMap<>();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();

    /** Polls {@code source} every {@code interval}, handing what it learns to {@code sink}. */
    PollDriver(PollingSource source, Duration interval, TrackerSettings settings, TrackerTime time, Workers workers,
               LeaseKeeper leases, ObservationSink sink) {
        this.source = source;
        this.interval = interval;
        this.settings = settings;
        Duration first = interval.compareTo(settings.maxBackoff()) < 0 ? interval : settings.maxBackoff();
        this.backoff = Backoff.of(first, settings.maxBackoff(), settings.pollJitter());
        this.time = time;
        this.workers = workers;
        this.leases = leases;
        this.sink = sink;
    }

    Duration interval() {
        return interval;
    }

    int size() {
        return entries.size();
    }

    Following add(Tracked t, DeploymentCheck check, Instant firstPollAt) {
        return add(t, check, firstPollAt, 0);
    }

    /**
     * As {@link #add(Tracked, DeploymentCheck, Instant)}, the check not polled before {@code notBeforeMillis} (0: no
     * such limit): a push applied as it is resumed puts its first poll off, as any push does, from the start, so no
     * tick can poll it in between.
     */
    Following add(Tracked t, DeploymentCheck check, Instant firstPollAt, long notBeforeMillis) {
        String key = t.id + "/" + check.name();
        String groupKey = groupOf(check.ref());
        if (groupKey == null) {
            Entry e = new Entry(t, check.name(), check.ref(), null,
                    Math.max(firstPollAt.toEpochMilli(), notBeforeMillis));
            entries.put(key, e);
            solo.put(key, e);
            return () -> {
                e.removed = true;
                entries.remove(key, e);
                solo.remove(key, e);
            };
        }
        // A new group is first due when its first check is; a check joining a group waits for the group's timer.
        // Joining and leaving happen inside compute, so a group never loses a check to its removal when it empties.
        Entry[] created = new Entry[1];
        groups.compute(groupKey, (k, existing) -> {
            Group g = existing != null ? existing : new Group(firstPollAt.toEpochMilli());
            created[0] = new Entry(t, check.name(), check.ref(), g, notBeforeMillis);
            g.members.add(created[0]);
            return g;
        });
        Entry placed = created[0];
        entries.put(key, placed);
        return () -> {
            placed.removed = true;
            entries.remove(key, placed);
            groups.computeIfPresent(groupKey, (k, existing) -> {
                existing.members.remove(placed);
                return existing.members.isEmpty() ? null : existing;
            });
        };
    }

    /** Pushes arrive for this check: its next poll waits until {@code notBeforeMillis} at least. */
    void defer(long deploymentId, String checkName, long notBeforeMillis) {
        Entry e = entries.get(deploymentId + "/" + checkName);
        if (e != null && e.nextPollAtMillis < notBeforeMillis) {
            e.nextPollAtMillis = notBeforeMillis;
        }
    }

    private String groupOf(CheckRef ref) {
        try {
            return source.pollGroup(ref);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Called on the scheduler thread: picks what is due and hands the calls to the workers. */
    void tick(Instant now) {
        long nowMs = now.toEpochMilli();
        long horizon = nowMs + interval.toMillis() / 2;
        boolean anyDue = false;
        List<Entry> batch = new ArrayList<>();
        for (Entry e : solo.values()) {
            if (e.inFlight || e.nextPollAtMillis > horizon || !e.tracked.open() || !leases.mayAct(e.tracked)) {
                continue;
            }
            anyDue |= e.nextPollAtMillis <= nowMs;
            batch.add(e);
        }
        for (Group g : groups.values()) {
            if (g.nextPollAtMillis > nowMs) {
                continue;
            }
            // The timer keeps its phase (due time + interval, not tick time + interval): a group is then asked
            // every interval, not every interval plus however late the tick that noticed it came. The phase is set
            // once, by a first period anywhere from half an interval to one and a half, so that groups created
            // together (the first checks of many projects, a resume) do not poll in step; jittering every period
            // instead would stretch some gaps to interval x (1 + jitter), and a gap is how late an end is seen.
            long step = g.phased ? interval.toMillis() : phase();
            g.phased = true;
            long next = g.nextPollAtMillis + step;
            g.nextPollAtMillis = next > nowMs ? next : nowMs + jittered(interval).toMillis();
            for (Entry e : g.members) {
                if (e.inFlight || e.nextPollAtMillis > nowMs || !e.tracked.open() || !leases.mayAct(e.tracked)) {
                    continue;
                }
                anyDue = true;
                batch.add(e);
            }
        }
        if (!anyDue) {
            return;
        }
        Map<CheckRef, List<Entry>> byRef = new LinkedHashMap<>();
        for (Entry e : batch) {
            e.inFlight = true;
            byRef.computeIfAbsent(e.ref, r -> new ArrayList<>()).add(e);
        }
        workers.execute(() -> pollBatch(byRef));
    }

    private void pollBatch(Map<CheckRef, List<Entry>> due) {
        // The batch may have waited for a worker past the lease's validity (a busy host): what this instance may no
        // longer poll stays due, and is polled once the lease is renewed, or left to the instance that claims it.
        Map<CheckRef, List<Entry>> byRef = new LinkedHashMap<>();
        for (Map.Entry<CheckRef, List<Entry>> me : due.entrySet()) {
            List<Entry> held = new ArrayList<>();
            for (Entry e : me.getValue()) {
                if (e.removed || !leases.mayAct(e.tracked)) {
                    e.inFlight = false;
                } else {
                    held.add(e);
                }
            }
            if (!held.isEmpty()) {
                byRef.put(me.getKey(), held);
            }
        }
        if (byRef.isEmpty()) {
            return;
        }
        Map<CheckRef, CompletionStage<Observation>> results;
        try {
            results = source.pollAll(List.copyOf(byRef.keySet()));
        } catch (RuntimeException ex) {
            results = new LinkedHashMap<>();
            for (CheckRef r : byRef.keySet()) {
                results.put(r, CompletableFuture.failedFuture(ex));
            }
        }
        for (Map.Entry<CheckRef, List<Entry>> me : byRef.entrySet()) {
            CompletionStage<Observation> stage = results.get(me.getKey());
            if (stage == null) {
                stage = CompletableFuture.failedFuture(new IllegalStateException("source '" + source.type()
                        + "' gave no answer for " + me.getKey() + " in pollAll"));
            }
            List<Entry> es = me.getValue();
            // Completions arrive on the source's threads (an HTTP client's): hop to our workers before any store work.
            stage.whenComplete((obs, err) -> workers.execute(() -> es.forEach(e -> handle(e, obs, err))));
        }
    }

    private void handle(Entry e, Observation obs, Throwable err) {
        try {
            if (e.removed) {
                return;
            }
            Instant now = time.now();
            if (err == null && obs != null) {
                e.failures = 0;
                e.notFound = 0;
                e.nextPollAtMillis = e.group != null ? 0 : now.toEpochMilli() + jittered(interval).toMillis();
                sink.observe(e.tracked, e.checkName, obs);
                return;
            }
            Throwable cause = unwrap(err == null ? new IllegalStateException("source returned no observation") : err);
            SourceException se = cause instanceof SourceException s ? s : null;
            if (se != null && se.kind() == SourceException.Kind.PERMANENT) {
                sink.observe(e.tracked, e.checkName, Observation.failed("error", se.getMessage()));
                return;
            }
            if (se != null && se.kind() == SourceException.Kind.NOT_FOUND) {
                e.notFound++;
                if (sink.notFoundPastDeadline(e.tracked, e.checkName, se.getMessage())) {
                    return;
                }
                if (e.notFound > settings.notFoundRetries()) {
                    sink.observe(e.tracked, e.checkName, Observation.failed("not_found",
                            se.getMessage() + " (still not found after " + e.notFound + " attempts)"));
                    return;
                }
            } else {
                e.failures++;
            }
            int attempt = Math.max(e.failures, e.notFound);
            Duration delay = backoff(attempt);
            if (se != null && se.retryAfter().isPresent() && se.retryAfter().get().compareTo(delay) > 0) {
                delay = se.retryAfter().get();
            }
            e.nextPollAtMillis = now.toEpochMilli() + delay.toMillis();
            KeyValueLog.event(Log.TRACKER, attempt == 1 ? Level.WARN : Level.DEBUG, "deployment_status_poll_failed",
                    "deployment_id", e.tracked.id, "check", e.checkName, "source", source.type(), "attempt", attempt,
                    "retry_in_ms", delay.toMillis(), "error", describe(cause));
            if (attempt == 1) {
                sink.note(DeploymentEvent.of(e.tracked.id, now, DeploymentEvent.Type.POLL_ERROR, e.checkName, null, null,
                        null, describe(cause) + "; retrying in " + delay.toMillis() + " ms"));
            }
        } finally {
            e.inFlight = false;
            releaseResumedDeadline(e, obs, err);
        }
    }

    /**
     * A resumed check's passed deadline takes effect only after its source was asked: once it answered (an
     * observation, already applied above, or a definitive error: permanent, not found), or after
     * {@link #RESUMED_DEADLINE_ASKS} transient failures in a row (retried with the usual backoff). No wall-clock
     * grace: on a loaded host the first answer can come later than any grace, and the check would end
     * {@code timed_out} although the source knew its end. A call that never completes holds the deadline: the
     * sources' own request timeouts turn it into a transient failure.
     */
    private void releaseResumedDeadline(Entry e, Observation obs, Throwable err) {
        if (!e.tracked.awaitingAnswer.contains(e.checkName)) {
            return;
        }
        boolean answered = err == null ? obs != null
                : unwrap(err) instanceof SourceException se && se.kind() != SourceException.Kind.TRANSIENT;
        if (answered || e.removed || ++e.resumedFailures >= RESUMED_DEADLINE_ASKS) {
            e.tracked.awaitingAnswer.remove(e.checkName);
        }
    }

    private Duration backoff(int attempt) {
        return backoff.delay(attempt, ThreadLocalRandom.current()::nextDouble);
    }

    /** A new group's first period: one interval give or take half of one, or exactly one without jitter. */
    private long phase() {
        long ms = interval.toMillis();
        return settings.pollJitter() == 0 ? ms : Math.max(1, ms / 2 + ThreadLocalRandom.current().nextLong(ms + 1));
    }

    private Duration jittered(Duration d) {
        double j = settings.pollJitter();
        if (j == 0) {
            return d;
        }
        double f = 1 + ThreadLocalRandom.current().nextDouble(-j, j);
        return Duration.ofMillis(Math.max(1, Math.round(d.toMillis() * f)));
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}

package io.deploytrack.core.testkit;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.SourceException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PollingSource} that answers each poll of a ref with the next scripted answer; the last answer repeats.
 * An answer is an {@link Observation} or a {@link SourceException} (to test backoff and failures).
 */
public final class ScriptedPollingSource implements PollingSource {

    private final String type;
    private final Duration interval;
    private final Map<CheckRef, Deque<Object>> scripts = new ConcurrentHashMap<>();
    private final Map<CheckRef, Object> last = new ConcurrentHashMap<>();
    private final Map<CheckRef, AtomicInteger> polls = new ConcurrentHashMap<>();
    private final AtomicInteger batches = new AtomicInteger();

    /** A source of type {@code scripted-poll}, polled at the tracker's interval. */
    public static ScriptedPollingSource of() {
        return new ScriptedPollingSource();
    }

    /** A source of type {@code scripted-poll} on the tracker's poll interval. */
    private ScriptedPollingSource() {
        this("scripted-poll", null);
    }

    /** A source of {@code type}, polled every {@code interval} (null: the tracker's). */
    public static ScriptedPollingSource of(String type, Duration interval) {
        return new ScriptedPollingSource(type, interval);
    }

    /** A source of the given type and interval (null for the tracker's). */
    private ScriptedPollingSource(String type, Duration interval) {
        this.type = type;
        this.interval = interval;
    }

    /** A ref with one field {@code id}. */
    public CheckRef ref(String id) {
        return CheckRef.of(type, "id", id);
    }

    /** Appends answers (Observations or SourceExceptions) for {@code ref}. */
    public ScriptedPollingSource script(CheckRef ref, Object... answers) {
        Deque<Object> q = scripts.computeIfAbsent(ref, r -> new ArrayDeque<>());
        synchronized (q) {
            for (Object a : answers) {
                if (!(a instanceof Observation) && !(a instanceof SourceException)) {
                    throw new IllegalArgumentException("an answer is an Observation or a SourceException, not " + a);
                }
                q.add(a);
            }
        }
        return this;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Duration pollInterval() {
        return interval;
    }

    @Override
    public CompletionStage<Observation> poll(CheckRef ref) {
        polls.computeIfAbsent(ref, r -> new AtomicInteger()).incrementAndGet();
        Deque<Object> q = scripts.get(ref);
        Object answer = null;
        if (q != null) {
            synchronized (q) {
                answer = q.poll();
            }
        }
        if (answer == null) {
            answer = last.get(ref);
        } else {
            last.put(ref, answer);
        }
        if (answer == null) {
            return CompletableFuture.failedFuture(SourceException.notFound("no script for " + ref, null));
        }
        if (answer instanceof SourceException se) {
            return CompletableFuture.failedFuture(se);
        }
        return CompletableFuture.completedFuture((Observation) answer);
    }

    @Override
    public Map<CheckRef, CompletionStage<Observation>> pollAll(java.util.Collection<CheckRef> refs) {
        batches.incrementAndGet();
        return PollingSource.super.pollAll(refs);
    }

    /** How many times {@code ref} was polled. */
    public int polls(CheckRef ref) {
        AtomicInteger n = polls.get(ref);
        return n == null ? 0 : n.get();
    }

    /** How many batches ({@code pollAll} calls) were made. */
    public int batches() {
        return batches.get();
    }
}

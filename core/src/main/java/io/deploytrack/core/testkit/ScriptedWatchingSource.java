package io.deploytrack.core.testkit;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSink;
import io.deploytrack.core.Following;
import io.deploytrack.core.Observation;
import io.deploytrack.core.WatchingSource;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WatchingSource} whose observations the test feeds: {@code source.emit(ref, Observation.succeeded("done"))}.
 * The latest observation of each ref is kept and replayed to whoever follows it later (as a resumed tracker would).
 * Refs are {@code CheckRef.of(type, "id", "...")} or any fields you like. Not final only for the old name
 * {@link ScriptedWatchingSource}.
 */
public class ScriptedWatchingSource implements WatchingSource {

    private final String type;
    private final Map<CheckRef, Observation> latest = new ConcurrentHashMap<>();
    private final Map<CheckRef, CopyOnWriteArrayList<CheckSink>> sinks = new ConcurrentHashMap<>();
    private final AtomicInteger follows = new AtomicInteger();

    /** A watching source of type {@code scripted}. */
    public static ScriptedWatchingSource of() {
        return new ScriptedWatchingSource();
    }

    /** A source of type {@code scripted}. */
    private ScriptedWatchingSource() {
        this("scripted");
    }

    /** A watching source of {@code type}. */
    public static ScriptedWatchingSource of(String type) {
        return new ScriptedWatchingSource(type);
    }

    /** A source of the given type. */
    private ScriptedWatchingSource(String type) {
        this.type = type;
    }

    /** A ref for this source with one field {@code id}. */
    public CheckRef ref(String id) {
        return CheckRef.of(type, "id", id);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Following follow(CheckRef ref, CheckSink sink) {
        follows.incrementAndGet();
        sinks.computeIfAbsent(ref, r -> new CopyOnWriteArrayList<>()).add(sink);
        Observation last = latest.get(ref);
        if (last != null) {
            sink.observe(last);
        }
        return () -> {
            var list = sinks.get(ref);
            if (list != null) {
                list.remove(sink);
            }
        };
    }

    /** Reports {@code o} to everyone following {@code ref} now, and remembers it for later followers. */
    public void emit(CheckRef ref, Observation o) {
        latest.put(ref, o);
        var list = sinks.get(ref);
        if (list != null) {
            list.forEach(s -> s.observe(o));
        }
    }

    /** How many follows are open for {@code ref}. */
    public int followers(CheckRef ref) {
        var list = sinks.get(ref);
        return list == null ? 0 : list.size();
    }

    /** How many times {@link #follow} was called in all. */
    public int followCount() {
        return follows.get();
    }
}

package io.deploytrack.examples.demo;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process stand-in for a deployment target: each deployment runs through a script of provider status words
 * ({@code waiting}, {@code inprogress}, then {@code success}/{@code fail}/{@code canceled}, or never ends).
 */
final class DemoSource implements PollingSource {

    /** One step of a script: a word held for a while. */
    record Step(String word, Duration hold) {
    }

    private final Clock clock;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final AtomicLong polls = new AtomicLong();

    private record Run(Instant start, List<Step> steps, String end) {
    }

    DemoSource(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String type() {
        return "demo";
    }

    CheckRef start(String id, List<Step> steps, String end) {
        runs.put(id, new Run(clock.instant(), steps, end));
        return CheckRef.of("demo", "id", id);
    }

    long polls() {
        return polls.get();
    }

    @Override
    public CompletionStage<Observation> poll(CheckRef ref) {
        polls.incrementAndGet();
        Run run = runs.get(ref.require("id"));
        if (run == null) {
            return CompletableFuture.completedFuture(Observation.failed("unknown", "the demo target does not know " + ref));
        }
        Instant t = run.start;
        Instant now = clock.instant();
        for (Step s : run.steps) {
            t = t.plus(s.hold);
            if (now.isBefore(t)) {
                return CompletableFuture.completedFuture(Observation.inProgress(s.word).withTimes(run.start, null));
            }
        }
        Observation o = switch (run.end) {
            case "success" -> Observation.succeeded("success");
            case "fail" -> Observation.failed("fail", "the deploy script exited with status 1");
            case "canceled" -> Observation.cancelled("canceled", "cancelled by a user at the provider");
            default -> Observation.inProgress(run.end);
        };
        return CompletableFuture.completedFuture(o.state().isTerminal() ? o.withTimes(run.start, t) : o.withTimes(run.start, null));
    }
}

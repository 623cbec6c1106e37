package io.deploytrack.jdbc;

import io.deploytrack.core.DeploymentOutcome;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.Observation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How repair ends a stale running row: each running check's source is asked once, the one outcome rule of core
 * decides from the answers, and a row no answer decides ends {@code timed_out} at its deadline (the moment nothing
 * more was to be expected, as a resumed tracker ends it), not at the moment repair ran.
 */
final class StaleResolutions {

    private StaleResolutions() {
    }

    record Resolution(DeploymentStatus status, Instant startedAt, Instant completedAt, String errorStage,
                              String message, Map<Long, CheckOutcome> checks) {
    }

    record CheckOutcome(String name, Instant startedAt, DeploymentStatus status, Instant completedAt, String sourceStatus,
                        String message) {
    }

    /** Asks each running check's source; the one outcome rule of core decides the row's status. */
    static Resolution resolve(Diagnosis d, RepairPlan.Stale s, RepairSources sources, Duration timeout) {
        Diagnosis.Row r = d.rows().get(s.id());
        Instant deadline = d.deadline(r);
        Map<Long, Observation> answers = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        // name -> status, in the checks' order, for DeploymentOutcome; names made unique (merged duplicates)
        Map<String, DeploymentStatus> statuses = new LinkedHashMap<>();
        Map<String, Diagnosis.Check> byName = new HashMap<>();
        for (Diagnosis.Check k : s.checks()) {
            DeploymentStatus status = DeploymentStatus.fromWord(k.status());
            if ("running".equals(k.status())) {
                if (!sources.has(k.sourceType())) {
                    notes.add("check '" + k.name() + "': " + sources.whyNot(k.sourceType()));
                } else {
                    RepairSources.Answer a;
                    try {
                        a = sources.ask(k.ref(), timeout);
                    } catch (RuntimeException e) {
                        a = new RepairSources.Answer(null, e.getMessage());
                    }
                    if (a.observation() == null) {
                        notes.add("check '" + k.name() + "': " + k.sourceType() + " could not be asked (" + a.failure() + ")");
                    } else {
                        answers.put(k.id(), a.observation());
                        notes.add("check '" + k.name() + "': " + k.sourceType() + " says " + a.observation().sourceStatus());
                        if (a.observation().state().isTerminal()) {
                            status = a.observation().state().toStatus();
                        }
                    }
                }
            }
            String name = statuses.containsKey(k.name()) ? k.name() + "#" + k.id() : k.name();
            statuses.put(name, status);
            byName.put(name, k);
        }
        DeploymentOutcome outcome = DeploymentOutcome.ofStatuses(statuses);
        Instant latestEnd = null;
        Instant earliestStart = null;
        for (Observation o : answers.values()) {
            if (o.state().isTerminal() && o.finishedAt() != null && (latestEnd == null || o.finishedAt().isAfter(latestEnd))) {
                latestEnd = o.finishedAt();
            }
            if (o.startedAt() != null && (earliestStart == null || o.startedAt().isBefore(earliestStart))) {
                earliestStart = o.startedAt();
            }
        }
        Map<Long, CheckOutcome> outcomes = new LinkedHashMap<>();
        List<Diagnosis.Check> running = s.checks().stream().filter(k -> "running".equals(k.status())).toList();
        if (outcome.isDecided()) {
            Instant end = latestEnd != null ? latestEnd : d.now();
            for (Diagnosis.Check k : running) {
                Observation o = answers.get(k.id());
                if (o != null && o.state().isTerminal()) {
                    outcomes.put(k.id(), new CheckOutcome(k.name(), startOf(k, o), o.state().toStatus(), o.finishedAt() != null ? o.finishedAt() : end,
                            o.sourceStatus(), o.message()));
                } else {
                    outcomes.put(k.id(), new CheckOutcome(k.name(), startOf(k, o), DeploymentStatus.CANCELLED, end, o == null ? k.lastSourceStatus()
                            : o.sourceStatus(), "not followed further: repair ended the deployment " + outcome.status().word()));
                }
            }
            Diagnosis.Check cause = outcome.cause() == null ? null : byName.get(outcome.cause());
            String message = null;
            if (cause != null) {
                Observation o = answers.get(cause.id());
                message = o == null ? "check '" + cause.name() + "' ended " + cause.status()
                        : o.message() != null ? o.message() : cause.sourceType() + " says " + o.sourceStatus();
            }
            // A check named by the row's columns: the row takes the provider's times, as a tracker would have.
            boolean named = !running.isEmpty() && running.get(0).id() < 0;
            Instant start = named && earliestStart != null ? earliestStart
                    : r.startedAt() == null || (earliestStart != null && earliestStart.isBefore(r.startedAt()))
                    ? earliestStart : null;
            return new Resolution(outcome.status(), start, end, cause == null ? null : cause.name(), message, outcomes);
        }
        Instant end = deadline != null && deadline.isBefore(d.now()) ? deadline : d.now();
        String last = running.stream().map(k -> {
            Observation o = answers.get(k.id());
            String word = o != null ? o.sourceStatus() : k.lastSourceStatus();
            return k.name() + "=" + (word == null ? "nothing seen" : word);
        }).collect(Collectors.joining(", "));
        String summary = String.join("; ", notes);
        String message = "timed out: running past its deadline " + Texts.time(deadline) + " with no live lease; "
                + (running.isEmpty() ? "it had nothing to follow (no check to ask a source about)" : "last status seen "
                + last + (summary.isEmpty() ? "" : " (" + summary + ")")) + "; resolved by deploytrack repair";
        for (Diagnosis.Check k : running) {
            Observation o = answers.get(k.id());
            outcomes.put(k.id(), new CheckOutcome(k.name(), startOf(k, o), DeploymentStatus.TIMED_OUT, end, o != null ? o.sourceStatus()
                    : k.lastSourceStatus(), "timed out: resolved by deploytrack repair"));
        }
        return new Resolution(DeploymentStatus.TIMED_OUT, null, end, running.isEmpty() ? null : running.get(0).name(),
                message.replaceAll("\\s*\\R\\s*", " ").strip(), outcomes);
    }

    private static Instant startOf(Diagnosis.Check k, Observation o) {
        return o != null && o.startedAt() != null ? o.startedAt() : k.startedAt();
    }
}

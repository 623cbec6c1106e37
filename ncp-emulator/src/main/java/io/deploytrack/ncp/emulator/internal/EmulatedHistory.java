package io.deploytrack.ncp.emulator.internal;

import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.NcpScript.Step;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One emulated deployment. Its status is worked out lazily from its script and the clock on each
 * read, so an idle history costs nothing and each read costs O(steps passed since the last read).
 * Thread-safe: all state is guarded by the instance.
 */
final class EmulatedHistory {

    /** NCP's terminal words: the emulator's own list, independent of the client's. */
    static final Set<String> TERMINAL = Set.of("success", "fail", "error", "reject", "canary_reject",
            "canary_waiting_timeout", "canceled");

    /** What a request sees. */
    record View(long id, String status, String executor, String type, Instant startTime, Instant endTime,
                Project.Named project, Project.Named stage, Project.Named scenario) {
    }

    final long id;
    final Project project;
    final Project.Scenario scenario;
    final String executor;
    final String type;
    final Instant startTime;

    private List<Step> steps;
    private int index;
    private Instant phaseStart;
    private Instant endTime;

    EmulatedHistory(long id, Project project, Project.Scenario scenario, String executor, String type,
                    NcpScript script, Instant now) {
        this.id = id;
        this.project = project;
        this.scenario = scenario;
        this.executor = executor;
        this.type = type;
        this.startTime = now;
        this.steps = script.steps();
        this.phaseStart = now;
    }

    synchronized View view(Instant now) {
        advance(now);
        return new View(id, steps.get(index).word(), executor, type, startTime, endTime,
                project.named, scenario.stage(), scenario.scenario());
    }

    synchronized String status(Instant now) {
        advance(now);
        return steps.get(index).word();
    }

    /** @return null when approved, else the status that made approval impossible */
    synchronized String approve(Instant now) {
        advance(now);
        Step current = steps.get(index);
        if (!current.awaitsApproval()) {
            return current.word();
        }
        index++;
        phaseStart = now;
        advance(now);
        return null;
    }

    /** @return false when the deployment had already ended */
    synchronized boolean cancel(Instant now, Duration cancelDuration) {
        advance(now);
        String word = steps.get(index).word();
        if (TERMINAL.contains(word)) {
            return false;
        }
        if (!word.equals("canceling")) {
            replace(NcpScript.of(NcpScript.step("canceling", cancelDuration), NcpScript.end("canceled")), now);
        }
        return true;
    }

    /** Direct control: the history reports {@code word} from now on. */
    synchronized void set(String word, Instant now) {
        replace(NcpScript.of(NcpScript.end(word)), now);
    }

    private void replace(NcpScript script, Instant now) {
        steps = script.steps();
        index = 0;
        phaseStart = now;
        endTime = null;
        advance(now);
    }

    // Moves through every step whose time is up; the end time is when the terminal step began,
    // not when somebody happened to look.
    private void advance(Instant now) {
        Step current = steps.get(index);
        while (!current.end() && !current.awaitsApproval()) {
            Instant until = phaseStart.plus(current.duration());
            if (now.isBefore(until)) {
                break;
            }
            index++;
            phaseStart = until;
            current = steps.get(index);
        }
        if (current.end() && endTime == null && TERMINAL.contains(current.word())) {
            endTime = phaseStart;
        }
    }
}

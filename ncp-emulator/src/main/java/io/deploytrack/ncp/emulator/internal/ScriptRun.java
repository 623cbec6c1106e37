package io.deploytrack.ncp.emulator.internal;

import io.deploytrack.ncp.emulator.NcpScript;
import io.deploytrack.ncp.emulator.NcpScript.Step;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A script run on the clock, worked out lazily on each read (an idle run costs nothing): the word it reports at a
 * moment and, once it reached a terminal word, when it did. What a SourceBuild build and a SourcePipeline run go
 * through. Thread-safe.
 */
final class ScriptRun {

    private final Set<String> terminal;
    private final Instant start;
    private List<Step> steps;
    private int index;
    private Instant phaseStart;
    private Instant end;

    /**
     * @param script   the words and how long each lasts
     * @param start    when it started
     * @param terminal the words that end it (they give it its end time)
     */
    ScriptRun(NcpScript script, Instant start, Set<String> terminal) {
        this.terminal = terminal;
        this.start = start;
        this.steps = script.steps();
        this.phaseStart = start;
    }

    Instant start() {
        return start;
    }

    /** @return the word at {@code now} */
    synchronized String word(Instant now) {
        advance(now);
        return steps.get(index).word();
    }

    /** @return when it reached its terminal word, or null when it has not by {@code now} */
    synchronized Instant end(Instant now) {
        advance(now);
        return end;
    }

    /** From {@code now} on it reports {@code word} (a terminal word ends it at {@code now}); false when it had ended. */
    synchronized boolean endWith(String word, Instant now) {
        advance(now);
        if (end != null) {
            return false;
        }
        steps = NcpScript.of(NcpScript.end(word)).steps();
        index = 0;
        phaseStart = now;
        advance(now);
        return true;
    }

    // Moves through every step whose time is up; the end is when the terminal step began, not when somebody looked.
    private void advance(Instant now) {
        Step current = steps.get(index);
        while (!current.end()) {
            Instant until = phaseStart.plus(current.duration());
            if (now.isBefore(until)) {
                break;
            }
            index++;
            phaseStart = until;
            current = steps.get(index);
        }
        if (current.end() && end == null && terminal.contains(current.word())) {
            end = phaseStart;
        }
    }
}

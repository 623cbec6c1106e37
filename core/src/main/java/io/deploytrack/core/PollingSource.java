package io.deploytrack.core;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A source asked on a schedule. Implement {@link #poll(CheckRef)}; the tracker calls it every poll interval
 * (jittered), backs off exponentially on {@link SourceException#isTransient() transient} failures (honouring
 * {@link SourceException#retryAfter()}), and ends the check on {@link SourceException.Kind#PERMANENT permanent} ones.
 *
 * <p>Calls must not block: return a stage that completes when the answer is there.
 */
public non-sealed interface PollingSource extends StatusSource {

    /** What the source says now about one check. Fail the stage with a {@link SourceException} to classify errors. */
    CompletionStage<Observation> poll(CheckRef ref);

    /**
     * Several checks due at once. Override it when one request can answer many (one list call for one project);
     * the default polls each. Every ref given must have an entry in the result.
     */
    default Map<CheckRef, CompletionStage<Observation>> pollAll(Collection<CheckRef> refs) {
        Map<CheckRef, CompletionStage<Observation>> out = new LinkedHashMap<>();
        for (CheckRef ref : refs) {
            out.put(ref, poll(ref));
        }
        return out;
    }

    /**
     * The group a check belongs to, for sources where one request answers many checks (an NCP project's list call):
     * the checks of one group share one timer, so they are due together and reach {@link #pollAll} in one batch once
     * per interval, however their schedules fell. Null (the default): every check has its own timer.
     *
     * @param ref a reference {@link #validate} accepted
     * @return the group's key, or null
     */
    default String pollGroup(CheckRef ref) {
        return null;
    }

    /** This source's poll interval, or null for the tracker's default. */
    default Duration pollInterval() {
        return null;
    }
}

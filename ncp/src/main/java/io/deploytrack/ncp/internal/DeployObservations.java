package io.deploytrack.ncp.internal;

import io.deploytrack.core.Observation;
import io.deploytrack.core.SourceException;
import io.deploytrack.ncp.NcpStatus;

import java.time.Instant;

/**
 * What a SourceDeploy deployment's status word means for the tracker, and what a failed call about it means: the
 * mapping {@code NcpPollingSource} documents.
 */
public final class DeployObservations {
    private DeployObservations() {
    }

    /**
     * @param word      NCP's status word, or null
     * @param start     NCP's {@code startTime}, or null
     * @param end       NCP's {@code endTime}, or null (kept only once the status is terminal)
     * @param projectId the project (named in messages)
     * @param historyId the deployment (named in messages)
     * @return the observation
     */
    public static Observation observation(String word, Instant start, Instant end, long projectId, long historyId) {
        String shown = word == null ? "(none)" : word;
        String what = "NCP SourceDeploy deployment " + historyId + " of project " + projectId;
        NcpStatus status = NcpStatus.fromWord(word).orElse(null);
        if (status == null) {
            // Undocumented (the client logs each such word once): not terminal, the deadline still ends it.
            return Observation.inProgress(shown).withTimes(start, null);
        }
        String w = status.word();
        Observation o = switch (status) {
            case SUCCESS -> Observation.succeeded(w);
            case FAIL -> Observation.failed(w, what + " ended with status 'fail': the deployment failed");
            case ERROR -> Observation.failed(w, what + " ended with status 'error': the deployment ended in an error");
            case REJECT -> Observation.failed(w, what + " ended with status 'reject': the approval was rejected");
            case CANARY_REJECT -> Observation.failed(w, what + " ended with status 'canary_reject': the canary was rejected");
            case CANARY_WAITING_TIMEOUT -> Observation.failed(w,
                    what + " ended with status 'canary_waiting_timeout': the canary decision timed out");
            case CANCELED -> Observation.cancelled(w, what + " was canceled (status 'canceled')");
            case PENDING -> Observation.awaitingApproval(w);
            case INPROGRESS, WAITING, CANCELING, CANARY_PENDING, CANARY_ANALYZING, CANARY_REJECTING ->
                    Observation.inProgress(w);
        };
        return o.withTimes(start, status.isTerminal() ? end : null);
    }

    /**
     * @param error what a call about {@code t} failed with
     * @param t     the deployment being checked
     * @return the failure classified for the tracker
     */
    public static SourceException failure(Throwable error, NcpTarget t) {
        String what = "deployment " + t.historyId() + " of project " + t.projectId();
        return SourceFailures.classify(error, "NCP SourceDeploy", what, "NCP " + what);
    }
}

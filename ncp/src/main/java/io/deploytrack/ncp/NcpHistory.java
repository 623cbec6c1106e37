package io.deploytrack.ncp;

import java.time.Instant;
import java.util.Optional;

/**
 * One SourceDeploy deployment, as {@code GET /api/v1/project/{projectId}/history/{historyId}}
 * reports it.
 *
 * @param id         the history id
 * @param statusWord the status word exactly as NCP sent it (see {@link #status()})
 * @param executor   who started it, or null
 * @param startTime  when it started, or null when NCP sent none
 * @param endTime    when it ended; null while it runs
 * @param type       the stage type (e.g. "Server", "KubernetesService"), or null
 * @param project    the project, or null when NCP sent none
 * @param stage      the stage, or null when NCP sent none
 * @param scenario   the scenario, or null when NCP sent none
 */
public record NcpHistory(long id, String statusWord, String executor, Instant startTime, Instant endTime,
                         String type, NcpRef project, NcpRef stage, NcpRef scenario) {

    /** @return the parsed status, or empty for a word NCP does not document */
    public Optional<NcpStatus> status() {
        return NcpStatus.fromWord(statusWord);
    }
}

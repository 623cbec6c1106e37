package io.deploytrack.ncp;

import java.time.Instant;
import java.util.Optional;

/**
 * One entry of a history list ({@code GET /api/v1/project/{projectId}/history}).
 *
 * @param id         the history id (NCP sends it as a String here; accepted as either)
 * @param statusWord the status word exactly as NCP sent it (see {@link #status()})
 * @param startTime  when it started, or null when NCP sent none
 * @param project    the project, or null
 * @param stage      the stage, or null
 * @param scenario   the scenario, or null
 */
public record NcpHistorySummary(long id, String statusWord, Instant startTime, NcpRef project, NcpRef stage,
                                NcpRef scenario) {

    /** @return the parsed status, or empty for a word NCP does not document */
    public Optional<NcpStatus> status() {
        return NcpStatus.fromWord(statusWord);
    }
}

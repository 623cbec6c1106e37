package io.deploytrack.ncp;

import java.time.Instant;
import java.util.Optional;

/**
 * One SourceBuild build, as its project's history list shows it ({@code GET /api/v1/project/{projectId}/history}, the
 * only per-build read: SourceBuild has no build-detail call).
 *
 * @param projectId   the build project
 * @param buildId     the build's id (a String, UUID-shaped)
 * @param statusWord  SourceBuild's word ({@code prepare}, {@code upload}, {@code success}, {@code fail},
 *                    {@code canceled}), or null when no job has run yet
 * @param begin       when it began, or null
 * @param end         when it ended, or null while it runs (not documented; absent or null is taken as running)
 * @param userId      who started it, or null
 * @param failedPhase the phase a failed build failed in ({@code prepare}, {@code build}, {@code pre-build},
 *                    {@code post-build}, {@code upload}, {@code canceling}, {@code timeout}), null otherwise
 */
public record NcpBuild(long projectId, String buildId, String statusWord, Instant begin, Instant end, String userId,
                       String failedPhase) {

    /** @return the documented status, empty for a word SourceBuild does not document or for no status yet */
    public Optional<NcpBuildStatus> status() {
        return NcpBuildStatus.fromWord(statusWord);
    }
}

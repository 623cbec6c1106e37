package io.deploytrack.ncp.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Observation;
import io.deploytrack.ncp.NcpApiException;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpHistoryPage;
import io.deploytrack.ncp.NcpHistorySummary;
import io.deploytrack.ncp.NcpStatus;
import org.slf4j.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One SourceDeploy list call serving the due deployments of one project, each matched by its history id (never by
 * position: the list's order is not documented). An id not on the first page, or whose entry is terminal (only the
 * detail carries {@code endTime}), gets its own detail call; so does every id when the list fails, except after a 429
 * or a 401/403, which the detail calls would only repeat.
 *
 * @param client   the client the list call goes through
 * @param pageSize the list's page size
 * @param detail   the detail call of one deployment, as an observation
 * @param log      the source's logger (the events are the source's)
 */
public record HistoryListBatch(NcpClient client, int pageSize, Function<NcpTarget, CompletableFuture<Observation>> detail,
                               Logger log) {

    /**
     * @param projectId the project
     * @param targets   its due deployments, two or more
     * @param out       where each deployment's observation goes
     */
    public void serve(long projectId, List<NcpTarget> targets, Map<CheckRef, CompletionStage<Observation>> out) {
        CompletableFuture<NcpHistoryPage> page = ProjectGroups.started(
                () -> client.listHistories(projectId, 1, pageSize));
        // One answer, shared: the list's outcome is logged once, each target then goes its own way.
        CompletableFuture<NcpHistoryPage> logged = page.whenComplete((p, error) -> {
            if (error != null) {
                NcpApiException api = NcpClient.apiException(error);
                log.debug("ncp_history_list_failed project_id={} checks={} error_kind={} fallback={}", projectId,
                        targets.size(), api == null ? "OTHER" : api.kind(), listFailureIsShared(error) ? "none" : "detail");
            } else {
                long found = targets.stream().filter(t -> p.find(t.historyId()).isPresent()).count();
                log.debug("ncp_history_list_checked project_id={} checks={} found_on_first_page={} entries={}",
                        projectId, targets.size(), found, p.histories().size());
            }
        });
        for (NcpTarget t : targets) {
            CompletableFuture<Observation> result = new CompletableFuture<>();
            logged.whenComplete((p, error) -> {
                CompletableFuture<Observation> next;
                if (error != null) {
                    next = listFailureIsShared(error)
                            ? CompletableFuture.failedFuture(DeployObservations.failure(error, t))
                            : detail.apply(t);
                } else {
                    NcpHistorySummary summary = p.find(t.historyId()).orElse(null);
                    if (summary == null || summary.status().map(NcpStatus::isTerminal).orElse(false)) {
                        // Not on the first page, or terminal: only the detail has endTime, and times stay exact.
                        next = detail.apply(t);
                    } else {
                        next = CompletableFuture.completedFuture(fromSummary(summary, t));
                    }
                }
                relay(next, result);
            });
            out.put(t.ref(), result);
        }
    }

    private Observation fromSummary(NcpHistorySummary summary, NcpTarget t) {
        log.debug("deployment_status_checked project_id={} history_id={} ncp_status={} via=list", t.projectId(),
                t.historyId(), summary.statusWord());
        return DeployObservations.observation(summary.statusWord(), summary.startTime(), null, t.projectId(),
                t.historyId());
    }

    /** Completes {@code to} as {@code from} completes, with the failure unwrapped. */
    private static void relay(CompletableFuture<Observation> from, CompletableFuture<Observation> to) {
        from.whenComplete((o, e) -> {
            if (e != null) {
                to.completeExceptionally(SourceFailures.unwrap(e));
            } else {
                to.complete(o);
            }
        });
    }

    /** A list failure that the detail calls would only repeat: throttling and authentication. */
    private static boolean listFailureIsShared(Throwable error) {
        NcpApiException api = NcpClient.apiException(error);
        return api != null && (api.kind() == NcpApiException.Kind.THROTTLED
                || api.kind() == NcpApiException.Kind.AUTHENTICATION);
    }
}

package io.deploytrack.ncp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.deploytrack.ncp.NcpPipelineRun;
import io.deploytrack.ncp.NcpPipelineTask;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SourcePipeline's JSON answers (devtools-sourcepipeline-do, -projecthistorydetail). Where the sources disagree
 * both shapes are read: {@code result.history} is an object in the docs and an array in the Go SDK
 * (get_history_detail_response.go); {@code begin}/{@code end} are "Unix timestamp format" with no unit stated, so a
 * value below 10^11 is read as seconds and a larger one as milliseconds (SourceBuild's are milliseconds).
 */
public final class PipelineResponses {
    /** Below this an epoch value is in seconds: 10^11 s is the year 5138, 10^11 ms is 1973. */
    private static final long SECONDS_BELOW = 100_000_000_000L;

    private PipelineResponses() {
    }

    /** @return {@code result.historyId} of a run answer */
    public static long historyId(byte[] body) {
        return Responses.id(Responses.result(body).get("historyId"), "result.historyId");
    }

    /** @return {@code result.history} of a run's detail (an object, or an array of one) */
    public static NcpPipelineRun run(byte[] body, long projectId) {
        JsonNode h = Responses.result(body).get("history");
        if (h != null && h.isArray()) {
            if (h.size() != 1) {
                throw new MalformedResponseException("result.history must hold one run, got " + h.size());
            }
            h = h.get(0);
        }
        if (h == null || !h.isObject()) {
            throw new MalformedResponseException("result.history must be an object, got " + Responses.describe(h));
        }
        JsonNode p = h.get("projectId");
        long project = p == null || p.isNull() ? projectId : Responses.id(p, "result.history.projectId");
        JsonNode list = h.get("tasks");
        List<NcpPipelineTask> tasks = new ArrayList<>();
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new MalformedResponseException("result.history.tasks must be an array, got "
                        + Responses.describe(list));
            }
            for (int i = 0; i < list.size(); i++) {
                tasks.add(task(list.get(i), "result.history.tasks[" + i + "]"));
            }
        }
        return new NcpPipelineRun(Responses.id(h.get("id"), "result.history.id"), project,
                time(h.get("begin"), "result.history.begin"), time(h.get("end"), "result.history.end"),
                Responses.text(h.get("status")), tasks);
    }

    private static NcpPipelineTask task(JsonNode t, String at) {
        if (!t.isObject()) {
            throw new MalformedResponseException(at + " must be an object, got " + Responses.describe(t));
        }
        String type = Responses.text(t.get("type"));
        if (type == null) {
            throw new MalformedResponseException(at + ".type must be SourceBuild or SourceDeploy, got nothing");
        }
        List<String> linked = new ArrayList<>();
        JsonNode l = t.get("linkedTasks");
        if (l != null && l.isArray()) {
            l.forEach(n -> linked.add(n.asText()));
        }
        JsonNode r = t.get("resultId");
        String resultId = r == null || r.isNull() || r.asText().isBlank() ? null : r.asText().strip();
        JsonNode config = t.path("config");
        // config.scenarioId; a 2024-03 page showed config.scenario.id (release-20240321/...projecthistorydetail).
        JsonNode scenario = config.has("scenarioId") ? config.get("scenarioId") : config.path("scenario").get("id");
        JsonNode name = t.get("name");
        return new NcpPipelineTask(Responses.id(t.get("id"), at + ".id"), name == null ? type : name.asText(), type,
                linked, Responses.text(t.get("status")), resultId, optionalId(config.get("projectId"), at + ".config.projectId"),
                optionalId(config.get("stageId"), at + ".config.stageId"), optionalId(scenario, at + ".config.scenarioId"));
    }

    private static Long optionalId(JsonNode node, String field) {
        return node == null || node.isNull() || node.isMissingNode() ? null : Responses.id(node, field);
    }

    /** @return a time in epoch seconds or milliseconds, null when absent, null or 0 */
    static Instant time(JsonNode node, String field) {
        Instant i = Responses.time(node, field);
        if (i == null) {
            return null;
        }
        long v = i.toEpochMilli();
        return v < SECONDS_BELOW ? Instant.ofEpochSecond(v) : i;
    }
}

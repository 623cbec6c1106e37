package io.deploytrack.ncp.emulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.ncp.emulator.RequestKind;

import java.util.List;

/**
 * SourcePipeline's calls, as the NCP API reference documents them (devtools-sourcepipeline-do, -projecthistorylist,
 * -projecthistorydetail, -cancel): run, list (paged only when both {@code pageNo} and {@code pageSize} are given),
 * one run with its tasks ({@code result.history} an object, as the docs show), cancel.
 */
final class PipelineHandler implements ServiceHandler {

    private static final String PREFIX = "/api/v1/project/";

    private final PipelineState pipelines;

    PipelineHandler(PipelineState pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public Route parse(String method, String path) {
        if (!path.startsWith(PREFIX)) {
            return Route.unknown();
        }
        String[] s = path.substring(PREFIX.length()).split("/", -1);
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        if (s.length == 2 && post && s[1].equals("do")) {
            return Route.of(RequestKind.PIPELINE_RUN, s[0], null, null, null);
        }
        if (s.length == 2 && get && s[1].equals("history")) {
            return Route.of(RequestKind.PIPELINE_LIST, s[0], null, null, null);
        }
        if (s.length == 3 && get && s[1].equals("history")) {
            return Route.of(RequestKind.PIPELINE_DETAIL, s[0], null, null, s[2]);
        }
        if (s.length == 4 && post && s[1].equals("history") && s[3].equals("cancel")) {
            return Route.of(RequestKind.PIPELINE_CANCEL, s[0], null, null, s[2]);
        }
        return Route.unknown();
    }

    @Override
    public Handled handle(Route route, String query, String body) {
        if (route.kind() == RequestKind.UNKNOWN) {
            throw ApiError.notFound("no such SourcePipeline API; paths start with " + PREFIX);
        }
        if (route.badId() != null) {
            throw ApiError.notFound("\"" + route.badId() + "\" is not an id");
        }
        long projectId = route.projectId();
        ObjectNode result = JSON.createObjectNode();
        Long historyId = route.historyId();
        switch (route.kind()) {
            case PIPELINE_RUN -> {
                historyId = pipelines.run(projectId);
                result.put("historyId", historyId);
            }
            case PIPELINE_LIST -> {
                boolean paged = query != null && (query.contains("pageNo=") || query.contains("pageSize="));
                List<PipelineState.RunView> all = pipelines.list(projectId);
                if (paged) {
                    int pageNo = DeployHandler.pageParameter(query, "pageNo", 1, Integer.MAX_VALUE, -1);
                    int pageSize = DeployHandler.pageParameter(query, "pageSize", 1, Integer.MAX_VALUE, -1);
                    if (pageNo < 0 || pageSize < 0) {
                        throw ApiError.badRequest("pageNo and pageSize are required together");
                    }
                    long from = (long) (pageNo - 1) * pageSize;
                    all = from >= all.size() ? List.of()
                            : all.subList((int) from, (int) Math.min(all.size(), from + pageSize));
                }
                ArrayNode list = result.putArray("historyList");
                for (PipelineState.RunView r : all) {
                    ObjectNode o = list.addObject();
                    o.put("projectId", r.projectId());
                    o.put("id", r.id());
                    o.put("requestType", "console");
                    o.put("requestId", "deploytrack-emulator");
                    o.put("begin", r.begin().toEpochMilli());
                    BuildHandler.time(o, "end", r.end());
                    o.put("status", r.status());
                }
            }
            case PIPELINE_DETAIL -> detail(result.putObject("history"), pipelines.detail(projectId, historyId));
            case PIPELINE_CANCEL -> result.put("result", pipelines.cancel(projectId, historyId));
            default -> throw new IllegalStateException("unhandled " + route.kind());
        }
        return new Handled(ServiceHandler.wrap(result), historyId);
    }

    private static void detail(ObjectNode h, PipelineState.RunView r) {
        h.put("id", r.id());
        h.put("projectId", r.projectId());
        h.put("begin", r.begin().toEpochMilli());
        BuildHandler.time(h, "end", r.end());
        h.put("status", r.status());
        ArrayNode tasks = h.putArray("tasks");
        for (PipelineState.TaskView t : r.tasks()) {
            ObjectNode o = tasks.addObject();
            o.put("id", t.def().id());
            o.put("name", t.def().name());
            o.put("type", t.def().type());
            ArrayNode linked = o.putArray("linkedTasks");
            t.linkedTasks().forEach(linked::add);
            o.put("status", t.status());
            if (t.resultId() == null) {
                o.put("resultId", "");
            } else {
                o.put("resultId", t.resultId());
            }
            ObjectNode config = o.putObject("config");
            config.put("projectId", t.def().projectId());
            if (t.def().stageId() != null) {
                config.put("stageId", t.def().stageId());
                config.put("scenarioId", t.def().scenarioId());
            }
        }
    }
}

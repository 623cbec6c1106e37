package io.deploytrack.ncp.emulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.ncp.emulator.RequestKind;

/** SourceDeploy's calls: deploy, deploy/request, approval, history detail and list, cancel. */
final class DeployHandler implements ServiceHandler {

    private static final String API_PREFIX = "/api/v1/project/";

    private final EmulatorState state;

    DeployHandler(EmulatorState state) {
        this.state = state;
    }

    @Override
    public Route parse(String method, String path) {
        return Route.parse(method, path);
    }

    @Override
    public Handled handle(Route route, String query, String body) {
        if (route.kind() == RequestKind.UNKNOWN) {
            throw ApiError.notFound("no such API; SourceDeploy paths start with " + API_PREFIX);
        }
        if (route.badId() != null) {
            throw ApiError.notFound("\"" + route.badId() + "\" is not an id");
        }
        long projectId = route.projectId();
        ObjectNode result = JSON.createObjectNode();
        switch (route.kind()) {
            case DEPLOY, DEPLOY_REQUEST -> {
                long id = state.deploy(projectId, route.stageId(), route.scenarioId(),
                        route.kind() == RequestKind.DEPLOY_REQUEST);
                result.put("historyId", id);
                return new Handled(ServiceHandler.wrap(result), id);
            }
            case APPROVE -> {
                state.approve(projectId, route.historyId());
                result.put("result", true);
            }
            case CANCEL -> result.put("result", state.cancel(projectId, route.historyId()));
            case DETAIL -> {
                EmulatedHistory.View view = state.view(projectId, route.historyId());
                writeDetail(result, view);
            }
            case LIST -> {
                int pageNo = pageParameter(query, "pageNo", 1, Integer.MAX_VALUE, 1);
                int pageSize = pageParameter(query, "pageSize", 1, 100, 100);
                var list = result.putArray("historyList");
                for (EmulatedHistory.View view : state.page(projectId, pageNo, pageSize)) {
                    ObjectNode item = list.addObject();
                    named(item, "project", view.project());
                    named(item, "stage", view.stage());
                    named(item, "scenario", view.scenario());
                    item.put("id", Long.toString(view.id())); // a String here, as NCP documents the list
                    item.put("startTime", view.startTime().toEpochMilli());
                    item.put("status", view.status());
                }
            }
            default -> throw new IllegalStateException("unhandled " + route.kind());
        }
        return new Handled(ServiceHandler.wrap(result), route.historyId());
    }

    private static void writeDetail(ObjectNode result, EmulatedHistory.View view) {
        named(result, "project", view.project());
        named(result, "stage", view.stage());
        named(result, "scenario", view.scenario());
        result.put("id", view.id());
        result.put("status", view.status());
        result.put("executor", view.executor());
        result.put("startTime", view.startTime().toEpochMilli());
        if (view.endTime() == null) {
            result.putNull("endTime");
        } else {
            result.put("endTime", view.endTime().toEpochMilli());
        }
        result.put("type", view.type());
        result.putObject("config");
    }

    private static void named(ObjectNode parent, String field, Project.Named named) {
        ObjectNode node = parent.putObject(field);
        node.put("id", named.id());
        node.put("name", named.name());
    }

    static int pageParameter(String query, String name, int min, int max, int absent) {
        if (query == null) {
            return absent;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                String value = pair.substring(eq + 1);
                try {
                    int n = Integer.parseInt(value);
                    if (n >= min && n <= max) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    // falls through to the error below
                }
                throw ApiError.badRequest(name + " must be a number from " + min + " to " + max + ", got \"" + value + "\"");
            }
        }
        return absent;
    }
}

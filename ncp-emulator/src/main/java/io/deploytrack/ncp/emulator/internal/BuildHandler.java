package io.deploytrack.ncp.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.ncp.emulator.RequestKind;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * SourceBuild's calls, as the NCP API reference documents them (devtools-sourcebuild-build, -buildhistorylist,
 * -buildcancel, docs/ko/devtools-sourcebuild-projectdetail): start, history list, cancel, project detail. There is no
 * per-build detail: {@code GET .../build/{buildId}} and {@code .../history/{buildId}} are 404 here as at NCP.
 */
final class BuildHandler implements ServiceHandler {

    private static final String PREFIX = "/api/v1/project/";

    private final BuildState builds;

    BuildHandler(BuildState builds) {
        this.builds = builds;
    }

    @Override
    public Route parse(String method, String path) {
        if (!path.startsWith(PREFIX)) {
            return Route.unknown();
        }
        String[] s = path.substring(PREFIX.length()).split("/", -1);
        if (s.length == 1 && method.equals("GET")) {
            return Route.of(RequestKind.BUILD_PROJECT, s[0], null, null, null);
        }
        if (s.length == 2 && s[1].equals("build") && method.equals("POST")) {
            return Route.of(RequestKind.BUILD_START, s[0], null, null, null);
        }
        if (s.length == 2 && s[1].equals("build") && method.equals("DELETE")) {
            return Route.of(RequestKind.BUILD_CANCEL, s[0], null, null, null);
        }
        if (s.length == 2 && s[1].equals("history") && method.equals("GET")) {
            return Route.of(RequestKind.BUILD_HISTORY, s[0], null, null, null);
        }
        return Route.unknown();
    }

    @Override
    public Handled handle(Route route, String query, String body) {
        if (route.kind() == RequestKind.UNKNOWN) {
            throw ApiError.notFound("no such SourceBuild API (there is no build-detail call: read a build from "
                    + PREFIX + "{projectId}/history)");
        }
        if (route.badId() != null) {
            throw ApiError.notFound("\"" + route.badId() + "\" is not an id");
        }
        long projectId = route.projectId();
        ObjectNode result = JSON.createObjectNode();
        switch (route.kind()) {
            case BUILD_START -> {
                String id = builds.start(projectId);
                result.put("projectId", projectId);
                result.put("buildId", id);
            }
            case BUILD_CANCEL -> result.put("result", builds.cancel(projectId, buildIdOf(body)));
            case BUILD_HISTORY -> {
                List<BuildState.BuildView> history = builds.history(projectId);
                result.put("total", history.size());
                ArrayNode list = result.putArray("history");
                history.forEach(b -> write(list.addObject(), b));
            }
            case BUILD_PROJECT -> project(result, builds.project(projectId));
            default -> throw new IllegalStateException("unhandled " + route.kind());
        }
        return new Handled(ServiceHandler.wrap(result), null);
    }

    private static String buildIdOf(String body) {
        try {
            JsonNode id = body == null || body.isBlank() ? null : JSON.readTree(body).get("buildId");
            if (id != null && id.isTextual() && !id.textValue().isBlank()) {
                return id.textValue();
            }
        } catch (IOException e) {
            throw ApiError.badRequest("the body is not JSON: expected {\"buildId\":\"...\"}");
        }
        throw ApiError.badRequest("buildId is required in the body: {\"buildId\":\"...\"}");
    }

    private static void write(ObjectNode o, BuildState.BuildView b) {
        o.put("projectId", b.projectId());
        o.put("buildId", b.buildId());
        o.put("begin", b.begin().toEpochMilli());
        time(o, "end", b.end());
        o.put("userId", b.userId());
        o.put("status", b.status());
        if (b.failedPhase() == null) {
            o.putNull("failedPhase");
        } else {
            o.put("failedPhase", b.failedPhase());
        }
    }

    private static void project(ObjectNode r, BuildState.ProjectView p) {
        r.put("id", p.id());
        r.put("name", p.name());
        ObjectNode docker = r.putObject("cmd").putObject("dockerbuild");
        docker.put("use", p.image() != null);
        docker.put("dockerfile", "Dockerfile");
        docker.put("registry", p.registry());
        docker.put("image", p.image());
        docker.put("tag", p.tag());
        docker.put("latest", false);
        ObjectNode last = r.putObject("lastBuild");
        if (p.lastBuild() != null) {
            last.put("id", p.lastBuild().buildId());
            last.put("timestamp", p.lastBuild().begin().toEpochMilli());
            last.put("status", p.lastBuild().status());
        }
    }

    static void time(ObjectNode o, String field, Instant t) {
        if (t == null) {
            o.putNull(field);
        } else {
            o.put(field, t.toEpochMilli());
        }
    }
}

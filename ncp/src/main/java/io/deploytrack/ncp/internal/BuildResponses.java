package io.deploytrack.ncp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.deploytrack.ncp.NcpBuild;
import io.deploytrack.ncp.NcpBuildProject;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads SourceBuild's JSON answers (devtools-sourcebuild-build, -buildhistorylist, -projectdetail): {@code buildId} is a
 * String, {@code begin}/{@code end} epoch milliseconds (the Go SDK's int32 is too narrow for them; read as long).
 */
public final class BuildResponses {

    private BuildResponses() {
    }

    /** @return {@code result.buildId} of a start answer */
    public static String buildId(byte[] body) {
        return buildIdOf(Responses.result(body).get("buildId"), "result.buildId");
    }

    /** @return {@code result.history[]} of a history answer ({@code []} or absent when none) */
    public static List<NcpBuild> history(byte[] body, long projectId) {
        JsonNode list = Responses.result(body).get("history");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new MalformedResponseException("result.history must be an array, got " + Responses.describe(list));
        }
        List<NcpBuild> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String at = "result.history[" + i + "]";
            if (!e.isObject()) {
                throw new MalformedResponseException(at + " must be an object, got " + Responses.describe(e));
            }
            JsonNode p = e.get("projectId");
            long project = p == null || p.isNull() ? projectId : Responses.id(p, at + ".projectId");
            JsonNode status = e.get("status");
            if (status != null && !status.isNull() && !status.isTextual()) {
                throw new MalformedResponseException(at + ".status must be a word or null, got " + Responses.describe(status));
            }
            out.add(new NcpBuild(project, buildIdOf(e.get("buildId"), at + ".buildId"), Responses.text(status),
                    Responses.time(e.get("begin"), at + ".begin"), Responses.time(e.get("end"), at + ".end"),
                    Responses.text(e.get("userId")), Responses.text(e.get("failedPhase"))));
        }
        return out;
    }

    /** @return the image a project detail's {@code cmd.dockerbuild} is configured to push */
    public static NcpBuildProject project(byte[] body, long projectId) {
        JsonNode r = Responses.result(body);
        JsonNode docker = r.path("cmd").path("dockerbuild");
        return new NcpBuildProject(projectId, Responses.text(r.get("name")), Responses.text(docker.get("registry")),
                Responses.text(docker.get("image")), Responses.text(docker.get("tag")));
    }

    private static String buildIdOf(JsonNode node, String field) {
        if (node != null && (node.isTextual() || node.isIntegralNumber()) && !node.asText().isBlank()) {
            return node.asText().strip();
        }
        throw new MalformedResponseException(field + " must be a build id, got " + Responses.describe(node));
    }
}

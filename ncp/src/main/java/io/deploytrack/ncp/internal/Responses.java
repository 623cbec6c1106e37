package io.deploytrack.ncp.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.ncp.NcpHistory;
import io.deploytrack.ncp.NcpHistoryPage;
import io.deploytrack.ncp.NcpHistorySummary;
import io.deploytrack.ncp.NcpRef;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SourceDeploy's JSON answers. Strict where a wrong value would mislead (ids, status) and
 * lenient where NCP's documents disagree with themselves (ids and error codes as String or Number).
 */
public final class Responses {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 120;

    private Responses() {
    }

    /** NCP's error body, any field of which may be missing. */
    public record ErrorBody(String errorCode, String message, String details) {
        static final ErrorBody NONE = new ErrorBody(null, null, null);
    }

    /** @return {@code result.historyId} of a deploy answer */
    public static long historyId(byte[] body) {
        JsonNode result = result(body);
        return id(result.get("historyId"), "result.historyId");
    }

    /** @return {@code result.result} of a cancel answer */
    public static boolean cancelResult(byte[] body) {
        JsonNode value = result(body).get("result");
        if (value == null || !value.isBoolean()) {
            throw new MalformedResponseException("result.result must be true or false, got " + describe(value));
        }
        return value.booleanValue();
    }

    /** Checks that an answer without data (approval) is JSON when it has a body. */
    public static void acknowledgement(byte[] body) {
        if (body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank()) {
            tree(body);
        }
    }

    /** @return the history in a detail answer */
    public static NcpHistory history(byte[] body) {
        JsonNode r = result(body);
        return new NcpHistory(id(r.get("id"), "result.id"), status(r.get("status"), "result.status"),
                text(r.get("executor")), time(r.get("startTime"), "result.startTime"),
                time(r.get("endTime"), "result.endTime"), text(r.get("type")),
                ref(r.get("project"), "result.project"), ref(r.get("stage"), "result.stage"),
                ref(r.get("scenario"), "result.scenario"));
    }

    /** @return the page in a list answer */
    public static NcpHistoryPage page(byte[] body, long projectId, int pageNo, int pageSize) {
        JsonNode list = result(body).get("historyList");
        if (list == null || list.isNull()) {
            return new NcpHistoryPage(projectId, pageNo, pageSize, List.of());
        }
        if (!list.isArray()) {
            throw new MalformedResponseException("result.historyList must be an array, got " + describe(list));
        }
        List<NcpHistorySummary> entries = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String at = "result.historyList[" + i + "]";
            if (!e.isObject()) {
                throw new MalformedResponseException(at + " must be an object, got " + describe(e));
            }
            entries.add(new NcpHistorySummary(id(e.get("id"), at + ".id"), status(e.get("status"), at + ".status"),
                    time(e.get("startTime"), at + ".startTime"), ref(e.get("project"), at + ".project"),
                    ref(e.get("stage"), at + ".stage"), ref(e.get("scenario"), at + ".scenario")));
        }
        return new NcpHistoryPage(projectId, pageNo, pageSize, entries);
    }

    /** @return the error body's fields, or all null when the body is not NCP's error JSON */
    public static ErrorBody error(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return ErrorBody.NONE;
        }
        JsonNode error = root == null ? null : root.get("error");
        if (error == null || !error.isObject()) {
            return ErrorBody.NONE;
        }
        JsonNode code = error.get("errorCode");
        // A String in current examples, an Integer in older documents.
        String codeText = code == null || code.isNull() ? null : code.isValueNode() ? code.asText() : null;
        return new ErrorBody(codeText, text(error.get("message")), text(error.get("details")));
    }

    /** @return the start of a body, for an error message */
    public static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "...";
    }

    private static JsonNode tree(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new MalformedResponseException("the answer has an empty body where JSON was expected");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new MalformedResponseException("the answer is not valid JSON: " + excerpt(body), e);
        } catch (IOException e) {
            throw new MalformedResponseException("the answer could not be read: " + e.getMessage(), e);
        }
    }

    /** @return the {@code result} object of an answer */
    public static JsonNode result(byte[] body) {
        JsonNode result = tree(body).get("result");
        if (result == null || !result.isObject()) {
            throw new MalformedResponseException("the answer has no \"result\" object: " + excerpt(body));
        }
        return result;
    }

    /** @return a positive id given as a Number or a String */
    public static long id(JsonNode node, String field) {
        if (node != null && node.isIntegralNumber() && node.canConvertToLong() && node.longValue() > 0) {
            return node.longValue();
        }
        if (node != null && node.isTextual()) {
            try {
                long value = Long.parseLong(node.textValue().strip());
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new MalformedResponseException(field + " must be a positive id (Number or String), got " + describe(node));
    }

    private static String status(JsonNode node, String field) {
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw new MalformedResponseException(field + " must be a status word, got " + describe(node));
        }
        return node.textValue();
    }

    /** @return epoch milliseconds as an instant, null when absent, null or 0 */
    public static Instant time(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        long millis;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            millis = node.longValue();
        } else if (node.isTextual() && node.textValue().strip().matches("\\d{1,18}")) {
            millis = Long.parseLong(node.textValue().strip());
        } else {
            throw new MalformedResponseException(field + " must be epoch milliseconds, got " + describe(node));
        }
        // 0 is how some serializers write "no time"; 1970 is never a deployment's time.
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    private static NcpRef ref(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new MalformedResponseException(field + " must be an object {id, name}, got " + describe(node));
        }
        return new NcpRef(id(node.get("id"), field + ".id"), text(node.get("name")));
    }

    /** @return the text of a node, null when absent or null */
    public static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** @return a short rendering of a node for an error message */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}

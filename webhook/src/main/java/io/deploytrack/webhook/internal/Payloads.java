package io.deploytrack.webhook.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Observation;
import io.deploytrack.core.Push;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns callback payloads into {@link Push}es; every refusal says what is wrong and what is expected. Not public API. */
public final class Payloads {
    private static final Set<String> CALLBACK_MEMBERS = Set.of("ref", "status", "message", "startedAt", "finishedAt");
    private static final int MAX_MESSAGE = 4000;

    private Payloads() {
    }

    /** A payload that parsed but does not say what deploytrack needs. */
    public static final class PayloadException extends Exception {
        private static final long serialVersionUID = 1L;
        PayloadException(String message) {
            super(message);
        }
    }

    /**
     * deploytrack's own callback: {@code {"ref": {"type": ..., fields}, "status": ..., "message": ..., "startedAt":
     * ..., "finishedAt": ...}}.
     */
    public static Push callback(String via, String deliveryId, String body) throws Json.ParseException, PayloadException {
        Map<String, Object> root = object(Json.parse(body), "the body");
        for (String k : root.keySet()) {
            if (!CALLBACK_MEMBERS.contains(k)) {
                throw new PayloadException("unknown member \"" + k + "\": a callback has " + CALLBACK_MEMBERS);
            }
        }
        Map<String, Object> refJson = object(required(root, "ref"), "\"ref\"");
        Object type = refJson.get("type");
        if (!(type instanceof String typeText)) {
            throw new PayloadException("\"ref\" needs a \"type\" string (the check's source type, e.g. \"ncp\")");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Object> f : refJson.entrySet()) {
            if (f.getKey().equals("type")) {
                continue;
            }
            fields.put(f.getKey(), scalarText(f.getValue(), "\"ref\"." + f.getKey()));
        }
        CheckRef ref;
        try {
            ref = new CheckRef(typeText, fields);
        } catch (IllegalArgumentException e) {
            throw new PayloadException("\"ref\" is not usable: " + e.getMessage());
        }
        Object status = required(root, "status");
        if (!(status instanceof String statusWord) || statusWord.isBlank()) {
            throw new PayloadException("\"status\" must be a non-empty string: success, failed, cancelled, running or "
                    + "the provider's own word");
        }
        Instant started = time(root, "startedAt");
        Instant finished = time(root, "finishedAt");
        inOrder(started, finished, "\"startedAt\"", "\"finishedAt\"");
        Observation o = new Observation(stateOf(statusWord), statusWord.strip(), started, finished,
                message(root.get("message"), "\"message\""));
        return Push.forRef(via, deliveryId, ref, o);
    }

    /** What a GitHub delivery became: a push, or a reason it is ignored (another event, a ping). */
    public record GithubEvent(Push push, String ignoredBecause) {
    }

    /**
     * A GitHub {@code deployment_status} event, mapped to the check whose deployment attribute {@code attributeKey}
     * holds {@code deployment.id}.
     */
    public static GithubEvent github(String via, String deliveryId, String event, String body, String attributeKey)
            throws Json.ParseException, PayloadException {
        Map<String, Object> root = object(Json.parse(body), "the body");
        if ("ping".equals(event)) {
            return new GithubEvent(null, "ping");
        }
        if (!"deployment_status".equals(event)) {
            return new GithubEvent(null, "event '" + event + "' is not deployment_status");
        }
        Map<String, Object> status = object(required(root, "deployment_status"), "\"deployment_status\"");
        Map<String, Object> deployment = object(required(root, "deployment"), "\"deployment\"");
        String id = scalarText(required(deployment, "id"), "\"deployment\".id");
        Object state = required(status, "state");
        if (!(state instanceof String stateWord) || stateWord.isBlank()) {
            throw new PayloadException("\"deployment_status\".state must be a string such as success, failure or in_progress");
        }
        Observation.State s = switch (stateWord) {
            case "success" -> Observation.State.SUCCEEDED;
            case "failure", "error" -> Observation.State.FAILED;
            // a newer deployment replaced this one before it ended
            case "inactive" -> Observation.State.CANCELLED;
            case "waiting" -> Observation.State.AWAITING_APPROVAL;
            default -> Observation.State.IN_PROGRESS;
        };
        Instant started = githubTime(deployment.get("created_at"), "\"deployment\".created_at");
        Instant at = githubTime(status.get("created_at"), "\"deployment_status\".created_at");
        if (s.isTerminal()) {
            inOrder(started, at, "\"deployment\".created_at", "\"deployment_status\".created_at");
        }
        String description = message(status.get("description"), "\"deployment_status\".description");
        String message = description == null || description.isBlank()
                ? (s == Observation.State.FAILED ? "GitHub deployment status " + stateWord : null) : description;
        Observation o = new Observation(s, stateWord, started, s.isTerminal() ? at : null, message);
        return new GithubEvent(Push.forAttribute(via, deliveryId, attributeKey, id, o), null);
    }

    /** deploytrack's words, then common provider words; any other word keeps the check running (the poll decides). */
    static Observation.State stateOf(String word) {
        return switch (word.strip().toLowerCase(Locale.ROOT)) {
            case "success", "succeeded", "successful", "complete", "completed", "done" -> Observation.State.SUCCEEDED;
            case "failed", "failure", "fail", "error", "errored" -> Observation.State.FAILED;
            case "cancelled", "canceled", "cancel", "aborted" -> Observation.State.CANCELLED;
            case "awaiting_approval", "approval", "waiting", "waiting_approval" -> Observation.State.AWAITING_APPROVAL;
            default -> Observation.State.IN_PROGRESS;
        };
    }

    /**
     * A push that ends before it starts would rewrite the row's start (a deployment starts at its earliest check) and
     * record a negative duration: refused, naming both times.
     */
    private static void inOrder(Instant started, Instant finished, String startName, String finishName)
            throws PayloadException {
        if (started != null && finished != null && finished.isBefore(started)) {
            throw new PayloadException(finishName + " " + finished + " is before " + startName + " " + started
                    + ": a deployment cannot end before it starts; send the times the provider recorded");
        }
    }

    private static Object required(Map<String, Object> m, String key) throws PayloadException {
        Object v = m.get(key);
        if (v == null || v == Json.NULL) {
            throw new PayloadException("\"" + key + "\" is missing");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String what) throws PayloadException {
        if (!(v instanceof Map)) {
            throw new PayloadException(what + " must be a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private static String scalarText(Object v, String what) throws PayloadException {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof BigDecimal n) {
            try {
                return n.toBigIntegerExact().toString();
            } catch (ArithmeticException e) {
                throw new PayloadException(what + " must be a string or a whole number, got " + n);
            }
        }
        throw new PayloadException(what + " must be a string or a whole number");
    }

    private static String message(Object v, String what) throws PayloadException {
        if (v == null || v == Json.NULL) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new PayloadException(what + " must be a string");
        }
        return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE - 3) + "..." : s;
    }

    private static Instant time(Map<String, Object> m, String key) throws PayloadException {
        Object v = m.get(key);
        if (v == null || v == Json.NULL) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new PayloadException("\"" + key + "\" must be an ISO-8601 time string, e.g. 2026-03-01T10:00:00Z");
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new PayloadException("\"" + key + "\" '" + s + "' is not an ISO-8601 time with an offset, e.g. "
                    + "2026-03-01T10:00:00Z");
        }
    }

    private static Instant githubTime(Object v, String what) throws PayloadException {
        if (v == null || v == Json.NULL) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new PayloadException(what + " must be a time string");
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new PayloadException(what + " '" + s + "' is not an ISO-8601 time");
        }
    }
}

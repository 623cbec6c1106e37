package io.deploytrack.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.support.DeploymentFields;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.StageProgress;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.function.Function;

/**
 * The live message set, framework-free: what hosts' frontends already consume. Every message is one JSON object with
 * {@code type}, {@code deployment_id}, {@code user_id} and {@code timestamp}; times are ISO-8601 with an offset
 * ({@code 2026-03-01T10:00:05.000+00:00}); durations are whole seconds; statuses are the host's words (see
 * {@link Builder#statusWords}), deploytrack's by default.
 *
 * <ul>
 *   <li>{@code connection_established}; {@code pong} (the answer to {@code {"type":"ping"}});</li>
 *   <li>{@code deployment_started}: also {@code project}, {@code environment}, {@code commit_sha}, {@code stages};</li>
 *   <li>{@code stage_started}: {@code stage}, {@code started_at};</li>
 *   <li>{@code stage_progress}: {@code stage}, {@code progress} (0 to 99 while it runs, 100 only with its real end),
 *       {@code elapsed_time}, {@code message}, {@code started_at}; also {@code expected_duration} (null when
 *       unknown), {@code overrun}, {@code targets_done}, {@code targets_total};</li>
 *   <li>{@code stage_completed}: {@code stage}, {@code status}, {@code duration}, {@code completed_at};</li>
 *   <li>{@code deployment_completed}: {@code status}, {@code total_duration}, {@code completed_at};</li>
 *   <li>{@code error}: {@code message}, for a client message not understood.</li>
 * </ul>
 */
public final class LiveCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    private final Function<DeploymentStatus, String> statusWords;
    private final String userAttribute;
    private final ZoneId zone;

    private LiveCodec(Builder b) {
        this.statusWords = b.statusWords;
        this.userAttribute = b.userAttribute;
        this.zone = b.zone;
    }

    /** deploytrack's status words, {@code user_id} from the attribute {@code user_id}, times in UTC. */
    public static LiveCodec standard() {
        return builder().build();
    }

    /** A builder with the defaults of {@link #standard()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The host's word for a status. */
    public String statusWord(DeploymentStatus status) {
        return statusWords.apply(status);
    }

    /** The deployment's user, from its attribute, or null. */
    public String userOf(Deployment d) {
        return d.attributes().get(userAttribute);
    }

    /** A time as the messages write it: ISO-8601 with an offset, milliseconds, or null. */
    public String time(Instant t) {
        return t == null ? null : TIME.format(t.atZone(zone));
    }

    /** {@code connection_established}. */
    public LiveMessage connectionEstablished(Instant now) {
        return reply("connection_established", now, null);
    }

    /** {@code pong}. */
    public LiveMessage pong(Instant now) {
        return reply("pong", now, null);
    }

    /** {@code error} with what was wrong. */
    public LiveMessage error(String reason, Instant now) {
        return reply("error", now, reason);
    }

    private LiveMessage reply(String type, Instant now, String message) {
        ObjectNode o = MAPPER.createObjectNode().put("type", type);
        if (message != null) {
            o.put("message", message);
        }
        o.put("timestamp", time(now));
        return new LiveMessage(0, 0, type, write(o));
    }

    /** {@code deployment_started}. */
    public LiveMessage deploymentStarted(Deployment d, Instant at, long eventId) {
        ObjectNode o = head("deployment_started", d);
        o.put("project", d.project()).put("environment", d.environment()).put("commit_sha", d.commitSha());
        var stages = o.putArray("stages");
        (d.stages().isEmpty() ? d.checks() : d.stages()).forEach(c -> stages.add(c.name()));
        return message(d, eventId, o, at);
    }

    /** {@code stage_started}. */
    public LiveMessage stageStarted(Deployment d, String stage, Instant startedAt, long eventId) {
        ObjectNode o = head("stage_started", d).put("stage", stage).put("started_at", time(startedAt));
        return message(d, eventId, o, startedAt);
    }

    /**
     * {@code stage_progress} of a stage that runs, at {@code percent} (the caller keeps it from ever falling), or of
     * a stage that ended successfully, at 100.
     */
    public LiveMessage stageProgress(Deployment d, StageProgress s, int percent, Instant at, long eventId) {
        if (percent < 0 || percent > 100 || (percent == 100 && s.phase() != StageProgress.Phase.ENDED)) {
            throw new IllegalArgumentException("progress " + percent + " is not usable for stage '" + s.name()
                    + "' in phase " + s.phase().word() + ": expected 0 to 99 before its end, 100 at it");
        }
        ObjectNode o = head("stage_progress", d).put("stage", s.name()).put("progress", percent)
                .put("elapsed_time", DeploymentFields.seconds(s.elapsed())).put("message", s.summary())
                .put("started_at", time(s.startedAt()));
        if (s.expected() == null) {
            o.putNull("expected_duration");
        } else {
            o.put("expected_duration", DeploymentFields.seconds(s.expected().median()));
        }
        o.put("overrun", s.phase() == StageProgress.Phase.OVERRUN);
        if (s.targets() == null) {
            o.putNull("targets_done").putNull("targets_total");
        } else {
            o.put("targets_done", s.targets().done()).put("targets_total", s.targets().total());
        }
        return message(d, eventId, o, at);
    }

    /** {@code stage_completed}. */
    public LiveMessage stageCompleted(Deployment d, String stage, DeploymentStatus status, Duration duration,
                                      Instant completedAt, long eventId) {
        ObjectNode o = head("stage_completed", d).put("stage", stage).put("status", statusWord(status))
                .put("duration", DeploymentFields.seconds(duration)).put("completed_at", time(completedAt));
        return message(d, eventId, o, completedAt);
    }

    /** {@code deployment_completed}. */
    public LiveMessage deploymentCompleted(Deployment d, DeploymentStatus status, Duration total, Instant completedAt,
                                           long eventId) {
        ObjectNode o = head("deployment_completed", d).put("status", statusWord(status))
                .put("total_duration", DeploymentFields.seconds(total)).put("completed_at", time(completedAt));
        if (d.errorStage() != null && status != DeploymentStatus.SUCCESS) {
            o.put("error_stage", d.errorStage());
        }
        return message(d, eventId, o, completedAt);
    }

    private ObjectNode head(String type, Deployment d) {
        return MAPPER.createObjectNode().put("type", type).put("deployment_id", d.id()).put("user_id", userOf(d));
    }

    private LiveMessage message(Deployment d, long eventId, ObjectNode o, Instant at) {
        o.put("timestamp", time(at));
        return new LiveMessage(d.id(), eventId, o.get("type").asText(), write(o));
    }

    /** Reads one client message; never throws: what is not understood is {@link ClientMessage.Invalid}. */
    public ClientMessage parse(String text) {
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new ClientMessage.Invalid("not JSON: expected an object such as {\"type\":\"ping\"}");
        }
        if (n == null || !n.isObject() || !n.path("type").isTextual()) {
            return new ClientMessage.Invalid("expected an object with a \"type\": subscribe or ping");
        }
        String type = n.get("type").asText();
        if (type.equals("ping")) {
            return new ClientMessage.Ping();
        }
        if (!type.equals("subscribe")) {
            return new ClientMessage.Invalid("type '" + cut(type) + "' is not understood: expected subscribe or ping");
        }
        JsonNode id = n.path("deployment_id");
        JsonNode user = n.path("user_id");
        if (!id.isMissingNode() && !id.isNull()) {
            Long parsed = id.canConvertToLong() && id.isIntegralNumber() ? Long.valueOf(id.asLong())
                    : id.isTextual() && id.asText().matches("[0-9]{1,18}") ? Long.valueOf(id.asText()) : null;
            return parsed == null || parsed < 1
                    ? new ClientMessage.Invalid("deployment_id " + cut(id.toString()) + " is not usable: expected a "
                    + "deployment's id, a positive whole number")
                    : new ClientMessage.Subscribe(parsed, null);
        }
        if (user.isTextual() && !user.asText().isBlank()) {
            return new ClientMessage.Subscribe(null, user.asText());
        }
        if (user.isNumber()) {
            return new ClientMessage.Subscribe(null, user.asText());
        }
        return new ClientMessage.Invalid("a subscribe needs a deployment_id (a number) or a user_id (a string)");
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String write(ObjectNode o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a live message could not be written", e);
        }
    }

    /** Configures a {@link LiveCodec}. */
    public static final class Builder {
        private Function<DeploymentStatus, String> statusWords = DeploymentStatus::word;
        private String userAttribute = "user_id";
        private ZoneId zone = ZoneOffset.UTC;

        private Builder() {
        }

        /**
         * The word written for each status: the host's own where an adopted table maps them (e.g. {@code timed_out}
         * to {@code failed}); default deploytrack's ({@code running, success, failed, cancelled, timed_out}).
         */
        public Builder statusWords(Function<DeploymentStatus, String> words) {
            this.statusWords = Objects.requireNonNull(words, "words");
            return this;
        }

        /** The deployment attribute written as {@code user_id}; default {@code user_id}. */
        public Builder userAttribute(String attribute) {
            if (attribute == null || attribute.isBlank()) {
                throw new IllegalArgumentException("userAttribute '" + attribute + "' is not usable: expected an "
                        + "attribute name such as user_id");
            }
            this.userAttribute = attribute;
            return this;
        }

        /** The zone whose offset the times carry; default UTC ({@code +00:00}). */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** Builds the codec. */
        public LiveCodec build() {
            return new LiveCodec(this);
        }
    }
}

package io.deploytrack.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.support.DeploymentFields;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DoraLevel;
import io.deploytrack.core.HistoryQuery;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.Insights;
import io.deploytrack.core.NoRollbackTargetException;
import io.deploytrack.core.ProgressEstimator;
import io.deploytrack.core.ProgressFields;
import io.deploytrack.core.RollbackTarget;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The read-only JSON of {@code deploytrack serve} (and of a host that mounts it in its own framework), framework-free:
 * a path below the API prefix and its query parameters in, a status and a JSON body out. Keys and formats are those of
 * {@code show --json} ({@link DeploymentFields}, {@link ProgressFields}).
 *
 * <ul>
 *   <li>{@code deployments?project=OWNER/REPO&environment=ENV&status=WORD&limit=N}: the history, newest first;</li>
 *   <li>{@code deployments/ID}: one deployment with its checks and its progress (stages, expected durations);</li>
 *   <li>{@code rollback-target?project=OWNER/REPO&environment=ENV}: what runs and what to roll back to (404 when
 *       there is none, with why);</li>
 *   <li>{@code dashboard}: what the page draws: the deployments in flight with their progress, the recent history, and
 *       the rollback target of each project and environment in it, and their delivery figures over 90 days
 *       (deployments a week, change fail rate, recovery time, rework rate, each with its DORA level).</li>
 * </ul>
 */
public final class LiveReadApi {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final int DASHBOARD_RECENT = 30;
    /** The window of the dashboard's delivery panel. */
    static final int INSIGHTS_DAYS = 90;
    private static final int DASHBOARD_IN_FLIGHT = 100;

    private final HistoryStore store;
    private final Clock clock;
    private final LiveCodec codec;

    /** An answer: an HTTP status and a JSON object. */
    public record Answer(int status, String json) {
    }

    private LiveReadApi(HistoryStore store, Clock clock, LiveCodec codec) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Over {@code store}; progress on {@code clock}; {@code user_id} from the codec's user attribute. */
    public static LiveReadApi of(HistoryStore store, Clock clock, LiveCodec codec) {
        return new LiveReadApi(store, clock, codec);
    }

    /**
     * Answers a GET of {@code path} (below the API prefix, without a leading slash, e.g. {@code deployments/42}).
     * Bad parameters are a 400 naming the value and what is expected; an unknown path or deployment a 404.
     */
    public Answer get(String path, Map<String, String> query) {
        try {
            if (path.equals("deployments")) {
                return ok(history(query));
            }
            if (path.startsWith("deployments/")) {
                return deployment(path.substring("deployments/".length()));
            }
            if (path.equals("rollback-target")) {
                return rollbackTarget(query);
            }
            if (path.equals("dashboard")) {
                return ok(dashboard());
            }
            return error(404, "no such resource '" + cut(path) + "': expected deployments, deployments/ID, "
                    + "rollback-target or dashboard");
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
    }

    private ObjectNode history(Map<String, String> q) {
        HistoryQuery query = HistoryQuery.all(limit(q.get("limit")));
        String project = q.get("project");
        if (project != null) {
            String[] p = project(project);
            query = HistoryQuery.project(p[0], p[1], query.limit());
        }
        if (q.get("environment") != null) {
            query = query.inEnvironment(q.get("environment"));
        }
        if (q.get("status") != null) {
            query = query.withStatus(DeploymentStatus.fromWord(q.get("status")));
        }
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode rows = o.putArray("deployments");
        store.list(query).forEach(d -> rows.add(row(d)));
        return o;
    }

    private Answer deployment(String idText) {
        if (!idText.matches("[0-9]{1,18}")) {
            return error(400, "deployment id '" + cut(idText) + "' is not usable: expected a positive whole number");
        }
        long id = Long.parseLong(idText);
        Deployment d = store.find(id).orElse(null);
        if (d == null) {
            return error(404, "deployment " + id + " is not in this history");
        }
        ObjectNode o = row(d);
        ArrayNode checks = o.putArray("checks");
        d.checks().forEach(c -> checks.add(MAPPER.valueToTree(DeploymentFields.ofCheck(c))));
        o.set("progress", MAPPER.valueToTree(ProgressFields.of(ProgressEstimator.of(store, clock).progress(d))));
        return ok(o);
    }

    private Answer rollbackTarget(Map<String, String> q) {
        String project = q.get("project");
        if (project == null) {
            throw new IllegalArgumentException("rollback-target needs project=OWNER/REPO (and environment, default "
                    + "production)");
        }
        String[] p = project(project);
        String env = q.getOrDefault("environment", "production");
        try {
            return ok(target(p[0], p[1], env));
        } catch (NoRollbackTargetException e) {
            return error(404, e.getMessage());
        }
    }

    private ObjectNode target(String owner, String repo, String env) {
        RollbackTarget t = DeploymentHistory.of(store, clock).rollbackTarget(owner, repo, env);
        ObjectNode o = MAPPER.createObjectNode().put("project", owner + "/" + repo).put("environment", env);
        o.set("current", row(t.current()));
        o.set("target", row(t.target()));
        ArrayNode skipped = o.putArray("skipped");
        t.skipped().forEach(s -> skipped.add(s.reason()));
        return o;
    }

    private ObjectNode dashboard() {
        ObjectNode o = MAPPER.createObjectNode().put("at", DeploymentFields.time(clock.instant()));
        ProgressEstimator estimator = ProgressEstimator.of(store, clock);
        ArrayNode inFlight = o.putArray("inFlight");
        for (Deployment d : store.list(HistoryQuery.all(DASHBOARD_IN_FLIGHT).withStatus(DeploymentStatus.RUNNING))) {
            Deployment full = d.checks().isEmpty() ? store.find(d.id()).orElse(d) : d;
            ObjectNode row = row(full);
            row.set("progress", MAPPER.valueToTree(ProgressFields.of(estimator.progress(full))));
            inFlight.add(row);
        }
        List<Deployment> recent = store.list(HistoryQuery.all(DASHBOARD_RECENT));
        ArrayNode history = o.putArray("recent");
        recent.forEach(d -> history.add(row(d)));
        Set<List<String>> places = new LinkedHashSet<>();
        recent.forEach(d -> places.add(List.of(d.owner(), d.repo(), d.environment())));
        ArrayNode targets = o.putArray("rollbackTargets");
        for (List<String> place : places) {
            try {
                targets.add(target(place.get(0), place.get(1), place.get(2)));
            } catch (NoRollbackTargetException e) {
                targets.add(MAPPER.createObjectNode().put("project", place.get(0) + "/" + place.get(1))
                        .put("environment", place.get(2)).putNull("current").putNull("target")
                        .put("reason", e.getMessage()));
            }
        }
        ArrayNode insights = o.putArray("insights");
        for (List<String> place : places) {
            insights.add(insights(place.get(0), place.get(1), place.get(2)));
        }
        return o;
    }

    /** The delivery panel: DORA's figures of one project and environment over {@value #INSIGHTS_DAYS} days. */
    private ObjectNode insights(String owner, String repo, String environment) {
        Insights i = DeploymentHistory.of(store, clock).insights(owner, repo, environment,
                Duration.ofDays(INSIGHTS_DAYS));
        ObjectNode o = MAPPER.createObjectNode().put("project", owner + "/" + repo).put("environment", environment)
                .put("days", INSIGHTS_DAYS).put("deployments", i.deployments()).put("rollbacks", i.rollbacks())
                .put("failedAttempts", i.failedAttempts())
                .put("perWeek", i.deploymentFrequency().perWeek())
                .put("frequencyLevel", word(i.deploymentFrequency().level()))
                .put("changeFailures", i.changeFailRate().failures());
        putOrNull(o, "changeFailRate", i.changeFailRate().ratio());
        o.put("changeFailLevel", word(i.changeFailRate().level()));
        putOrNull(o, "recoveryMedianSeconds", i.recoveryTime().medianSeconds());
        o.put("recoveryLevel", word(i.recoveryTime().level()));
        putOrNull(o, "reworkRate", i.reworkRate().ratio());
        return o;
    }

    private static String word(DoraLevel level) {
        return level == null ? null : level.word();
    }

    private static void putOrNull(ObjectNode o, String key, Double value) {
        if (value == null) {
            o.putNull(key);
        } else {
            o.put(key, value);
        }
    }

    private ObjectNode row(Deployment d) {
        ObjectNode o = MAPPER.valueToTree(DeploymentFields.of(d));
        o.put("project", d.project()).put("userId", codec.userOf(d));
        return o;
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_LIMIT) {
            throw new IllegalArgumentException("limit '" + cut(text) + "' is not usable: expected 1 to " + MAX_LIMIT);
        }
        return Integer.parseInt(text);
    }

    private static String[] project(String text) {
        String[] p = text.split("/", -1);
        if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) {
            throw new IllegalArgumentException("project '" + cut(text) + "' is not usable: expected OWNER/REPO such "
                    + "as acme/web");
        }
        return p;
    }

    private static Answer ok(ObjectNode o) {
        return new Answer(200, write(o));
    }

    private static Answer error(int status, String message) {
        return new Answer(status, write(MAPPER.createObjectNode().put("error", message)));
    }

    private static String cut(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static String write(ObjectNode o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a read-only answer could not be written", e);
        }
    }
}

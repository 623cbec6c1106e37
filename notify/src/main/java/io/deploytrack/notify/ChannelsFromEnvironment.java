package io.deploytrack.notify;

import io.deploytrack.core.DeploymentStatus;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Channels configured from environment variables (what the {@code deploytrack} command uses):
 *
 * <ul>
 *   <li>{@code DEPLOYTRACK_SLACK_WEBHOOK_URL}: a {@link SlackChannel}; {@code DEPLOYTRACK_SLACK_STARTED=true} adds start
 *       messages; {@code DEPLOYTRACK_SLACK_LANGUAGE=ko} uses {@link SlackTemplates#KOREAN}.</li>
 *   <li>{@code DEPLOYTRACK_WEBHOOK_URL} with {@code DEPLOYTRACK_WEBHOOK_SIGNING_SECRET} (the outgoing secret the events
 *       are signed with): a {@link WebhookChannel}. {@code DEPLOYTRACK_WEBHOOK_SECRET} is not read here: it is the
 *       incoming secret of a receiver ({@code deploytrack webhook serve}), which may run in the same shell.</li>
 *   <li>{@code DEPLOYTRACK_GITHUB_TOKEN}, with {@code DEPLOYTRACK_GITHUB_API_URL} (default the public API): a
 *       {@link GitHubChannel}.</li>
 *   <li>Filters for all of them: {@code DEPLOYTRACK_NOTIFY_STATUSES} (comma-separated: {@code started} or
 *       {@code running}, {@code success}, {@code failed}, {@code cancelled}, {@code timed_out}; Slack and the webhook),
 *       {@code DEPLOYTRACK_NOTIFY_PROJECTS} ({@code owner/repo,...}), {@code DEPLOYTRACK_NOTIFY_ENVIRONMENTS}.</li>
 * </ul>
 */
public final class ChannelsFromEnvironment {
    /** The variable holding the URL signed events are posted to. */
    public static final String WEBHOOK_URL = "DEPLOYTRACK_WEBHOOK_URL";
    /** The variable holding the outgoing secret those events are signed with. */
    public static final String WEBHOOK_SIGNING_SECRET = "DEPLOYTRACK_WEBHOOK_SIGNING_SECRET";
    /**
     * The receiver's incoming secret before it had a name of its own; it signed notifications too, so a shell
     * could not hold one secret without the other. Named here only to say so when a webhook channel lacks its secret.
     */
    private static final String RECEIVER_SECRET_FORMERLY = "DEPLOYTRACK_WEBHOOK_SECRET";

    private ChannelsFromEnvironment() {
    }

    /**
     * The channels the environment configures (none when no variable is set).
     *
     * @throws IllegalArgumentException naming the variable whose value is not usable and what is expected
     */
    public static List<NotificationChannel> channels(Map<String, String> env) {
        List<NotificationChannel> out = new ArrayList<>();
        NotificationFilter base = filter(env);
        String slack = get(env, "DEPLOYTRACK_SLACK_WEBHOOK_URL");
        if (slack != null) {
            String language = get(env, "DEPLOYTRACK_SLACK_LANGUAGE");
            SlackTemplates templates;
            if (language == null || language.equalsIgnoreCase("en")) {
                templates = SlackTemplates.ENGLISH;
            } else if (language.equalsIgnoreCase("ko")) {
                templates = SlackTemplates.KOREAN;
            } else {
                throw new IllegalArgumentException("DEPLOYTRACK_SLACK_LANGUAGE '" + language + "' is not usable: "
                        + "expected en or ko");
            }
            out.add(SlackChannel.builder(uri("DEPLOYTRACK_SLACK_WEBHOOK_URL", slack)).filter(base)
                    .startedMessages(flag(env, "DEPLOYTRACK_SLACK_STARTED")).templates(templates).build());
        }
        String webhook = get(env, WEBHOOK_URL);
        String secret = get(env, WEBHOOK_SIGNING_SECRET);
        if (webhook != null) {
            if (secret == null) {
                throw new IllegalArgumentException(WEBHOOK_URL + " is set but " + WEBHOOK_SIGNING_SECRET + " is not: "
                        + "set the shared secret the receiver verifies signatures with"
                        + (get(env, RECEIVER_SECRET_FORMERLY) != null ? " (" + RECEIVER_SECRET_FORMERLY + " no longer "
                        + "signs notifications: it is the incoming secret of 'webhook serve')" : ""));
            }
            NotificationFilter f = get(env, "DEPLOYTRACK_NOTIFY_STATUSES") == null
                    ? base.withStatus(DeploymentStatus.RUNNING) : base;
            out.add(WebhookChannel.builder(uri(WEBHOOK_URL, webhook), secret).filter(f).build());
        } else if (secret != null) {
            throw new IllegalArgumentException(WEBHOOK_SIGNING_SECRET + " is set but " + WEBHOOK_URL + " is not: "
                    + "set the URL to post signed events to");
        }
        String token = get(env, "DEPLOYTRACK_GITHUB_TOKEN");
        if (token != null) {
            GitHubChannel.Builder b = GitHubChannel.builder(token).filter(base);
            String api = get(env, "DEPLOYTRACK_GITHUB_API_URL");
            if (api != null) {
                b.apiUrl(uri("DEPLOYTRACK_GITHUB_API_URL", api));
            }
            out.add(b.build());
        }
        return out;
    }

    private static NotificationFilter filter(Map<String, String> env) {
        NotificationFilter f = NotificationFilter.ENDS;
        String statuses = get(env, "DEPLOYTRACK_NOTIFY_STATUSES");
        if (statuses != null) {
            Set<DeploymentStatus> set = EnumSet.noneOf(DeploymentStatus.class);
            for (String w : list(statuses)) {
                String word = w.toLowerCase(Locale.ROOT);
                if (word.equals("started")) {
                    word = "running";
                }
                try {
                    set.add(DeploymentStatus.fromWord(word));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("DEPLOYTRACK_NOTIFY_STATUSES has '" + w + "': expected a "
                            + "comma-separated list of started, success, failed, cancelled, timed_out");
                }
            }
            if (set.isEmpty()) {
                throw new IllegalArgumentException("DEPLOYTRACK_NOTIFY_STATUSES is empty: expected a comma-separated "
                        + "list of started, success, failed, cancelled, timed_out");
            }
            f = f.onlyStatuses(set);
        }
        String projects = get(env, "DEPLOYTRACK_NOTIFY_PROJECTS");
        if (projects != null) {
            try {
                f = f.onlyProjects(list(projects));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("DEPLOYTRACK_NOTIFY_PROJECTS: " + e.getMessage());
            }
        }
        String environments = get(env, "DEPLOYTRACK_NOTIFY_ENVIRONMENTS");
        if (environments != null) {
            f = f.onlyEnvironments(list(environments));
        }
        return f;
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }

    private static boolean flag(Map<String, String> env, String name) {
        String v = get(env, name);
        if (v == null || v.equalsIgnoreCase("false") || v.equals("0")) {
            return false;
        }
        if (v.equalsIgnoreCase("true") || v.equals("1")) {
            return true;
        }
        throw new IllegalArgumentException(name + " '" + v + "' is not usable: expected true or false");
    }

    private static URI uri(String name, String value) {
        try {
            URI u = URI.create(value.strip());
            if (u.getScheme() == null || u.getHost() == null
                    || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return u;
        } catch (IllegalArgumentException e) {
            // the value may be a secret (a Slack webhook URL): it is not repeated
            throw new IllegalArgumentException(name + " is not usable: expected an https://... URL");
        }
    }

    private static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}

package io.deploytrack.notify;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The texts of Slack messages, with placeholders: {@code {project}} (owner/repo), {@code {owner}}, {@code {repo}},
 * {@code {environment}}, {@code {sha}} (7 characters), {@code {status}}, {@code {duration}} ("45 s", "2 min 5 s";
 * Korean "45초", "2분 5초"), {@code {error}} (the error stage and message), {@code {reason}} (a mark's reason),
 * {@code {id}}. {@link #ENGLISH} is the default; {@link #KOREAN} is included; replace any text with the
 * {@code with...} methods.
 *
 * @param started         a deployment started (sent only when the channel wants start messages)
 * @param succeeded       a deployment succeeded
 * @param rolledBack      a rollback succeeded
 * @param failed          failed (the error stage and message in {@code {error}})
 * @param cancelled       cancelled
 * @param timedOut        timed out
 * @param rollbackPrefix  put before the failed, cancelled or timed-out text of a rollback
 * @param markedSuffix    put after the text of an end marked by hand ({@code {reason}})
 * @param korean          whether durations are written the Korean way
 */
public record SlackTemplates(String started, String succeeded, String rolledBack, String failed, String cancelled,
                             String timedOut, String rollbackPrefix, String markedSuffix, boolean korean) {

    /** English: "acme/web deployed to production in 45 s". */
    public static final SlackTemplates ENGLISH = new SlackTemplates(
            "{project}: deploying {sha} to {environment}",
            "{project} deployed to {environment} in {duration}",
            "{project} rolled back {environment} to {sha} in {duration}",
            "{project} deployment of {sha} to {environment} failed after {duration}: {error}",
            "{project} deployment of {sha} to {environment} was cancelled after {duration}",
            "{project} deployment of {sha} to {environment} timed out after {duration}: {error}",
            "Rollback: ",
            " (marked by hand: {reason})",
            false);

    /** Korean: "acme/web 배포 완료 (45초 소요)". */
    public static final SlackTemplates KOREAN = new SlackTemplates(
            "{project} {environment} 배포 시작 ({sha})",
            "{project} 배포 완료 ({duration} 소요)",
            "{project} {environment} 롤백 완료 ({sha}, {duration} 소요)",
            "{project} {environment} 배포 실패 ({duration} 경과): {error}",
            "{project} {environment} 배포 취소 ({duration} 경과)",
            "{project} {environment} 배포 시간 초과 ({duration} 경과): {error}",
            "롤백: ",
            " (수동 처리: {reason})",
            true);

    /** Checks that every text is given. */
    public SlackTemplates {
        for (String t : new String[]{started, succeeded, rolledBack, failed, cancelled, timedOut, rollbackPrefix,
                markedSuffix}) {
            Objects.requireNonNull(t, "every Slack template text is needed (use \"\" for an empty prefix or suffix)");
        }
    }

    /** These templates with another success text. */
    public SlackTemplates withSucceeded(String text) {
        return new SlackTemplates(started, text, rolledBack, failed, cancelled, timedOut, rollbackPrefix, markedSuffix, korean);
    }

    /** These templates with another failure text. */
    public SlackTemplates withFailed(String text) {
        return new SlackTemplates(started, succeeded, rolledBack, text, cancelled, timedOut, rollbackPrefix, markedSuffix, korean);
    }

    /** These templates with another start text. */
    public SlackTemplates withStarted(String text) {
        return new SlackTemplates(text, succeeded, rolledBack, failed, cancelled, timedOut, rollbackPrefix, markedSuffix, korean);
    }

    /** The text for a notification. */
    public String render(Notification n) {
        Deployment d = n.deployment();
        DeploymentStatus status = n.status();
        String text = switch (status) {
            case RUNNING -> started;
            case SUCCESS -> d.rollback() ? rolledBack : succeeded;
            case FAILED -> (d.rollback() ? rollbackPrefix : "") + failed;
            case CANCELLED -> (d.rollback() ? rollbackPrefix : "") + cancelled;
            case TIMED_OUT -> (d.rollback() ? rollbackPrefix : "") + timedOut;
        };
        if (n.isMarked()) {
            text += markedSuffix;
        }
        Duration took = d.startedAt() == null ? null
                : Duration.between(d.startedAt(), d.completedAt() != null && status != DeploymentStatus.RUNNING
                ? d.completedAt() : n.eventAt());
        String error = d.errorStage() == null && d.errorMessage() == null ? (korean ? "원인 미상" : "no error recorded")
                : d.errorStage() == null ? d.errorMessage()
                : d.errorMessage() == null ? d.errorStage() : d.errorStage() + ": " + d.errorMessage();
        Map<String, String> values = Map.of(
                "{project}", d.project(), "{owner}", d.owner(), "{repo}", d.repo(),
                "{environment}", d.environment(), "{sha}", d.shortSha(), "{status}", status.word(),
                "{duration}", took == null ? "?" : duration(took), "{error}", error,
                "{reason}", n.reason() == null ? "" : n.reason(), "{id}", String.valueOf(d.id()));
        String out = text;
        for (Map.Entry<String, String> v : values.entrySet()) {
            out = out.replace(v.getKey(), v.getValue());
        }
        return out;
    }

    /** "45 s", "2 min 5 s", "1 h 3 min" (Korean: "45초", "2분 5초", "1시간 3분"); whole seconds, rounded. */
    public String duration(Duration d) {
        long s = Math.max(0, Math.round(d.toMillis() / 1000.0));
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        if (korean) {
            return h > 0 ? h + "시간" + (m > 0 ? " " + m + "분" : "") : m > 0 ? m + "분" + (sec > 0 ? " " + sec + "초" : "")
                    : sec + "초";
        }
        return h > 0 ? h + " h" + (m > 0 ? " " + m + " min" : "") : m > 0 ? m + " min" + (sec > 0 ? " " + sec + " s" : "")
                : sec + " s";
    }
}

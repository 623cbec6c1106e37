package io.deploytrack.core;

import io.deploytrack.core.support.DeploymentFields;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link DeploymentProgress} as plain key/value maps, like {@link DeploymentFields}: for {@code show --json}, the
 * read-only JSON of {@code serve} and the Spring endpoint, so that all of them agree. Times are ISO-8601 UTC strings,
 * durations whole seconds.
 */
public final class ProgressFields {

    private ProgressFields() {
    }

    /**
     * {@code at, elapsedSeconds, stages}: each stage {@code name, status, phase, startedAt, completedAt,
     * elapsedSeconds, percent, expectedSeconds, expectedSamples, expectedBasis, overrunAfterSeconds, targetsDone,
     * targetsTotal, summary}, null where unknown.
     *
     * @param p the progress
     * @return its fields, in this order
     */
    public static Map<String, Object> of(DeploymentProgress p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("at", DeploymentFields.time(p.at()));
        o.put("elapsedSeconds", DeploymentFields.seconds(p.elapsed()));
        List<Map<String, Object>> stages = new ArrayList<>();
        p.stages().forEach(s -> stages.add(ofStage(s)));
        o.put("stages", stages);
        return o;
    }

    /**
     * One stage's fields, as {@link #of} lists them.
     *
     * @param s the stage
     * @return its fields
     */
    public static Map<String, Object> ofStage(StageProgress s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", s.name());
        o.put("status", s.status().word());
        o.put("phase", s.phase().word());
        o.put("startedAt", DeploymentFields.time(s.startedAt()));
        o.put("completedAt", DeploymentFields.time(s.completedAt()));
        o.put("elapsedSeconds", DeploymentFields.seconds(s.elapsed()));
        o.put("percent", s.percent());
        ExpectedDuration e = s.expected();
        o.put("expectedSeconds", e == null ? null : DeploymentFields.seconds(e.median()));
        o.put("expectedSamples", e == null ? null : e.samples());
        o.put("expectedBasis", e == null ? null : e.basis().word());
        o.put("overrunAfterSeconds", e == null ? null : DeploymentFields.seconds(e.likelyMax()));
        o.put("targetsDone", s.targets() == null ? null : s.targets().done());
        o.put("targetsTotal", s.targets() == null ? null : s.targets().total());
        o.put("summary", s.summary());
        return o;
    }
}

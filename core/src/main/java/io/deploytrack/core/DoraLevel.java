package io.deploytrack.core;

import java.util.Locale;

/**
 * The DORA performance level of one metric, by the software delivery performance clusters of DORA's 2024 Accelerate
 * State of DevOps report.
 *
 * <p>Sources relied on (the report itself, a PDF, was not among the sources searchable here):
 * <ul>
 *   <li>[A] the 2024 cluster table as republished in {@code data/benchmarks.json} of the Hugging Face space
 *       {@code rdlf/devops-metrics-interpreter} (https://fast.hugflare.com/spaces/rdlf/devops-metrics-interpreter):
 *       deployment frequency elite "on demand, multiple deploys per day (19 % of teams in 2024)", high "between once
 *       per day and once per week", medium "between once per week and once per month", low "between once per month
 *       and once every six months"; change lead time elite "less than one day", high "between one day and one week",
 *       medium "between one week and one month", low "between one month and six months"; change fail rate elite
 *       "5 %", high "20 %" (the excerpt found ends there);</li>
 *   <li>[B] https://gitintel.com/tools/devops-maturity-assessment, which says it summarises the 2024 report: time to
 *       restore elite "under 1 hour", high "under 1 day", medium "1 day to 1 week", low "over 1 week". Its change
 *       failure and lead time figures differ from [A] (it gives elite lead time "under 1 hour"), so [B] is used only
 *       for recovery time, where [A]'s excerpt says nothing.</li>
 * </ul>
 * Not found in any source searched: the 2024 medium and low change fail rates. deploytrack's placement there is its
 * own (stated at {@link #ofChangeFailRate}), not DORA's.
 *
 * <p>The clusters are typical values of groups of survey answers, not thresholds; each method below says how a
 * measured figure is placed, and where a boundary is deploytrack's own reading rather than a quoted value.
 */
public enum DoraLevel {
    /** The best cluster. */
    ELITE,
    /** The second. */
    HIGH,
    /** The third. */
    MEDIUM,
    /** The fourth. */
    LOW;

    private static final double DAY = 86_400;
    private static final double WEEK = 7 * DAY;
    /** DORA's "month": 30 days. */
    private static final double MONTH = 30 * DAY;

    /** The lowercase word used in JSON and pages: {@code elite}, {@code high}, {@code medium}, {@code low}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Deployment frequency, by [A]: more than one deployment per day on average is elite ("multiple deploys per
     * day"), at least one a week high ("between once per day and once per week"), at least one a month (30 days)
     * medium, fewer low ([A]'s low runs to once every six months; slower than that is still placed low).
     */
    public static DoraLevel ofDeploymentsPerDay(double perDay) {
        if (perDay > 1) {
            return ELITE;
        }
        if (perDay * 7 >= 1) {
            return HIGH;
        }
        return perDay * 30 >= 1 ? MEDIUM : LOW;
    }

    /**
     * Change lead time (median), by [A]: under a day elite, under a week high, under a month (30 days) medium, longer
     * low ([A]'s low ends at six months; longer is still placed low).
     */
    public static DoraLevel ofLeadTimeSeconds(double medianSeconds) {
        if (medianSeconds < DAY) {
            return ELITE;
        }
        if (medianSeconds < WEEK) {
            return HIGH;
        }
        return medianSeconds < MONTH ? MEDIUM : LOW;
    }

    /**
     * Change fail rate. [A] gives elite's typical rate as 5 % and high's as 20 %; deploytrack places up to 5 % elite
     * and up to 20 % high. Medium and low: no source found states the 2024 values, so the boundary at 40 % (medium up
     * to it, low above) is deploytrack's own choice, not a DORA threshold.
     */
    public static DoraLevel ofChangeFailRate(double ratio) {
        if (ratio <= 0.05) {
            return ELITE;
        }
        if (ratio <= 0.20) {
            return HIGH;
        }
        return ratio <= 0.40 ? MEDIUM : LOW;
    }

    /**
     * Failed deployment recovery time (median), by [B]: under an hour elite, under a day high, under a week medium
     * ("1 day to 1 week"), longer low ("over 1 week").
     */
    public static DoraLevel ofRecoverySeconds(double medianSeconds) {
        if (medianSeconds < 3600) {
            return ELITE;
        }
        if (medianSeconds < DAY) {
            return HIGH;
        }
        return medianSeconds < WEEK ? MEDIUM : LOW;
    }
}

package io.deploytrack.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Insights over one hand-made history, every figure worked out below by hand; one subclass per store (in-memory,
 * SQLite, PostgreSQL), so the three agree figure for figure.
 *
 * <p>The window is the four weeks {@code [2026-03-01T00:00Z, 2026-03-29T00:00Z)}; "d3 10:08" is day 3 of it at
 * 10:08 UTC. Project acme/web, environment production (times are deployedAt unless said otherwise):
 * <pre>
 *   P0  c0  success   2026-02-20 10:05   before the window: the previous deployment of D1
 *   D1  c1  success   d0 10:00 -> 10:10
 *   D2  c2  success   d1 10:00 -> 10:10  change failure: the first deployment after c1, which R1 restored
 *   D3  c3  success   d2 10:00 -> 10:10  built on D2's broken base: not a change failure
 *   R1  c1  rollback  d2 12:00 -> 12:05  goes back past D3 and D2 to D1; recovers D2 after 1 d 1 h 55 min = 93300 s
 *   F1  c4  failed    d3 09:00 -> 09:03  a failed attempt: never reached production
 *   D4  c4  success   d3 10:00 -> 10:08  the retry of F1's commit: not a change failure
 *   D5  c5  success   d8 10:00 -> 10:10  change failure: D6 replaced it as a fix
 *   D6  c6  fix       d8 11:00 -> 11:10  attribute fix=true, an hour after D5 (fix window 24 h): recovers D5, 3600 s
 *   D7  c7  success   d9 10:00 -> 10:10  change failure: R2 restored c6 (D6), D7 is the first after it
 *   X1  c6  rollback  d9 11:00 -> 11:02  failed: the rollback itself failed (a failed attempt, not a rollback)
 *   R2  c6  rollback  d9 11:30 -> 11:35  recovers D7 after 1 h 25 min = 5100 s
 *   D8  c8  success   d15 10:00 -> 10:10
 *   D9  c9  success   d22 10:00 -> 10:10
 *   X2  c10 cancelled d23 10:00 -> 10:01 ; X3 c10 timed_out d23 11:00 -> 11:05 ; X4 c11 running since d27 10:00
 * </pre>
 * Also in the store: acme/web staging (below) and acme/api production (one success, d5), which production ignores.
 */
public abstract class InsightsContract {

    /** The window's start. */
    protected static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    /** The window's end, and the clock's time. */
    protected static final Instant TO = FROM.plus(Duration.ofDays(28));
    private static final double EPS = 1e-9;

    protected HistoryStore store;
    private DeploymentHistory history;

    /** Opens an empty store of the kind under test. */
    protected abstract HistoryStore openStore(Clock clock);

    @BeforeEach
    void writeTheHistory() {
        Clock clock = Clock.fixed(TO, ZoneOffset.UTC);
        store = openStore(clock);
        history = DeploymentHistory.of(store, clock);
        write(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Day {@code day} of the window at {@code hh:mm} UTC. */
    protected static Instant at(int day, int hh, int mm) {
        return FROM.plus(Duration.ofDays(day)).plus(Duration.ofHours(hh)).plus(Duration.ofMinutes(mm));
    }

    /** The history in the class comment, written through the store's own create and update. */
    public static void write(HistoryStore s) {
        Instant p0 = Instant.parse("2026-02-20T10:00:00Z");
        row(s, "production", "c0", false, false, p0, DeploymentStatus.SUCCESS, p0.plusSeconds(300));
        row(s, "production", "c1", false, false, at(0, 10, 0), DeploymentStatus.SUCCESS, at(0, 10, 10));
        row(s, "production", "c2", false, false, at(1, 10, 0), DeploymentStatus.SUCCESS, at(1, 10, 10));
        row(s, "production", "c3", false, false, at(2, 10, 0), DeploymentStatus.SUCCESS, at(2, 10, 10));
        row(s, "production", "c1", true, false, at(2, 12, 0), DeploymentStatus.SUCCESS, at(2, 12, 5));
        row(s, "production", "c4", false, false, at(3, 9, 0), DeploymentStatus.FAILED, at(3, 9, 3));
        row(s, "production", "c4", false, false, at(3, 10, 0), DeploymentStatus.SUCCESS, at(3, 10, 8));
        row(s, "production", "c5", false, false, at(8, 10, 0), DeploymentStatus.SUCCESS, at(8, 10, 10));
        row(s, "production", "c6", false, true, at(8, 11, 0), DeploymentStatus.SUCCESS, at(8, 11, 10));
        row(s, "production", "c7", false, false, at(9, 10, 0), DeploymentStatus.SUCCESS, at(9, 10, 10));
        row(s, "production", "c6", true, false, at(9, 11, 0), DeploymentStatus.FAILED, at(9, 11, 2));
        row(s, "production", "c6", true, false, at(9, 11, 30), DeploymentStatus.SUCCESS, at(9, 11, 35));
        row(s, "production", "c8", false, false, at(15, 10, 0), DeploymentStatus.SUCCESS, at(15, 10, 10));
        row(s, "production", "c9", false, false, at(22, 10, 0), DeploymentStatus.SUCCESS, at(22, 10, 10));
        row(s, "production", "c10", false, false, at(23, 10, 0), DeploymentStatus.CANCELLED, at(23, 10, 1));
        row(s, "production", "c10", false, false, at(23, 11, 0), DeploymentStatus.TIMED_OUT, at(23, 11, 5));
        row(s, "production", "c11", false, false, at(27, 10, 0), DeploymentStatus.RUNNING, null);
        // staging: S1 c1 d0 09:05, S2 c2 d1 09:05, S3 c1 d1 12:05 with no rollback flag (Datadog's rule makes it one)
        row(s, "staging", "c1", false, false, at(0, 9, 0), DeploymentStatus.SUCCESS, at(0, 9, 5));
        row(s, "staging", "c2", false, false, at(1, 9, 0), DeploymentStatus.SUCCESS, at(1, 9, 5));
        row(s, "staging", "c1", false, false, at(1, 12, 0), DeploymentStatus.SUCCESS, at(1, 12, 5));
        // another project in production, which acme/web ignores
        Deployment api = draft("api", "production", "c1", false, false, at(5, 10, 0));
        finish(s, s.create(api, "t", Duration.ofMinutes(5)).deployment(), DeploymentStatus.SUCCESS, at(5, 10, 10));
    }

    private static void row(HistoryStore s, String env, String sha, boolean rollback, boolean fix, Instant started,
                            DeploymentStatus status, Instant ended) {
        Deployment d = s.create(draft("web", env, sha, rollback, fix, started), "t", Duration.ofMinutes(5)).deployment();
        if (status != DeploymentStatus.RUNNING) {
            finish(s, d, status, ended);
        }
    }

    private static Deployment draft(String repo, String env, String sha, boolean rollback, boolean fix, Instant started) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("image", "registry.local:5000/" + repo + ":" + sha);
        if (fix) {
            attributes.put(Insights.FIX_ATTRIBUTE, "true");
        }
        return new Deployment(0, "acme", repo, env, sha, rollback, null, null, DeploymentStatus.RUNNING, started,
                null, null, null, null, null, List.of(), attributes);
    }

    private static void finish(HistoryStore s, Deployment d, DeploymentStatus status, Instant ended) {
        assertThat(s.update(new DeploymentUpdate(d.id(), DeploymentStatus.RUNNING, status, null,
                status == DeploymentStatus.SUCCESS ? ended : null, ended, null, null, List.of(), List.of()))).isTrue();
    }

    /**
     * One linear git history: c0, c1a, c1, c2, c3a, c3b, c3, c4 ... c9, each commit's time below. A real
     * {@link CommitResolver} over it (the commits after {@code from} up to {@code to}; none backwards).
     */
    static final class LinearHistory implements CommitResolver {
        final Map<String, Instant> commits = new LinkedHashMap<>();
        final List<String> asked = new ArrayList<>();

        LinearHistory() {
            commits.put("c0", Instant.parse("2026-02-19T10:00:00Z"));
            commits.put("c1a", at(0, 6, 0));
            commits.put("c1", at(0, 9, 0));
            commits.put("c2", at(0, 22, 0));
            commits.put("c3a", at(1, 12, 0));
            commits.put("c3b", at(2, 8, 0));
            commits.put("c3", at(2, 9, 30));
            commits.put("c4", at(3, 8, 0));
            commits.put("c5", at(7, 10, 0));
            commits.put("c6", at(8, 10, 30));
            commits.put("c7", at(9, 9, 0));
            commits.put("c8", at(13, 10, 0));
            commits.put("c9", at(22, 9, 50));
        }

        @Override
        public List<Commit> commitsBetween(String owner, String repo, String fromSha, String toSha) {
            asked.add(fromSha + ".." + toSha);
            List<String> shas = new ArrayList<>(commits.keySet());
            int a = shas.indexOf(fromSha);
            int b = shas.indexOf(toSha);
            if (a < 0 || b < 0) {
                throw new CommitResolverException("unknown commit in " + fromSha + ".." + toSha);
            }
            List<Commit> out = new ArrayList<>();
            for (int i = a + 1; i <= b; i++) {
                out.add(new Commit(shas.get(i), commits.get(shas.get(i))));
            }
            return out;
        }
    }

    @Test
    void productionCountsEveryDeploymentRollbackAndFailedAttemptByTheRules() {
        Insights i = history.insights("acme", "web", "production", Duration.ofDays(28));
        assertThat(i.from()).isEqualTo(FROM);
        assertThat(i.to()).isEqualTo(TO);
        // deployments D1..D9; rollbacks R1, R2; failed attempts F1, X1 (the failed rollback), X2, X3 (X4 runs)
        assertThat(i.deployments()).isEqualTo(9);
        assertThat(i.rollbacks()).isEqualTo(2);
        assertThat(i.failedAttempts()).isEqualTo(4);
        // change failures D2 (R1), D5 (fixed by D6), D7 (R2): 3 / 9; 1/3 is above 20 %, up to 40 %: medium
        assertThat(i.changeFailRate().failures()).isEqualTo(3);
        assertThat(i.changeFailRate().deployments()).isEqualTo(9);
        assertThat(i.changeFailRate().ratio()).isCloseTo(3 / 9.0, within(EPS));
        assertThat(i.changeFailRate().level()).isEqualTo(DoraLevel.MEDIUM);
        // recoveries sorted 3600 (D5), 5100 (D7), 93300 (D2): median 5100; p90 at rank ceil(2.7) = 3: 93300; 5100 s
        // is over an hour, under a day: high
        assertThat(i.recoveryTime().count()).isEqualTo(3);
        assertThat(i.recoveryTime().medianSeconds()).isEqualTo(5100.0);
        assertThat(i.recoveryTime().p90Seconds()).isEqualTo(93300.0);
        assertThat(i.recoveryTime().level()).isEqualTo(DoraLevel.HIGH);
        // rework: rollbacks 2 + fix redeploys 1 (D6) over deployments 9 + rollbacks 2
        assertThat(i.reworkRate().reworks()).isEqualTo(3);
        assertThat(i.reworkRate().deployments()).isEqualTo(11);
        assertThat(i.reworkRate().ratio()).isCloseTo(3 / 11.0, within(EPS));
        assertThat(i.reworkRate().rollbacks()).isEqualTo(2);
        assertThat(i.reworkRate().fixRedeploys()).isEqualTo(1);
        // 9 deployments over 28 days: 9/28 a day, 9/4 = 2.25 a week, at least weekly: high
        Insights.DeploymentFrequency f = i.deploymentFrequency();
        assertThat(f.perDay()).isCloseTo(9 / 28.0, within(EPS));
        assertThat(f.perWeek()).isCloseTo(2.25, within(EPS));
        assertThat(f.level()).isEqualTo(DoraLevel.HIGH);
        // deployment days per week: week 0 {d0, d1, d2, d3} = 4, week 1 {d8, d9} = 2, week 2 {d15} = 1,
        // week 3 {d22} = 1; sorted 1, 1, 2, 4: median (1 + 2) / 2 = 1.5
        assertThat(f.weeks()).isEqualTo(4);
        assertThat(f.deploymentDaysPerWeekMedian()).isEqualTo(1.5);
        // gaps between deployments (rollbacks aside): the longest is D8 (d15 10:10) to D9 (d22 10:10), 7 days
        assertThat(f.longestGapSeconds()).isEqualTo(7 * 86_400L);
        // no resolver: lead time left out, never guessed
        assertThat(i.leadTime()).isNull();
    }

    @Test
    void leadTimeCountsEachCommitOnceAtTheFirstDeploymentThatCarriedIt() {
        LinearHistory git = new LinearHistory();
        Insights i = history.insights("acme", "web", "production", FROM, TO,
                InsightsSettings.defaults().withResolver(git));
        // carried: D1 c0..c1 = {c1a, c1}; D2 {c2}; D3 {c3a, c3b, c3}; D4 after R1 (c1): c1..c4 = {c2, c3a, c3b, c3, c4}
        // of which only c4 is new; D5 {c5}; D6 {c6}; D7 {c7}; D8 after R2 (c6): {c7, c8}, only c8 new; D9 {c9}: 12
        // commit -> deployedAt: c1a 15000, c1 4200, c2 43800, c3a 79800, c3b 7800, c3 2400, c4 7680, c5 87000,
        // c6 2400, c7 4200, c8 173400, c9 1200; sorted 1200 2400 2400 4200 4200 7680 7800 15000 43800 79800 87000
        // 173400: median (7680 + 7800) / 2 = 7740, p90 rank ceil(10.8) = 11: 87000; under a day: elite
        Insights.LeadTime lt = i.leadTime();
        assertThat(lt.count()).isEqualTo(12);
        assertThat(lt.medianSeconds()).isEqualTo(7740.0);
        assertThat(lt.p90Seconds()).isEqualTo(87000.0);
        assertThat(lt.level()).isEqualTo(DoraLevel.ELITE);
        // commit -> start: each of the above minus its deployment's duration (600 s, D4 480 s): sorted 600 1800 1800
        // 3600 3600 7200 7200 14400 43200 79200 86400 172800: median 7200
        assertThat(lt.commitToStartMedianSeconds()).isEqualTo(7200.0);
        // start -> deployedAt of the 9 deployments that carried commits: 480 and eight times 600: median 600
        assertThat(lt.deploymentsWithCommits()).isEqualTo(9);
        assertThat(lt.deployDurationMedianSeconds()).isEqualTo(600.0);
        // rollbacks ask nothing
        assertThat(git.asked).containsExactly("c0..c1", "c1..c2", "c2..c3", "c1..c4", "c4..c5", "c5..c6", "c6..c7",
                "c6..c8", "c8..c9");
    }

    @Test
    void stagingIsItsOwnTargetAndAnUnflaggedReturnToAnOlderCommitIsARollback() {
        Insights i = history.insights("acme", "web", "staging", FROM, TO,
                InsightsSettings.defaults().withResolver(new LinearHistory()));
        // S1, S2 deployments; S3 (c1 again, not the commit just before it) a rollback restoring S1: S2 failed
        assertThat(i.deployments()).isEqualTo(2);
        assertThat(i.rollbacks()).isEqualTo(1);
        assertThat(i.failedAttempts()).isZero();
        // 1 / 2 = 50 %: above 40 %, low
        assertThat(i.changeFailRate().failures()).isEqualTo(1);
        assertThat(i.changeFailRate().level()).isEqualTo(DoraLevel.LOW);
        // S2 d1 09:05 to S3 d1 12:05: 10800 s, under a day: high
        assertThat(i.recoveryTime().count()).isEqualTo(1);
        assertThat(i.recoveryTime().medianSeconds()).isEqualTo(10800.0);
        assertThat(i.recoveryTime().p90Seconds()).isEqualTo(10800.0);
        assertThat(i.recoveryTime().level()).isEqualTo(DoraLevel.HIGH);
        assertThat(i.reworkRate().reworks()).isEqualTo(1);
        assertThat(i.reworkRate().deployments()).isEqualTo(3);
        // 2 in 4 weeks: 0.5 a week, at least monthly: medium; days per week 2, 0, 0, 0: median 0; gap S1 -> S2 a day
        assertThat(i.deploymentFrequency().perWeek()).isCloseTo(0.5, within(EPS));
        assertThat(i.deploymentFrequency().level()).isEqualTo(DoraLevel.MEDIUM);
        assertThat(i.deploymentFrequency().deploymentDaysPerWeekMedian()).isEqualTo(0.0);
        assertThat(i.deploymentFrequency().longestGapSeconds()).isEqualTo(86_400L);
        // S1 is the target's first deployment: no lead time; S2 carries c2 (d0 22:00): 39900 s to d1 09:05,
        // 39600 s to its start, a 300 s deployment
        Insights.LeadTime lt = i.leadTime();
        assertThat(lt.count()).isEqualTo(1);
        assertThat(lt.medianSeconds()).isEqualTo(39900.0);
        assertThat(lt.commitToStartMedianSeconds()).isEqualTo(39600.0);
        assertThat(lt.deployDurationMedianSeconds()).isEqualTo(300.0);
    }

    @Test
    void aWindowSeesNothingAtOrAfterItsEnd() {
        // [d0, d2 12:05): D1, D2, D3 deployed; R1 (at d2 12:05) is outside, so nothing has failed yet
        Insights i = history.insights("acme", "web", "production", FROM, at(2, 12, 5), InsightsSettings.defaults());
        assertThat(i.deployments()).isEqualTo(3);
        assertThat(i.rollbacks()).isZero();
        assertThat(i.changeFailRate().failures()).isZero();
        assertThat(i.changeFailRate().level()).isEqualTo(DoraLevel.ELITE);
        assertThat(i.recoveryTime().count()).isZero();
        assertThat(i.recoveryTime().medianSeconds()).isNull();
        assertThat(i.recoveryTime().level()).isNull();
        // one more minute takes R1 in: D2 failed
        Insights later = history.insights("acme", "web", "production", FROM, at(2, 12, 6), InsightsSettings.defaults());
        assertThat(later.changeFailRate().failures()).isEqualTo(1);
        assertThat(later.rollbacks()).isEqualTo(1);
    }

    @Test
    void anEmptyTargetHasNoRatiosAndABadWindowIsRefused() {
        Insights none = history.insights("acme", "nothing", "production", Duration.ofDays(90));
        assertThat(none.deployments()).isZero();
        assertThat(none.changeFailRate().ratio()).isNull();
        assertThat(none.changeFailRate().level()).isNull();
        assertThat(none.reworkRate().ratio()).isNull();
        assertThat(none.deploymentFrequency().longestGapSeconds()).isNull();
        assertThatThrownBy(() -> history.insights("acme", "web", "production", Duration.ZERO))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> history.insights("acme", "web", "production", TO, FROM, InsightsSettings.defaults()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining(TO.toString());
    }
}

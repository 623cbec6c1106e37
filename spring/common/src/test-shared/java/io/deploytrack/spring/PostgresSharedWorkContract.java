package io.deploytrack.spring;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import javax.sql.DataSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application contexts with an embedded PostgreSQL as their DataSource share the work: each deployment is
 * followed and completed by exactly one of them, and when one context shuts down the other takes its running
 * deployments over at once (the leases were released). Real NCP emulator over HTTP; written once, run on each Boot
 * line.
 */
public abstract class PostgresSharedWorkContract {
    private static EmbeddedPostgres postgres;

    /** @return this line's deploytrack auto-configurations */
    protected abstract Class<?>[] autoConfigurations();

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off").start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Test
    void twoContextsOnOnePostgresShareTheWorkAndTakeOverOnShutdown() throws Exception {
        DataSource db = postgres.getPostgresDatabase();
        Map<Long, List<String>> completedBy = new ConcurrentHashMap<>();
        NcpScript quick = NcpScript.of(step("inprogress", Duration.ofMillis(500)), end("success"));
        NcpScript slow = NcpScript.of(step("inprogress", Duration.ofSeconds(2)), end("success"));
        try (NcpEmulator ncp = NcpEmulator.start()) {
            ncp.addScenario(21, 210, 2100);
            ApplicationContextRunner runner = new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(autoConfigurations()))
                    .withBean(DataSource.class, () -> db)
                    .withPropertyValues("deploytrack.discover-sources=false", "deploytrack.poll-interval=100ms",
                            "deploytrack.lease-duration=3s", "deploytrack.ncp.endpoint=" + ncp.baseUri(),
                            "deploytrack.ncp.access-key=" + ncp.accessKey(),
                            "deploytrack.ncp.secret-key=" + ncp.secretKey());
            runner.withPropertyValues("deploytrack.instance-id=a")
                    .withBean(DeploymentListener.class, () -> recorder("a", completedBy)).run(a -> {
                        assertThat(a.getBean(HistoryStore.class)).isInstanceOfSatisfying(JdbcHistoryStore.class,
                                s -> assertThat(s.databaseType()).isEqualTo("postgresql"));
                        runner.withPropertyValues("deploytrack.instance-id=b")
                                .withBean(DeploymentListener.class, () -> recorder("b", completedBy)).run(b -> {
                                    List<CompletableFuture<Deployment>> ends = new ArrayList<>();
                                    List<Long> fromA = new ArrayList<>();
                                    List<Long> fromB = new ArrayList<>();
                                    for (int i = 0; i < 3; i++) {
                                        fromA.add(track(a, ncp, quick, "a" + i, ends));
                                        fromB.add(track(b, ncp, quick, "b" + i, ends));
                                    }
                                    CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
                                            .get(60, TimeUnit.SECONDS);

                                    // Two more on a, which shuts down while they run: b takes them over.
                                    List<Long> handedOver = new ArrayList<>();
                                    List<CompletableFuture<Deployment>> late = new ArrayList<>();
                                    handedOver.add(track(a, ncp, slow, "late0", late));
                                    handedOver.add(track(a, ncp, slow, "late1", late));
                                    a.close();
                                    DeploymentTracker bTracker = b.getBean(DeploymentTracker.class);
                                    for (long id : handedOver) {
                                        assertThat(bTracker.awaitCompletion(id).get(60, TimeUnit.SECONDS).status())
                                                .isEqualTo(DeploymentStatus.SUCCESS);
                                    }

                                    awaitRecorded(completedBy, fromA);
                                    awaitRecorded(completedBy, fromB);
                                    fromA.forEach(id -> assertThat(completedBy.get(id)).as("#" + id)
                                            .containsExactly("a"));
                                    fromB.forEach(id -> assertThat(completedBy.get(id)).as("#" + id)
                                            .containsExactly("b"));
                                    awaitRecorded(completedBy, handedOver);
                                    handedOver.forEach(id -> assertThat(completedBy.get(id)).as("#" + id)
                                            .containsExactly("b"));
                                    assertThat(completedBy).hasSize(8);
                                });
                    });
        }
    }

    private static long track(ApplicationContext ctx, NcpEmulator ncp, NcpScript script, String repo,
                              List<CompletableFuture<Deployment>> ends) {
        long historyId = ncp.createHistory(21, 210, 2100, script);
        var h = ctx.getBean(DeploymentTracker.class).track(DeploymentRequest.builder("acme", repo, "abc1234").build(),
                NcpPollingSource.ref(21, historyId));
        ends.add(h.completion());
        return h.id();
    }

    /** onCompleted runs after the completion future; wait (bounded) until the listener recorded the ids. */
    private static void awaitRecorded(Map<Long, List<String>> completedBy, List<Long> ids) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ids.stream().allMatch(completedBy::containsKey) && System.nanoTime() < deadline) {
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)).get();
        }
    }

    private static DeploymentListener recorder(String instance, Map<Long, List<String>> completedBy) {
        return new DeploymentListener() {
            @Override
            public void onCompleted(Deployment d) {
                completedBy.computeIfAbsent(d.id(), id -> new CopyOnWriteArrayList<>()).add(instance);
            }
        };
    }
}

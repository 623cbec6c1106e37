package io.deploytrack.it;

import com.zaxxer.hikari.HikariDataSource;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentEvent;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.PostgresDatabase;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpDeployments;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.emulator.EmulatorRequest;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.RequestKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances of a host (three trackers, each with its own HikariCP pool, instance id, NCP client and threads)
 * share one PostgreSQL history and one NCP emulator; 300 deployments are spread over them, and one instance dies in
 * the middle without giving up its leases. Every deployment ends once with its script's status, {@code onCompleted}
 * fires once per deployment across the instances, no deployment is polled by two instances in one lease period, and
 * the dead instance's deployments are taken over once its leases expire.
 */
class SeveralInstancesOnPostgresTest {
    private static final int DEPLOYMENTS = 300;
    private static final long PROJECT = 41;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final List<String> NAMES = List.of("instance-a", "instance-b", "instance-c");

    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    private NcpEmulator ncp;
    private final List<Instance> instances = new ArrayList<>();
    /** Per deployment id, the instances whose onCompleted ran for it. */
    private final Map<Long, Queue<String>> notified = new ConcurrentHashMap<>();

    /** One replica of the host. */
    private final class Instance {
        final String id;
        final HikariDataSource pool;
        final KillableStore store;
        final KillableHttpClient http;
        final NcpPollingSource source;
        final ScheduledExecutorService scheduler;
        final ExecutorService workers;
        final DeploymentTracker tracker;

        Instance(String id) {
            this.id = id;
            this.pool = pg.hikari(id, 4);
            this.store = new KillableStore(JdbcHistoryStore.builder().dataSource(pool).build(), id);
            this.http = new KillableHttpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build());
            NcpClient client = NcpClient.builder().baseUri(ncp.baseUri()).httpClient(http)
                    .credentials(NcpCredentials.of(ncp.accessKey(), ncp.secretKey())).userAgent(Instances.userAgent(id))
                    .requestTimeout(Duration.ofSeconds(10)).build();
            // Detail calls only, so that the request log names the deployment of every poll.
            this.source = NcpPollingSource.builder(client).listBatching(false).build();
            this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon(id + "-scheduler"));
            this.workers = Executors.newFixedThreadPool(2, daemon(id + "-worker"));
            this.tracker = DeploymentTracker.builder(store).discoverSources(false).source(source).instanceId(id)
                    .scheduler(scheduler).executor(workers).pollInterval(POLL).leaseDuration(LEASE)
                    .defaultTimeout(Duration.ofSeconds(60)).maxBackoff(Duration.ofSeconds(1))
                    .listener(new DeploymentListener() {
                        @Override
                        public void onCompleted(Deployment d) {
                            if (store.beginNotification()) {
                                notified.computeIfAbsent(d.id(), k -> new ConcurrentLinkedQueue<>()).add(id);
                            }
                        }
                    })
                    .build();
        }

        /** Dies: no more store calls, listener calls, requests, ticks or worker tasks; its leases stay as they are. */
        void kill() {
            store.kill();
            http.kill();
            scheduler.shutdownNow();
            workers.shutdownNow();
        }

        void close() {
            tracker.close();
            scheduler.shutdownNow();
            workers.shutdownNow();
        }
    }

    @AfterEach
    void stopEverything() {
        instances.forEach(Instance::close);
        if (ncp != null) {
            ncp.close();
        }
    }

    @Test
    void threeInstancesShareTheWorkAndTakeOverFromOneThatDies() throws Exception {
        ncp = NcpEmulator.builder().credentials("ITINSTANCES0001", "it-instances-secret").start();
        Scripts.register(ncp, PROJECT);
        for (String name : NAMES) {
            instances.add(new Instance(name));
        }
        instances.forEach(i -> i.tracker.start());
        Instance a = instances.get(0);
        Instance c = instances.get(2);

        // Each deployment is requested with an approval step (NCP's "pending"), and all are approved once all are
        // recorded: the scripts then run together, so instance C dies with deployments in flight however long
        // recording 300 took on a loaded machine.
        List<CompletableFuture<DeploymentHandle>> started = new ArrayList<>();
        for (int i = 0; i < DEPLOYMENTS; i++) {
            Instance in = instances.get(i % instances.size());
            DeploymentRequest request = DeploymentRequest.builder("acme", "shop", String.format("%012x", 0x5e0000L + i))
                    .build();
            started.add(NcpDeployments.of(in.source, in.tracker).requestAndTrack(request, PROJECT, Scripts.stageId(PROJECT),
                    Scripts.scenarioId(PROJECT, Scripts.variantOf(i))));
        }
        List<DeploymentHandle> handles = recorded(started);
        List<Long> ids = handles.stream().map(DeploymentHandle::id).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(notified).as("deployments ended before their approval").isEmpty();
        for (DeploymentHandle h : handles) {
            ncp.approve(PROJECT, Scripts.historyId(h.deployment()));
        }

        // Instance C dies in the middle: some deployments have ended (some of them C's own: an instance polls the
        // checks of one project together, once per interval, so A and B may see forty ends before C's next poll),
        // most are in flight.
        Instances.await("40 deployments to end, one of them C's", Duration.ofSeconds(30), () -> notified.size() >= 40
                && notified.values().stream().anyMatch(q -> c.id.equals(q.peek())));
        c.kill();
        Instant killedAt = Instant.now();
        Map<Long, Instant> heldByC = leasesOf(c.id);
        assertThat(heldByC).as("running deployments the dead instance held").isNotEmpty();

        List<CompletableFuture<Deployment>> ends = ids.stream().map(a.tracker::awaitCompletion).toList();
        CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        HistoryChecks.Database raw = () -> pg.dataSource().getConnection();
        Instances.await("every deployment ended and notified, no lease left", Duration.ofSeconds(30),
                () -> HistoryChecks.unfinished(raw) == 0);
        Instant allDone = Instant.now();

        // Every deployment ended exactly once, with the status its script gives.
        try (JdbcHistoryStore reader = JdbcHistoryStore.builder().dataSource(pg.hikari("reader", 2)).build()) {
            HistoryChecks.endedOnceWithTheirScriptsStatus(reader, ncp, DEPLOYMENTS);

            // The dead instance's deployments were resumed by the others.
            Map<Long, Long> historyOf = new HashMap<>();
            HistoryChecks.rows(reader).forEach(d -> historyOf.put(d.id(), Scripts.historyId(d)));
            Instant firstTakeover = null;
            for (Map.Entry<Long, Instant> held : heldByC.entrySet()) {
                List<DeploymentEvent> resumed = reader.events(held.getKey()).stream()
                        .filter(e -> e.type().equals("resumed")).toList();
                assertThat(resumed).as("resumed events of %s", held.getKey()).isNotEmpty();
                assertThat(resumed.get(0).message()).doesNotContain(c.id);
                long historyId = historyOf.get(held.getKey());
                List<EmulatorRequest> byOthers = ncp.requestsFor(historyId).stream()
                        .filter(r -> r.kind() == RequestKind.DETAIL && !c.id.equals(Instances.instanceOf(r.userAgent())))
                        .toList();
                assertThat(byOthers).as("polls of history %s by the surviving instances", historyId).isNotEmpty();
                assertThat(byOthers).as("polls of history %s before the dead instance's lease (until %s) expired",
                        historyId, held.getValue()).allMatch(r -> !r.time().isBefore(held.getValue()));
                Instant first = byOthers.get(0).time();
                if (firstTakeover == null || first.isBefore(firstTakeover)) {
                    firstTakeover = first;
                }
            }
            // And the dead instance polled nothing once its first lease had expired (a request already handed to its
            // HTTP client may leave just after the kill, well inside its leases).
            Instant firstExpiry = heldByC.values().stream().min(Instant::compareTo).orElseThrow();
            List<EmulatorRequest> afterExpiry = ncp.requests().stream()
                    .filter(r -> c.id.equals(Instances.instanceOf(r.userAgent())))
                    .filter(r -> !r.time().isBefore(firstExpiry)).toList();
            assertThat(afterExpiry).as("requests of the dead instance after its leases expired").isEmpty();
            Instant lastOfC = ncp.requests().stream().filter(r -> c.id.equals(Instances.instanceOf(r.userAgent())))
                    .map(EmulatorRequest::time).max(Instant::compareTo).orElseThrow();

            // onCompleted ran exactly once per deployment, across the three instances.
            assertThat(notified.keySet()).as("deployments notified").containsExactlyInAnyOrderElementsOf(ids);
            Map<Long, List<String>> twice = notified.entrySet().stream().filter(e -> e.getValue().size() != 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
            assertThat(twice).as("deployments notified more than once").isEmpty();
            Map<String, Long> perInstance = notified.values().stream()
                    .collect(Collectors.groupingBy(Queue::peek, Collectors.counting()));
            assertThat(perInstance.keySet()).as("instances that notified").containsExactlyInAnyOrderElementsOf(NAMES);

            // No deployment polled by two instances within one lease period.
            HistoryChecks.Handovers handovers = HistoryChecks.handovers(ncp, LEASE, Set.copyOf(NAMES));
            assertThat(handovers.violations()).as("deployments polled by two instances in one lease period").isEmpty();
            assertThat(handovers.count()).as("handovers seen in the request log").isGreaterThan(0);

            System.out.printf("several instances: %d deployments, %d held by the dead instance; its last request %d ms "
                            + "after its death; first takeover poll %d ms after its death (lease %d ms), all done %d ms "
                            + "after it; notifications per instance %s; %d handovers, shortest gap %d ms; %d NCP requests "
                            + "(%d detail)%n", DEPLOYMENTS, heldByC.size(), Duration.between(killedAt, lastOfC).toMillis(),
                    Duration.between(killedAt, firstTakeover).toMillis(), LEASE.toMillis(),
                    Duration.between(killedAt, allDone).toMillis(), perInstance, handovers.count(),
                    handovers.minGap().toMillis(), ncp.requestCount(), ncp.detailCalls());
        }
    }

    /** Waits for every deployment to be started at NCP and recorded; says what the emulator saw if some were not. */
    private List<DeploymentHandle> recorded(List<CompletableFuture<DeploymentHandle>> started) throws InterruptedException {
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            long failed = started.stream().filter(f -> !f.isDone() || f.isCompletedExceptionally()).count();
            Map<Integer, Long> answers = ncp.requests(RequestKind.DEPLOY_REQUEST).stream()
                    .collect(Collectors.groupingBy(EmulatorRequest::responseStatus, Collectors.counting()));
            throw new AssertionError(failed + " of " + started.size() + " deployments were not started and recorded; "
                    + "the emulator answered the deploy requests it received with " + answers, e);
        }
        return started.stream().map(CompletableFuture::join).toList();
    }

    /** The running rows an instance holds, with when each lease expires (PostgreSQL's clock). */
    private Map<Long, Instant> leasesOf(String owner) throws SQLException {
        Map<Long, Instant> out = new HashMap<>();
        try (Connection conn = pg.dataSource().getConnection();
             PreparedStatement ps = conn.prepareStatement("SELECT id, lease_until FROM deployment_histories "
                     + "WHERE lease_owner = ? AND status = 'running'")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant());
                }
            }
        }
        return out;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

package io.deploytrack.spring;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.InMemoryHistoryStore;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.Observation;
import io.deploytrack.core.testkit.ScriptedPollingSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.kubernetes.KubernetesWatchingSource;
import io.deploytrack.live.LiveHub;
import io.deploytrack.micrometer.DeploytrackMeterNames;
import io.deploytrack.micrometer.DeploytrackMicrometer;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.ncp.emulator.NcpEmulator;
import io.deploytrack.ncp.emulator.NcpScript;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.deploytrack.ncp.emulator.NcpScript.end;
import static io.deploytrack.ncp.emulator.NcpScript.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every condition of the auto-configuration, written once and run on each Boot line (each starter's test folder
 * compiles it against its own Spring Boot; a subclass names the line's auto-configurations and reads its health
 * indicator). Real SQLite files, a real NCP emulator over HTTP, real trackers.
 */
public abstract class AutoConfigurationContract {
    private static final String SECRET = "s3cr3t-NCP-secret-key-value";
    private static final String ACCESS = "AKIA-NCP-access-key-value";

    @TempDir
    Path dir;

    /** @return this line's deploytrack auto-configurations */
    protected abstract Class<?>[] autoConfigurations();

    /** @return the status code of the {@code deploytrack} health indicator and its details */
    protected abstract Map.Entry<String, Map<String, Object>> health(ApplicationContext context);

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(autoConfigurations()))
                .withPropertyValues("deploytrack.store.sqlite-path=" + dir.resolve("deploytrack.db"),
                        "deploytrack.discover-sources=false", "deploytrack.poll-interval=50ms",
                        "deploytrack.poll-jitter=0", "deploytrack.instance-id=runner", "test.dir=" + dir);
    }

    private WebApplicationContextRunner webRunner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(autoConfigurations()))
                .withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
                        ConfigurationPropertiesReportEndpointAutoConfiguration.class))
                .withPropertyValues("deploytrack.store.sqlite-path=" + dir.resolve("deploytrack.db"),
                        "deploytrack.discover-sources=false", "deploytrack.poll-interval=50ms",
                        "deploytrack.poll-jitter=0",
                        "management.endpoints.web.exposure.include=deployments,configprops,health");
    }

    private static ScriptedPollingSource succeeding(String id) {
        ScriptedPollingSource s = ScriptedPollingSource.of();
        s.script(s.ref(id), Observation.inProgress("inprogress"), Observation.succeeded("success"));
        return s;
    }

    private static DeploymentRequest request(String repo) {
        return DeploymentRequest.builder("acme", repo, "3f2c1a9").environment("staging").build();
    }

    private static Deployment trackToTheEnd(ApplicationContext ctx, String ref) throws Exception {
        ScriptedPollingSource source = ctx.getBean(ScriptedPollingSource.class);
        DeploymentHandle h = ctx.getBean(DeploymentTracker.class).track(request("web"), source.ref(ref));
        return h.completion().get(30, TimeUnit.SECONDS);
    }

    private static boolean lifecycleRunning(ApplicationContext ctx) {
        return ctx.getBean("deploytrackLifecycle", SmartLifecycle.class).isRunning();
    }

    @Test
    void withoutADataSourceTheHistoryIsASqliteFileAndTheTrackerRuns() throws Exception {
        runner().withBean(ScriptedPollingSource.class, () -> succeeding("a")).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(DeploymentTracker.class).hasSingleBean(HistoryStore.class);
            assertThat(ctx.getBean(HistoryStore.class)).isInstanceOfSatisfying(JdbcHistoryStore.class,
                    s -> assertThat(s.databaseType()).isEqualTo("sqlite"));
            assertThat(dir.resolve("deploytrack.db")).exists();
            assertThat(lifecycleRunning(ctx)).isTrue();
            assertThat(trackToTheEnd(ctx, "a").status()).isEqualTo(DeploymentStatus.SUCCESS);
        });
    }

    @Test
    void theApplicationsDataSourceIsUsedWhenThereIsOne() throws Exception {
        SQLiteDataSource app = sqlite(dir.resolve("app.db"));
        runner().withBean(DataSource.class, () -> app).withBean(ScriptedPollingSource.class, () -> succeeding("a"))
                .run(ctx -> {
                    long id = trackToTheEnd(ctx, "a").id();
                    assertThat(dir.resolve("deploytrack.db")).doesNotExist();
                    try (JdbcHistoryStore reader = JdbcHistoryStore.sqlite(dir.resolve("app.db"))) {
                        assertThat(reader.find(id)).get().extracting(Deployment::status)
                                .isEqualTo(DeploymentStatus.SUCCESS);
                    }
                });
    }

    @Test
    void theDeploytrackDataSourceWinsOverThePrimaryOne() throws Exception {
        runner().withUserConfiguration(TwoDataSources.class)
                .withBean(ScriptedPollingSource.class, () -> succeeding("a")).run(ctx -> {
                    long id = trackToTheEnd(ctx, "a").id();
                    try (JdbcHistoryStore reader = JdbcHistoryStore.sqlite(dir.resolve("history.db"))) {
                        assertThat(reader.find(id)).isPresent();
                    }
                    assertThat(dir.resolve("app.db")).doesNotExist();
                });
    }

    @Test
    void anApplicationsBeanReplacesOurs() throws Exception {
        InMemoryHistoryStore mine = InMemoryHistoryStore.of();
        runner().withBean(HistoryStore.class, () -> mine).withBean(ScriptedPollingSource.class, () -> succeeding("a"))
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(HistoryStore.class);
                    assertThat(ctx.getBean(HistoryStore.class)).isSameAs(mine);
                    long id = trackToTheEnd(ctx, "a").id();
                    assertThat(mine.find(id)).isPresent();
                    assertThat(dir.resolve("deploytrack.db")).doesNotExist();
                });
    }

    @Test
    void liveProgressInAServletWebApplicationUnlessSwitchedOffAndThePageOnlyWithAPath() {
        webRunner().run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(LiveHub.class)
                .hasBean("deploytrackLiveSse").doesNotHaveBean("deploytrackLivePage"));
        webRunner().withPropertyValues("deploytrack.live.page-path=/live").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasBean("deploytrackLivePage");
            assertThat(ctx.getBean(DeploytrackProperties.class).getLive().getPagePath()).isEqualTo("/live/");
        });
        webRunner().withPropertyValues("deploytrack.live.enabled=false").run(ctx -> assertThat(ctx).hasNotFailed()
                .hasSingleBean(DeploymentTracker.class).doesNotHaveBean(LiveHub.class)
                .doesNotHaveBean("deploytrackLiveSse"));
        runner().run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(DeploymentTracker.class)
                .doesNotHaveBean(LiveHub.class));
        webRunner().withPropertyValues("deploytrack.live.sse-path=events").run(ctx -> assertThat(ctx).hasFailed()
                .getFailure().rootCause().hasMessageContaining("deploytrack.live.sse-path 'events' is not usable"));
    }

    @Test
    void disabledMeansNoBeansAtAll() {
        runner().withPropertyValues("deploytrack.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean(DeploymentTracker.class).doesNotHaveBean(HistoryStore.class)
                    .doesNotHaveBean(DeploytrackHealth.class);
            assertThat(dir.resolve("deploytrack.db")).doesNotExist();
        });
    }

    @Test
    void listenersSourcesAndCustomizersAreWiredIn() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        DeploymentListener listener = new DeploymentListener() {
            @Override
            public void onStarted(Deployment d) {
                seen.add("started " + d.id());
            }

            @Override
            public void onCompleted(Deployment d) {
                seen.add("completed " + d.id() + " " + d.status().word());
            }
        };
        runner().withBean(DeploymentListener.class, () -> listener)
                .withBean(ScriptedPollingSource.class, () -> succeeding("a"))
                .withBean(DeploytrackCustomizer.class, () -> b -> b.instanceId("from-the-customizer"))
                .run(ctx -> {
                    assertThat(ctx.getBean(DeploymentTracker.class).instanceId()).isEqualTo("from-the-customizer");
                    long id = trackToTheEnd(ctx, "a").id();
                    assertThat(seen).startsWith("started " + id).contains("completed " + id + " success");
                });
    }

    @Test
    void serviceLoaderSourcesAreWiredInUnlessSwitchedOff() {
        CheckRef ref = CheckRef.of("discovered", "id", "1");
        runner().withPropertyValues("deploytrack.discover-sources=true").run(ctx -> assertThat(ctx
                .getBean(DeploymentTracker.class).track(request("web"), ref).completion().get(30, TimeUnit.SECONDS)
                .status()).isEqualTo(DeploymentStatus.SUCCESS));
        runner().run(ctx -> assertThatThrownBy(() -> ctx.getBean(DeploymentTracker.class).track(request("web"), ref))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("discovered"));
    }

    @Test
    void ncpPropertiesBindAndTheSourceFollowsTheEmulator() throws Exception {
        try (NcpEmulator ncp = NcpEmulator.start()) {
            long historyId = ncp.createHistory(7, NcpScript.of(step("inprogress", Duration.ofMillis(200)),
                    end("success")));
            runner().withPropertyValues("deploytrack.ncp.endpoint=" + ncp.baseUri(),
                    "deploytrack.ncp.access-key=" + ncp.accessKey(), "deploytrack.ncp.secret-key=" + ncp.secretKey(),
                    "deploytrack.ncp.request-timeout=5s").run(ctx -> {
                        NcpPollingSource source = ctx.getBean(NcpPollingSource.class);
                        assertThat(source.client().endpoint().baseUri()).isEqualTo(ncp.baseUri());
                        Deployment done = ctx.getBean(DeploymentTracker.class)
                                .track(request("web"), NcpPollingSource.ref(7, historyId))
                                .completion().get(30, TimeUnit.SECONDS);
                        assertThat(done.status()).isEqualTo(DeploymentStatus.SUCCESS);
                        assertThat(ncp.requestsFor(historyId)).isNotEmpty();
                    });
        }
        runner().run(ctx -> assertThat(ctx).doesNotHaveBean(NcpPollingSource.class));
        runner().withPropertyValues("deploytrack.ncp.access-key=" + ACCESS).run(ctx -> assertThat(ctx).hasFailed()
                .getFailure().hasStackTraceContaining("deploytrack.ncp.secret-key is not set"));
    }

    @Test
    void ncpKeysAreMaskedInConfigpropsEvenWhenValuesAreShown() {
        webRunner().withPropertyValues("management.endpoint.configprops.show-values=always",
                "deploytrack.ncp.endpoint=http://127.0.0.1:9", "deploytrack.ncp.access-key=" + ACCESS,
                "deploytrack.ncp.secret-key=" + SECRET).run(ctx -> {
                    ConfigurationPropertiesReportEndpoint endpoint =
                            ctx.getBean(ConfigurationPropertiesReportEndpoint.class);
                    Map<String, Object> props = endpoint.configurationProperties().getContexts().values().iterator()
                            .next().getBeans().get("deploytrack-" + DeploytrackProperties.class.getName())
                            .getProperties();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> ncp = (Map<String, Object>) props.get("ncp");
                    assertThat(ncp).containsEntry("endpoint", "http://127.0.0.1:9")
                            .containsEntry("secretKey", "******").containsEntry("accessKey", "******");
                    assertThat(props.toString()).doesNotContain(SECRET).doesNotContain(ACCESS);
                    assertThat(ctx.getBean(DeploytrackProperties.class).toString()).doesNotContain(SECRET)
                            .doesNotContain(ACCESS);
                    assertThat(ctx.getBean(NcpPollingSource.class).toString()).doesNotContain(SECRET);
                });
    }

    @Test
    void theEndpointAndTheHealthIndicatorReportWhatTheTrackerDid() throws Exception {
        webRunner().withBean(ScriptedPollingSource.class, () -> {
            ScriptedPollingSource s = succeeding("a");
            s.script(s.ref("b"), Observation.inProgress("inprogress"));
            return s;
        }).run(ctx -> {
            DeploymentsEndpoint endpoint = ctx.getBean(DeploymentsEndpoint.class);
            long done = trackToTheEnd(ctx, "a").id();
            ScriptedPollingSource source = ctx.getBean(ScriptedPollingSource.class);
            long running = ctx.getBean(DeploymentTracker.class).track(request("api"), source.ref("b")).id();

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> page = (List<Map<String, Object>>) endpoint
                    .history("acme/web", "staging", "success", 10).get("deployments");
            assertThat(page).singleElement().satisfies(d -> assertThat(d).containsEntry("id", done)
                    .containsEntry("status", "success").containsKeys("commitSha", "totalDurationSeconds"));
            Map<String, Object> detail = endpoint.deployment(done).getBody();
            assertThat(detail).containsKeys("checks", "events");
            assertThat(endpoint.deployment(999_999).getStatus()).isEqualTo(404);
            assertThat(endpoint.deployment(999_999).getBody()).containsEntry("error",
                    "no deployment 999999: list them at /actuator/deployments");
            // one success: no target, and the answer says why
            assertThat(endpoint.rollbackTarget("acme", "web", "staging").getStatus()).isEqualTo(404);
            assertThat(endpoint.rollbackTarget("acme", "web", "staging").getBody()).containsKey("error");

            Map<String, Object> marked = endpoint.mark(running, "cancelled", "alice: superseded by a hotfix", null);
            assertThat(marked).containsEntry("status", "cancelled");
            assertThatThrownBy(() -> endpoint.mark(running, "success", "bob: it worked after all", null))
                    .hasMessageContaining("cancelled"); // a cancelled deployment stays cancelled
            assertThatThrownBy(() -> endpoint.mark(999_999, "cancelled", "bob", null))
                    .hasMessageContaining("no deployment 999999");

            Map.Entry<String, Map<String, Object>> up = health(ctx);
            assertThat(up.getKey()).isEqualTo("UP");
            assertThat(up.getValue()).containsEntry("stale", 0).containsKey("instanceId")
                    .containsEntry("pollIntervalSeconds", 0.05).containsEntry("runningCapped", false); // the tracker's settings, as bound from properties

            ctx.getBean(HistoryStore.class).close(); // the store becomes unreachable
            Map.Entry<String, Map<String, Object>> down = health(ctx);
            assertThat(down.getKey()).isEqualTo("DOWN");
            assertThat(down.getValue().get("reason").toString()).contains("cannot be read");
        });
        runner().run(ctx -> assertThat(ctx).doesNotHaveBean(DeploymentsEndpoint.class));
    }

    @Test
    void metricsWhenAMeterRegistryExistsObservationsWhenAnObservationRegistryExists() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        runner().withBean(SimpleMeterRegistry.class, () -> meters)
                .withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withBean(ScriptedPollingSource.class, () -> succeeding("a")).run(ctx -> {
                    assertThat(ctx.getBean(DeploytrackMicrometer.class).toString())
                            .contains("metrics=true", "observations=true");
                    trackToTheEnd(ctx, "a");
                    assertThat(meters.get(DeploytrackMeterNames.DEPLOYMENTS_COMPLETED)
                            .tags("source", "scripted-poll", "environment", "staging", "status", "success")
                            .counter().count()).isEqualTo(1.0);
                    assertThat(meters.get(DeploytrackMeterNames.STORE_OPERATIONS).tag("operation", "create").timer()
                            .count()).isEqualTo(1);
                });
        runner().run(ctx -> assertThat(ctx.getBean(DeploytrackMicrometer.class).toString())
                .contains("metrics=false", "observations=false"));
    }

    @Test
    void kubernetesRolloutsWhenAClientBeanExistsUnlessSwitchedOff() {
        // One client for both contexts: building a fabric8 client is the slow part, and the source never calls it here.
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:9").withNamespace("default").build()).build()) {
            runner().withBean(KubernetesClient.class, () -> client, bd -> bd.setDestroyMethodName(""))
                    .run(ctx -> assertThat(ctx).hasSingleBean(KubernetesWatchingSource.class));
            runner().withBean(KubernetesClient.class, () -> client, bd -> bd.setDestroyMethodName(""))
                    .withPropertyValues("deploytrack.kubernetes.enabled=false")
                    .run(ctx -> assertThat(ctx).doesNotHaveBean(KubernetesWatchingSource.class));
        }
        runner().run(ctx -> assertThat(ctx).doesNotHaveBean(KubernetesWatchingSource.class));
    }

    @Test
    void closingTheContextReleasesTheLeasesSoTheNextContextClaimsAtOnce() {
        ScriptedPollingSource forever = ScriptedPollingSource.of();
        forever.script(forever.ref("x"), Observation.inProgress("inprogress"));
        long[] id = new long[1];
        runner().withBean(ScriptedPollingSource.class, () -> forever).withPropertyValues("deploytrack.instance-id=one",
                "deploytrack.lease-duration=10m").run(ctx -> {
                    id[0] = ctx.getBean(DeploymentTracker.class).track(request("web"), forever.ref("x")).id();
                    assertThat(ctx.getBean(HistoryStore.class).lease(id[0])).get()
                            .satisfies(l -> assertThat(l.owner()).isEqualTo("one"));
                });
        try (JdbcHistoryStore reader = JdbcHistoryStore.sqlite(dir.resolve("deploytrack.db"))) {
            assertThat(reader.lease(id[0]).map(l -> l.owner())).as("lease after the context closed").isEmpty();
        }
        runner().withBean(ScriptedPollingSource.class, () -> forever).withPropertyValues("deploytrack.instance-id=two",
                "deploytrack.lease-duration=10m").run(ctx -> {
                    // Claimed by start() itself: no waiting for the ten-minute lease of the first context.
                    assertThat(ctx.getBean(DeploymentTracker.class).inFlight()).isEqualTo(1);
                    assertThat(ctx.getBean(HistoryStore.class).lease(id[0])).get()
                            .satisfies(l -> assertThat(l.owner()).isEqualTo("two"));
                });
    }

    private static SQLiteDataSource sqlite(Path file) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    /** The application's primary DataSource and another one marked for deploytrack. */
    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {
        @Bean
        @Primary
        DataSource applicationDataSource(@Value("${test.dir}") String dir) {
            return sqlite(Path.of(dir, "app.db"));
        }

        @Bean
        @DeploytrackDataSource
        DataSource historyDataSource(@Value("${test.dir}") String dir) {
            return sqlite(Path.of(dir, "history.db"));
        }
    }
}

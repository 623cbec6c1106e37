package io.deploytrack.spring.autoconfigure;

import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.StatusSource;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.micrometer.DeploytrackMicrometer;
import io.deploytrack.spring.DeploytrackCustomizer;
import io.deploytrack.spring.DeploytrackDataSource;
import io.deploytrack.spring.DeploytrackProperties;
import io.deploytrack.spring.internal.TrackerLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The beans both starters define, each {@code @ConditionalOnMissingBean}: the history store, the tracker (with every
 * {@link StatusSource} and {@link DeploymentListener} bean, the ServiceLoader sources and the
 * {@link DeploytrackCustomizer} beans), its lifecycle, and the Micrometer binding. Imported by each starter's
 * {@code @AutoConfiguration}; not meant to be imported by applications.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeploytrackProperties.class)
@Import({DeploytrackSourcesConfiguration.Ncp.class, DeploytrackSourcesConfiguration.Kubernetes.class})
public class DeploytrackConfiguration {
    private static final Logger log = LoggerFactory.getLogger(DeploytrackConfiguration.class);

    /** Created by Spring. */
    public DeploytrackConfiguration() {
    }

    /**
     * The history store: the {@link DeploytrackDataSource} DataSource, else the application's only (or primary)
     * DataSource, else the SQLite file {@code deploytrack.store.sqlite-path}. Migrated when it opens, after the
     * application's own database initialization (Flyway, Liquibase, SQL scripts).
     *
     * @param properties the settings
     * @param qualified  the DataSource marked for deploytrack
     * @param any        the application's DataSources
     * @return the store
     */
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public HistoryStore deploytrackHistoryStore(DeploytrackProperties properties,
                                                @DeploytrackDataSource ObjectProvider<DataSource> qualified,
                                                ObjectProvider<DataSource> any) {
        DataSource dataSource = null;
        if (properties.getStore().isUseDataSource()) {
            dataSource = qualified.getIfAvailable();
            if (dataSource == null) {
                dataSource = any.getIfUnique();
            }
        }
        if (dataSource != null) {
            JdbcHistoryStore store = JdbcHistoryStore.builder().dataSource(dataSource).build();
            log.info("deploytrack_store_opened database={} source=data_source", store.databaseType());
            return store;
        }
        Path file = properties.getStore().getSqlitePath().toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("deploytrack.store.sqlite-path " + file + " is not usable: its folder "
                    + "cannot be created (" + e.getMessage() + "); point it at a writable folder", e);
        }
        log.info("deploytrack_store_opened database=sqlite path={}", file);
        return JdbcHistoryStore.sqlite(file);
    }

    /**
     * Micrometer metrics when a {@link MeterRegistry} exists, observations when an {@link ObservationRegistry}
     * exists (each can be switched off with {@code deploytrack.metrics.*}).
     *
     * @param properties    the settings
     * @param meters        the application's meter registry, if any
     * @param observations  the application's observation registry, if any
     * @return the binding
     */
    @Bean
    @ConditionalOnMissingBean
    public DeploytrackMicrometer deploytrackMicrometer(DeploytrackProperties properties,
                                                       ObjectProvider<MeterRegistry> meters,
                                                       ObjectProvider<ObservationRegistry> observations) {
        DeploytrackMicrometer.Builder b = DeploytrackMicrometer.builder()
                .percentileHistogram(properties.getMetrics().isPercentileHistogram());
        MeterRegistry registry = properties.getMetrics().isEnabled() ? meters.getIfAvailable() : null;
        if (registry != null) {
            b.meterRegistry(registry);
        }
        ObservationRegistry observationRegistry = properties.getMetrics().isObservations()
                ? observations.getIfAvailable() : null;
        if (observationRegistry != null) {
            b.observationRegistry(observationRegistry);
        }
        return b.build();
    }

    /**
     * The tracker, built but not started ({@link TrackerLifecycle} starts it once the context is ready).
     *
     * @param store       the store
     * @param properties  the settings
     * @param sources     every status source bean
     * @param listeners   every listener bean
     * @param customizers every customizer bean, in order
     * @param micrometer  the Micrometer binding
     * @return the tracker
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public DeploymentTracker deploytrackTracker(HistoryStore store, DeploytrackProperties properties,
                                                ObjectProvider<StatusSource> sources,
                                                ObjectProvider<DeploymentListener> listeners,
                                                ObjectProvider<DeploytrackCustomizer> customizers,
                                                DeploytrackMicrometer micrometer) {
        DeploymentTracker.Builder b = DeploymentTracker.builder(micrometer.instrument(store))
                .pollInterval(properties.getPollInterval())
                .pollJitter(properties.getPollJitter())
                .defaultTimeout(properties.getDefaultTimeout())
                .defaultApprovalTimeout(properties.getApprovalTimeout())
                .leaseDuration(properties.getLeaseDuration())
                .maxBackoff(properties.getMaxBackoff())
                .notFoundRetries(properties.getNotFoundRetries())
                .claimBatch(properties.getClaimBatch())
                // Discovered here rather than by the builder, so that they are instrumented like the beans.
                .discoverSources(false);
        if (properties.getInstanceId() != null && !properties.getInstanceId().isBlank()) {
            b.instanceId(properties.getInstanceId());
        }
        Map<String, StatusSource> all = new LinkedHashMap<>();
        if (properties.isDiscoverSources()) {
            discovered().forEach(s -> all.put(s.type(), s));
        }
        sources.orderedStream().forEach(s -> all.put(s.type(), s)); // a bean replaces a discovered source
        all.values().forEach(s -> b.source(micrometer.instrument(s)));
        listeners.orderedStream().forEach(b::listener);
        b.listener(micrometer.listener());
        customizers.orderedStream().forEach(c -> c.customize(b));
        DeploymentTracker tracker = b.build();
        log.info("deploytrack_tracker_configured sources={} settings={}", all.keySet(), tracker.settings());
        return tracker;
    }

    /**
     * Starts the tracker with the context and closes it (releasing its leases) on shutdown.
     *
     * @param tracker the tracker
     * @return the lifecycle (a {@link SmartLifecycle}: the class behind it is internal)
     */
    @Bean
    @ConditionalOnMissingBean(name = "deploytrackLifecycle")
    public SmartLifecycle deploytrackLifecycle(DeploymentTracker tracker) {
        return new TrackerLifecycle(tracker);
    }

    /**
     * The gauges {@code deploytrack.deployments.running}, {@code .stale} and {@code deploytrack.leases.held}; bound
     * by Spring Boot to its meter registry when there is one.
     *
     * @param micrometer the binding
     * @param store      the store
     * @param tracker    the tracker
     * @return the binder
     */
    @Bean
    @ConditionalOnMissingBean(name = "deploytrackGauges")
    @ConditionalOnProperty(prefix = "deploytrack.metrics", name = "enabled", matchIfMissing = true)
    public MeterBinder deploytrackGauges(DeploytrackMicrometer micrometer, HistoryStore store,
                                         DeploymentTracker tracker) {
        return micrometer.gauges(store, tracker);
    }

    /**
     * Descriptions for the meters Micrometer makes from deploytrack's observations (it registers them with none, so
     * Prometheus would show an empty {@code # HELP}); Spring Boot applies {@code MeterFilter} beans to its registries
     * as it makes them.
     *
     * @return the filter
     */
    @Bean
    @ConditionalOnMissingBean(name = "deploytrackObservationDescriptions")
    @ConditionalOnProperty(prefix = "deploytrack.metrics", name = "enabled", matchIfMissing = true)
    public MeterFilter deploytrackObservationDescriptions() {
        return DeploytrackMicrometer.observationDescriptions();
    }

    private static Iterable<StatusSource> discovered() {
        Map<String, StatusSource> found = new LinkedHashMap<>();
        var it = ServiceLoader.load(StatusSource.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                StatusSource s = it.next();
                found.putIfAbsent(s.type(), s);
            } catch (ServiceConfigurationError e) {
                log.warn("deploytrack_source_discovery_failed error=\"{}\"", e.getMessage());
            }
        }
        return found.values();
    }
}

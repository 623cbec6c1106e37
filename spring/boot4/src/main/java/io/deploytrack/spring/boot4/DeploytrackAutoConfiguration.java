package io.deploytrack.spring.boot4;

import io.deploytrack.spring.autoconfigure.DeploytrackConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;

/**
 * deploytrack for Spring Boot 4.0: the history store (the application's DataSource, else a SQLite file), the tracker
 * with every status source and listener bean, its lifecycle, and the Micrometer binding. Off with
 * {@code deploytrack.enabled=false}; every bean gives way to one the application defines.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnProperty(prefix = "deploytrack", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import(DeploytrackConfiguration.class)
public class DeploytrackAutoConfiguration {

    /** Created by Spring. */
    public DeploytrackAutoConfiguration() {
    }
}

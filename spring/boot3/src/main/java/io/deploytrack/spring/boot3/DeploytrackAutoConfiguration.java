package io.deploytrack.spring.boot3;

import io.deploytrack.spring.autoconfigure.DeploytrackConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;

/**
 * deploytrack for Spring Boot 3.5: the history store (the application's DataSource, else a SQLite file), the tracker
 * with every status source and listener bean, its lifecycle, and the Micrometer binding. Off with
 * {@code deploytrack.enabled=false}; every bean gives way to one the application defines.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnProperty(prefix = "deploytrack", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import(DeploytrackConfiguration.class)
public class DeploytrackAutoConfiguration {

    /** Created by Spring. */
    public DeploytrackAutoConfiguration() {
    }
}

package io.deploytrack.spring.boot4;

import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.spring.DeploytrackHealth;
import io.deploytrack.spring.autoconfigure.ConditionalOnDeploytrackActuator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * deploytrack's actuator side for Spring Boot 4.0: the {@code deployments} endpoint, the {@code deploytrack} health
 * indicator and the masking of the NCP keys. On when Spring Boot Actuator is on the classpath; what both Boot lines
 * share is in {@link ConditionalOnDeploytrackActuator}, only the {@code HealthIndicator} is this line's.
 */
@AutoConfiguration(after = DeploytrackAutoConfiguration.class, beforeName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration")
@ConditionalOnDeploytrackActuator
public class DeploytrackActuatorAutoConfiguration {

    /** Created by Spring. */
    public DeploytrackActuatorAutoConfiguration() {
    }

    /** The health indicator, named {@code deploytrack}; off with {@code management.health.deploytrack.enabled=false}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    // The tracker, not DeploytrackHealth: member classes are read before the outer class's imports.
    @ConditionalOnBean(DeploymentTracker.class)
    public static class HealthConfiguration {

        /** Created by Spring. */
        public HealthConfiguration() {
        }

        /**
         * Down with the reason when the store is unreachable or this instance's leases are not renewed.
         *
         * @param health the check
         * @return the indicator
         */
        @Bean
        @ConditionalOnMissingBean(name = "deploytrackHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("deploytrack")
        public HealthIndicator deploytrackHealthIndicator(DeploytrackHealth health) {
            return () -> {
                DeploytrackHealth.Report report = health.check();
                return (report.up() ? Health.up() : Health.down()).withDetails(report.details()).build();
            };
        }
    }
}

package io.deploytrack.spring.autoconfigure;

import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.spring.DeploymentsEndpoint;
import io.deploytrack.spring.DeploytrackHealth;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.Locale;

/**
 * Actuator beans both starters share: the {@code deployments} endpoint, the health check's logic and the masking of
 * the NCP keys in {@code /actuator/configprops} and {@code /actuator/env}. Imported by each starter's actuator
 * auto-configuration, which adds its Boot line's {@code HealthIndicator}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBean(DeploymentTracker.class)
public class DeploytrackEndpointConfiguration {

    /** Created by Spring. */
    public DeploytrackEndpointConfiguration() {
    }

    /**
     * The endpoint, when exposed.
     *
     * @param tracker the tracker
     * @return the endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = DeploymentsEndpoint.class)
    public DeploymentsEndpoint deploytrackDeploymentsEndpoint(DeploymentTracker tracker) {
        return new DeploymentsEndpoint(tracker.history());
    }

    /**
     * The health check's logic, adapted by each starter to its {@code HealthIndicator}.
     *
     * @param store   the store
     * @param tracker the tracker
     * @return the check
     */
    @Bean
    @ConditionalOnMissingBean
    public DeploytrackHealth deploytrackHealth(HistoryStore store, DeploymentTracker tracker) {
        return new DeploytrackHealth(store, tracker, Clock.systemUTC());
    }

    /**
     * Masks {@code deploytrack.ncp.access-key} and {@code deploytrack.ncp.secret-key} wherever actuator shows
     * property values, also when {@code show-values} is {@code always}.
     *
     * @return the function
     */
    @Bean
    @ConditionalOnMissingBean(name = "deploytrackSecretsSanitizer")
    public SanitizingFunction deploytrackSecretsSanitizer() {
        return DeploytrackEndpointConfiguration::mask;
    }

    static SanitizableData mask(SanitizableData data) {
        String key = data.getKey() == null ? "" : data.getKey().toLowerCase(Locale.ROOT).replace("-", "")
                .replace("_", "");
        if (key.endsWith("ncp.secretkey") || key.endsWith("ncp.accesskey")
                || key.equals("secretkey") || key.equals("accesskey")) {
            return data.withValue(SanitizableData.SANITIZED_VALUE);
        }
        return data;
    }
}

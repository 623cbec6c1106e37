package io.deploytrack.spring.boot4;

import io.deploytrack.spring.AutoConfigurationContract;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;

import java.util.Map;

/** The auto-configuration's conditions on this Boot line. */
class AutoConfigurationTest extends AutoConfigurationContract {

    @Override
    protected Class<?>[] autoConfigurations() {
        return new Class<?>[]{DeploytrackAutoConfiguration.class, DeploytrackActuatorAutoConfiguration.class,
                DeploytrackLiveAutoConfiguration.class};
    }

    @Override
    protected Map.Entry<String, Map<String, Object>> health(ApplicationContext context) {
        Health h = context.getBean("deploytrackHealthIndicator", HealthIndicator.class).health();
        return Map.entry(h.getStatus().getCode(), h.getDetails());
    }
}

package io.deploytrack.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What both starters' actuator auto-configurations share: on only when Spring Boot Actuator's endpoint support is on
 * the classpath and deploytrack is not switched off ({@code deploytrack.enabled}), and then importing
 * {@link DeploytrackEndpointConfiguration}. Each starter adds only its Boot line's {@code HealthIndicator}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
@ConditionalOnProperty(prefix = "deploytrack", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import(DeploytrackEndpointConfiguration.class)
public @interface ConditionalOnDeploytrackActuator {
}

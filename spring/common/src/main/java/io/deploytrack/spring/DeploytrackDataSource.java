package io.deploytrack.spring;

import org.springframework.beans.factory.annotation.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code DataSource} deploytrack keeps its history in, when the application has several (or when the
 * history belongs elsewhere than the application's primary database).
 *
 * <pre>{@code
 * @Bean @DeploytrackDataSource
 * DataSource deploytrackDataSource() { ... }
 * }</pre>
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface DeploytrackDataSource {
}

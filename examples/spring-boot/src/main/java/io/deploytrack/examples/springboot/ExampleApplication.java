package io.deploytrack.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot example: {@code java -jar examples/spring-boot/target/deploytrack-spring-boot-example.jar
 * --server.port=8080}, then
 * {@code curl -XPOST localhost:8080/api/deployments -H 'Content-Type: application/json'
 * -d '{"repo":"acme/web","commit":"3f2c1a9","environment":"staging"}'} and
 * {@code curl -N localhost:8080/api/deployments/1/events}.
 *
 * <p>Everything deploytrack needs comes from the starter: the tracker (started and stopped with the application), the
 * SQLite history in the working folder, the NCP source, health, the {@code deployments} endpoint and the metrics. The
 * example adds an in-process NCP SourceDeploy emulator ({@link EmulatorConfiguration}), a REST controller
 * ({@link DeploymentController}) and the Server-Sent Events feed ({@link DeploymentFeed}).
 */
@SpringBootApplication
public class ExampleApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot's arguments, e.g. {@code --server.port=8080}
     */
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}

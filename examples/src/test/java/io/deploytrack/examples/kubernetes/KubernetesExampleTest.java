package io.deploytrack.examples.kubernetes;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the Kubernetes example against fabric8's mock API server; the test plays the deployment controller. */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesExampleTest {
    static KubernetesClient client;
    @TempDir
    Path dir;

    @Test
    void anImageUpdateIsTrackedUntilKubectlWouldCallItDone() throws Exception {
        client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewStrategy().withType("RollingUpdate").endStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.local:5000/web:1.0").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        CompletableFuture<Deployment> run = CompletableFuture.supplyAsync(() -> {
            try {
                return KubernetesExample.run(client, dir.resolve("k8s.db"), "shop", "web", "app",
                        "registry.local:5000/web:2.0", "abc1234", Duration.ofSeconds(30));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (client.apps().deployments().inNamespace("shop").withName("web").get().getMetadata().getGeneration() < 2) {
            assertThat(System.nanoTime()).as("the image update reached the API server").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        // the controller: half-way (Available would already be True here), then done
        writeStatus(2, 3, 1, 2);
        writeStatus(2, 2, 2, 2);
        Deployment d = run.get(30, TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCESS);
        assertThat(d.attributes()).containsEntry("image", "registry.local:5000/web:2.0");
    }

    private static void writeStatus(long observed, int replicas, int updated, int available) {
        client.apps().deployments().inNamespace("shop").withName("web").editStatus(x -> {
            x.setStatus(new DeploymentStatusBuilder().withObservedGeneration(observed).withReplicas(replicas)
                    .withUpdatedReplicas(updated).withAvailableReplicas(available).withReadyReplicas(available).build());
            return x;
        });
    }
}

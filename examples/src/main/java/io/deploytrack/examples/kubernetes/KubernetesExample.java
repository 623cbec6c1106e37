package io.deploytrack.examples.kubernetes;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentHandle;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentTracker;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.kubernetes.KubernetesDeployments;
import io.deploytrack.kubernetes.KubernetesWatchingSource;
import io.deploytrack.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Updates a Deployment's image and tracks the rollout it started, by kubectl's rules:
 * {@code KubernetesExample NAMESPACE DEPLOYMENT CONTAINER IMAGE COMMIT_SHA} against the cluster of your kubeconfig (or
 * the in-cluster config). Its test runs it against fabric8's mock API server.
 */
public final class KubernetesExample {
    private KubernetesExample() {
    }

    /** Sets the image and waits for the rollout's verdict. */
    public static Deployment run(KubernetesClient client, Path db, String namespace, String name, String container,
                                 String image, String sha, Duration timeout) throws Exception {
        KubernetesWatchingSource kubernetes = KubernetesWatchingSource.of(client);
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db);
             DeploymentTracker tracker = DeploymentTracker.builder(store).source(kubernetes).defaultTimeout(timeout).build().start()) {
            DeploymentRequest request = DeploymentRequest.builder("acme", name, sha).environment(namespace).build();
            DeploymentHandle h = KubernetesDeployments.of(kubernetes, tracker)
                    .updateImageAndTrack(request, WorkloadKind.DEPLOYMENT, namespace, name, container, image)
                    .get(timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            System.out.printf("tracking #%d: %s/%s -> %s (generation %s)%n", h.id(), namespace, name, image,
                    h.deployment().attributes().get(KubernetesDeployments.ATTRIBUTE_GENERATION));
            Deployment d = h.completion().get(timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            System.out.printf("#%d %s in %s: %s%n", d.id(), d.status(), d.totalDuration(),
                    d.errorMessage() == null ? d.checks().get(0).message() : d.errorMessage());
            return d;
        }
    }

    /** Runs against the cluster fabric8 finds (kubeconfig or in-cluster). */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: KubernetesExample NAMESPACE DEPLOYMENT CONTAINER IMAGE COMMIT_SHA");
            System.exit(2);
        }
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            Deployment d = run(client, Path.of("kubernetes-example.db"), args[0], args[1], args[2], args[3], args[4],
                    Duration.ofMinutes(10));
            System.exit("success".equals(d.status().word()) ? 0 : 1);
        }
    }
}

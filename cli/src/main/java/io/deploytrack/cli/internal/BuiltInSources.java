package io.deploytrack.cli.internal;

import io.deploytrack.core.StatusSource;
import io.deploytrack.kubernetes.KubernetesStatusSource;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The built-in sources the command knows how to configure from the environment. Not public API. */
final class BuiltInSources {
    private BuiltInSources() {
    }

    static List<Sources.Factory> factories() {
        return List.of(new Kubernetes());
    }

    /** Kubernetes, when a kubeconfig or an in-cluster service account is there. */
    static final class Kubernetes implements Sources.Factory {
        @Override
        public String type() {
            return KubernetesStatusSource.TYPE;
        }

        @Override
        public Optional<StatusSource> create(Context context, Duration pollInterval) {
            if (!configured(context)) {
                return Optional.empty();
            }
            try {
                return Optional.of(KubernetesStatusSource.fromDefaultConfig());
            } catch (KubernetesClientException e) {
                return Optional.empty();
            }
        }

        @Override
        public String unavailableReason(Context context) {
            return configured(context) ? "the Kubernetes client could not be configured from the kubeconfig"
                    : "no Kubernetes configuration: set KUBECONFIG, create ~/.kube/config, or run in a cluster";
        }

        private static boolean configured(Context context) {
            if (context.env("KUBECONFIG") != null || context.env("KUBERNETES_SERVICE_HOST") != null) {
                return true;
            }
            String home = System.getProperty("user.home");
            return home != null && Files.isRegularFile(Path.of(home, ".kube", "config"));
        }
    }
}

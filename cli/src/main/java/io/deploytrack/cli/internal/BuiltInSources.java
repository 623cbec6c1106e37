package io.deploytrack.cli.internal;

import io.deploytrack.core.StatusSource;
import io.deploytrack.kubernetes.KubernetesWatchingSource;
import io.deploytrack.ncp.NcpBuildPollingSource;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpEndpoint;
import io.deploytrack.ncp.NcpPipelinePollingSource;
import io.deploytrack.ncp.NcpPollingSource;
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
        return List.of(new Ncp(), new NcpBuild(), new NcpPipeline(), new Kubernetes());
    }

    /** NCP SourceDeploy, when NCP_ACCESS_KEY and NCP_SECRET_KEY are set (endpoint: NCP_ENDPOINT, else VPC). */
    static final class Ncp implements Sources.Factory {
        @Override
        public String type() {
            return NcpPollingSource.TYPE;
        }

        @Override
        public Optional<StatusSource> create(Context context, Duration pollInterval) {
            return ncpClient(context).map(client -> {
                NcpPollingSource.Builder b = NcpPollingSource.builder(client);
                if (pollInterval != null) {
                    b.pollInterval(pollInterval);
                }
                return b.build();
            });
        }

        @Override
        public String unavailableReason(Context context) {
            return context.env(NcpCommand.ACCESS_KEY) == null || context.env(NcpCommand.SECRET_KEY) == null
                    ? "NCP credentials are not set: export NCP_ACCESS_KEY and NCP_SECRET_KEY"
                    : "NCP_ENDPOINT, NCP_SOURCEBUILD_ENDPOINT or NCP_SOURCEPIPELINE_ENDPOINT is not a usable http(s) URL";
        }
    }

    /** The client of the three NCP services from the environment, or empty when it does not configure one. */
    static Optional<NcpClient> ncpClient(Context context) {
        String access = context.env(NcpCommand.ACCESS_KEY);
        String secret = context.env(NcpCommand.SECRET_KEY);
        if (access == null || secret == null) {
            return Optional.empty();
        }
        try {
            NcpEndpoint endpoint = NcpEndpoint.fromUrls(context.env(NcpCommand.ENDPOINT),
                    context.env(NcpEndpoint.Service.SOURCEBUILD.environmentVariable()),
                    context.env(NcpEndpoint.Service.SOURCEPIPELINE.environmentVariable()),
                    NcpEndpoint.Service::environmentVariable);
            return Optional.of(NcpClient.builder().endpoint(endpoint).credentials(NcpCredentials.of(access, secret))
                    .build());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** NCP SourceBuild (the {@code sourcebuild} stages of {@code ncp build} and {@code ncp run}), as {@link Ncp}. */
    static final class NcpBuild implements Sources.Factory {
        @Override
        public String type() {
            return NcpBuildPollingSource.TYPE;
        }

        @Override
        public Optional<StatusSource> create(Context context, Duration pollInterval) {
            return ncpClient(context).map(client -> NcpBuildPollingSource.of(client, pollInterval));
        }

        @Override
        public String unavailableReason(Context context) {
            return new Ncp().unavailableReason(context);
        }
    }

    /** NCP SourcePipeline (the stages of {@code ncp pipeline}), as {@link Ncp}. */
    static final class NcpPipeline implements Sources.Factory {
        @Override
        public String type() {
            return NcpPipelinePollingSource.TYPE;
        }

        @Override
        public Optional<StatusSource> create(Context context, Duration pollInterval) {
            return ncpClient(context).map(client -> {
                NcpPipelinePollingSource.Builder b = NcpPipelinePollingSource.builder(client);
                if (pollInterval != null) {
                    b.pollInterval(pollInterval);
                }
                return b.build();
            });
        }

        @Override
        public String unavailableReason(Context context) {
            return new Ncp().unavailableReason(context);
        }
    }

    /** Kubernetes, when a kubeconfig or an in-cluster service account is there. */
    static final class Kubernetes implements Sources.Factory {
        @Override
        public String type() {
            return KubernetesWatchingSource.TYPE;
        }

        @Override
        public Optional<StatusSource> create(Context context, Duration pollInterval) {
            if (!configured(context)) {
                return Optional.empty();
            }
            try {
                return Optional.of(KubernetesWatchingSource.fromEnvironment());
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

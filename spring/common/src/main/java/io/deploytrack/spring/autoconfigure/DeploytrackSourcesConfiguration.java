package io.deploytrack.spring.autoconfigure;

import io.deploytrack.kubernetes.KubernetesWatchingSource;
import io.deploytrack.ncp.NcpClient;
import io.deploytrack.ncp.NcpCredentials;
import io.deploytrack.ncp.NcpPollingSource;
import io.deploytrack.spring.DeploytrackProperties;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The built-in status sources, each on when its module is on the classpath and it is configured. */
public final class DeploytrackSourcesConfiguration {

    private DeploytrackSourcesConfiguration() {
    }

    /**
     * NCP SourceDeploy: a client from {@code deploytrack.ncp.*} when an access key is set (or the application's own
     * {@link NcpClient} bean), and the polling source on it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.deploytrack.ncp.NcpPollingSource")
    public static class Ncp {

        /** Created by Spring. */
        public Ncp() {
        }

        /**
         * The SourceDeploy client of {@code deploytrack.ncp.*}.
         *
         * @param properties the settings
         * @return the client
         */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(prefix = "deploytrack.ncp", name = "access-key")
        public NcpClient deploytrackNcpClient(DeploytrackProperties properties) {
            DeploytrackProperties.Ncp ncp = properties.getNcp();
            if (ncp.getSecretKey() == null || ncp.getSecretKey().isBlank()) {
                throw new IllegalArgumentException("deploytrack.ncp.secret-key is not set: NCP SourceDeploy needs both "
                        + "the access key and the secret key of an API key pair");
            }
            return NcpClient.builder().baseUri(ncp.endpointUri())
                    .credentials(NcpCredentials.of(ncp.getAccessKey(), ncp.getSecretKey()))
                    .requestTimeout(ncp.getRequestTimeout())
                    .build();
        }

        /**
         * The polling source on the client.
         *
         * @param client the client
         * @return the source
         */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(NcpClient.class)
        public NcpPollingSource deploytrackNcpSource(NcpClient client) {
            return NcpPollingSource.of(client);
        }
    }

    /** Kubernetes rollouts, when a fabric8 {@link KubernetesClient} bean exists and it is not switched off. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.deploytrack.kubernetes.KubernetesWatchingSource",
            "io.fabric8.kubernetes.client.KubernetesClient"})
    @ConditionalOnProperty(prefix = "deploytrack.kubernetes", name = "enabled", matchIfMissing = true)
    public static class Kubernetes {

        /** Created by Spring. */
        public Kubernetes() {
        }

        /**
         * The rollout source on the application's client.
         *
         * @param client the client
         * @return the source
         */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(KubernetesClient.class)
        public KubernetesWatchingSource deploytrackKubernetesSource(KubernetesClient client) {
            return KubernetesWatchingSource.of(client);
        }
    }
}

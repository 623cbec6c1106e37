package io.deploytrack.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code deploytrack.*} settings of the Spring Boot starters. Every one has the tracker's default; the NCP keys
 * never appear in {@link #toString()}, logs or {@code /actuator/configprops} (masked there whatever
 * {@code management.endpoint.configprops.show-values} says).
 */
@ConfigurationProperties(prefix = "deploytrack")
public class DeploytrackProperties {

    /** Whether deploytrack is configured at all. */
    private boolean enabled = true;

    /** This instance's id, written as each lease's owner; default host name, process id and a random suffix. */
    private String instanceId;

    /** The poll interval of polling sources that set none. */
    private Duration pollInterval = Duration.ofSeconds(10);

    /** The jitter of the poll interval, 0 to 0.5 (a fraction of the interval). */
    private double pollJitter = 0.1;

    /** The rollout deadline of a check that sets none: it ends timed_out then. */
    private Duration defaultTimeout = Duration.ofMinutes(5);

    /** How long a check may wait for a human's approval. */
    private Duration approvalTimeout = Duration.ofHours(24);

    /** How long a lease lasts without renewal (renewed every third of it); another instance takes over after it. */
    private Duration leaseDuration = Duration.ofSeconds(60);

    /** The cap of the exponential backoff after transient source errors. */
    private Duration maxBackoff = Duration.ofMinutes(2);

    /** How often "not found" from a source is retried before a check fails (eventual consistency at the source). */
    private int notFoundRetries = 5;

    /** How many running rows one claim takes at most. */
    private int claimBatch = 500;

    /** Whether to add the status sources listed in META-INF/services/io.deploytrack.core.StatusSource. */
    private boolean discoverSources = true;

    private final Store store = new Store();
    private final Ncp ncp = new Ncp();
    private final Kubernetes kubernetes = new Kubernetes();
    private final Metrics metrics = new Metrics();
    @NestedConfigurationProperty
    private final LiveProperties live = new LiveProperties();

    /** @return whether deploytrack is configured */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether deploytrack is configured */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the instance id, or null for the default */
    public String getInstanceId() {
        return instanceId;
    }

    /** @param instanceId the instance id */
    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    /** @return the default poll interval */
    public Duration getPollInterval() {
        return pollInterval;
    }

    /** @param pollInterval the default poll interval */
    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** @return the poll jitter */
    public double getPollJitter() {
        return pollJitter;
    }

    /** @param pollJitter the poll jitter, 0 to 0.5 */
    public void setPollJitter(double pollJitter) {
        this.pollJitter = pollJitter;
    }

    /** @return the default rollout deadline */
    public Duration getDefaultTimeout() {
        return defaultTimeout;
    }

    /** @param defaultTimeout the default rollout deadline */
    public void setDefaultTimeout(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    /** @return the approval deadline */
    public Duration getApprovalTimeout() {
        return approvalTimeout;
    }

    /** @param approvalTimeout the approval deadline */
    public void setApprovalTimeout(Duration approvalTimeout) {
        this.approvalTimeout = approvalTimeout;
    }

    /** @return the lease duration */
    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    /** @param leaseDuration the lease duration */
    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    /** @return the backoff cap */
    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    /** @param maxBackoff the backoff cap */
    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    /** @return how often "not found" is retried */
    public int getNotFoundRetries() {
        return notFoundRetries;
    }

    /** @param notFoundRetries how often "not found" is retried, 0 to 100 */
    public void setNotFoundRetries(int notFoundRetries) {
        this.notFoundRetries = notFoundRetries;
    }

    /** @return how many rows one claim takes at most */
    public int getClaimBatch() {
        return claimBatch;
    }

    /** @param claimBatch how many rows one claim takes at most, 1 or more */
    public void setClaimBatch(int claimBatch) {
        this.claimBatch = claimBatch;
    }

    /** @return whether ServiceLoader sources are added */
    public boolean isDiscoverSources() {
        return discoverSources;
    }

    /** @param discoverSources whether ServiceLoader sources are added */
    public void setDiscoverSources(boolean discoverSources) {
        this.discoverSources = discoverSources;
    }

    /** @return the store settings */
    public Store getStore() {
        return store;
    }

    /** @return the NCP SourceDeploy settings */
    public Ncp getNcp() {
        return ncp;
    }

    /** @return the Kubernetes settings */
    public Kubernetes getKubernetes() {
        return kubernetes;
    }

    /** @return the metrics settings */
    public Metrics getMetrics() {
        return metrics;
    }

    /** @return the live progress settings ({@code deploytrack.live.*}) */
    public LiveProperties getLive() {
        return live;
    }

    @Override
    public String toString() {
        return "DeploytrackProperties[enabled=" + enabled + ", instanceId=" + instanceId + ", pollInterval="
                + pollInterval + ", leaseDuration=" + leaseDuration + ", store=" + store.sqlitePath + ", ncp=" + ncp
                + "]";
    }

    /** Where the history lives. */
    public static class Store {
        /** The SQLite file used when the application has no DataSource (or use-data-source is false). */
        private Path sqlitePath = Path.of("deploytrack.db");

        /**
         * Whether to use the application's DataSource when there is one (the one qualified @DeploytrackDataSource
         * first); PostgreSQL and SQLite are supported.
         */
        private boolean useDataSource = true;

        /** @return the SQLite file */
        public Path getSqlitePath() {
            return sqlitePath;
        }

        /** @param sqlitePath the SQLite file */
        public void setSqlitePath(Path sqlitePath) {
            this.sqlitePath = sqlitePath;
        }

        /** @return whether the application's DataSource is used */
        public boolean isUseDataSource() {
            return useDataSource;
        }

        /** @param useDataSource whether the application's DataSource is used */
        public void setUseDataSource(boolean useDataSource) {
            this.useDataSource = useDataSource;
        }
    }

    /** The NCP SourceDeploy source; configured when an access key is set. */
    public static class Ncp {
        /** The API gateway: vpc, classic, gov-vpc, gov-classic, or a base URL. */
        private String endpoint = "vpc";

        /** The API access key (masked in /actuator/configprops). */
        private String accessKey;

        /** The API secret key (masked in /actuator/configprops, never logged). */
        private String secretKey;

        /** How long one SourceDeploy call may take. */
        private Duration requestTimeout = Duration.ofSeconds(30);

        /** @return the endpoint */
        public String getEndpoint() {
            return endpoint;
        }

        /** @param endpoint vpc, classic, gov-vpc, gov-classic or a base URL */
        public void setEndpoint(String endpoint) {
            this.endpoint = endpoint;
        }

        /** @return the access key */
        public String getAccessKey() {
            return accessKey;
        }

        /** @param accessKey the access key */
        public void setAccessKey(String accessKey) {
            this.accessKey = accessKey;
        }

        /** @return the secret key */
        public String getSecretKey() {
            return secretKey;
        }

        /** @param secretKey the secret key */
        public void setSecretKey(String secretKey) {
            this.secretKey = secretKey;
        }

        /** @return the request timeout */
        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        /** @param requestTimeout the request timeout */
        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        /** The endpoint as a base URI: a named gateway or the URL given. */
        public URI endpointUri() {
            String e = endpoint == null ? "vpc" : endpoint.trim();
            return switch (e.toLowerCase(java.util.Locale.ROOT)) {
                case "vpc" -> URI.create("https://vpcsourcedeploy.apigw.ntruss.com");
                case "classic" -> URI.create("https://sourcedeploy.apigw.ntruss.com");
                case "gov-vpc" -> URI.create("https://vpcsourcedeploy.apigw.gov-ntruss.com");
                case "gov-classic" -> URI.create("https://sourcedeploy.apigw.gov-ntruss.com");
                default -> {
                    if (!e.startsWith("http://") && !e.startsWith("https://")) {
                        throw new IllegalArgumentException("deploytrack.ncp.endpoint '" + e + "' is not usable: "
                                + "expected vpc, classic, gov-vpc, gov-classic or an http(s) base URL");
                    }
                    yield URI.create(e);
                }
            };
        }

        @Override
        public String toString() {
            return "Ncp[endpoint=" + endpoint + ", accessKey=" + (accessKey == null ? "unset" : "******")
                    + ", secretKey=" + (secretKey == null ? "unset" : "******") + "]";
        }
    }

    /** The Kubernetes rollout source. */
    public static class Kubernetes {
        /** Whether to follow Kubernetes rollouts when a fabric8 KubernetesClient bean exists. */
        private boolean enabled = true;

        /** @return whether the Kubernetes source is on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the Kubernetes source is on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Micrometer metrics and observations. */
    public static class Metrics {
        /** Whether to publish deploytrack's meters when a MeterRegistry exists. */
        private boolean enabled = true;

        /** Whether to record observations (spans) when an ObservationRegistry exists. */
        private boolean observations = true;

        /** Whether deploytrack.deployment.duration publishes percentile histogram buckets. */
        private boolean percentileHistogram;

        /** @return whether metrics are on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether metrics are on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return whether observations are on */
        public boolean isObservations() {
            return observations;
        }

        /** @param observations whether observations are on */
        public void setObservations(boolean observations) {
            this.observations = observations;
        }

        /** @return whether the duration timer publishes a histogram */
        public boolean isPercentileHistogram() {
            return percentileHistogram;
        }

        /** @param percentileHistogram whether the duration timer publishes a histogram */
        public void setPercentileHistogram(boolean percentileHistogram) {
            this.percentileHistogram = percentileHistogram;
        }
    }
}

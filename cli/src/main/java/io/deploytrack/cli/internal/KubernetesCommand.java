package io.deploytrack.cli.internal;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.CheckSpec;
import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.StatusSource;
import io.deploytrack.kubernetes.KubernetesDeployments;
import io.deploytrack.kubernetes.KubernetesWatchingSource;
import io.deploytrack.kubernetes.RolloutTarget;
import io.deploytrack.kubernetes.UnfollowableWorkloadException;
import io.deploytrack.kubernetes.WorkloadKind;
import io.deploytrack.kubernetes.WorkloadNotFoundException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** {@code kubernetes} (formerly {@code k8s}, still accepted with a deprecation warning): Kubernetes rollouts. */
@Command(name = KubernetesCommand.NAME, aliases = KubernetesCommand.DEPRECATED_NAME, mixinStandardHelpOptions = true,
        description = "Kubernetes rollouts.", subcommands = KubernetesCommand.Track.class)
final class KubernetesCommand extends BaseCommand {
    static final String NAME = "kubernetes";
    /** The command's earlier name: it still works, with a warning on stderr. */
    static final String DEPRECATED_NAME = "k8s";

    @Override
    public Integer call() {
        throw usage("a kubernetes command is needed: track");
    }

    /** {@code kubernetes track}: follows a rollout (kubeconfig or in-cluster config, as fabric8 finds it). */
    @Command(name = "track", mixinStandardHelpOptions = true,
            description = {"Tracks a Kubernetes rollout to the end by kubectl's rules (kubeconfig or in-cluster config, "
                    + "as fabric8 finds it).", "Exit code 0: success; 6: failed, cancelled (superseded) or timed out."})
    static final class Track extends BaseCommand {

        @Option(names = "--namespace", required = true, paramLabel = "N", description = "The workload's namespace.")
        String namespace;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The workload's name.")
        String name;

        @Option(names = "--kind", paramLabel = "deployment|statefulset|daemonset", defaultValue = "deployment",
                converter = KindConverter.class, description = "The workload's kind (default ${DEFAULT-VALUE}).")
        WorkloadKind kind;

        @Option(names = "--generation", paramLabel = "G", description = "The metadata.generation your update produced "
                + "(default: the workload's current generation).")
        Long generation;

        @Mixin
        Options.RequestOptions deployment;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = Options.DurationConverter.class,
                description = "The rollout deadline (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--json", description = "Print the final deployment as a JSON object.")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            if (generation != null && generation < 1) {
                throw usage("--generation " + generation + " is not usable: expected the workload's metadata.generation, 1 or more");
            }
            DeploymentRequest request = deployment.request(this)
                    .withAttribute(KubernetesDeployments.ATTRIBUTE_WORKLOAD, kind.word() + " " + namespace + "/" + name);
            StatusSource given = context().sources().stream()
                    .filter(s -> KubernetesWatchingSource.TYPE.equals(s.type())).findFirst().orElse(null);
            KubernetesWatchingSource source;
            boolean owned = false;
            if (given instanceof KubernetesWatchingSource k) {
                source = k;
            } else {
                try {
                    source = KubernetesWatchingSource.fromEnvironment();
                    owned = true;
                } catch (KubernetesClientException e) {
                    throw new CliException(ExitCodes.FAILURE, "cannot configure a Kubernetes client (kubeconfig or "
                            + "in-cluster service account): " + e.getMessage(), e);
                }
            }
            try (Database db = openOrCreate()) {
                CheckRef ref;
                try {
                    ref = generation != null ? KubernetesWatchingSource.ref(RolloutTarget.of(kind, namespace, name, generation))
                            : source.currentRef(kind, namespace, name);
                } catch (WorkloadNotFoundException | UnfollowableWorkloadException e) {
                    throw new CliException(ExitCodes.FAILURE, e.getMessage(), e);
                } catch (KubernetesClientException e) {
                    throw new CliException(ExitCodes.FAILURE, "cannot read " + kind.word() + " " + namespace + "/" + name
                            + " from the Kubernetes API at " + source.client().getMasterUrl() + ": " + e.getMessage(), e);
                }
                // A rollout recorded by an earlier version carries a "k8s:" key: track that row, not a second one.
                String legacyKey = KubernetesWatchingSource.legacyIdempotencyKey(ref);
                if (db.store().findByIdempotencyKey(legacyKey).isPresent()) {
                    request = request.withIdempotencyKey(legacyKey);
                }
                return Tracking.track(this, db, source, new Tracking.Plan(Tracking.recordAndFollow(request,
                        CheckSpec.of(KubernetesWatchingSource.TYPE, ref).withTimeout(timeout)), null, timeout, null, json));
            } finally {
                if (owned) {
                    source.close();
                }
            }
        }
    }

    /** {@code deployment}, {@code statefulset}, {@code daemonset}. */
    static final class KindConverter implements ITypeConverter<WorkloadKind> {
        @Override
        public WorkloadKind convert(String value) {
            try {
                return WorkloadKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a workload kind: expected deployment, "
                        + "statefulset or daemonset");
            }
        }
    }
}

package io.deploytrack.cli.internal;

import io.deploytrack.core.DeploymentRequest;
import io.deploytrack.core.DeploymentStatus;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Converters for option values: durations, projects, instants, terminal statuses. Not public API. */
final class Options {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern PROJECT = Pattern.compile("([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})/([A-Za-z0-9._-]{1,100})");

    private Options() {
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher m = DURATION.matcher(value == null ? "" : value.strip());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new TypeConversionException("'" + value + "' is not a duration: expected a positive number "
                        + "followed by ms, s, m or h, e.g. 500ms, 10s, 5m, 1h");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
    }

    /** {@code OWNER/REPO}. */
    record Project(String owner, String repo) {
        @Override
        public String toString() {
            return owner + "/" + repo;
        }
    }

    static final class ProjectConverter implements ITypeConverter<Project> {
        @Override
        public Project convert(String value) {
            Matcher m = PROJECT.matcher(value == null ? "" : value.strip());
            if (!m.matches() || m.group(2).equals(".") || m.group(2).equals("..")) {
                throw new TypeConversionException("'" + value + "' is not a project: expected OWNER/REPO as on GitHub, "
                        + "e.g. acme/web");
            }
            return new Project(m.group(1), m.group(2));
        }
    }

    /**
     * {@code --project OWNER/REPO}, the one spelling of the project across commands, for the commands that record a
     * deployment (it is required there); {@code --repo}, its earlier spelling, still works with a deprecation warning.
     */
    /** The earlier spelling of {@code --project}, hidden from help and from suggestions. */
    static final String DEPRECATED_REPO = "--repo";

    static class DeployedProject {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--project", paramLabel = "OWNER/REPO", converter = ProjectConverter.class,
                description = "The GitHub repository deployed (required).")
        Project project;

        @Option(names = DEPRECATED_REPO, hidden = true, paramLabel = "OWNER/REPO", converter = ProjectConverter.class,
                description = "Deprecated: use --project.")
        Project deprecatedRepo;

        /** The project given; a usage error when none or both spellings are given. */
        Project require() {
            if (project != null && deprecatedRepo != null) {
                throw new ParameterException(mixee.commandLine(), "--project " + project + " and --repo "
                        + deprecatedRepo + " name the same thing: give only --project OWNER/REPO");
            }
            if (deprecatedRepo != null) {
                mixee.commandLine().getErr().println("warning: --repo is deprecated and will be removed: use --project "
                        + deprecatedRepo);
                mixee.commandLine().getErr().flush();
                return deprecatedRepo;
            }
            if (project == null) {
                throw new ParameterException(mixee.commandLine(),
                        "Missing required option: '--project=OWNER/REPO' (the GitHub repository deployed, e.g. acme/web)");
            }
            return project;
        }
    }

    /** An ISO-8601 instant ({@code 2026-03-01T10:00:00Z}) or date-time with an offset. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value.strip());
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(value.strip()).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new TypeConversionException("'" + value + "' is not a time: expected ISO-8601 with a zone, "
                            + "e.g. 2026-03-01T10:00:00Z or 2026-03-01T19:00:00+09:00");
                }
            }
        }
    }

    /** {@code success}, {@code failed} or {@code cancelled}: what an operator may mark. */
    static final class MarkStatusConverter implements ITypeConverter<DeploymentStatus> {
        @Override
        public DeploymentStatus convert(String value) {
            String v = value == null ? "" : value.strip();
            return switch (v) {
                case "success" -> DeploymentStatus.SUCCESS;
                case "failed" -> DeploymentStatus.FAILED;
                case "cancelled" -> DeploymentStatus.CANCELLED;
                default -> throw new TypeConversionException("'" + value
                        + "' cannot be marked: expected success, failed or cancelled");
            };
        }
    }

    /**
     * What a tracking command records: the project ({@link DeployedProject}), {@code --commit}, {@code --env},
     * {@code --rollback} and {@code --attribute KEY=VALUE}, the same options for {@code ncp} and {@code kubernetes}.
     */
    static final class RequestOptions extends DeployedProject {
        @Option(names = "--commit", required = true, paramLabel = "SHA", description = "The commit deployed (7 to 40 hex characters).")
        String commit;

        @Option(names = "--env", paramLabel = "ENV", defaultValue = DeploymentRequest.DEFAULT_ENVIRONMENT,
                description = "The environment (default ${DEFAULT-VALUE}).")
        String environment;

        @Option(names = "--rollback", description = "This deployment rolls back to an earlier version.")
        boolean rollback;

        @Option(names = "--attribute", paramLabel = "KEY=VALUE", description = "A request attribute (repeatable), e.g. "
                + "user_id=alice; one named like a host column with an adoption default wins over that default.")
        java.util.List<String> attributes = new java.util.ArrayList<>();

        /** The request these options describe; a usage error when one is not usable. */
        DeploymentRequest request(BaseCommand cmd) {
            Project p = require();
            return DeploymentRequest.builder().owner(p.owner()).repo(p.repo()).environment(environment)
                    .commitSha(commit).rollback(rollback).attributes(attributes(attributes, cmd)).build();
        }

        /** The same options as command-line arguments, for a command to print: {@code --project ... --commit ...}. */
        String asArguments() {
            Project p = require();
            StringBuilder b = new StringBuilder("--project " + p.owner() + "/" + p.repo() + " --commit " + commit
                    + " --env " + environment);
            if (rollback) {
                b.append(" --rollback");
            }
            attributes.forEach(a -> b.append(" --attribute ").append(a));
            return b.toString();
        }
    }

    /** {@code --attribute KEY=VALUE} options as a map; a usage error names a value without {@code =}. */
    static java.util.Map<String, String> attributes(java.util.List<String> values, BaseCommand cmd) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String v : values == null ? java.util.List.<String>of() : values) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw cmd.usage("--attribute " + v + " is not usable: expected KEY=VALUE, e.g. user_id=alice");
            }
            out.put(v.substring(0, eq).strip(), v.substring(eq + 1));
        }
        return out;
    }
}

package io.deploytrack.ncp;

import java.net.URI;
import java.util.Objects;

/**
 * Where the NCP developer-tools APIs live: SourceDeploy ({@link #baseUri()}), SourceBuild and SourcePipeline, each on
 * its own host. The presets name NCP's gateways; any base URI can be given per service (an emulator, a proxy).
 * Request paths ({@code /api/v1/...}) are appended to the service's base URI.
 *
 * <p>Hosts, from the NCP API reference (devtools-sourcedeploy, devtools-sourcebuild, devtools-sourcepipeline and
 * their api-gov pages): SourceBuild has one host for Classic and VPC ({@code sourcebuild.apigw.ntruss.com}, Gov
 * {@code sourcebuild.apigw.gov-ntruss.com}); SourceDeploy and SourcePipeline have a {@code vpc} host and a Classic one.
 *
 * @param baseUri           SourceDeploy's base URI
 * @param sourceBuildUri    SourceBuild's base URI
 * @param sourcePipelineUri SourcePipeline's base URI
 */
public record NcpEndpoint(URI baseUri, URI sourceBuildUri, URI sourcePipelineUri) {

    /** The VPC platform, the default: {@code vpcsourcedeploy}, {@code sourcebuild}, {@code vpcsourcepipeline} under {@code apigw.ntruss.com}. */
    public static final NcpEndpoint VPC = of("https://vpcsourcedeploy.apigw.ntruss.com",
            "https://sourcebuild.apigw.ntruss.com", "https://vpcsourcepipeline.apigw.ntruss.com");
    /** The Classic platform (Korea region only): {@code sourcedeploy}, {@code sourcebuild}, {@code sourcepipeline} under {@code apigw.ntruss.com}. */
    public static final NcpEndpoint CLASSIC = of("https://sourcedeploy.apigw.ntruss.com",
            "https://sourcebuild.apigw.ntruss.com", "https://sourcepipeline.apigw.ntruss.com");
    /** Gov cloud, VPC: the same hosts under {@code apigw.gov-ntruss.com}. */
    public static final NcpEndpoint GOV_VPC = of("https://vpcsourcedeploy.apigw.gov-ntruss.com",
            "https://sourcebuild.apigw.gov-ntruss.com", "https://vpcsourcepipeline.apigw.gov-ntruss.com");
    /** Gov cloud, Classic: the same hosts under {@code apigw.gov-ntruss.com}. */
    public static final NcpEndpoint GOV_CLASSIC = of("https://sourcedeploy.apigw.gov-ntruss.com",
            "https://sourcebuild.apigw.gov-ntruss.com", "https://sourcepipeline.apigw.gov-ntruss.com");

    /** The three services, for messages and for the base URI of each. */
    public enum Service {
        /** SourceDeploy. */
        SOURCEDEPLOY("SourceDeploy", "NCP_ENDPOINT"),
        /** SourceBuild. */
        SOURCEBUILD("SourceBuild", "NCP_SOURCEBUILD_ENDPOINT"),
        /** SourcePipeline. */
        SOURCEPIPELINE("SourcePipeline", "NCP_SOURCEPIPELINE_ENDPOINT");

        private final String product;
        private final String environmentVariable;

        Service(String product, String environmentVariable) {
            this.product = product;
            this.environmentVariable = environmentVariable;
        }

        /** @return NCP's name of the product, e.g. "SourceBuild" */
        public String product() {
            return product;
        }

        /** @return e.g. "NCP SourceBuild" */
        public String displayName() {
            return "NCP " + product;
        }

        /** @return the environment variable {@link NcpEndpoint#fromEnvironment()} reads its base URL from */
        public String environmentVariable() {
            return environmentVariable;
        }
    }

    /**
     * The endpoint the environment names: {@code NCP_ENDPOINT} (SourceDeploy; a preset's SourceDeploy host selects
     * that preset's other hosts too, any other URL serves all three services), then {@code NCP_SOURCEBUILD_ENDPOINT}
     * and {@code NCP_SOURCEPIPELINE_ENDPOINT} for those services; {@link #VPC} where nothing is set.
     *
     * @return the endpoint
     * @throws IllegalArgumentException naming the variable whose value is not an http(s) base URL
     */
    public static NcpEndpoint fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * As {@link #fromEnvironment()}, from a map of environment variables (blank values count as unset).
     *
     * @param environment the variables
     * @return the endpoint
     * @throws IllegalArgumentException naming the variable whose value is not an http(s) base URL
     */
    public static NcpEndpoint fromEnvironment(java.util.Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        return fromUrls(value(environment, Service.SOURCEDEPLOY), value(environment, Service.SOURCEBUILD),
                value(environment, Service.SOURCEPIPELINE), Service::environmentVariable);
    }

    /**
     * An endpoint from up to three base URLs, each null when not given: SourceDeploy's (a preset's SourceDeploy host
     * selects that preset; any other URL serves all three services; none is {@link #VPC}), then SourceBuild's and
     * SourcePipeline's overriding that.
     *
     * @param sourceDeploy   SourceDeploy's base URL, or null
     * @param sourceBuild    SourceBuild's base URL, or null
     * @param sourcePipeline SourcePipeline's base URL, or null
     * @param nameOf         how to name a service's value in an error (an option, a variable)
     * @return the endpoint
     * @throws IllegalArgumentException naming the value that is not an http(s) base URL
     */
    public static NcpEndpoint fromUrls(String sourceDeploy, String sourceBuild, String sourcePipeline,
                                       java.util.function.Function<Service, String> nameOf) {
        NcpEndpoint e = VPC;
        if (sourceDeploy != null) {
            URI deploy = checked(parse(sourceDeploy, nameOf.apply(Service.SOURCEDEPLOY)), nameOf.apply(Service.SOURCEDEPLOY));
            e = preset(deploy);
            if (e == null) {
                e = NcpEndpoint.of(deploy);
            }
        }
        if (sourceBuild != null) {
            e = e.withSourceBuild(parse(sourceBuild, nameOf.apply(Service.SOURCEBUILD)), nameOf.apply(Service.SOURCEBUILD));
        }
        if (sourcePipeline != null) {
            e = e.withSourcePipeline(parse(sourcePipeline, nameOf.apply(Service.SOURCEPIPELINE)),
                    nameOf.apply(Service.SOURCEPIPELINE));
        }
        return e;
    }

    /**
     * @param sourceDeploy a SourceDeploy base URI
     * @return the preset whose SourceDeploy host it is, or null
     */
    public static NcpEndpoint preset(URI sourceDeploy) {
        for (NcpEndpoint p : new NcpEndpoint[]{VPC, CLASSIC, GOV_VPC, GOV_CLASSIC}) {
            if (p.baseUri.equals(sourceDeploy)) {
                return p;
            }
        }
        return null;
    }

    private static String value(java.util.Map<String, String> environment, Service service) {
        String v = environment.get(service.environmentVariable());
        return v == null || v.isBlank() ? null : v;
    }

    private NcpEndpoint withSourceBuild(URI uri, String what) {
        return new NcpEndpoint(baseUri, checked(uri, what), sourcePipelineUri);
    }

    private NcpEndpoint withSourcePipeline(URI uri, String what) {
        return new NcpEndpoint(baseUri, sourceBuildUri, checked(uri, what));
    }

    /**
     * Validates the URIs and drops trailing slashes.
     *
     * @param baseUri           SourceDeploy's http or https URI with a host
     * @param sourceBuildUri    SourceBuild's
     * @param sourcePipelineUri SourcePipeline's
     */
    public NcpEndpoint {
        baseUri = checked(baseUri, "endpoint");
        sourceBuildUri = checked(sourceBuildUri, "SourceBuild endpoint");
        sourcePipelineUri = checked(sourcePipelineUri, "SourcePipeline endpoint");
    }

    /**
     * An endpoint at any base URI, for all three services.
     *
     * @param baseUri e.g. {@code http://127.0.0.1:8080}
     * @return the endpoint
     */
    public static NcpEndpoint of(URI baseUri) {
        return new NcpEndpoint(baseUri, baseUri, baseUri);
    }

    /**
     * An endpoint at any base URI, for all three services.
     *
     * @param baseUri e.g. {@code "http://127.0.0.1:8080"}
     * @return the endpoint
     * @throws IllegalArgumentException when it is not a valid URI
     */
    public static NcpEndpoint of(String baseUri) {
        return NcpEndpoint.of(parse(baseUri, "endpoint"));
    }

    /**
     * An endpoint with a base URI per service.
     *
     * @param sourceDeploy   SourceDeploy's base URI
     * @param sourceBuild    SourceBuild's base URI
     * @param sourcePipeline SourcePipeline's base URI
     * @return the endpoint
     * @throws IllegalArgumentException naming the URI that is not valid
     */
    public static NcpEndpoint of(String sourceDeploy, String sourceBuild, String sourcePipeline) {
        return new NcpEndpoint(parse(sourceDeploy, "endpoint"), parse(sourceBuild, "SourceBuild endpoint"),
                parse(sourcePipeline, "SourcePipeline endpoint"));
    }

    /**
     * @param uri SourceBuild's base URI
     * @return a copy with it
     */
    public NcpEndpoint withSourceBuild(URI uri) {
        return new NcpEndpoint(baseUri, uri, sourcePipelineUri);
    }

    /**
     * @param uri SourcePipeline's base URI
     * @return a copy with it
     */
    public NcpEndpoint withSourcePipeline(URI uri) {
        return new NcpEndpoint(baseUri, sourceBuildUri, uri);
    }

    /**
     * @param service a service
     * @return its base URI
     */
    public URI uriOf(Service service) {
        return switch (service) {
            case SOURCEDEPLOY -> baseUri;
            case SOURCEBUILD -> sourceBuildUri;
            case SOURCEPIPELINE -> sourcePipelineUri;
        };
    }

    /** @return true when SourceDeploy requests go over TLS */
    public boolean isSecure() {
        return baseUri.getScheme().equalsIgnoreCase("https");
    }

    /**
     * The full URI of a SourceDeploy request.
     *
     * @param pathAndQuery raw path and query, starting with "/"
     * @return the base URI followed by it
     */
    URI resolve(String pathAndQuery) {
        return resolve(Service.SOURCEDEPLOY, pathAndQuery);
    }

    URI resolve(Service service, String pathAndQuery) {
        return URI.create(uriOf(service) + pathAndQuery);
    }

    private static URI parse(String uri, String what) {
        Objects.requireNonNull(uri, what);
        try {
            return URI.create(uri.strip());
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof java.net.URISyntaxException) {
                throw new IllegalArgumentException(what + " is not a valid URI: \"" + uri + "\"", e);
            }
            throw e;
        }
    }

    private static URI checked(URI uri, String what) {
        Objects.requireNonNull(uri, what);
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
            throw new IllegalArgumentException(what + " must be an http or https URI, got \"" + uri + "\"");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must name a host, got \"" + uri + "\"");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    what + " must be a base URI without user info, query or fragment, got \"" + uri + "\"");
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }
}

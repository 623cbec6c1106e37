package io.deploytrack.ncp;

import java.net.URI;
import java.util.Objects;

/**
 * Where the SourceDeploy API lives: one of NCP's gateways, or any base URI (an emulator, a proxy).
 * Request paths ({@code /api/v1/...}) are appended to the base URI.
 *
 * @param baseUri {@code http} or {@code https} URI with a host, without query, fragment or trailing slash
 */
public record NcpEndpoint(URI baseUri) {

    /** The VPC platform, the default: {@code https://vpcsourcedeploy.apigw.ntruss.com}. */
    public static final NcpEndpoint VPC = of("https://vpcsourcedeploy.apigw.ntruss.com");
    /** The Classic platform (Korea region only): {@code https://sourcedeploy.apigw.ntruss.com}. */
    public static final NcpEndpoint CLASSIC = of("https://sourcedeploy.apigw.ntruss.com");
    /** Gov cloud, VPC: {@code https://vpcsourcedeploy.apigw.gov-ntruss.com}. */
    public static final NcpEndpoint GOV_VPC = of("https://vpcsourcedeploy.apigw.gov-ntruss.com");
    /** Gov cloud, Classic: {@code https://sourcedeploy.apigw.gov-ntruss.com}. */
    public static final NcpEndpoint GOV_CLASSIC = of("https://sourcedeploy.apigw.gov-ntruss.com");

    /**
     * Validates the URI and drops a trailing slash.
     *
     * @param baseUri an http or https URI with a host
     */
    public NcpEndpoint {
        Objects.requireNonNull(baseUri, "baseUri");
        String scheme = baseUri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
            throw new IllegalArgumentException("endpoint must be an http or https URI, got \"" + baseUri + "\"");
        }
        if (baseUri.getHost() == null) {
            throw new IllegalArgumentException("endpoint must name a host, got \"" + baseUri + "\"");
        }
        if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null || baseUri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "endpoint must be a base URI without user info, query or fragment, got \"" + baseUri + "\"");
        }
        String text = baseUri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        baseUri = URI.create(text);
    }

    /**
     * An endpoint at any base URI.
     *
     * @param baseUri e.g. {@code http://127.0.0.1:8080}
     * @return the endpoint
     */
    public static NcpEndpoint of(URI baseUri) {
        return new NcpEndpoint(baseUri);
    }

    /**
     * An endpoint at any base URI.
     *
     * @param baseUri e.g. {@code "http://127.0.0.1:8080"}
     * @return the endpoint
     * @throws IllegalArgumentException when it is not a valid URI
     */
    public static NcpEndpoint of(String baseUri) {
        Objects.requireNonNull(baseUri, "baseUri");
        try {
            return new NcpEndpoint(URI.create(baseUri.strip()));
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof java.net.URISyntaxException) {
                throw new IllegalArgumentException("endpoint is not a valid URI: \"" + baseUri + "\"", e);
            }
            throw e;
        }
    }

    /** @return true when requests go over TLS */
    public boolean isSecure() {
        return baseUri.getScheme().equalsIgnoreCase("https");
    }

    /**
     * The full URI of a request.
     *
     * @param pathAndQuery raw path and query, starting with "/"
     * @return the base URI followed by it
     */
    URI resolve(String pathAndQuery) {
        return URI.create(baseUri + pathAndQuery);
    }
}

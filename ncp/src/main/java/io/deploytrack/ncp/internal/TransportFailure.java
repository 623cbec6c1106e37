package io.deploytrack.ncp.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * The words for a request that got no answer: where it went (host and port, never the path's query or a credential)
 * and why, in words an operator can act on. The JDK's {@code HttpClient} often gives a {@link ConnectException}
 * without a message, so the class alone would say nothing about which endpoint was unreachable. Not public API.
 */
public final class TransportFailure {
    private TransportFailure() {
    }

    /** {@code host:port} of {@code uri}, with the scheme's default port when none is given. */
    public static String hostAndPort(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    /**
     * E.g. {@code got no answer from 127.0.0.1:9: the connection was refused (ConnectException)}: what happened, the
     * host and port, the likely cause and the exception's class and message.
     */
    public static String describe(URI uri, Throwable cause) {
        String where = hostAndPort(uri);
        String why;
        if (cause instanceof HttpConnectTimeoutException) {
            why = "timed out connecting to " + where;
        } else if (cause instanceof HttpTimeoutException) {
            why = "timed out waiting for " + where;
        } else {
            why = "got no answer from " + where + reason(cause);
        }
        String message = cause.getMessage();
        return why + " (" + cause.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : ": " + message) + ")";
    }

    private static String reason(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
            return ": the host name does not resolve";
        }
        if (root instanceof NoRouteToHostException) {
            return ": no route to the host";
        }
        if (root instanceof ConnectException || cause instanceof ConnectException) {
            return ": the connection was refused (nothing listens there, or a firewall rejects it)";
        }
        return "";
    }
}

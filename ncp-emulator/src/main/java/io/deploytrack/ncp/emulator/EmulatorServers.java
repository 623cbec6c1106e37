package io.deploytrack.ncp.emulator;

import io.deploytrack.ncp.emulator.internal.BacklogServerSocketFactory;
import io.deploytrack.ncp.emulator.internal.BuildState;
import io.deploytrack.ncp.emulator.internal.EmulatorDispatcher;
import io.deploytrack.ncp.emulator.internal.PipelineState;
import okhttp3.mockwebserver.MockWebServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The emulator's three real HTTP servers on loopback ports, one per NCP service (at NCP each has its own host):
 * SourceDeploy, SourceBuild and SourcePipeline, each answered by its dispatcher.
 */
final class EmulatorServers {

    // MockWebServer logs every request at INFO through java.util.logging; the emulator keeps its
    // own request log, and benchmarks must not pay for console output. Held so it is not collected.
    private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());

    static {
        MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    }

    private final MockWebServer server;
    private final MockWebServer buildServer;
    private final MockWebServer pipelineServer;
    private final URI baseUri;
    private final URI sourceBuildUri;
    private final URI sourcePipelineUri;

    /**
     * Starts the three servers on free loopback ports.
     *
     * @param dispatcher SourceDeploy's dispatcher, from which SourceBuild's and SourcePipeline's are made
     * @param builds     SourceBuild's state
     * @param pipelines  SourcePipeline's state
     * @param backlog    the accept queue of each server socket
     * @throws IOException when a port cannot be opened
     */
    EmulatorServers(EmulatorDispatcher dispatcher, BuildState builds, PipelineState pipelines, int backlog)
            throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.server = serve(dispatcher, backlog, loopback);
        String host = loopback.getHostAddress().contains(":") ? "[" + loopback.getHostAddress() + "]" : loopback.getHostAddress();
        this.baseUri = URI.create("http://" + host + ":" + server.getPort());
        this.buildServer = serve(dispatcher.sourceBuild(builds), backlog, loopback);
        this.pipelineServer = serve(dispatcher.sourcePipeline(pipelines), backlog, loopback);
        this.sourceBuildUri = URI.create("http://" + host + ":" + buildServer.getPort());
        this.sourcePipelineUri = URI.create("http://" + host + ":" + pipelineServer.getPort());
    }

    private static MockWebServer serve(EmulatorDispatcher d, int backlog, InetAddress loopback) throws IOException {
        MockWebServer s = new MockWebServer();
        s.setServerSocketFactory(new BacklogServerSocketFactory(backlog));
        s.setDispatcher(d);
        d.attach(s);
        s.start(loopback, 0);
        return s;
    }

    /** @return SourceDeploy's base URI */
    URI baseUri() {
        return baseUri;
    }

    /** @return SourceBuild's base URI */
    URI sourceBuildUri() {
        return sourceBuildUri;
    }

    /** @return SourcePipeline's base URI */
    URI sourcePipelineUri() {
        return sourcePipelineUri;
    }

    /** Stops the three servers. */
    void shutdown() throws IOException {
        server.shutdown();
        buildServer.shutdown();
        pipelineServer.shutdown();
    }
}

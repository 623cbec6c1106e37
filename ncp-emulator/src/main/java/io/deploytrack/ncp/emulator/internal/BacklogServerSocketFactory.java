package io.deploytrack.ncp.emulator.internal;

import javax.net.ServerSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * Server sockets fit for many concurrent clients. MockWebServer binds with a backlog of 50, which
 * refuses connections when hundreds of clients connect at the same moment (the benchmark's burst),
 * and leaves Nagle's algorithm on, so its two writes per response (headers, then body) meet the
 * client's delayed ACK and every response takes about 40 ms.
 */
public final class BacklogServerSocketFactory extends ServerSocketFactory {

    private final int backlog;

    /** @param backlog the smallest accept queue to ask the operating system for */
    public BacklogServerSocketFactory(int backlog) {
        this.backlog = backlog;
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new ServerSocket() {
            @Override
            public void bind(SocketAddress endpoint, int requested) throws IOException {
                super.bind(endpoint, Math.max(requested, backlog));
            }

            @Override
            public Socket accept() throws IOException {
                Socket socket = super.accept();
                socket.setTcpNoDelay(true);
                return socket;
            }
        };
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, backlog);
    }

    @Override
    public ServerSocket createServerSocket(int port, int requested) throws IOException {
        return createServerSocket(port, requested, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int requested, InetAddress address) throws IOException {
        ServerSocket socket = createServerSocket();
        socket.bind(new InetSocketAddress(address, port), requested);
        return socket;
    }
}

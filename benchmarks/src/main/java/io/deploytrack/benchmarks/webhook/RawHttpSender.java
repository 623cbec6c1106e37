package io.deploytrack.benchmarks.webhook;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One kept-alive HTTP/1.1 connection that POSTs and reads the answer, blocking: the sender side of the benchmark,
 * as lean as a provider's (the JDK HttpClient spends a thread per answer on a 2-core machine, where
 * CompletableFuture's default executor starts a thread per task, which would be measured against the receiver).
 */
final class RawHttpSender implements AutoCloseable {
    /** An answer: the status code and the body. */
    record Answer(int status, String body) {
    }

    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    RawHttpSender(String host, int port) {
        this.host = host;
        this.port = port;
    }

    Answer post(String path, Map<String, String> headers, byte[] body) throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(120_000);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }
        StringBuilder req = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append(':').append(port).append("\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(body.length).append("\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        ByteArrayOutputStream whole = new ByteArrayOutputStream(req.length() + body.length);
        whole.writeBytes(req.toString().getBytes(StandardCharsets.US_ASCII));
        whole.writeBytes(body);
        out.write(whole.toByteArray());
        out.flush();
        String status = line();
        int code = Integer.parseInt(status.split(" ")[1]);
        int length = 0;
        boolean close = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).trim());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        String answer = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        if (close) {
            close();
        }
        return new Answer(code, answer);
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
        throw new IOException("the connection closed before the answer was complete");
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a finished connection: nothing to do
            }
            socket = null;
        }
    }
}

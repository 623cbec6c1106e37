package io.deploytrack.webhook.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.1 request from a blocking socket, as much of HTTP as a webhook receiver needs: a request line,
 * headers (at most {@value #MAX_HEADER_BYTES} bytes in all), and for a POST a body of its {@code Content-Length}.
 * The headers must arrive within the header timeout counted from the first byte awaited, and the body within the
 * body timeout counted from the end of the headers: each read waits only for what is left of its deadline, so a
 * client that sends a byte now and then gains nothing. Not public API.
 */
public final class HttpRequestReader {
    /** The most header bytes read (request line included); more is answered 431. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    /** A request read whole; {@code body} is empty when it was not read (not a POST, or over the limit). */
    public record Request(String method, String target, Map<String, List<String>> headers, byte[] body) {
    }

    /** The request cannot be answered by the receiver: answer {@code status} with {@code reason} and close. */
    public static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refusal(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }

        /** The HTTP status to answer. */
        public int status() {
            return status;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private long deadline;

    private HttpRequestReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
    }

    /**
     * Reads a request from {@code socket}: a body of at most {@code maxBodyBytes} is read; a larger declared one is
     * left unread so the receiver refuses it from its {@code Content-Length}.
     *
     * @throws Refusal              when the request is malformed, too large in its headers, or too slow
     * @throws IOException          when the connection fails
     */
    public static Request read(Socket socket, Duration headerTimeout, Duration bodyTimeout, int maxBodyBytes)
            throws IOException, Refusal {
        return new HttpRequestReader(socket).request(headerTimeout, bodyTimeout, maxBodyBytes);
    }

    private Request request(Duration headerTimeout, Duration bodyTimeout, int maxBodyBytes) throws IOException, Refusal {
        deadline = System.nanoTime() + headerTimeout.toNanos();
        List<String> lines = new ArrayList<>();
        int total = 0;
        String line;
        try {
            while (!(line = line(MAX_HEADER_BYTES - total)).isEmpty() || lines.isEmpty()) {
                total += line.length() + 2;
                if (!line.isEmpty()) { // blank lines before a request line are tolerated (RFC 9112, 2.2)
                    lines.add(line);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new Refusal(408, "the request headers did not arrive within " + headerTimeout.toMillis() + " ms");
        }
        String[] requestLine = lines.get(0).split(" ", -1);
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new Refusal(400, "the request line is not 'METHOD /path HTTP/1.1'");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h : lines.subList(1, lines.size())) {
            int colon = h.indexOf(':');
            if (colon <= 0 || h.charAt(0) == ' ' || h.charAt(0) == '\t') {
                throw new Refusal(400, "a header line is not 'Name: value'");
            }
            headers.computeIfAbsent(h.substring(0, colon).trim(), k -> new ArrayList<>()).add(h.substring(colon + 1).trim());
        }
        String method = requestLine[0];
        byte[] body = new byte[0];
        if ("POST".equals(method)) {
            body = body(headers, bodyTimeout, maxBodyBytes);
        }
        return new Request(method, requestLine[1], headers, body);
    }

    private byte[] body(Map<String, List<String>> headers, Duration bodyTimeout, int maxBodyBytes)
            throws IOException, Refusal {
        if (header(headers, "Transfer-Encoding") != null) {
            throw new Refusal(411, "send the body with a Content-Length: chunked transfer encoding is not accepted");
        }
        String declared = header(headers, "Content-Length");
        if (declared == null) {
            throw new Refusal(411, "a POST needs a Content-Length header");
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return new byte[0]; // the receiver refuses it, naming the value
        }
        if (length < 0) {
            throw new Refusal(400, "Content-Length '" + declared + "' is negative");
        }
        if (length > maxBodyBytes) {
            return new byte[0]; // refused by the receiver from the header alone, nothing read
        }
        String expect = header(headers, "Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            // curl waits a second for this before sending a body over 1 KiB
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        deadline = System.nanoTime() + bodyTimeout.toNanos();
        byte[] body = new byte[(int) length];
        int read = 0;
        try {
            while (read < body.length) {
                int n = in.read(body, read, body.length - read);
                if (n < 0) {
                    throw new Refusal(400, "the body ended after " + read + " of " + length + " bytes");
                }
                read += n;
                awaitMore();
            }
        } catch (SocketTimeoutException e) {
            throw new Refusal(408, "the body did not arrive within " + bodyTimeout.toMillis() + " ms (" + read + " of "
                    + length + " bytes came)");
        }
        return body;
    }

    /** A header line without its CRLF (a bare LF is accepted); only ASCII is kept as is. */
    private String line(int budget) throws IOException, Refusal {
        StringBuilder b = new StringBuilder();
        awaitMore();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new Refusal(400, "the connection ended inside the request headers");
            }
            if (c == '\n') {
                int end = b.length();
                if (end > 0 && b.charAt(end - 1) == '\r') {
                    b.setLength(end - 1);
                }
                return b.toString();
            }
            if (b.length() >= budget) {
                throw new Refusal(431, "the request headers are over " + MAX_HEADER_BYTES + " bytes");
            }
            b.append((char) c);
            if (in.available() == 0) {
                awaitMore();
            }
        }
    }

    /** Before a read that may block: it waits only for what is left of the deadline. */
    private void awaitMore() throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    /** The first value of header {@code name}, matched case-insensitively; null without one. */
    public static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}

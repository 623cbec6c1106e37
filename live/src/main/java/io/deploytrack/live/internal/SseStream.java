package io.deploytrack.live.internal;

import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One Server-Sent Events response kept open: each message becomes {@code data: <json>} and a blank line (no
 * {@code event:} field, so that a browser's {@code EventSource.onmessage} sees every type; the type is in the JSON).
 * Jetty allows one write in flight per response, so messages queue here and go out one batch at a time; a client
 * that lets more than {@link #MAX_QUEUED} pile up, or whose connection failed, is ended (it reconnects and is
 * replayed). Not public API.
 */
public final class SseStream {
    static final int MAX_QUEUED = 2_000;

    private final Response response;
    private final Callback done;
    private final Deque<String> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;

    SseStream(Response response, Callback done) {
        this.response = response;
        this.done = done;
    }

    /** Queues one message; throws when the stream ended (the hub then drops the session). */
    public void send(String json) {
        enqueue("data: " + json.replace("\n", "\ndata: ") + "\n\n");
    }

    /** A comment line that keeps proxies and the idle timeout from ending a quiet stream. */
    void keepAlive() {
        try {
            enqueue(": keep-alive\n\n");
        } catch (IllegalStateException e) {
            // already ended: nothing to keep alive
        }
    }

    private void enqueue(String chunk) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the event stream ended");
            }
            if (queue.size() >= MAX_QUEUED) {
                fail(new IllegalStateException("the client fell " + MAX_QUEUED + " messages behind"));
                throw new IllegalStateException("the event stream ended: the client fell behind");
            }
            queue.add(chunk);
            if (writing) {
                return;
            }
            writing = true;
        }
        writeNext();
    }

    private void writeNext() {
        StringBuilder batch = new StringBuilder();
        synchronized (this) {
            if (closed || queue.isEmpty()) {
                writing = false;
                return;
            }
            while (!queue.isEmpty()) {
                batch.append(queue.poll());
            }
        }
        ByteBuffer bytes = ByteBuffer.wrap(batch.toString().getBytes(StandardCharsets.UTF_8));
        response.write(false, bytes, Callback.from(this::writeNext, this::fail));
    }

    /** Whether it ended. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Ends the response because the connection failed (or the client fell behind). */
    void fail(Throwable why) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
        }
        done.failed(why);
    }

    /** Ends the response normally (the server stops). */
    void end() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
        }
        response.write(true, ByteBuffer.allocate(0), done);
    }
}

package io.deploytrack.live.internal;

import io.deploytrack.live.LiveHub;
import io.deploytrack.live.LivePage;
import io.deploytrack.live.LiveReadApi;
import io.deploytrack.live.LiveSession;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Scheduler;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the standalone server answers below the WebSocket upgrade: the page's files, the SSE stream, the read-only JSON.
 * GET only. Not public API.
 */
public final class Routes extends Handler.Abstract {
    static final long KEEP_ALIVE_SECONDS = 15;

    private final LiveHub hub;
    private final LiveReadApi api;
    private final LivePage page;
    private final ServerPaths paths;
    private final Scheduler scheduler;
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();

    public Routes(LiveHub hub, LiveReadApi api, LivePage page, ServerPaths paths, Scheduler scheduler) {
        this.hub = hub;
        this.api = api;
        this.page = page;
        this.paths = paths;
        this.scheduler = scheduler;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return json(response, callback, 405, "{\"error\":\"method " + request.getMethod().replaceAll("[^A-Z]", "")
                    + " is not allowed: this server is read-only (GET)\"}");
        }
        if (path.equals(paths.sse())) {
            return stream(request, response, callback);
        }
        if (path.startsWith(paths.api() + "/")) {
            LiveReadApi.Answer a = api.get(path.substring(paths.api().length() + 1), query(request));
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            return json(response, callback, a.status(), a.json());
        }
        Optional<String> asset = paths.asset(path);
        if (asset.isPresent()) {
            Optional<LivePage.Asset> file = page.asset(asset.get());
            if (file.isPresent()) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.get().contentType());
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                response.getHeaders().put("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; "
                        + "img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
                response.write(true, ByteBuffer.wrap(file.get().body()), callback);
                return true;
            }
        }
        return json(response, callback, 404, "{\"error\":\"nothing at this path: the page is at " + paths.page()
                + ", the JSON below " + paths.api() + "/\"}");
    }

    private boolean stream(Request request, Response response, Callback callback) {
        Map<String, String> q = query(request);
        Long deployment = null;
        String id = q.get("deployment_id");
        if (id != null) {
            if (!id.matches("[0-9]{1,18}") || Long.parseLong(id) < 1) {
                return json(response, callback, 400, "{\"error\":\"deployment_id is not usable: expected a "
                        + "deployment's id, a positive whole number\"}");
            }
            deployment = Long.parseLong(id);
        }
        String user = q.get("user_id");
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
        SseStream stream = new SseStream(response, Callback.from(callback, () -> { }));
        streams.add(stream);
        LiveSession session = hub.connect(stream::send);
        request.addFailureListener(failure -> {
            stream.fail(failure);
            session.close();
            streams.remove(stream);
        });
        if (deployment != null) {
            session.subscribeDeployment(deployment);
        } else if (user != null && !user.isBlank()) {
            session.subscribeUser(user);
        }
        keepAlive(stream, session);
        return true;
    }

    private void keepAlive(SseStream stream, LiveSession session) {
        scheduler.schedule(() -> {
            if (stream.isClosed()) {
                session.close();
                streams.remove(stream);
                return;
            }
            stream.keepAlive();
            keepAlive(stream, session);
        }, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    }

    /** Ends every open event stream (the server stops). */
    public void endStreams() {
        streams.forEach(SseStream::end);
        streams.clear();
    }

    static Map<String, String> query(Request request) {
        Map<String, String> out = new LinkedHashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        for (Fields.Field f : fields) {
            out.put(f.getName(), f.getValue());
        }
        return out;
    }

    static boolean json(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
        return true;
    }
}

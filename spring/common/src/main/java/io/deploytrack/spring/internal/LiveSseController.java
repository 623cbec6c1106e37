package io.deploytrack.spring.internal;

import io.deploytrack.live.LiveSession;
import io.deploytrack.spring.LiveProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The live message set as Server-Sent Events at {@code deploytrack.live.sse-path}, as {@code deploytrack serve} serves
 * it: each message one {@code data:} line of JSON (no {@code event:} name, so {@code EventSource.onmessage} sees every
 * type), {@code connection_established} first; {@code ?deployment_id=} or {@code ?user_id=} subscribes and replays the
 * story so far. A stream lasts at most 30 minutes (the browser reconnects and is replayed); a comment every 15 s keeps
 * proxies from ending a quiet one and finds clients that left. Not public API.
 */
@RestController
public class LiveSseController {
    static final long STREAM_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(30);
    static final long KEEP_ALIVE_SECONDS = 15;

    private final LiveRuntime runtime;

    /** Streams from {@code runtime}'s hub. */
    public LiveSseController(LiveRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Opens a stream.
     *
     * @param deploymentId subscribes to this deployment (a positive whole number), optional
     * @param userId       subscribes to this user's deployments, optional
     * @return the stream, or 400 naming a bad {@code deployment_id}
     */
    @GetMapping("${deploytrack.live.sse-path:" + LiveProperties.DEFAULT_SSE_PATH + "}")
    public ResponseEntity<?> stream(@RequestParam(name = "deployment_id", required = false) String deploymentId,
                                    @RequestParam(name = "user_id", required = false) String userId) {
        Long deployment = null;
        if (deploymentId != null) {
            if (!deploymentId.matches("[0-9]{1,18}") || Long.parseLong(deploymentId) < 1) {
                return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON).body("{\"error\":\""
                        + "deployment_id is not usable: expected a deployment's id, a positive whole number\"}");
            }
            deployment = Long.parseLong(deploymentId);
        }
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MS);
        LiveSession session = runtime.hub().connect(json -> send(emitter, SseEmitter.event().data(json)));
        Runnable end = emitter::complete;
        ScheduledFuture<?> keepAlive = runtime.scheduler().scheduleAtFixedRate(() -> {
            try {
                if (session.isOpen()) {
                    send(emitter, SseEmitter.event().comment("keep-alive"));
                } else {
                    emitter.complete();
                }
            } catch (RuntimeException e) {
                session.close();
            }
        }, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        Runnable leave = () -> {
            keepAlive.cancel(false);
            session.close();
            runtime.forget(end);
        };
        emitter.onCompletion(leave);
        emitter.onTimeout(leave);
        emitter.onError(e -> leave.run());
        runtime.onStop(end);
        if (deployment != null) {
            session.subscribeDeployment(deployment);
        } else if (userId != null && !userId.isBlank()) {
            session.subscribeUser(userId);
        }
        return ResponseEntity.ok().header("Cache-Control", "no-store").header("X-Accel-Buffering", "no").body(emitter);
    }

    /** Sends one event; a failure is unchecked, so that the hub drops the session (the client reconnects). */
    private static void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException e) {
            emitter.completeWithError(e);
            throw new UncheckedIOException(e);
        }
    }
}

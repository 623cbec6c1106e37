package io.deploytrack.examples.springboot;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentCheck;
import io.deploytrack.core.DeploymentHistory;
import io.deploytrack.core.DeploymentListener;
import io.deploytrack.core.HistoryStore;
import io.deploytrack.spring.DeploymentViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Live progress as Server-Sent Events. A subscriber first gets the deployment as it is ({@code started}, a
 * {@code status} per check that has reported, and {@code completed} when it already ended), then every change as the
 * tracker reports it; the stream ends after {@code completed}. Everything is sent from one thread, so a subscriber
 * sees events in order, and the tracker's threads never wait on a browser.
 */
@Component
public class DeploymentFeed implements DeploymentListener, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(DeploymentFeed.class);
    private static final long STREAM_TIMEOUT_MS = 30 * 60 * 1000L;

    private final DeploymentHistory history;
    private final Map<Long, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "deployment-feed");
        t.setDaemon(true);
        return t;
    });

    /**
     * Wired by Spring. Reads the store rather than the tracker: the tracker is built with this listener.
     *
     * @param store the history store
     */
    public DeploymentFeed(HistoryStore store) {
        this.history = DeploymentHistory.of(store);
    }

    /**
     * A new stream of one deployment's progress.
     *
     * @param id the deployment
     * @return the emitter Spring MVC streams
     */
    public SseEmitter subscribe(long id) {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MS);
        Subscriber s = new Subscriber(id, emitter);
        subscribers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(s);
        emitter.onCompletion(() -> remove(s));
        emitter.onTimeout(() -> remove(s));
        emitter.onError(e -> remove(s));
        sender.execute(() -> prime(s));
        return emitter;
    }

    @Override
    public void onStatusChanged(Deployment d, DeploymentCheck check) {
        sender.execute(() -> each(d.id(), s -> s.send("status", status(d, check))));
    }

    @Override
    public void onCompleted(Deployment d) {
        sender.execute(() -> each(d.id(), s -> s.complete(d)));
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
        subscribers.values().forEach(set -> set.forEach(s -> s.emitter.complete()));
        subscribers.clear();
    }

    /** The snapshot, read after the subscriber is registered: changes after it arrive as events, none is lost. */
    private void prime(Subscriber s) {
        Optional<Deployment> now = history.find(s.id);
        if (now.isEmpty()) {
            s.emitter.complete();
            return;
        }
        Deployment d = now.get();
        s.primed = true;
        s.send("started", DeploymentViews.deployment(d));
        for (DeploymentCheck c : d.checks()) {
            if (c.lastSourceStatus() != null) {
                s.send("status", status(d, c));
            }
        }
        if (d.isTerminal()) {
            s.complete(d);
        }
    }

    private void each(long id, java.util.function.Consumer<Subscriber> action) {
        Set<Subscriber> set = subscribers.get(id);
        if (set != null) {
            // Not yet primed: the snapshot it is about to read already contains this change.
            set.stream().filter(s -> s.primed).forEach(action);
        }
    }

    private void remove(Subscriber s) {
        Set<Subscriber> set = subscribers.get(s.id);
        if (set != null) {
            set.remove(s);
        }
    }

    private static Map<String, Object> status(Deployment d, DeploymentCheck c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", d.id());
        o.put("status", d.status().word());
        o.put("check", c.name());
        o.put("sourceStatus", c.lastSourceStatus());
        o.put("awaitingApproval", c.awaitingApproval());
        return o;
    }

    /** One browser's stream; touched only by the sender thread once registered. */
    private final class Subscriber {
        private final long id;
        private final SseEmitter emitter;
        private volatile boolean primed;
        private boolean completed;

        private Subscriber(long id, SseEmitter emitter) {
            this.id = id;
            this.emitter = emitter;
        }

        void send(String event, Map<String, Object> data) {
            if (completed) {
                return;
            }
            try {
                emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                log.debug("deployment_feed_subscriber_gone deployment_id={} error=\"{}\"", id, e.getMessage());
                completed = true;
                remove(this);
            }
        }

        void complete(Deployment d) {
            if (completed) {
                return;
            }
            send("completed", DeploymentViews.deployment(d));
            completed = true;
            remove(this);
            emitter.complete();
        }
    }
}

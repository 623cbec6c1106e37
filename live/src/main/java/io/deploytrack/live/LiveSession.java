package io.deploytrack.live;

import io.deploytrack.core.Deployment;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One client of a {@link LiveHub} (a WebSocket, an SSE stream): what it subscribed to, and the last event of each
 * deployment it was sent, so that no event reaches it twice (a replay and the live stream meet there). Until it
 * subscribes it receives the messages of every deployment; after, only those it subscribed to.
 */
public final class LiveSession implements AutoCloseable {
    private final LiveHub hub;
    private final Consumer<String> sender;
    private final Set<Long> deployments = new HashSet<>();
    private final Set<String> users = new HashSet<>();
    private final Map<Long, Long> lastEvent = new HashMap<>();
    private volatile boolean open = true;

    LiveSession(LiveHub hub, Consumer<String> sender) {
        this.hub = hub;
        this.sender = sender;
    }

    /** Handles one message from the client: a subscribe (answered with the replay) or a ping. */
    public void receive(String text) {
        hub.receive(this, text);
    }

    /** Subscribes to one deployment, replaying its story so far; as {@code {"type":"subscribe","deployment_id":id}}. */
    public void subscribeDeployment(long id) {
        hub.subscribe(this, new ClientMessage.Subscribe(id, null));
    }

    /** Subscribes to one user's deployments; as {@code {"type":"subscribe","user_id":user}}. */
    public void subscribeUser(String user) {
        hub.subscribe(this, new ClientMessage.Subscribe(null, user));
    }

    /**
     * Sets where this session resumes: events of {@code deploymentId} up to {@code eventId} were already received
     * (an SSE client's {@code Last-Event-ID}).
     */
    public synchronized void resumeAfter(long deploymentId, long eventId) {
        lastEvent.merge(deploymentId, eventId, Math::max);
    }

    /** Whether it is still open. */
    public boolean isOpen() {
        return open;
    }

    synchronized void addSubscription(ClientMessage.Subscribe s) {
        if (s.deploymentId() != null) {
            deployments.add(s.deploymentId());
        } else {
            users.add(s.userId());
        }
    }

    synchronized boolean wants(Deployment d, LiveCodec codec) {
        if (deployments.isEmpty() && users.isEmpty()) {
            return true;
        }
        String user = codec.userOf(d);
        return deployments.contains(d.id()) || (user != null && users.contains(user));
    }

    /** Sends the messages of one event unless this session had that event already. */
    synchronized void deliver(long deploymentId, long eventId, List<LiveMessage> messages) {
        if (eventId != 0) {
            long last = lastEvent.getOrDefault(deploymentId, 0L);
            if (eventId <= last) {
                return;
            }
            lastEvent.put(deploymentId, eventId);
        }
        messages.forEach(m -> send(m.json()));
    }

    synchronized void send(String json) {
        if (!open) {
            return;
        }
        try {
            sender.accept(json);
        } catch (RuntimeException e) {
            // The client went away (or cannot keep up): it reconnects and is replayed what it missed.
            close();
        }
    }

    /** Leaves the hub; nothing more is sent. */
    @Override
    public void close() {
        open = false;
        hub.remove(this);
    }
}

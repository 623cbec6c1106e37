package io.deploytrack.core;

/**
 * A source that is told, rather than asks: signed HTTP callbacks, a message queue. It pushes observations to the
 * tracker through a {@link PushTarget}, for checks of its own type (push-only checks) and for checks of other types
 * that name it with {@link CheckSpec#pushedBy(PushSource)} (a push path with the check's own source as safety net).
 *
 * <p>The tracker {@linkplain #connect connects} itself when it is built with the source, and routes each push to the
 * check it names: applied at once when this instance holds the deployment's lease, recorded in the store for the
 * holder otherwise. {@link #follow} therefore has nothing to start.
 */
public interface PushSource extends WatchingSource {

    /** Called by the tracker with the target that receives this source's pushes; a later call replaces it. */
    void connect(PushTarget target);

    /** Nothing to start: pushes reach the check through the {@link PushTarget}. */
    @Override
    default Following follow(CheckRef ref, CheckSink sink) {
        return () -> { };
    }
}

package io.deploytrack.core;

/**
 * A source that pushes: it starts following a check and reports through the sink whenever something changes
 * (watches, informers, webhooks). It must report the current state soon after {@link #follow} (a resumed check
 * needs it), must not block the caller, and stops when the returned {@link Following} is closed.
 */
public non-sealed interface WatchingSource extends StatusSource {

    /** Starts following {@code ref}; observations go to {@code sink} from any thread. */
    Following follow(CheckRef ref, CheckSink sink);
}

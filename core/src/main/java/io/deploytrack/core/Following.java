package io.deploytrack.core;

/** A running follow of one check; closing it stops the source's work for that check. Idempotent. */
@FunctionalInterface
public interface Following extends AutoCloseable {
    /** Stops following; never throws. */
    @Override
    void close();
}

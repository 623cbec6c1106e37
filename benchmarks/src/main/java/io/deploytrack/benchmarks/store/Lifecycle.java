package io.deploytrack.benchmarks.store;

/**
 * One deployment's life in a store, as the tracker writes it: create (with its one check and the "started" event),
 * two check updates (the source said {@code waiting}, then {@code inprogress}), complete ({@code success}). Two
 * implementations run the same statements: {@link StoreLifecycle} through {@code JdbcHistoryStore}, and
 * {@link PlainJdbcLifecycle} written by hand in plain JDBC.
 */
public interface Lifecycle extends AutoCloseable {

    /** Runs one whole life; returns the deployment's id. */
    long run();

    @Override
    void close();
}

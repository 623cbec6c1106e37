package io.deploytrack.jdbc;

/**
 * Which clock measures leases ({@code lease_until} and "has this lease expired?"). Chosen with
 * {@link JdbcHistoryStore.Builder#leaseTime(LeaseTime)}.
 *
 * <p>Leases decide which instance follows a running deployment, so every instance must measure them with the same
 * clock. On PostgreSQL that clock is the server's {@code now()} by default: the hosts' clocks may drift apart, the
 * database's is one clock for all of them. On SQLite every process shares one machine, so the store's
 * {@link java.time.Clock} is that one clock already.
 */
public enum LeaseTime {
    /**
     * The database server's clock ({@code now()} on PostgreSQL): the default, and the right choice whenever several
     * instances share the database. On SQLite, which has no server, this is the same as {@link #STORE_CLOCK}.
     */
    DATABASE,

    /**
     * The store's {@link java.time.Clock} ({@link JdbcHistoryStore.Builder#clock}), bound as a parameter. For tests
     * that move a manual clock to expire leases, and for a single instance. With several instances on PostgreSQL,
     * any skew between the hosts' clocks shortens or lengthens every lease by that much.
     */
    STORE_CLOCK
}

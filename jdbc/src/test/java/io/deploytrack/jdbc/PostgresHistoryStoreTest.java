package io.deploytrack.jdbc;

import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.HistoryStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;

/**
 * The PostgreSQL store keeps the contract, on a real server, through a HikariCP pool. Each test has its own
 * database; "reopening" builds a new store and a new pool on it, as a restarted instance would.
 *
 * <p>The contract expires leases by moving a manual clock, so these stores measure leases with that clock
 * ({@link LeaseTime#STORE_CLOCK}); {@code PostgresStoreTest} covers the production default, the server's
 * {@code now()}.
 */
class PostgresHistoryStoreTest extends HistoryStoreContract {
    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();
    private int pools;

    @Override
    protected HistoryStore openStore(Clock clock) {
        return JdbcHistoryStore.builder().dataSource(pg.hikari("contract-" + ++pools, 8)).clock(clock)
                .leaseTime(LeaseTime.STORE_CLOCK).build();
    }
}

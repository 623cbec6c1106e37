package io.deploytrack.jdbc;

import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.InsightsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;

/** PostgreSQL works the insights out in SQL on a real server, and keeps the contract. */
class PostgresInsightsTest extends InsightsContract {
    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    @Override
    protected HistoryStore openStore(Clock clock) {
        return JdbcHistoryStore.builder().dataSource(pg.hikari("insights", 4)).clock(clock)
                .leaseTime(LeaseTime.STORE_CLOCK).build();
    }
}

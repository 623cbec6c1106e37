package io.deploytrack.jdbc;

import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.InsightsContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

/** SQLite works the insights out in SQL (window functions) on a real file, and keeps the contract. */
class SqliteInsightsTest extends InsightsContract {
    @TempDir
    Path dir;

    @Override
    protected HistoryStore openStore(Clock clock) {
        return JdbcHistoryStore.builder().sqlite(dir.resolve("history.db")).clock(clock).build();
    }
}

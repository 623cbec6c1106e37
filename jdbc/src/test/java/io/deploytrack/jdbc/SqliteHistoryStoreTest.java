package io.deploytrack.jdbc;

import io.deploytrack.core.HistoryStore;
import io.deploytrack.core.HistoryStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

/** The SQLite store keeps the contract, on a real file; "reopening" opens the file again, as a new process would. */
class SqliteHistoryStoreTest extends HistoryStoreContract {
    @TempDir
    Path dir;

    @Override
    protected HistoryStore openStore(Clock clock) {
        return JdbcHistoryStore.builder().sqlite(dir.resolve("history.db")).clock(clock).build();
    }
}

package io.deploytrack.benchmarks.store;

import com.zaxxer.hikari.HikariDataSource;
import io.deploytrack.benchmarks.SqlRecorder;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline of {@code store.*} is honest: plain JDBC sends exactly the statements the store sends, in the same
 * order and transactions, for a whole deployment life (SQLite: with its BEGIN IMMEDIATE and COMMIT).
 */
class BaselineSqlTest {
    @TempDir
    Path dir;

    @Test
    void onSqliteThePlainJdbcLifeRunsTheStoresStatements() throws Exception {
        SqlRecorder store = new SqlRecorder();
        SQLiteDataSource ds = new SQLiteDataSource(new SQLiteConfig());
        ds.setUrl("jdbc:sqlite:" + SqliteFiles.fresh(dir.resolve("store.db")));
        try (Lifecycle ours = new StoreLifecycle(JdbcHistoryStore.builder().dataSource(store.wrap(ds)).build(), "t", true)) {
            ours.run();
            store.clear();
            ours.run();
        }
        SqlRecorder plain = new SqlRecorder();
        try (Lifecycle baseline = PlainJdbcLifecycle.sqlite(plain.wrap(SqliteFiles.connect(
                SqliteFiles.fresh(dir.resolve("plain.db")))), "t")) {
            baseline.run();
            plain.clear();
            baseline.run();
        }

        List<String> statements = store.statements();
        assertThat(statements).hasSize(23).startsWith("BEGIN IMMEDIATE").endsWith("COMMIT");
        assertThat(plain.statements()).containsExactlyElementsOf(statements);
    }

    @Test
    void onPostgresqlThePlainJdbcLifeRunsTheStoresStatements() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            PostgresServer.Database a = server.createDatabase();
            PostgresServer.Database b = server.createDatabase();
            SqlRecorder store = new SqlRecorder();
            SqlRecorder plain = new SqlRecorder();
            try (HikariDataSource poolA = a.pool("a"); HikariDataSource poolB = b.pool("b")) {
                try (Lifecycle ours = new StoreLifecycle(JdbcHistoryStore.builder().dataSource(store.wrap(poolA)).build(), "t", true)) {
                    ours.run();
                    store.clear();
                    ours.run();
                }
                JdbcHistoryStore.builder().dataSource(poolB).build().close();
                try (Lifecycle baseline = PlainJdbcLifecycle.postgres(plain.wrap(poolB), "t")) {
                    baseline.run();
                    plain.clear();
                    baseline.run();
                }
            }
            assertThat(store.statements()).isNotEmpty().anyMatch(s -> s.contains("ON CONFLICT DO NOTHING"));
            assertThat(plain.statements()).containsExactlyElementsOf(store.statements());
        }
    }
}

package io.deploytrack.jdbc;

import io.deploytrack.core.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a module with its own tables does through {@link StoreTransactions}: its SQL, bound, mapped, committed or not. */
class StoreTransactionTest {
    @TempDir
    Path dir;

    private static final String TABLE = "CREATE TABLE IF NOT EXISTS side_notes (id INTEGER PRIMARY KEY, "
            + "deployment_id INTEGER NOT NULL, note TEXT NOT NULL, at VARCHAR(40))";

    @Test
    void updatesAndQueriesBindAndMapThroughTheStore() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("tx.db"))) {
            StoreTransactions tx = store.transactions();
            Instant at = Instant.parse("2026-03-01T10:00:00.123Z"); // SQLite keeps milliseconds
            tx.write("create side notes", t -> t.update(TABLE, StoreTransaction.Parameters.NONE));
            int inserted = tx.write("add notes", t -> {
                int n = 0;
                for (String note : List.of("first", "second")) {
                    n += t.update("INSERT INTO side_notes (deployment_id, note, at) VALUES (?, ?, ?)", ps -> {
                        ps.setLong(1, 7);
                        ps.setString(2, note);
                        t.dialect().setInstant(ps, 3, at);
                    });
                }
                return n;
            });
            assertThat(inserted).isEqualTo(2);

            List<String> notes = tx.read("list notes", t -> t.query("SELECT note, at FROM side_notes WHERE "
                    + "deployment_id = ? ORDER BY id", ps -> ps.setLong(1, 7), rs -> rs.getString("note") + "@"
                    + t.dialect().getInstant(rs, "at")));
            assertThat(notes).containsExactly("first@" + at, "second@" + at);
            Optional<String> none = tx.read("find a note", t -> t.queryOne("SELECT note FROM side_notes WHERE "
                    + "deployment_id = ?", ps -> ps.setLong(1, 8), rs -> rs.getString(1)));
            assertThat(none).isEmpty();
        }
    }

    @Test
    void workThatThrowsLeavesNothingAndTheErrorNamesWhatFailed() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("rollback.db"))) {
            StoreTransactions tx = store.transactions();
            tx.write("create side notes", t -> t.update(TABLE, StoreTransaction.Parameters.NONE));
            assertThatThrownBy(() -> tx.write("add a note and a bad one", t -> {
                t.update("INSERT INTO side_notes (deployment_id, note) VALUES (?, ?)", ps -> {
                    ps.setLong(1, 1);
                    ps.setString(2, "kept only if all of it commits");
                });
                // NOT NULL note: the database refuses, the first insert goes with it
                return t.update("INSERT INTO side_notes (deployment_id, note) VALUES (?, NULL)", ps -> ps.setLong(1, 1));
            })).isInstanceOf(StoreException.class).hasMessageContaining("cannot add a note and a bad one")
                    .hasCauseInstanceOf(SQLException.class);
            int count = tx.read("count notes", t -> t.queryOne("SELECT COUNT(*) FROM side_notes",
                    StoreTransaction.Parameters.NONE, rs -> rs.getInt(1)).orElseThrow());
            assertThat(count).isZero();

            // the same statement, used again after the failure, still works (the runner evicted the failed one)
            tx.write("add a note", t -> t.update("INSERT INTO side_notes (deployment_id, note) VALUES (?, ?)", ps -> {
                ps.setLong(1, 2);
                ps.setString(2, "after");
            }));
            int after = tx.read("count notes", t -> t.queryOne("SELECT COUNT(*) FROM side_notes",
                    StoreTransaction.Parameters.NONE, rs -> rs.getInt(1)).orElseThrow());
            assertThat(after).isEqualTo(1);
        }
    }

    @Test
    void putAttributeKeepsTheOthersAndSaysWhenThereIsNoSuchDeployment() throws Exception {
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(dir.resolve("attributes.db"))) {
            Deployment d = store.create(SqliteStoreTest.draft("web", "a".repeat(40)), "me", Duration.ofMinutes(1))
                    .deployment();
            StoreTransactions tx = store.transactions();
            boolean put = tx.write("put attributes", t -> t.putAttribute(d.id(), "ticket", "OPS-1")
                    && t.putAttribute(d.id(), "pager", "42"));
            assertThat(put).isTrue();
            boolean putOnNone = tx.write("put an attribute", t -> t.putAttribute(d.id() + 1000, "ticket", "OPS-2"));
            assertThat(putOnNone).isFalse();
            assertThat(store.find(d.id()).orElseThrow().attributes())
                    .containsEntry("ticket", "OPS-1").containsEntry("pager", "42");
        }
    }
}

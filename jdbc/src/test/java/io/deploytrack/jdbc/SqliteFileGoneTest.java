package io.deploytrack.jdbc;

import io.deploytrack.core.HistoryQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A SQLite file deleted or replaced under an open store: SQLite would go on committing into the unlinked file (found
 * by a probe: 394 deployments tracked into a deleted file without one error, all gone when the process exited). The
 * store refuses the next transaction instead, naming the file.
 */
class SqliteFileGoneTest {
    @TempDir
    Path dir;

    private static void deleteWithJournal(Path db) throws Exception {
        Files.delete(db);
        Files.deleteIfExists(Path.of(db + "-wal"));
        Files.deleteIfExists(Path.of(db + "-shm"));
    }

    @Test
    void aDeletedFileFailsTheNextWriteNamingTheFileAndEveryOneAfter() throws Exception {
        Path db = dir.resolve("gone.db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            store.create(SqliteStoreTest.draft("web", "a".repeat(40)), "me", Duration.ofMinutes(1));
            store.checkFileInPlace();

            deleteWithJournal(db);

            assertThatThrownBy(() -> store.create(SqliteStoreTest.draft("api", "b".repeat(40)), "me", Duration.ofMinutes(1)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("the SQLite file " + dir.toRealPath().resolve("gone.db"))
                    .hasMessageContaining("was deleted");
            assertThatThrownBy(store::checkFileInPlace).isInstanceOf(StoreException.class).hasMessageContaining("gone.db");
            assertThatThrownBy(() -> store.list(HistoryQuery.all(10))).isInstanceOf(StoreException.class)
                    .hasMessageContaining("was deleted");
            assertThat(db).as("no file is made again at the path").doesNotExist();
        }
    }

    @Test
    void aFileReplacedByAnotherFailsTheNextWriteNamingTheFile() throws Exception {
        Path db = dir.resolve("replaced.db");
        Path other = dir.resolve("other.db");
        try (JdbcHistoryStore o = JdbcHistoryStore.sqlite(other)) {
            o.create(SqliteStoreTest.draft("other", "c".repeat(40)), "someone", Duration.ofMinutes(1));
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            store.create(SqliteStoreTest.draft("web", "a".repeat(40)), "me", Duration.ofMinutes(1));
            // A restore from a backup: another file renamed over the path.
            Files.move(other, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            assertThatThrownBy(() -> store.create(SqliteStoreTest.draft("api", "b".repeat(40)), "me", Duration.ofMinutes(1)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("replaced.db")
                    .hasMessageContaining("was replaced by another file");
        }
        try (JdbcHistoryStore reopened = JdbcHistoryStore.sqlite(db)) {
            // The refused write is nowhere. (The first one sat in the WAL, which SQLite finds by the path, not by the
            // file: seen here, whatever opens the path next replays it into the new file. A database is replaced
            // with its processes stopped; the store cannot undo a replacement, it stops writing.)
            assertThat(reopened.list(HistoryQuery.all(10))).extracting(d -> d.repo()).doesNotContain("api");
        }
    }

    @Test
    void aFileInPlaceIsNeverRefused() throws Exception {
        Path db = dir.resolve("kept.db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            for (int i = 0; i < 20; i++) {
                store.create(SqliteStoreTest.draft("web" + i, "a".repeat(40)), "me", Duration.ofMinutes(1));
                store.checkFileInPlace();
            }
        }
        try (JdbcHistoryStore reopened = JdbcHistoryStore.sqlite(db)) {
            assertThat(reopened.list(HistoryQuery.all(100))).hasSize(20);
        }
    }
}

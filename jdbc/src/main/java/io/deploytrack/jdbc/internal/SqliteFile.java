package io.deploytrack.jdbc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The SQLite file a store opened, and whether it is still there. SQLite keeps writing into a file that was deleted
 * (or replaced by a rename) under an open connection: every commit succeeds into an inode no other process can open
 * and that is gone when the process exits. So the file's identity ({@link BasicFileAttributes#fileKey()}: device and
 * inode on Unix) is taken at open and compared before each transaction; once it differs or the path is gone, every
 * later transaction is refused with a message naming the file. The inode of a file that is still open cannot be given
 * to a new file, so a replacement is always told apart. Costs one {@code stat} per transaction (a few microseconds,
 * against a commit's tens to hundreds). Not public API.
 */
final class SqliteFile {
    private final Path path;
    private final Object key;
    /** Why the file may no longer be used; null while it is in place. Once set, it stays. */
    private volatile String lost;

    private SqliteFile(Path path, Object key) {
        this.path = path;
        this.key = key;
    }

    /**
     * The file that {@code url} opened, or null when it names no plain file (an in-memory database, a {@code file:}
     * URI with options): those are not watched.
     */
    static SqliteFile opened(String url) throws SQLException {
        if (!url.startsWith("jdbc:sqlite:")) {
            return null;
        }
        String rest = url.substring("jdbc:sqlite:".length());
        if (rest.isEmpty() || rest.startsWith("file:") || rest.contains(":memory:") || rest.contains("?")) {
            return null;
        }
        try {
            // Resolved once: a store opened through a link watches the file SQLite opened.
            Path path = Path.of(rest).toAbsolutePath().toRealPath();
            return new SqliteFile(path, attributes(path).fileKey());
        } catch (IOException e) {
            throw new SQLException("cannot read the identity of the SQLite file " + rest + ": " + e.getMessage(), e);
        }
    }

    /** The file's path. */
    Path path() {
        return path;
    }

    /** Throws, naming the file, when it was deleted or replaced since it was opened. */
    void check() throws SQLException {
        String why = lost;
        if (why == null) {
            why = look();
            if (why == null) {
                return;
            }
            lost = why;
        }
        throw new SQLException(why);
    }

    private String look() {
        String stopped = " while this store had it open; its writes stopped here, since SQLite would go on writing "
                + "into a file that no other process can open and that is gone when this one exits";
        try {
            Object now = attributes(path).fileKey();
            if (key != null && !Objects.equals(key, now)) {
                return "the SQLite file " + path + " was replaced by another file" + stopped
                        + "; restart this process to use the new file";
            }
            return null;
        } catch (NoSuchFileException e) {
            return "the SQLite file " + path + " was deleted" + stopped + "; restore it and restart this process";
        } catch (IOException e) {
            return "the SQLite file " + path + " cannot be read any more (" + e.getMessage() + ")" + stopped;
        }
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class);
    }
}

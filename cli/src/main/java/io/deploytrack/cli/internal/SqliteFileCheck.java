package io.deploytrack.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What is wrong with the path {@code --db} names, said before SQLite opens it: a directory, a file this user cannot
 * read, a file that is not SQLite, a folder that does not exist. SQLite itself would say "no deploytrack history" for
 * a directory, "[SQLITE_NOTADB] file is not a database" for the rest, or create a file where none was meant. Not
 * public API.
 */
final class SqliteFileCheck {
    /** The first 16 bytes of every SQLite 3 database file (the "magic header string" of sqlite.org/fileformat.html). */
    private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private SqliteFileCheck() {
    }

    /**
     * Checks {@code file} (absolute) before it is opened; {@code mustExist}: a reading command, which never creates
     * one.
     *
     * @throws CliException naming the file and what is wrong with it
     */
    static void check(Path file, boolean mustExist) {
        if (Files.isDirectory(file)) {
            throw new CliException(ExitCodes.USAGE, "--db " + file + " is a directory, not a SQLite file: give the "
                    + "file's path, e.g. --db " + file.resolve(Database.DEFAULT_FILE));
        }
        if (Files.exists(file)) {
            if (!Files.isRegularFile(file)) {
                throw new CliException(ExitCodes.USAGE, "--db " + file + " is not a regular file: give the path of a "
                        + "SQLite file");
            }
            checkHeader(file);
            return;
        }
        Path folder = file.getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            String why = Files.exists(folder) ? " is not a directory" : " does not exist";
            throw new CliException(ExitCodes.FAILURE, (mustExist ? "no deploytrack history at " : "cannot create ")
                    + file + ": the folder " + folder + why + " (a mistyped --db?)");
        }
        if (mustExist) {
            throw new CliException(ExitCodes.FAILURE, "no deploytrack history at " + file
                    + ": give --db PATH (a SQLite file) or --db JDBC_URL, or set DEPLOYTRACK_DB");
        }
    }

    /** An empty file is an empty SQLite database; anything else starts with SQLite's header. */
    private static void checkHeader(Path file) {
        byte[] first;
        try (InputStream in = Files.newInputStream(file)) {
            first = in.readNBytes(HEADER.length);
        } catch (AccessDeniedException e) {
            throw new CliException(ExitCodes.FAILURE, "cannot read " + file + ": permission denied for this user ("
                    + System.getProperty("user.name") + "); give it read access or run as its owner", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (first.length > 0 && !Arrays.equals(first, HEADER)) {
            throw new CliException(ExitCodes.FAILURE, file + " is not a SQLite database (it does not start with "
                    + "SQLite's header): give the path of a deploytrack SQLite file, or --db JDBC_URL for a server");
        }
    }
}

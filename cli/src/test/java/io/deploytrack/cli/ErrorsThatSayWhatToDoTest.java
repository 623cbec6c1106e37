package io.deploytrack.cli;

import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.JdbcHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mistakes of a newcomer's first hour (issue 26) and what the command answers: a suggestion for a mistyped command
 * or option, the kind of thing a wrong {@code --db} names, the host and port of an endpoint that does not answer, and
 * no file left behind by a command that failed before it recorded anything.
 */
class ErrorsThatSayWhatToDoTest {
    @TempDir
    Path dir;

    @Test
    void aMistypedCommandGetsTheCommandItResembles() {
        Cli.Result r = new Cli().run("histroy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("deploytrack: Unmatched argument at index 0: 'histroy': did you mean history");

        Cli.Result sub = new Cli().run("ncp", "deplyo");
        assertThat(sub.code()).isEqualTo(2);
        assertThat(sub.err()).contains("'deplyo': did you mean", "deploy");
    }

    @Test
    void aMistypedOptionGetsTheOptionItResembles() throws Exception {
        Path db = history();
        Cli.Result r = new Cli().run("--db", db.toString(), "history", "--limt", "3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("deploytrack history: Unknown options: '--limt', '3': did you mean --limit?");
    }

    @Test
    void aSuggestionNeverTeachesADeprecatedSpelling() {
        Cli.Result r = new Cli().run("k9s");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("k8s?", "k8s or");
    }

    @Test
    void aDirectoryIsNamedAsADirectory() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("histories"));
        Cli.Result r = new Cli().run("--db", folder.toString(), "history");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--db " + folder + " is a directory, not a SQLite file: give the file's path, "
                + "e.g. --db " + folder.resolve("deploytrack.db"));
        Cli.Result tracking = new Cli().env("NCP_ACCESS_KEY", "a").env("NCP_SECRET_KEY", "b").run("--db",
                folder.toString(), "ncp", "track", "--project-id", "1", "--history-id", "2", "--project", "acme/web",
                "--commit", "3f2c1a9", "--endpoint", "http://127.0.0.1:9");
        assertThat(tracking.code()).isEqualTo(2);
        assertThat(tracking.err()).contains("is a directory, not a SQLite file");
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void aFileThatIsNotSqliteIsNamedAsSuchAndLeftAsItWas() throws Exception {
        Path notes = dir.resolve("notes.db");
        Files.writeString(notes, "deployments to check on monday\n", StandardCharsets.UTF_8);
        Cli.Result r = new Cli().run("--db", notes.toString(), "history");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(notes + " is not a SQLite database (it does not start with SQLite's header): "
                + "give the path of a deploytrack SQLite file");
        Cli.Result tracking = new Cli().env("NCP_ACCESS_KEY", "a").env("NCP_SECRET_KEY", "b").run("--db",
                notes.toString(), "ncp", "track", "--project-id", "1", "--history-id", "2", "--project", "acme/web",
                "--commit", "3f2c1a9", "--endpoint", "http://127.0.0.1:9");
        assertThat(tracking.err()).contains("is not a SQLite database");
        assertThat(Files.readString(notes, StandardCharsets.UTF_8)).isEqualTo("deployments to check on monday\n");
    }

    @Test
    void aMistypedFolderIsNamedAndNothingIsCreated() {
        Path typo = dir.resolve("typo");
        Cli.Result r = new Cli().run("--db", typo.resolve("x.db").toString(), "history");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no deploytrack history at " + typo.resolve("x.db") + ": the folder " + typo
                + " does not exist");
        Cli.Result tracking = new Cli().env("NCP_ACCESS_KEY", "a").env("NCP_SECRET_KEY", "b").run("--db",
                typo.resolve("x.db").toString(), "ncp", "track", "--project-id", "1", "--history-id", "2", "--project",
                "acme/web", "--commit", "3f2c1a9", "--endpoint", "http://127.0.0.1:9");
        assertThat(tracking.code()).isEqualTo(1);
        assertThat(tracking.err()).contains("cannot create " + typo.resolve("x.db") + ": the folder " + typo
                + " does not exist");
        assertThat(typo).doesNotExist();
    }

    @Test
    @Timeout(60)
    void anEndpointThatDoesNotAnswerIsNamedWithWhatWasBeingDoneAndNoDatabaseIsLeftBehind() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path db = dir.resolve("new.db");
        Cli.Result r = new Cli().env("NCP_ACCESS_KEY", "access").env("NCP_SECRET_KEY", "secret-key-value")
                .run("--db", db.toString(), "ncp", "deploy", "--project-id", "12", "--stage-id", "34", "--scenario-id",
                        "56", "--project", "acme/web", "--commit", "3f2c1a9", "--endpoint", "http://127.0.0.1:" + port);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("NCP SourceDeploy did not start scenario 56 of project 12",
                "POST /api/v1/project/12/stage/34/scenario/56/deploy got no answer from 127.0.0.1:" + port,
                "the connection was refused").doesNotContain("secret-key-value");
        assertThat(db).as("the command failed before its first write").doesNotExist();
        assertThat(dir.resolve("new.db-wal")).doesNotExist();
        assertThat(dir.resolve("new.db-shm")).doesNotExist();
    }

    @Test
    @Timeout(60)
    void aFailedCommandLeavesAnExistingDatabaseInPlace() throws Exception {
        Path db = dir.resolve("kept.db");
        JdbcHistoryStore.sqlite(db).close();
        Cli.Result r = new Cli().env("NCP_ACCESS_KEY", "access").env("NCP_SECRET_KEY", "secret")
                .run("--db", db.toString(), "ncp", "deploy", "--project-id", "12", "--stage-id", "34", "--scenario-id",
                        "56", "--project", "acme/web", "--commit", "3f2c1a9", "--endpoint", "http://127.0.0.1:9");
        assertThat(r.code()).isEqualTo(1);
        assertThat(db).as("it was there before: an empty history is still the user's").exists();
    }

    private Path history() throws Exception {
        Path db = dir.resolve("history.db");
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            Fixtures.finished(store, "acme/web", "production", "aaaaaaa", Instant.parse("2026-03-01T10:00:00Z"), 40,
                    DeploymentStatus.SUCCESS);
        }
        return db;
    }
}

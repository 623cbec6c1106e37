package io.deploytrack.it;

import io.deploytrack.cli.Deploytrack;
import io.deploytrack.examples.demo.Demo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo ends by printing the next commands to run with {@code deploytrack}; run verbatim (split as a shell would,
 * the demo quotes nothing here), each succeeds on the history the demo wrote.
 */
class DemoNextCommandsTest {
    @TempDir
    Path dir;

    @Test
    void theCommandsTheDemoPrintsLastWorkOnItsDatabase() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path db = dir.resolve("deploytrack-demo.db");
        int code = Demo.run(db, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();

        List<String> lines = out.lines().toList();
        int next = lines.indexOf(lines.stream().filter(l -> l.startsWith("Next, with the deploytrack command"))
                .findFirst().orElseThrow(() -> new AssertionError("no next commands in:\n" + out)));
        List<String> commands = lines.subList(next + 1, lines.size());
        assertThat(commands).as(out).hasSize(3).allMatch(l -> l.startsWith("  deploytrack --db " + db + " "));
        assertThat(commands.get(0)).endsWith(" history");
        assertThat(commands.get(1)).matches(".* show \\d+");
        assertThat(commands.get(2)).endsWith(" report --html " + dir.resolve("deploytrack-demo.html"));

        for (String command : commands) {
            String[] words = command.strip().split(" +");
            assertThat(words[0]).isEqualTo("deploytrack");
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            int exit = Deploytrack.run(Map.of(), false, new PrintWriter(o), new PrintWriter(e),
                    List.of(words).subList(1, words.length).toArray(String[]::new));
            assertThat(exit).as("%s\n%s%s", command, o, e).isZero();
            assertThat(e.toString()).as(command).isEmpty();
            if (command.endsWith(" history")) {
                assertThat(o.toString()).contains("acme/web", "success", "failed", "timed_out");
            } else if (command.contains(" show ")) {
                assertThat(o.toString()).contains("failed");
            }
        }
        assertThat(Files.readString(dir.resolve("deploytrack-demo.html"))).contains("<svg");
    }
}

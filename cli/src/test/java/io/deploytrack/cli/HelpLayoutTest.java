package io.deploytrack.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code --help} page, from the top down through every command under it: within 80 columns, each command
 * listed once under its own name with a one-sentence summary, the deprecated {@code k8s} alias not taught (it still
 * works), URLs never broken across lines.
 */
class HelpLayoutTest {
    private static final Pattern COMMAND_LINE = Pattern.compile("^  ([a-z][a-z-]*)\\s{2,}(\\S.*)$");

    @Test
    void everyHelpPageFitsEightyColumnsAndListsEachCommandOnceUnderItsOwnName() {
        Deque<List<String>> todo = new ArrayDeque<>(List.of(List.of()));
        List<String> visited = new ArrayList<>();
        while (!todo.isEmpty()) {
            List<String> path = todo.pop();
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Cli.Result r = new Cli().run(args.toArray(String[]::new));
            String page = r.out();
            assertThat(r.code()).as(r.toString()).isZero();
            visited.add(String.join(" ", path));
            for (String line : page.split("\\R")) {
                assertThat(line.length()).as("%s --help: '%s'", path, line).isLessThanOrEqualTo(80);
            }
            assertThat(page).as("%s --help", path).doesNotContain("k8s").doesNotContainPattern("https?://[\\w./-]*[\\w/-]\\.\\R");
            int list = page.indexOf("Commands:");
            if (list < 0) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (String line : page.substring(list).split("\\R")) {
                Matcher m = COMMAND_LINE.matcher(line);
                if (m.matches()) {
                    names.add(m.group(1));
                    assertThat(m.group(2)).as("summary of %s", m.group(1)).doesNotContain("(").doesNotStartWith(",");
                }
            }
            assertThat(names).as("%s's commands", path).isNotEmpty().doesNotHaveDuplicates();
            for (String name : names) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                todo.add(next);
            }
        }
        assertThat(visited).contains("", "ncp", "ncp deploy", "kubernetes track", "webhook serve", "insights");
    }

    @Test
    void theDeprecatedAliasStillWorksAndTheMissingCommandErrorNamesOnlyCurrentCommands() {
        Cli.Result alias = new Cli().run("k8s", "track", "--help");
        assertThat(alias.code()).as(alias.toString()).isZero();
        assertThat(alias.out()).contains("Tracks a Kubernetes rollout");
        Cli.Result none = new Cli().run();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("a command is needed: one of history, show,").doesNotContain("k8s");
        assertThat(Arrays.stream(none.err().split(", ")).filter(s -> s.equals("kubernetes"))).hasSize(1);
    }
}

package io.deploytrack.examples.readme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README stays a landing page: under 300 lines, its first block the two commands a newcomer runs, and every
 * relative link of the README, CONTRIBUTING, CHANGELOG and docs/*.md points at a file that exists (and, into a
 * Markdown file, at a heading it has); the README links every one of them.
 */
class DocumentLinksTest {
    private static final Path ROOT = ReadmeSnippetsTest.ROOT;
    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *$");
    private static final String FIRST_BLOCK = "```\n"
            + "mvn -B -q -DskipTests package -pl examples -am && java -jar examples/target/deploytrack-demo.jar\n"
            + "mvn -B verify\n"
            + "```\n";

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(ReadmeSnippetsTest.documents());
        for (String name : List.of("CONTRIBUTING.md", "CHANGELOG.md")) {
            Path p = ROOT.resolve(name);
            assertThat(p).as("the repository has %s", name).isRegularFile();
            docs.add(p);
        }
        return docs;
    }

    /** GitHub's anchors of a Markdown text's headings (lower case, punctuation dropped, spaces as hyphens). */
    static Set<String> anchors(String markdown) {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher h = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
        while (h.find()) {
            String slug = h.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            out.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return out;
    }

    /** The relative link targets of a Markdown text, outside code. */
    static List<String> relativeLinks(String markdown) {
        String prose = INLINE_CODE.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
        List<String> out = new ArrayList<>();
        Matcher m = LINK.matcher(prose);
        while (m.find()) {
            String target = m.group(1);
            if (!target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
                out.add(target);
            }
        }
        return out;
    }

    @Test
    void everyRelativeLinkPointsAtAFileAndHeadingThatExist() throws IOException {
        int links = 0;
        for (Path doc : documents()) {
            String text = Files.readString(doc);
            for (String target : relativeLinks(text)) {
                links++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                String where = ROOT.relativize(doc) + " links " + target;
                assertThat(resolved).as(where).exists();
                assertThat(resolved.startsWith(ROOT)).as("%s stays inside the repository", where).isTrue();
                if (hash >= 0 && resolved.toString().endsWith(".md")) {
                    assertThat(anchors(Files.readString(resolved))).as("%s: the headings of %s", where,
                            ROOT.relativize(resolved)).contains(target.substring(hash + 1));
                }
            }
        }
        assertThat(links).as("links checked").isGreaterThan(30);
    }

    @Test
    void theReadmeIsALandingPageThatStartsWithTheTwoCommands() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme.lines().count()).as("README.md lines (the guides live in docs/)").isLessThan(300);
        int firstFence = readme.indexOf("```");
        assertThat(readme.substring(firstFence)).as("the README's first block: the demo, then the tests")
                .startsWith(FIRST_BLOCK);
        assertThat(readme).as("the README speaks of this repository only").doesNotContain("../shared");
        List<String> linked = relativeLinks(readme).stream().map(l -> l.replaceFirst("#.*", "")).toList();
        for (Path doc : documents()) {
            String name = ROOT.relativize(doc).toString();
            if (!name.equals("README.md")) {
                assertThat(linked).as("the README links every guide, %s too", name).contains(name);
            }
        }
    }

    @Test
    void aBrokenLinkOrAnchorIsNoticed() {
        assertThat(relativeLinks("see [a](docs/a.md#b), [web](https://x.org) and `[c](d.md)`\n```\n[e](f.md)\n```\n"))
                .containsExactly("docs/a.md#b");
        assertThat(anchors("# The `deploytrack` command\n## Push: webhooks\n## Push: webhooks\n"))
                .containsExactlyInAnyOrder("the-deploytrack-command", "push-webhooks", "push-webhooks-1");
    }
}

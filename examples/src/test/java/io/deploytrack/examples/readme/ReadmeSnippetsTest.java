package io.deploytrack.examples.readme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java code blocks of the README and of every {@code docs/*.md} are compiled regions of the snippet classes in
 * this package ({@link ReadmeSnippets} and its siblings): every block is marked with the region it shows and equals
 * it, and every region is shown somewhere. So no document can drift from code that compiles.
 */
class ReadmeSnippetsTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final Path README = ROOT.resolve("README.md");
    private static final Path SNIPPETS = ROOT.resolve("examples/src/main/java/io/deploytrack/examples/readme");
    private static final Pattern REGION = Pattern.compile(
            "(?m)^[ \\t]*// snippet-start: (\\S+)\\n(.*?)^[ \\t]*// snippet-end: \\1\\n", Pattern.DOTALL);
    private static final Pattern BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: ([^,\\s]+),");

    /** The regions of the source file, by name, without their common indentation. */
    static Map<String, String> regions(String source) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = REGION.matcher(source);
        while (m.find()) {
            out.put(m.group(1), dedent(m.group(2)));
        }
        return out;
    }

    static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.isBlank() ? "" : l.substring(indent));
        }
        return String.join("\n", out).stripTrailing();
    }

    /** The regions of every snippet class of this package; a name used twice fails. */
    static Map<String, String> compiledRegions() throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(SNIPPETS)) {
            for (Path file : files.filter(f -> f.toString().endsWith("Snippets.java")).sorted().toList()) {
                for (Map.Entry<String, String> r : regions(Files.readString(file)).entrySet()) {
                    assertThat(all).as("region '%s' of %s is named once", r.getKey(), file.getFileName())
                            .doesNotContainKey(r.getKey());
                    all.put(r.getKey(), r.getValue());
                }
            }
        }
        return all;
    }

    /** README.md and every docs/*.md, README first. */
    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(README);
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /**
     * Checks the marked Java blocks of one document against the regions.
     *
     * @return the names of the regions it shows
     */
    static List<String> checkBlocks(String name, String text, Map<String, String> regions) {
        Matcher block = BLOCK.matcher(text);
        List<String> shown = new ArrayList<>();
        while (block.find()) {
            String before = text.substring(0, block.start()).stripTrailing();
            String markerLine = before.substring(before.lastIndexOf('\n') + 1);
            Matcher marker = MARKER.matcher(markerLine);
            int line = (int) text.substring(0, block.start()).lines().count() + 1;
            assertThat(marker.find()).as("the ```java block at %s line %d must follow a line "
                    + "<!-- snippet: NAME, from ... --> naming its region in a *Snippets.java of %s", name, line,
                    SNIPPETS).isTrue();
            String region = marker.group(1);
            assertThat(regions).as("%s line %d names region '%s'", name, line, region).containsKey(region);
            assertThat(block.group(1).stripTrailing())
                    .as("%s line %d must equal the region '%s' of the snippet classes (copy it from there)",
                            name, line, region)
                    .isEqualTo(regions.get(region));
            shown.add(region);
        }
        return shown;
    }

    @Test
    void everyJavaBlockOfTheReadmeAndTheDocsIsAMarkedRegionOfTheCompiledSnippets() throws IOException {
        Map<String, String> regions = compiledRegions();
        assertThat(regions).as("regions in %s", SNIPPETS).containsKeys("embedding", "ncp", "ncp-pipeline",
                "kubernetes", "webhook", "own-source", "several-instances", "notifications");
        List<Path> documents = documents();
        assertThat(documents).as("the guides in docs/").hasSizeGreaterThan(10);

        List<String> shown = new ArrayList<>();
        for (Path doc : documents) {
            shown.addAll(checkBlocks(ROOT.relativize(doc).toString(), Files.readString(doc), regions));
        }
        assertThat(shown).as("every region of the snippet classes is shown in README.md or docs/*.md")
                .containsAll(regions.keySet());
        assertThat(checkBlocks("README.md", Files.readString(README), regions))
                .as("the README shows one snippet per source").contains("ncp", "ncp-pipeline", "kubernetes",
                        "webhook", "own-source");
    }

    @Test
    void aChangedBlockIsNoticed() {
        String source = "class X {\n    void m() {\n        // snippet-start: a\n        int x = 1;\n"
                + "            int y = 2;\n        // snippet-end: a\n    }\n}\n";
        assertThat(regions(source)).containsExactly(Map.entry("a", "int x = 1;\n    int y = 2;"));
        String doc = "<!-- snippet: a, from X.java -->\n```java\nint x = 2;\n    int y = 2;\n```\n";
        assertThatThrownBy(() -> checkBlocks("doc.md", doc, regions(source)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("doc.md line 2");
        String unmarked = "Some text\n```java\nint x = 1;\n    int y = 2;\n```\n";
        assertThatThrownBy(() -> checkBlocks("doc.md", unmarked, regions(source)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("must follow a line");
        assertThat(checkBlocks("doc.md", doc.replace("int x = 2", "int x = 1"), regions(source))).containsExactly("a");
    }
}

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java code blocks are the compiled regions of {@link ReadmeSnippets}: every block is marked with the
 * region it shows, equals it, and every region is shown. So the README cannot drift from code that compiles.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final Path README = ROOT.resolve("README.md");
    private static final Path SNIPPETS = ROOT.resolve(
            "examples/src/main/java/io/deploytrack/examples/readme/ReadmeSnippets.java");
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

    @Test
    void everyJavaBlockOfTheReadmeIsAMarkedRegionOfTheCompiledSnippets() throws IOException {
        String readme = Files.readString(README);
        Map<String, String> regions = regions(Files.readString(SNIPPETS));
        assertThat(regions).as("regions in %s", SNIPPETS).containsKeys("embedding", "ncp", "kubernetes",
                "several-instances");

        Matcher block = BLOCK.matcher(readme);
        List<String> shown = new ArrayList<>();
        while (block.find()) {
            String before = readme.substring(0, block.start()).stripTrailing();
            String markerLine = before.substring(before.lastIndexOf('\n') + 1);
            Matcher marker = MARKER.matcher(markerLine);
            int line = (int) readme.substring(0, block.start()).lines().count() + 1;
            assertThat(marker.find()).as("the ```java block at README.md line %d must follow a line "
                    + "<!-- snippet: NAME, from ... --> naming its region in ReadmeSnippets.java", line).isTrue();
            String name = marker.group(1);
            assertThat(regions).as("README.md line %d names region '%s'", line, name).containsKey(name);
            assertThat(block.group(1).stripTrailing())
                    .as("README.md line %d must equal the region '%s' of ReadmeSnippets.java (copy it from there)",
                            line, name)
                    .isEqualTo(regions.get(name));
            shown.add(name);
        }
        assertThat(shown).as("every region of ReadmeSnippets.java is shown once in the README")
                .containsExactlyInAnyOrderElementsOf(regions.keySet());
    }

    @Test
    void aChangedBlockIsNoticed() {
        String source = "class X {\n    void m() {\n        // snippet-start: a\n        int x = 1;\n"
                + "            int y = 2;\n        // snippet-end: a\n    }\n}\n";
        assertThat(regions(source)).containsExactly(Map.entry("a", "int x = 1;\n    int y = 2;"));
        assertThat(regions(source).get("a")).isNotEqualTo("int x = 2;\n    int y = 2;");
    }
}

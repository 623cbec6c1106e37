package io.deploytrack.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No main source of any module uses another module's {@code internal} package (imports and fully qualified names
 * alike): every module's public API is its top package, and the CLI is held to it like any host.
 */
class ModuleBoundariesTest {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
    private static final Pattern INTERNAL_REF = Pattern.compile("\\b(io\\.deploytrack(?:\\.\\w+)*?)\\.internal\\b");

    @Test
    void noMainSourceUsesAnotherModulesInternalPackage() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("pom.xml")).as("run from a module of the reactor").exists();
        Map<String, List<Path>> sourcesByModule = new LinkedHashMap<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).sorted().toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    sourcesByModule.put(module.getFileName().toString(),
                            files.filter(f -> f.toString().endsWith(".java")).sorted().toList());
                }
            }
        }
        assertThat(sourcesByModule).containsKeys("core", "jdbc", "cli", "ncp");
        List<String> violations = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, List<Path>> module : sourcesByModule.entrySet()) {
            Map<Path, String> packages = new LinkedHashMap<>();
            for (Path f : module.getValue()) {
                Matcher m = PACKAGE.matcher(Files.readString(f));
                packages.put(f, m.find() ? m.group(1) : "");
            }
            // the module's own root: its shortest package (io.deploytrack.ncp.emulator for the emulator)
            String base = packages.values().stream().filter(p -> !p.isEmpty()).min(Comparator.comparingInt(String::length))
                    .orElse("").replaceFirst("\\.internal$", "");
            for (Path f : module.getValue()) {
                checked++;
                Matcher m = INTERNAL_REF.matcher(Files.readString(f));
                while (m.find()) {
                    String owner = m.group(1);
                    if (!owner.equals(base) && !owner.startsWith(base + ".")) {
                        violations.add(module.getKey() + ": " + root.relativize(f) + " uses " + owner + ".internal");
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(violations).as("main sources using another module's internal package").isEmpty();
    }
}

package io.deploytrack.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The reactor's modules as the boundary test sees them: every directory with a {@code pom.xml} and main Java
 * sources (nested ones such as {@code spring/boot4} included), each with the root package its sources share.
 * Packages are compared segment by segment, so {@code io.deploytrack.notifyx} is never taken for a part of
 * {@code io.deploytrack.notify}.
 */
record ModuleTree(Path root, List<Module> modules) {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
    private static final Pattern INTERNAL_REF = Pattern.compile("\\b(io\\.deploytrack(?:\\.\\w+)*?)\\.internal\\b");
    private static final Set<String> NOT_MODULES = Set.of("target", "node_modules", "src", ".git");

    /** One module: its path from the tree's root, its root package, and its main sources with their text. */
    record Module(String name, String rootPackage, Map<Path, String> sources) {
        boolean owns(String pkg) {
            return pkg.equals(rootPackage) || pkg.startsWith(rootPackage + ".");
        }
    }

    /** Walks {@code root} for modules; reads every main source once. */
    static ModuleTree scan(Path root) throws IOException {
        List<Path> moduleDirs;
        try (Stream<Path> dirs = Files.walk(root)) {
            moduleDirs = dirs.filter(Files::isDirectory)
                    .filter(d -> root.relativize(d).toString().isEmpty() || !excluded(root.relativize(d)))
                    .filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                    .filter(d -> Files.isDirectory(d.resolve("src/main/java")))
                    .sorted().toList();
        }
        List<Module> modules = new ArrayList<>();
        for (Path dir : moduleDirs) {
            Map<Path, String> sources = new LinkedHashMap<>();
            try (Stream<Path> files = Files.walk(dir.resolve("src/main/java"))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    sources.put(f, Files.readString(f));
                }
            }
            List<String> packages = sources.values().stream().map(ModuleTree::packageOf).flatMap(Optional::stream)
                    .distinct().toList();
            if (!packages.isEmpty()) {
                modules.add(new Module(root.relativize(dir).toString().replace('\\', '/'), rootPackage(packages),
                        sources));
            }
        }
        return new ModuleTree(root, List.copyOf(modules));
    }

    private static boolean excluded(Path relative) {
        for (Path part : relative) {
            if (NOT_MODULES.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    static Optional<String> packageOf(String source) {
        Matcher m = PACKAGE.matcher(source);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The longest package, segment-wise, that all of {@code packages} lie in, without a trailing {@code internal}. */
    static String rootPackage(Collection<String> packages) {
        List<String> common = null;
        for (String p : packages) {
            List<String> segments = List.of(p.split("\\."));
            if (common == null) {
                common = segments;
            } else {
                int n = 0;
                while (n < common.size() && n < segments.size() && common.get(n).equals(segments.get(n))) {
                    n++;
                }
                common = common.subList(0, n);
            }
        }
        if (common == null) {
            throw new IllegalArgumentException("no packages to find a root of");
        }
        int end = common.indexOf("internal");
        return String.join(".", end < 0 ? common : common.subList(0, end));
    }

    /** The module whose root is the longest one {@code pkg} lies in (exact segments), if any. */
    Optional<Module> ownerOf(String pkg) {
        return modules.stream().filter(m -> m.owns(pkg))
                .max(Comparator.comparingInt(m -> m.rootPackage().length()));
    }

    /** Modules that share a root package: the owner of their packages would be ambiguous. */
    List<String> sharedRoots() {
        Map<String, List<String>> byRoot = new LinkedHashMap<>();
        modules.forEach(m -> byRoot.computeIfAbsent(m.rootPackage(), r -> new ArrayList<>()).add(m.name()));
        return byRoot.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> e.getKey() + " is the root of " + e.getValue()).toList();
    }

    /** Sources declaring a package that a nested module's root owns (a split package across modules). */
    List<String> packagesOwnedElsewhere() {
        List<String> found = new ArrayList<>();
        for (Module m : modules) {
            m.sources().forEach((file, text) -> packageOf(text).ifPresent(pkg -> {
                String owner = ownerOf(pkg).map(Module::name).orElse("no module");
                if (!owner.equals(m.name())) {
                    found.add(m.name() + ": " + root.relativize(file) + " declares " + pkg + ", owned by " + owner);
                }
            }));
        }
        return found;
    }

    /** Every use (import or qualified name) of an {@code internal} package that the using module does not own. */
    List<String> foreignInternalUses() {
        List<String> found = new ArrayList<>();
        for (Module m : modules) {
            m.sources().forEach((file, text) -> {
                Matcher ref = INTERNAL_REF.matcher(text);
                while (ref.find()) {
                    String owner = ownerOf(ref.group(1)).map(Module::name).orElse("no module");
                    if (!owner.equals(m.name())) {
                        found.add(m.name() + ": " + root.relativize(file) + " uses " + ref.group(1)
                                + ".internal of " + owner);
                    }
                }
            });
        }
        return found;
    }

    int sourceCount() {
        return modules.stream().mapToInt(m -> m.sources().size()).sum();
    }
}

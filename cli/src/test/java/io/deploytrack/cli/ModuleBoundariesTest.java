package io.deploytrack.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No main source of any module, nested ones ({@code spring/*}, {@code examples/spring-boot*}) included, uses
 * another module's {@code internal} package (imports and fully qualified names alike): every module's public API is
 * its top package, and the CLI is held to it like any host. Module roots are compared exactly, segment by segment.
 */
class ModuleBoundariesTest {

    @Test
    void noMainSourceUsesAnotherModulesInternalPackage() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("pom.xml")).as("run from a module of the reactor").exists();
        ModuleTree tree = ModuleTree.scan(root);
        Map<String, String> roots = tree.modules().stream()
                .collect(Collectors.toMap(ModuleTree.Module::name, ModuleTree.Module::rootPackage));
        assertThat(roots).containsEntry("core", "io.deploytrack.core")
                .containsEntry("ncp", "io.deploytrack.ncp")
                .containsEntry("ncp-emulator", "io.deploytrack.ncp.emulator")
                .containsEntry("spring/common", "io.deploytrack.spring")
                .containsEntry("examples", "io.deploytrack.examples")
                .containsKeys("jdbc", "cli", "notify", "spring/boot3", "spring/boot4", "examples/spring-boot");
        assertThat(tree.sourceCount()).isGreaterThan(100);
        assertThat(tree.sharedRoots()).as("modules sharing a root package").isEmpty();
        assertThat(tree.packagesOwnedElsewhere()).as("packages inside another module's root").isEmpty();
        assertThat(tree.foreignInternalUses()).as("main sources using another module's internal package").isEmpty();
    }

    @Test
    void aPlantedUseOfAnotherModulesInternalPackageIsFound(@TempDir Path root) throws IOException {
        module(root, "notify", "io.deploytrack.notify", "Notifier", "");
        module(root, "notify/internal-user", "io.deploytrack.notifyx", "Uses",
                "import io.deploytrack.notify.internal.Queue;\n");
        source(root, "notify", "io.deploytrack.notify.internal", "Queue", "");

        List<String> uses = ModuleTree.scan(root).foreignInternalUses();

        assertThat(uses).singleElement().asString()
                .contains("notify/internal-user", "io.deploytrack.notify.internal", "of notify");
    }

    @Test
    void aPackageThatOnlySharesAPrefixIsNotPartOfTheModule(@TempDir Path root) throws IOException {
        module(root, "notify", "io.deploytrack.notify", "Notifier", "");
        module(root, "notifyx", "io.deploytrack.notifyx", "Extra",
                "class Leak { io.deploytrack.notify.internal.Queue q; }\n");
        source(root, "notifyx", "io.deploytrack.notifyx.internal", "Own", "");

        ModuleTree tree = ModuleTree.scan(root);

        assertThat(tree.ownerOf("io.deploytrack.notifyx.internal")).map(ModuleTree.Module::name).hasValue("notifyx");
        assertThat(tree.ownerOf("io.deploytrack.notify.internal")).map(ModuleTree.Module::name).hasValue("notify");
        assertThat(tree.foreignInternalUses()).singleElement().asString().contains("notifyx", "of notify");
    }

    @Test
    void aNestedModuleOwnsItsSubpackageAgainstTheParentRoot(@TempDir Path root) throws IOException {
        module(root, "spring/common", "io.deploytrack.spring", "Common",
                "import io.deploytrack.spring.boot4.internal.Wiring;\n");
        module(root, "spring/boot4", "io.deploytrack.spring.boot4", "Starter", "");
        source(root, "spring/boot4", "io.deploytrack.spring.boot4.internal", "Wiring", "");
        module(root, "spring/boot3", "io.deploytrack.spring.boot3", "Starter",
                "import io.deploytrack.spring.internal.Shared;\n");
        source(root, "spring/common", "io.deploytrack.spring.internal", "Shared", "");

        ModuleTree tree = ModuleTree.scan(root);

        assertThat(tree.modules()).extracting(ModuleTree.Module::name)
                .containsExactly("spring/boot3", "spring/boot4", "spring/common");
        assertThat(tree.foreignInternalUses()).hasSize(2)
                .anySatisfy(u -> assertThat(u).contains("spring/common", "spring.boot4.internal of spring/boot4"))
                .anySatisfy(u -> assertThat(u).contains("spring/boot3", "spring.internal of spring/common"));
    }

    @Test
    void aSplitPackageAndASharedRootAreFound(@TempDir Path root) throws IOException {
        module(root, "a", "io.deploytrack.a", "One", "");
        module(root, "b", "io.deploytrack.b", "Two", "");
        source(root, "b", "io.deploytrack.b.more", "Three", "");
        module(root, "a2", "io.deploytrack.a", "Four", "");
        module(root, "c", "io.deploytrack.c", "Five", "");
        module(root, "c/nested", "io.deploytrack.c.nested", "Six", "");
        source(root, "c", "io.deploytrack.c.nested", "Seven", "");

        ModuleTree tree = ModuleTree.scan(root);

        assertThat(tree.sharedRoots()).singleElement().asString().contains("io.deploytrack.a", "a2");
        assertThat(tree.packagesOwnedElsewhere())
                .anySatisfy(u -> assertThat(u).contains("c: ", "Seven", "owned by c/nested"));
        assertThat(ModuleTree.rootPackage(List.of("io.deploytrack.x.internal", "io.deploytrack.x.internal.sub")))
                .isEqualTo("io.deploytrack.x");
    }

    private static void module(Path root, String dir, String pkg, String type, String body) throws IOException {
        Files.createDirectories(root.resolve(dir));
        Files.writeString(root.resolve(dir).resolve("pom.xml"), "<project/>");
        source(root, dir, pkg, type, body);
    }

    private static void source(Path root, String dir, String pkg, String type, String body) throws IOException {
        Path file = root.resolve(dir).resolve("src/main/java").resolve(pkg.replace('.', '/')).resolve(type + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "package " + pkg + ";\n\n" + body + "class " + type + " {}\n");
    }
}

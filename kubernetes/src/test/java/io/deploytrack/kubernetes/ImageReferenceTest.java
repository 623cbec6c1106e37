package io.deploytrack.kubernetes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ImageReferenceTest {

    static final String SHA = "sha256:" + "0123456789abcdef".repeat(4);
    static final String OTHER_SHA = "sha256:" + "fedcba9876543210".repeat(4);

    static Stream<Arguments> parts() {
        return Stream.of(
                // reference, domain, path, tag (null = none), digest (null = none)
                arguments("nginx", "docker.io", "library/nginx", "latest", null),
                arguments("nginx:1.27", "docker.io", "library/nginx", "1.27", null),
                arguments("bitnami/redis:7", "docker.io", "bitnami/redis", "7", null),
                arguments("docker.io/nginx", "docker.io", "library/nginx", "latest", null),
                arguments("index.docker.io/library/nginx:1", "docker.io", "library/nginx", "1", null),
                arguments("registry.local:5000/app:1.2", "registry.local:5000", "app", "1.2", null),
                arguments("registry.local:5000/app", "registry.local:5000", "app", "latest", null),
                arguments("registry.local:5000/team/app@" + SHA, "registry.local:5000", "team/app", null, SHA),
                arguments("localhost/app", "localhost", "app", "latest", null),
                arguments("localhost:5000/app:dev", "localhost:5000", "app", "dev", null),
                arguments("ghcr.io/org/sub/app:v1.0.0-rc.1", "ghcr.io", "org/sub/app", "v1.0.0-rc.1", null),
                arguments("app@" + SHA, "docker.io", "library/app", null, SHA),
                arguments("app:1.2@" + SHA, "docker.io", "library/app", "1.2", SHA),
                arguments("[::1]:5000/app:1", "[::1]:5000", "app", "1", null),
                arguments("Registry.Example.COM/app", "registry.example.com", "app", "latest", null),
                arguments("my_registry/app", "docker.io", "my_registry/app", "latest", null),
                arguments("a/b__c-d.e/f", "docker.io", "a/b__c-d.e/f", "latest", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parts")
    void parsesAndNormalises(String reference, String domain, String path, String tag, String digest) {
        ImageReference image = ImageReference.parse(reference);
        assertThat(image.domain()).isEqualTo(domain);
        assertThat(image.path()).isEqualTo(path);
        assertThat(image.name()).isEqualTo(domain + "/" + path);
        assertThat(image.tag()).isEqualTo(java.util.Optional.ofNullable(tag));
        assertThat(image.digest()).isEqualTo(java.util.Optional.ofNullable(digest));
        // The normalised text parses back to the same reference.
        assertThat(ImageReference.parse(image.toString())).isEqualTo(image);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "nginx, docker.io/library/nginx:latest",
            "nginx, nginx:latest",
            "nginx, index.docker.io/library/nginx",
            "library/nginx:1, docker.io/library/nginx:1",
            "registry.local:5000/app:1.2, registry.local:5000/app:1.2",
            "REGISTRY.local:5000/app, registry.local:5000/app:latest",
    })
    void equalAfterNormalisation(String a, String b) {
        assertThat(ImageReference.parse(a)).isEqualTo(ImageReference.parse(b))
                .hasSameHashCodeAs(ImageReference.parse(b));
        assertThat(ImageReference.parse(a).matches(b)).isTrue();
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @MethodSource("matching")
    void matchesIsSymmetric(String a, String b, boolean expected) {
        assertThat(ImageReference.parse(a).matches(ImageReference.parse(b))).isEqualTo(expected);
        assertThat(ImageReference.parse(b).matches(ImageReference.parse(a))).isEqualTo(expected);
    }

    static Stream<Arguments> matching() {
        return Stream.of(
                arguments("nginx", "docker.io/library/nginx:latest", true),
                arguments("nginx:1.26", "nginx:1.27", false),
                arguments("nginx", "nginx:1.27", false),
                arguments("registry.local:5000/app:1.2", "registry.local:5001/app:1.2", false),
                arguments("registry.local:5000/app:1.2", "registry.local/app:1.2", false),
                arguments("registry.local:5000/app:1.2", "app:1.2", false),
                arguments("app@" + SHA, "app@" + SHA, true),
                arguments("app@" + SHA, "app@" + OTHER_SHA, false),
                arguments("app:1.2@" + SHA, "app@" + SHA, true),        // same digest: tags ignored
                arguments("app:1.2@" + SHA, "app:9.9@" + SHA, true),
                arguments("app:1.2@" + SHA, "app:1.2@" + OTHER_SHA, false),
                arguments("app:1.2", "app:1.2@" + SHA, true),            // a tag pinned to its digest
                arguments("app:1.3", "app:1.2@" + SHA, false),
                arguments("app:1.2", "app@" + SHA, false),               // nothing to compare with
                arguments("app", "app@" + SHA, false),
                arguments("other/app:1", "app:1", false));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
            "app:", ":1.2", "@" + "sha256:0123", "app@sha256:abc", "app@" + "sha256:" + "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
            "app@md5", "App:1", "registry.local:5000/App:1", "app:-1", "app:.1", "app:a/b", "-app", "app-",
            "app//x", "a..b", "registry_x.local:5000/app", "has space", "app:1.2:3",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void invalidReferencesAreRefusedNamingTheValue(String reference) {
        assertThatThrownBy(() -> ImageReference.parse(reference))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + reference + "\"")
                .hasMessageContaining("expected [registry[:port]/]repository[:tag][@algorithm:hex]");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void emptyReferencesAreRefused(String reference) {
        assertThatThrownBy(() -> ImageReference.parse(reference))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("image reference must not be empty")
                .hasMessageContaining("expected [registry[:port]/]repository[:tag][@algorithm:hex]");
    }

    @Test
    void tooLongNamesAreRefused() {
        String longName = "a".repeat(256);
        assertThatThrownBy(() -> ImageReference.parse(longName + ":1"))
                .hasMessageContaining("longer than 255");
        assertThat(ImageReference.parse("a".repeat(255)).path()).hasSize(255 + "library/".length());
    }

    @Test
    void tagLengthIsLimitedTo128() {
        assertThat(ImageReference.parse("app:" + "t".repeat(128)).tag()).hasValue("t".repeat(128));
        assertThatThrownBy(() -> ImageReference.parse("app:" + "t".repeat(129))).hasMessageContaining("tag");
    }

    @Test
    void toStringIsTheNormalisedReference() {
        assertThat(ImageReference.parse("nginx")).hasToString("docker.io/library/nginx:latest");
        assertThat(ImageReference.parse("app:1.2@" + SHA)).hasToString("docker.io/library/app:1.2@" + SHA);
        assertThat(ImageReference.parse("registry.local:5000/app@" + SHA))
                .hasToString("registry.local:5000/app@" + SHA);
    }

    @Test
    void matchingAnInvalidReferenceIsAnError() {
        assertThatThrownBy(() -> ImageReference.parse("nginx").matches("Nginx"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"Nginx\"");
    }
}

package io.deploytrack.ncp;

import java.util.Optional;

/**
 * A SourceBuild project's detail ({@code GET /api/v1/project/{projectId}}, docs/ko/devtools-sourcebuild-projectdetail):
 * what its docker build is configured to push. SourceBuild's build answers carry no image (no
 * {@code containerImageUrl}, no {@code image}): the pushed image is the project's {@code cmd.dockerbuild}.
 *
 * @param id       the project
 * @param name     its name, or null
 * @param registry {@code cmd.dockerbuild.registry}, or null
 * @param image    {@code cmd.dockerbuild.image}, or null
 * @param tag      {@code cmd.dockerbuild.tag}, or null
 */
public record NcpBuildProject(long id, String name, String registry, String image, String tag) {

    /** @return {@code registry/image:tag} (the parts it has), empty when the project pushes no image */
    public Optional<String> imageReference() {
        if (image == null || image.isBlank()) {
            return Optional.empty();
        }
        String ref = (registry == null || registry.isBlank() ? "" : registry + "/") + image;
        return Optional.of(tag == null || tag.isBlank() ? ref : ref + ":" + tag);
    }
}

package io.deploytrack.kubernetes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What identifies one rollout attempt: the workload, and the {@code metadata.generation} that our update
 * produced. The rollout is ours once the controller has observed that generation; if the generation moves
 * past it, someone else changed the workload and our attempt was superseded. Generation is the key because
 * the revision annotation is not monotonic per template (a rollback reuses an old ReplicaSet).
 *
 * <p>{@code expectedImages} (container name to image reference) is a second check: a rollout that
 * completes with other images in the pod template is not a success. It may be empty.
 *
 * <p>The core stores source references as flat string maps: see {@link #toFields()} and
 * {@link #fromFields(Map)}.
 *
 * @param kind           the workload kind
 * @param namespace      the namespace
 * @param name           the workload name
 * @param generation     the {@code metadata.generation} of our update, at least 1
 * @param expectedImages container name to expected image reference, possibly empty; kept sorted by container
 */
public record RolloutTarget(WorkloadKind kind, String namespace, String name, long generation,
                            Map<String, String> expectedImages) {

    /** Field key of the kind, e.g. {@code deployment}. */
    public static final String KIND = "kind";
    /** Field key of the namespace. */
    public static final String NAMESPACE = "namespace";
    /** Field key of the workload name. */
    public static final String NAME = "name";
    /** Field key of the generation, a decimal number. */
    public static final String GENERATION = "generation";
    /** Prefix of the field keys of expected images: {@code image.<container>=<image>}. */
    public static final String IMAGE_PREFIX = "image.";

    /**
     * Creates a target, checking every part.
     *
     * @param kind           the workload kind, not null
     * @param namespace      the namespace
     * @param name           the workload name
     * @param generation     the generation of our update, at least 1
     * @param expectedImages container name to expected image, may be null or empty; copied
     * @throws IllegalArgumentException naming the bad value when a name is blank, the generation is below 1,
     *                                  or an expected image is not a valid image reference
     */
    public RolloutTarget {
        Objects.requireNonNull(kind, "kind must not be null");
        namespace = requireName("namespace", namespace);
        name = requireName("name", name);
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1 (the generation our update produced),"
                    + " got " + generation + " for " + kind.word() + " " + namespace + "/" + name);
        }
        Map<String, String> images = new TreeMap<>();
        if (expectedImages != null) {
            expectedImages.forEach((container, image) -> {
                requireName("container name", container);
                // Fail now, not on every later evaluation.
                ImageReference.parse(image);
                images.put(container, image);
            });
        }
        expectedImages = Collections.unmodifiableMap(images);
    }

    /**
     * A target without expected images.
     *
     * @param kind       the workload kind
     * @param namespace  the namespace
     * @param name       the workload name
     * @param generation the generation of our update
     * @return the target
     */
    public static RolloutTarget of(WorkloadKind kind, String namespace, String name, long generation) {
        return new RolloutTarget(kind, namespace, name, generation, Map.of());
    }

    private static String requireName(String what, String value) {
        if (value == null || value.isBlank() || !value.strip().equals(value)) {
            throw new IllegalArgumentException(what + " must be a non-blank name without surrounding spaces, got "
                    + (value == null ? "null" : "\"" + value + "\""));
        }
        return value;
    }

    /** @return {@code kind namespace/name}, for messages, e.g. {@code deployment shop/web} */
    public String describe() {
        return kind.word() + " " + namespace + "/" + name;
    }

    /**
     * The target as flat string fields: {@code kind}, {@code namespace}, {@code name}, {@code generation}
     * and one {@code image.<container>} per expected image.
     *
     * @return an unmodifiable map, in a stable order
     */
    public Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(KIND, kind.word());
        fields.put(NAMESPACE, namespace);
        fields.put(NAME, name);
        fields.put(GENERATION, Long.toString(generation));
        expectedImages.forEach((container, image) -> fields.put(IMAGE_PREFIX + container, image));
        return Collections.unmodifiableMap(fields);
    }

    /**
     * Reads a target from the fields {@link #toFields()} wrote. Keys other than those and
     * {@code image.*} are ignored, so that a source may keep its own fields beside them.
     *
     * @param fields the fields, not null
     * @return the target
     * @throws IllegalArgumentException naming the key and value when a field is missing or invalid
     */
    public static RolloutTarget fromFields(Map<String, String> fields) {
        Objects.requireNonNull(fields, "fields must not be null");
        WorkloadKind kind = WorkloadKind.parse(required(fields, KIND));
        String generationText = required(fields, GENERATION);
        long generation;
        try {
            generation = Long.parseLong(generationText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field \"" + GENERATION + "\" must be a whole number, got \""
                    + generationText + "\"", e);
        }
        Map<String, String> images = new TreeMap<>();
        fields.forEach((key, value) -> {
            if (key != null && key.startsWith(IMAGE_PREFIX)) {
                images.put(key.substring(IMAGE_PREFIX.length()), value);
            }
        });
        return new RolloutTarget(kind, required(fields, NAMESPACE), required(fields, NAME), generation, images);
    }

    private static String required(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException("field \"" + key + "\" is missing; a Kubernetes rollout target needs "
                    + KIND + ", " + NAMESPACE + ", " + NAME + " and " + GENERATION + ", got keys " + fields.keySet());
        }
        return value;
    }
}

package io.deploytrack.core;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a status source finds one deployment: its source type and a few string fields (an NCP project and history
 * id, a Kubernetes namespace, name and generation). It is stored with the check, so any process can resume it.
 *
 * <p>Field order does not matter: the fields are kept sorted, so two refs with the same fields are equal and encode
 * to the same text.
 *
 * @param type   the {@link StatusSource#type()} that can follow it, e.g. {@code ncp}
 * @param fields the source's own fields; keys are 1 to 64 letters, digits, '.', '-' or '_'
 */
public record CheckRef(String type, Map<String, String> fields) {
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Validates; the fields are copied and sorted. */
    public CheckRef {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new InvalidRequestException("type", "source type '" + type
                    + "' is not valid: expected 1 to 32 lowercase letters, digits, '.', '-' or '_' (e.g. ncp)");
        }
        TreeMap<String, String> copy = new TreeMap<>();
        if (fields != null) {
            fields.forEach((k, v) -> {
                if (k == null || !KEY.matcher(k).matches()) {
                    throw new InvalidRequestException("fields", "field name '" + k + "' of a " + type
                            + " reference is not valid: expected 1 to 64 letters, digits, '.', '-' or '_'");
                }
                if (v == null) {
                    throw new InvalidRequestException("fields", "field '" + k + "' of a " + type + " reference has no value");
                }
                copy.put(k, v);
            });
        }
        fields = Collections.unmodifiableMap(copy);
    }

    /** A ref of {@code type} with alternating keys and values: {@code of("ncp", "projectId", "7", "historyId", "17")}. */
    public static CheckRef of(String type, String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keysAndValues must alternate keys and values; got an odd count " + keysAndValues.length);
        }
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new CheckRef(type, m);
    }

    /** The field's value, if present. */
    public Optional<String> field(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    /**
     * The field's value.
     *
     * @throws IllegalArgumentException naming the missing field and the ref's type
     */
    public String require(String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException("a " + type + " reference needs the field '" + key + "'; it has " + fields.keySet());
        }
        return v;
    }

    /** The fields as stored text: {@code k=v&k2=v2}, URL-encoded, sorted by key. */
    public String encodeFields() {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    /** The inverse of {@link #encodeFields()}. */
    public static CheckRef decode(String type, String encodedFields) {
        TreeMap<String, String> m = new TreeMap<>();
        if (encodedFields != null && !encodedFields.isEmpty()) {
            for (String pair : encodedFields.split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("stored " + type + " reference '" + encodedFields + "' is not k=v&k=v text");
                }
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return new CheckRef(type, m);
    }

    @Override
    public String toString() {
        return type + ":" + encodeFields();
    }
}

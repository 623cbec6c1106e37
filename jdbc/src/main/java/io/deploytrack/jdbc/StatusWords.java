package io.deploytrack.jdbc;

import io.deploytrack.core.DeploymentStatus;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The words a host's column uses for deploytrack's statuses, e.g. {@code cancelled -> failed} and
 * {@code timed_out -> failed} for a host that knows only {@code running}, {@code success}, {@code failed}. A status
 * not mapped is written as deploytrack's own word. deploytrack writes the host's word into the host's column and keeps
 * its precise status beside it; a row only the host wrote is read back through {@link #precise} (the map in reverse).
 *
 * @param hostWords deploytrack's status to the host's word, only for those that differ or are named
 */
public record StatusWords(Map<DeploymentStatus, String> hostWords) {
    /** The characters a host word may have: it is compared in SQL, so no quote, no control character. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.: -]{1,50}");

    /**
     * Copies the map and checks it: every host word non-blank and plain; the host word of {@code running} is used by
     * {@code running} only (a read must tell a running row from an ended one).
     *
     * @throws IllegalArgumentException naming the word and what is expected
     */
    public StatusWords {
        Map<DeploymentStatus, String> copy = new EnumMap<>(DeploymentStatus.class);
        Objects.requireNonNull(hostWords, "hostWords").forEach((status, word) -> {
            Objects.requireNonNull(status, "status");
            if (word == null || word.isBlank() || !WORD.matcher(word.strip()).matches()) {
                throw new IllegalArgumentException("the host word for '" + status.word() + "' is '" + word
                        + "': expected a word of letters, digits, '_', '-', '.', ':' or spaces, 1 to 50 of them");
            }
            copy.put(status, word.strip());
        });
        String running = copy.getOrDefault(DeploymentStatus.RUNNING, DeploymentStatus.RUNNING.word());
        for (DeploymentStatus s : DeploymentStatus.values()) {
            if (s != DeploymentStatus.RUNNING && running.equals(copy.getOrDefault(s, s.word()))) {
                throw new IllegalArgumentException("status map " + s.word() + "=" + running + " makes 'running' "
                        + "ambiguous: '" + running + "' is the host word for running, so a row with it could not be "
                        + "told from a " + s.word() + " one; give " + s.word() + " another word");
            }
        }
        hostWords = Collections.unmodifiableMap(copy);
    }

    /** No map: deploytrack's own words. */
    public static StatusWords none() {
        return new StatusWords(Map.of());
    }

    /** Whether every status is written as deploytrack's own word. */
    public boolean isEmpty() {
        return hostWords.entrySet().stream().allMatch(e -> e.getKey().word().equals(e.getValue()));
    }

    /**
     * A copy with one more word: {@code deploytrackWord} (e.g. {@code cancelled}) written as {@code hostWord}.
     *
     * @throws IllegalArgumentException for a word that is not a deploytrack status, or a map that is not usable
     */
    public StatusWords with(String deploytrackWord, String hostWord) {
        DeploymentStatus status = parse(deploytrackWord);
        Map<DeploymentStatus, String> m = new EnumMap<>(DeploymentStatus.class);
        m.putAll(hostWords);
        m.put(status, hostWord);
        return new StatusWords(m);
    }

    /** These words with every one of {@code over} put over them. */
    public StatusWords overriddenBy(StatusWords over) {
        Map<DeploymentStatus, String> m = new EnumMap<>(DeploymentStatus.class);
        m.putAll(hostWords);
        m.putAll(over.hostWords);
        return new StatusWords(m);
    }

    /** The host's word for a status: the mapped one, else deploytrack's own. */
    public String hostWord(DeploymentStatus status) {
        return hostWords.getOrDefault(status, status.word());
    }

    /**
     * The precise status a host word stands for, when only the host wrote it: the status of the same word if that
     * one is not mapped away (so {@code failed} stays {@code failed}), else the first status, in the order
     * running, success, failed, cancelled, timed_out, mapped to it; else the word itself (a word of the host's own).
     */
    public String precise(String hostWord) {
        for (DeploymentStatus s : DeploymentStatus.values()) {
            if (s.word().equals(hostWord) && hostWord(s).equals(hostWord)) {
                return s.word();
            }
        }
        for (DeploymentStatus s : DeploymentStatus.values()) {
            if (hostWord(s).equals(hostWord)) {
                return s.word();
            }
        }
        return hostWord;
    }

    /** A deploytrack status from its word, naming the words expected. */
    static DeploymentStatus parse(String word) {
        String w = word == null ? "" : word.strip().toLowerCase(java.util.Locale.ROOT);
        for (DeploymentStatus s : DeploymentStatus.values()) {
            if (s.word().equals(w)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not a deploytrack status: expected running, success, "
                + "failed, cancelled or timed_out (e.g. --status-map cancelled=failed)");
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        hostWords.forEach((s, w) -> b.append(b.length() == 0 ? "" : ", ").append(s.word()).append('=').append(w));
        return b.toString();
    }
}

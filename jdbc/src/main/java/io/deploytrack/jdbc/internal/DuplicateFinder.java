package io.deploytrack.jdbc.internal;

import io.deploytrack.jdbc.Diagnosis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Finds the rows of a {@link Diagnosis} that record one deployment. Not public API. */
public final class DuplicateFinder {
    private static final int MIN_SHA_PREFIX = 7;

    private DuplicateFinder() {
    }

    /**
     * Duplicates: the same idempotency key; or the same owner, repo, environment and rollback flag, commits equal or
     * one a 7-to-39-character prefix of the other (case-insensitive: a webhook wrote the full SHA, a pipeline its
     * short form), started within 2 minutes of each other, unless one had ended before the other started (a
     * deliberate redeploy) or their idempotency keys differ (two attempts the source told apart).
     */
    public static List<Diagnosis.DuplicateGroup> find(Map<Long, Diagnosis.Row> rows) {
        List<Diagnosis.DuplicateGroup> duplicateGroups = new ArrayList<>();
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Set<String>> reasons = new HashMap<>();
        Map<String, List<Diagnosis.Row>> byKey = new HashMap<>();
        Map<String, List<Diagnosis.Row>> byIdentity = new HashMap<>();
        for (Diagnosis.Row r : rows.values()) {
            if (r.idempotencyKey() != null) {
                byKey.computeIfAbsent(attemptKey(r.idempotencyKey()), k -> new ArrayList<>()).add(r);
            }
            if (r.startedAt() != null) {
                byIdentity.computeIfAbsent(String.join("\u0000", r.owner(), r.repo(), String.valueOf(r.environment()),
                        String.valueOf(r.rollback())), k -> new ArrayList<>()).add(r);
            }
        }
        byKey.forEach((key, list) -> {
            for (int i = 1; i < list.size(); i++) {
                union(parent, list.get(0).id(), list.get(i).id());
            }
            if (list.size() > 1) {
                list.forEach(r -> reasons.computeIfAbsent(r.id(), k -> new TreeSet<>()).add("the same idempotency key '" + key + "'"));
            }
        });
        for (List<Diagnosis.Row> list : byIdentity.values()) {
            list.sort(Comparator.comparing(Diagnosis.Row::startedAt).thenComparing(Diagnosis.Row::id));
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    Diagnosis.Row a = list.get(i);
                    Diagnosis.Row b = list.get(j);
                    if (Duration.between(a.startedAt(), b.startedAt()).compareTo(Diagnosis.DUPLICATE_WINDOW) > 0) {
                        break;
                    }
                    String same = sameCommit(a.commitSha(), b.commitSha());
                    if (same == null) {
                        continue;
                    }
                    // Only a possible completion tells a redeploy: one before its own row's start (a UTC utcnow() in
                    // a local-time table, a webhook's "success" at trigger time) proves nothing.
                    Instant ended = possibleCompletion(a);
                    boolean redeploy = ended != null && !ended.isAfter(b.startedAt());
                    boolean otherAttempt = a.idempotencyKey() != null && b.idempotencyKey() != null
                            && !attemptKey(a.idempotencyKey()).equals(attemptKey(b.idempotencyKey()));
                    if (!redeploy && !otherAttempt) {
                        union(parent, a.id(), b.id());
                        String why = "the same project, environment, " + same + " and rollback flag, started within 2 minutes";
                        reasons.computeIfAbsent(a.id(), k -> new TreeSet<>()).add(why);
                        reasons.computeIfAbsent(b.id(), k -> new TreeSet<>()).add(why);
                    }
                }
            }
        }
        Map<Long, List<Long>> groups = new TreeMap<>();
        for (Long id : parent.keySet()) {
            groups.computeIfAbsent(find(parent, id), k -> new ArrayList<>()).add(id);
        }
        for (List<Long> g : groups.values()) {
            if (g.size() < 2) {
                continue;
            }
            g.sort(Long::compare);
            Set<String> why = new TreeSet<>();
            g.forEach(id -> why.addAll(reasons.getOrDefault(id, Set.of())));
            String reason = String.join("; ", why);
            duplicateGroups.add(new Diagnosis.DuplicateGroup(g, reason));
        }
        return duplicateGroups;
    }

    /** The row's completion, unless it is before the row's own start. */
    public static Instant possibleCompletion(Diagnosis.Row r) {
        return r.completedAt() == null || (r.startedAt() != null && r.completedAt().isBefore(r.startedAt()))
                ? null : r.completedAt();
    }

    /** "commit" when equal, "commit (one SHA a prefix of the other)" for a short and a full SHA, null otherwise. */
    static String sameCommit(String a, String b) {
        if (a == null || b == null) {
            return null;
        }
        if (a.equals(b)) {
            return "commit";
        }
        String x = a.strip().toLowerCase(Locale.ROOT);
        String y = b.strip().toLowerCase(Locale.ROOT);
        if (x.equals(y)) {
            return "commit";
        }
        String shorter = x.length() <= y.length() ? x : y;
        String longer = x.length() <= y.length() ? y : x;
        return shorter.length() >= MIN_SHA_PREFIX && shorter.length() < 40 && longer.startsWith(shorter)
                ? "commit (one SHA a prefix of the other)" : null;
    }

    /** An idempotency key as it names an attempt: earlier versions keyed Kubernetes rollouts {@code k8s:...}. */
    static String attemptKey(String key) {
        return key.startsWith("k8s:") ? "kubernetes:" + key.substring("k8s:".length()) : key;
    }

    private static void union(Map<Long, Long> parent, long a, long b) {
        long ra = find(parent, a);
        long rb = find(parent, b);
        if (ra != rb) {
            parent.put(Math.max(ra, rb), Math.min(ra, rb));
        }
    }

    private static long find(Map<Long, Long> parent, long x) {
        parent.putIfAbsent(x, x);
        long r = x;
        while (parent.get(r) != r) {
            r = parent.get(r);
        }
        parent.put(x, r);
        return r;
    }

}

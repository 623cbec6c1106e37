package io.deploytrack.ncp.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers which undocumented status words were already logged, so each is logged once. */
public final class UnknownStatusWords {

    // Bounded: a misbehaving server must not grow this set without end.
    private static final int MAX_REMEMBERED = 256;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /**
     * @param word an undocumented word
     * @return true the first time a word is seen (then the caller logs it)
     */
    public boolean firstSighting(String word) {
        if (seen.size() >= MAX_REMEMBERED) {
            return false;
        }
        return seen.add(word);
    }
}

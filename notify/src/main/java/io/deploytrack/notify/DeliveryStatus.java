package io.deploytrack.notify;

import java.util.Locale;

/** Where one delivery (one event for one channel) stands, stored as these lowercase words. */
public enum DeliveryStatus {
    /** Not delivered yet: due at its next attempt time, claimed by one instance at a time. */
    PENDING,
    /** The channel's receiver accepted it. */
    DELIVERED,
    /** Given up on: a permanent error, or the maximum number of attempts; {@code redeliver} queues it again. */
    FAILED;

    /** The stored word: {@code pending}, {@code delivered}, {@code failed}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status a stored word names.
     *
     * @throws IllegalArgumentException naming the word and the ones expected
     */
    public static DeliveryStatus fromWord(String word) {
        for (DeliveryStatus s : values()) {
            if (s.word().equals(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("delivery status '" + word + "' is not one of pending, delivered, failed");
    }
}

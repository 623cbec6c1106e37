package io.deploytrack.notify.internal;

import io.deploytrack.notify.DeliveryResult;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** What every HTTP channel does with an answer. Not public API. */
public final class Http {
    private Http() {
    }

    /** 2xx: delivered; 408, 425, 429 and 5xx: retry (with Retry-After); any other: failed for good. */
    public static DeliveryResult classify(HttpResponse<String> r, String what, Clock clock) {
        int code = r.statusCode();
        if (code / 100 == 2) {
            return DeliveryResult.delivered();
        }
        String error = what + " answered HTTP " + code + snippet(r.body());
        if (code == 408 || code == 425 || code == 429 || code >= 500) {
            return DeliveryResult.retry(error, retryAfter(r, clock));
        }
        return DeliveryResult.failed(error);
    }

    /** The Retry-After header as a delay (seconds or an HTTP date), or null. */
    public static Duration retryAfter(HttpResponse<?> r, Clock clock) {
        Optional<String> v = r.headers().firstValue("Retry-After");
        if (v.isEmpty()) {
            return null;
        }
        String s = v.get().trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(s)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** A short, one-line part of an error body. */
    public static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String one = body.replaceAll("\\s+", " ").strip();
        return ": " + (one.length() > 200 ? one.substring(0, 197) + "..." : one);
    }

    /** Why a request got no answer: the exception's class and message (of its cause, when wrapped). */
    public static String cause(Throwable e) {
        Throwable t = e.getCause() != null ? e.getCause() : e;
        // the JDK's messages about a connection name host and port only, never a webhook's secret path
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }
}

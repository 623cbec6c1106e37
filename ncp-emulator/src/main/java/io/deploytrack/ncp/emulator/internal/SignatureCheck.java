package io.deploytrack.ncp.emulator.internal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The gateway's side of signature v2, written independently of the client's code so that a
 * mistake in one is not mirrored in the other: the emulator recomputes
 * {@code Base64(HmacSHA256(secret, METHOD + " " + target + "\n" + timestamp + "\n" + accessKey))}
 * over the request target exactly as received, query included.
 */
final class SignatureCheck {

    private static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final String accessKey;
    private final SecretKeySpec key;
    // Mac is not thread-safe, and getInstance is too slow to call for every request.
    private final ThreadLocal<Mac> macs;

    SignatureCheck(String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.key = new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /**
     * @return null when the request is authentic, else why it is not (never echoing a signature)
     */
    String refusal(String method, String target, String timestamp, String sentAccessKey, String signature, Instant now) {
        if (timestamp == null || sentAccessKey == null || signature == null) {
            return "missing header: " + (timestamp == null ? "x-ncp-apigw-timestamp"
                    : sentAccessKey == null ? "x-ncp-iam-access-key" : "x-ncp-apigw-signature-v2");
        }
        long millis;
        try {
            millis = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "x-ncp-apigw-timestamp must be epoch milliseconds, got \"" + timestamp + "\"";
        }
        long skew = Math.abs(now.toEpochMilli() - millis);
        if (skew >= MAX_SKEW.toMillis()) {
            return "timestamp " + Instant.ofEpochMilli(millis) + " is " + Duration.ofMillis(skew).toSeconds()
                    + " s away from the gateway clock " + now + " (the limit is 5 minutes)";
        }
        if (!accessKey.equals(sentAccessKey)) {
            return "unknown access key";
        }
        String message = method + " " + target + "\n" + timestamp + "\n" + sentAccessKey;
        byte[] expected = Base64.getEncoder().encode(macs.get().doFinal(message.getBytes(StandardCharsets.UTF_8)));
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
            return "signature does not match the request (method, path, query, timestamp, access key)";
        }
        return null;
    }
}

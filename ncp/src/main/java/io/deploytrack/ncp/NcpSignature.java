package io.deploytrack.ncp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * NCP API Gateway signature v2, as the official SDK computes it:
 * {@code Base64(HmacSHA256(key = secretKey, data = METHOD + " " + pathAndQuery + "\n" + timestamp + "\n" + accessKey))},
 * UTF-8 throughout. The path has no scheme or host; the query, raw and already encoded, is part of
 * what is signed; there is no trailing newline and no body hash.
 */
public final class NcpSignature {

    private NcpSignature() {
    }

    /**
     * Signs one request.
     *
     * @param method          the HTTP method, upper case ("GET", "POST")
     * @param pathAndQuery    the raw path with the raw query when there is one,
     *                        e.g. {@code /api/v1/project/1/history?pageNo=1&pageSize=100}
     * @param timestampMillis epoch milliseconds, the value sent in {@code x-ncp-apigw-timestamp}
     * @param accessKey       the access key sent in {@code x-ncp-iam-access-key}
     * @param secretKey       the secret key
     * @return the value of {@code x-ncp-apigw-signature-v2}
     * @throws IllegalArgumentException when an argument is blank, the method is not upper case or
     *                                  the path does not start with "/"
     */
    public static String sign(String method, String pathAndQuery, long timestampMillis, String accessKey,
                              String secretKey) {
        requireText("method", method);
        if (!method.equals(method.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("method must be upper case, like \"GET\", got \"" + method + "\"");
        }
        requireText("pathAndQuery", pathAndQuery);
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException(
                    "pathAndQuery must be the raw path without scheme or host, starting with \"/\", got \"" + pathAndQuery + "\"");
        }
        requireText("accessKey", accessKey);
        requireText("secretKey", secretKey);
        String message = method + " " + pathAndQuery + "\n" + timestampMillis + "\n" + accessKey;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime must provide HmacSHA256; this is a broken JVM, not bad input.
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static void requireText(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}

package io.deploytrack.ncp.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * A bare signing HTTP client for the emulator's own tests (the emulator module cannot use the
 * ncp client): signs with signature v2 over the path and query, or deliberately gets it wrong.
 */
final class SignedHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final Clock clock;
    private final String accessKey;
    private final String secretKey;

    SignedHttp(NcpEmulator emulator, Clock clock) {
        this(emulator.baseUri(), clock, emulator.accessKey(), emulator.secretKey());
    }

    SignedHttp(URI base, Clock clock, String accessKey, String secretKey) {
        this.base = base;
        this.clock = clock;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    SignedHttp withSecret(String otherSecret) {
        return new SignedHttp(base, clock, accessKey, otherSecret);
    }

    SignedHttp withClock(Clock otherClock) {
        return new SignedHttp(base, otherClock, accessKey, secretKey);
    }

    static String sign(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpRequest request(String method, String target, String signedTarget) {
        long ts = clock.millis();
        return HttpRequest.newBuilder(URI.create(base + target))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", "emulator-test")
                .header("x-ncp-apigw-timestamp", Long.toString(ts))
                .header("x-ncp-iam-access-key", accessKey)
                .header("x-ncp-apigw-signature-v2", sign(secretKey, method + " " + signedTarget + "\n" + ts + "\n" + accessKey))
                .build();
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String target) {
        return send(request("GET", target, target));
    }

    HttpResponse<String> post(String target) {
        return send(request("POST", target, target));
    }

    JsonNode getJson(String target) {
        return ok(get(target));
    }

    JsonNode postJson(String target) {
        return ok(post(target));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static JsonNode ok(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new AssertionError("expected 200, got " + response.statusCode() + " " + response.body());
        }
        return json(response);
    }
}

package io.deploytrack.core;

import io.deploytrack.core.support.CallbackSignature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deploytrack.core.support.CallbackSignature.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallbackSignatureTest {

    private static final byte[] BODY = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.ofEpochSecond(1_764_590_000L);

    @Test
    void signsLikeOpenssl() {
        // printf '%s' '1764590000.{"status":"success"}' | openssl dgst -sha256 -hmac s3cret
        assertThat(CallbackSignature.sign("s3cret", 1_764_590_000L, BODY))
                .isEqualTo("sha256=" + OPENSSL_HEX);
    }

    private static final String OPENSSL_HEX = "b93133329f2fb756f81db517b484b7dd4b17f623843974531b271f90b95e3860";

    @Test
    void acceptsItsOwnSignatureWithAnyCurrentSecret() {
        String sig = CallbackSignature.sign("new", NOW.getEpochSecond(), BODY);
        assertThat(CallbackSignature.verify(List.of("old", "new"), String.valueOf(NOW.getEpochSecond()), sig, BODY,
                NOW.plusSeconds(10), CallbackSignature.DEFAULT_TOLERANCE)).isEqualTo(Verdict.VALID);
    }

    @Test
    void refusesAnotherSecretAChangedBodyAStaleTimeAndMalformedHeaders() {
        long ts = NOW.getEpochSecond();
        String sig = CallbackSignature.sign("s", ts, BODY);
        Duration tol = Duration.ofMinutes(5);
        assertThat(CallbackSignature.verify(List.of("t"), "" + ts, sig, BODY, NOW, tol)).isEqualTo(Verdict.MISMATCH);
        assertThat(CallbackSignature.verify(List.of("s"), "" + ts, sig, "{}".getBytes(StandardCharsets.UTF_8), NOW,
                tol)).isEqualTo(Verdict.MISMATCH);
        assertThat(CallbackSignature.verify(List.of("s"), "" + ts, sig, BODY, NOW.plusSeconds(301), tol))
                .isEqualTo(Verdict.STALE);
        assertThat(CallbackSignature.verify(List.of("s"), null, sig, BODY, NOW, tol)).isEqualTo(Verdict.MALFORMED);
        assertThat(CallbackSignature.verify(List.of("s"), "" + ts, "md5=00", BODY, NOW, tol))
                .isEqualTo(Verdict.MALFORMED);
        assertThat(CallbackSignature.verify(List.of("s"), "soon", sig, BODY, NOW, tol)).isEqualTo(Verdict.MALFORMED);
        assertThat(CallbackSignature.verify(List.of("s"), "" + ts, "sha256=zz", BODY, NOW, tol))
                .isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void anEmptySecretIsAnErrorThatSaysSo() {
        assertThatThrownBy(() -> CallbackSignature.sign("", 1, BODY)).hasMessageContaining("secret is empty");
        assertThatThrownBy(() -> CallbackSignature.verify(List.of(), "1", "sha256=00", BODY, NOW, Duration.ZERO))
                .hasMessageContaining("no secret");
    }
}

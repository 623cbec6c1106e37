package io.deploytrack.ncp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NcpSignatureTest {

    private static final String ACCESS = "TESTACCESSKEY01";
    private static final String SECRET = "TestSecretKey-0123456789abcdef";

    // Expected values computed independently with openssl, e.g.:
    // printf 'GET /api/v1/project/1234/history/17\n1700000000000\nTESTACCESSKEY01' \
    //   | openssl dgst -sha256 -hmac 'TestSecretKey-0123456789abcdef' -binary | base64

    @Test
    void getWithoutQuery() {
        assertThat(NcpSignature.sign("GET", "/api/v1/project/1234/history/17", 1_700_000_000_000L, ACCESS, SECRET))
                .isEqualTo("QCFHi2XMWwoCV4VUihNgPnqRcvpYrruVtLPI2aeP5mE=");
    }

    @Test
    void getWithQuerySignsTheQuery() {
        // printf 'GET /api/v1/project/1234/history?pageNo=1&pageSize=100\n1700000000000\nTESTACCESSKEY01' | openssl ...
        assertThat(NcpSignature.sign("GET", "/api/v1/project/1234/history?pageNo=1&pageSize=100", 1_700_000_000_000L,
                ACCESS, SECRET)).isEqualTo("al6POe7xvd1y1XBvnva4lHL9QYi6jBpEqSg+DZMjY5k=");
        // printf 'GET /api/v1/project/1234/history\n1700000000000\nTESTACCESSKEY01' | openssl ...
        // (what a client that drops the query would sign: a different value, refused by the gateway)
        assertThat(NcpSignature.sign("GET", "/api/v1/project/1234/history", 1_700_000_000_000L, ACCESS, SECRET))
                .isEqualTo("KnJ4KQwynNT9zjdj5inO6pQBEy/PLpQc+gjHCEL/O1c=");
    }

    @Test
    void post() {
        // printf 'POST /api/v1/project/1234/stage/56/scenario/78/deploy\n1700000000123\nTESTACCESSKEY01' | openssl ...
        assertThat(NcpSignature.sign("POST", "/api/v1/project/1234/stage/56/scenario/78/deploy", 1_700_000_000_123L,
                ACCESS, SECRET)).isEqualTo("vLCKiI9mosQYobYXfjwx5/n3hfqQr7M4i/DBI20hvrA=");
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> NcpSignature.sign("get", "/x", 1, ACCESS, SECRET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upper case").hasMessageContaining("get");
        assertThatThrownBy(() -> NcpSignature.sign("GET", "https://host/x", 1, ACCESS, SECRET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://host/x");
        assertThatThrownBy(() -> NcpSignature.sign("GET", "/x", 1, ACCESS, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretKey");
    }
}

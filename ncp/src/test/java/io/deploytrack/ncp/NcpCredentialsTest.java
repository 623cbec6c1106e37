package io.deploytrack.ncp;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NcpCredentialsTest {

    @Test
    void environmentErrorsNameTheMissingVariable() {
        assertThatThrownBy(() -> NcpCredentials.fromEnvironment(Map.of("NCP_SECRET_KEY", "s")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NCP_ACCESS_KEY is missing")
                .hasMessageNotContaining("NCP_SECRET_KEY");
        assertThatThrownBy(() -> NcpCredentials.fromEnvironment(Map.of("NCP_ACCESS_KEY", "a", "NCP_SECRET_KEY", " ")))
                .hasMessageContaining("NCP_SECRET_KEY is missing or blank");
        assertThatThrownBy(() -> NcpCredentials.fromEnvironment(Map.of()))
                .hasMessageContaining("NCP_ACCESS_KEY and NCP_SECRET_KEY are missing");
        NcpCredentials read = NcpCredentials.fromEnvironment(Map.of("NCP_ACCESS_KEY", "AK1234567", "NCP_SECRET_KEY", "sk-xyz"));
        assertThat(read).isEqualTo(NcpCredentials.of("AK1234567", "sk-xyz"));
    }

    @Test
    void toStringShowsAShortAccessKeyPrefixAndNoSecret() {
        NcpCredentials credentials = NcpCredentials.of("ABCDEFGHIJKL", "super-secret-value");
        assertThat(credentials.toString()).contains("ABCD...").doesNotContain("ABCDE").doesNotContain("super-secret-value");
        assertThat(NcpCredentials.of("AB", "super-secret-value").toString()).doesNotContain("AB,").contains("****");
        assertThatThrownBy(() -> NcpCredentials.of("AK", "")).hasMessageContaining("secret key must not be blank");
    }

    @Test
    void endpointsAreTheDocumentedGatewaysOrAValidatedBaseUri() {
        assertThat(NcpEndpoint.VPC.baseUri()).isEqualTo(URI.create("https://vpcsourcedeploy.apigw.ntruss.com"));
        assertThat(NcpEndpoint.CLASSIC.baseUri()).isEqualTo(URI.create("https://sourcedeploy.apigw.ntruss.com"));
        assertThat(NcpEndpoint.GOV_VPC.baseUri()).isEqualTo(URI.create("https://vpcsourcedeploy.apigw.gov-ntruss.com"));
        assertThat(NcpEndpoint.GOV_CLASSIC.baseUri()).isEqualTo(URI.create("https://sourcedeploy.apigw.gov-ntruss.com"));
        assertThat(NcpEndpoint.of("http://127.0.0.1:8080/").baseUri()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThatThrownBy(() -> NcpEndpoint.of("ftp://host")).hasMessageContaining("ftp://host");
        assertThatThrownBy(() -> NcpEndpoint.of("https://host/x?a=b")).hasMessageContaining("without user info, query");
        assertThatThrownBy(() -> NcpEndpoint.of("not a uri")).hasMessageContaining("not a uri");
    }
}

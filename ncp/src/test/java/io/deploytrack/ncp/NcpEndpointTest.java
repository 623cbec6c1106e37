package io.deploytrack.ncp;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The three services' hosts: the presets of the NCP API reference, and base URLs from the environment. */
class NcpEndpointTest {

    @Test
    void presetsGiveAllThreeHostsOfThePlatform() {
        assertThat(NcpEndpoint.VPC.sourceBuildUri()).isEqualTo(URI.create("https://sourcebuild.apigw.ntruss.com"));
        assertThat(NcpEndpoint.VPC.sourcePipelineUri()).isEqualTo(URI.create("https://vpcsourcepipeline.apigw.ntruss.com"));
        assertThat(NcpEndpoint.CLASSIC.sourceBuildUri()).isEqualTo(URI.create("https://sourcebuild.apigw.ntruss.com"));
        assertThat(NcpEndpoint.CLASSIC.sourcePipelineUri()).isEqualTo(URI.create("https://sourcepipeline.apigw.ntruss.com"));
        assertThat(NcpEndpoint.GOV_VPC.sourceBuildUri()).isEqualTo(URI.create("https://sourcebuild.apigw.gov-ntruss.com"));
        assertThat(NcpEndpoint.GOV_VPC.sourcePipelineUri())
                .isEqualTo(URI.create("https://vpcsourcepipeline.apigw.gov-ntruss.com"));
        assertThat(NcpEndpoint.GOV_CLASSIC.sourcePipelineUri())
                .isEqualTo(URI.create("https://sourcepipeline.apigw.gov-ntruss.com"));
        assertThat(NcpEndpoint.VPC.uriOf(NcpEndpoint.Service.SOURCEDEPLOY)).isEqualTo(NcpEndpoint.VPC.baseUri());
    }

    @Test
    void theEnvironmentNamesEachServiceAndAPresetHostSelectsItsPreset() {
        assertThat(NcpEndpoint.fromEnvironment(Map.of())).isEqualTo(NcpEndpoint.VPC);
        assertThat(NcpEndpoint.fromEnvironment(Map.of("NCP_ENDPOINT", "https://sourcedeploy.apigw.gov-ntruss.com/")))
                .isEqualTo(NcpEndpoint.GOV_CLASSIC);
        NcpEndpoint one = NcpEndpoint.fromEnvironment(Map.of("NCP_ENDPOINT", "http://127.0.0.1:9000"));
        assertThat(one.sourceBuildUri()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(one.sourcePipelineUri()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        NcpEndpoint three = NcpEndpoint.fromEnvironment(Map.of("NCP_ENDPOINT", "http://127.0.0.1:9000",
                "NCP_SOURCEBUILD_ENDPOINT", "http://127.0.0.1:9001/", "NCP_SOURCEPIPELINE_ENDPOINT", "http://127.0.0.1:9002"));
        assertThat(three).isEqualTo(NcpEndpoint.of("http://127.0.0.1:9000", "http://127.0.0.1:9001",
                "http://127.0.0.1:9002"));
        assertThat(three.resolve(NcpEndpoint.Service.SOURCEBUILD, "/api/v1/project/3/history"))
                .isEqualTo(URI.create("http://127.0.0.1:9001/api/v1/project/3/history"));
        assertThatThrownBy(() -> NcpEndpoint.fromEnvironment(Map.of("NCP_SOURCEBUILD_ENDPOINT", "ftp://x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NCP_SOURCEBUILD_ENDPOINT").hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> NcpEndpoint.fromEnvironment(Map.of("NCP_SOURCEPIPELINE_ENDPOINT", "not a uri")))
                .hasMessageContaining("NCP_SOURCEPIPELINE_ENDPOINT").hasMessageContaining("not a uri");
    }
}

package io.deploytrack.spring.boot3;

import io.deploytrack.spring.autoconfigure.DeploytrackLiveConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Live progress (deploytrack-live) in a servlet web application: the SSE stream, the WebSocket and the dashboard page
 * at the {@code deploytrack.live.*} paths. The beans are in {@link DeploytrackLiveConfiguration}, shared by both Boot
 * lines.
 */
@AutoConfiguration(after = DeploytrackAutoConfiguration.class)
@Import(DeploytrackLiveConfiguration.class)
public class DeploytrackLiveAutoConfiguration {

    /** Created by Spring. */
    public DeploytrackLiveAutoConfiguration() {
    }
}

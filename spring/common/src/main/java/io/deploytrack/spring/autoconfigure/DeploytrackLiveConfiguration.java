package io.deploytrack.spring.autoconfigure;

import io.deploytrack.core.HistoryStore;
import io.deploytrack.live.LiveCodec;
import io.deploytrack.live.LiveHub;
import io.deploytrack.live.LiveReadApi;
import io.deploytrack.spring.DeploytrackProperties;
import io.deploytrack.spring.LiveProperties;
import io.deploytrack.spring.internal.LivePageRoutes;
import io.deploytrack.spring.internal.LiveRuntime;
import io.deploytrack.spring.internal.LiveSseController;
import io.deploytrack.spring.internal.LiveWebSocketHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

import java.time.Clock;

/**
 * Live progress in a servlet web application, as {@code deploytrack serve} offers it: the SSE stream at
 * {@code deploytrack.live.sse-path}, the WebSocket at {@code deploytrack.live.websocket-path} when spring-websocket is on
 * the classpath, and the dashboard page when {@code deploytrack.live.page-path} is set; one {@code LiveHub} over the
 * history store feeds them all. On when deploytrack-live is on the classpath, off with
 * {@code deploytrack.live.enabled=false}. These are ordinary endpoints of the application: its security applies.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"io.deploytrack.live.LiveHub",
        "org.springframework.web.servlet.mvc.method.annotation.SseEmitter"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "deploytrack.live", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(HistoryStore.class)
public class DeploytrackLiveConfiguration {

    /** Created by Spring. */
    public DeploytrackLiveConfiguration() {
    }

    /**
     * The codec of the messages: status words and the user attribute; define one to map the host's words.
     *
     * @return the standard codec
     */
    @Bean
    @ConditionalOnMissingBean
    public LiveCodec deploytrackLiveCodec() {
        return LiveCodec.standard();
    }

    /**
     * The hub, ticking on a daemon thread of its own while the context runs.
     *
     * @param store the history store
     * @param codec the codec
     * @return the runtime
     */
    @Bean
    @ConditionalOnMissingBean
    public LiveRuntime deploytrackLiveRuntime(HistoryStore store, LiveCodec codec) {
        return new LiveRuntime(store, codec, Clock.systemUTC());
    }

    /**
     * The hub itself, for the application's own transports or to read {@code sessions()}; the runtime stops it.
     *
     * @param runtime the runtime
     * @return its hub
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public LiveHub deploytrackLiveHub(LiveRuntime runtime) {
        return runtime.hub();
    }

    /**
     * The SSE stream at {@code deploytrack.live.sse-path}.
     *
     * @param runtime the hub
     * @return the controller
     */
    @Bean
    @ConditionalOnMissingBean
    public LiveSseController deploytrackLiveSse(LiveRuntime runtime) {
        return new LiveSseController(runtime);
    }

    /**
     * The page and its JSON at {@code deploytrack.live.page-path}.
     *
     * @param properties the settings
     * @param store      the history store
     * @param codec      the codec
     * @return the routes
     */
    @Bean
    @ConditionalOnProperty(prefix = "deploytrack.live", name = "page-path")
    @ConditionalOnMissingBean(name = "deploytrackLivePage")
    public RouterFunction<ServerResponse> deploytrackLivePage(DeploytrackProperties properties, HistoryStore store,
                                                              LiveCodec codec) {
        LiveProperties live = properties.getLive();
        return new LivePageRoutes(LiveReadApi.of(store, Clock.systemUTC(), codec), live.getPagePath(),
                live.getWebsocketPath(), live.getSsePath()).routes();
    }

    /** The WebSocket, with Spring's WebSocket support and the servlet container's. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.web.socket.config.annotation.WebSocketConfigurer",
            "jakarta.websocket.server.ServerContainer"})
    @EnableWebSocket
    public static class WebSocket implements WebSocketConfigurer {
        private final LiveRuntime runtime;
        private final DeploytrackProperties properties;

        /**
         * Created by Spring.
         *
         * @param runtime    the hub
         * @param properties the settings
         */
        public WebSocket(LiveRuntime runtime, DeploytrackProperties properties) {
            this.runtime = runtime;
            this.properties = properties;
        }

        @Override
        public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
            registry.addHandler(new LiveWebSocketHandler(runtime.hub()), properties.getLive().getWebsocketPath());
        }
    }
}

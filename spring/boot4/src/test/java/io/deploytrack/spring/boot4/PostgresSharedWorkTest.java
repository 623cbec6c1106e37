package io.deploytrack.spring.boot4;

import io.deploytrack.spring.PostgresSharedWorkContract;

/** Two contexts on one embedded PostgreSQL share the work, on this Boot line. */
class PostgresSharedWorkTest extends PostgresSharedWorkContract {

    @Override
    protected Class<?>[] autoConfigurations() {
        return new Class<?>[]{DeploytrackAutoConfiguration.class, DeploytrackActuatorAutoConfiguration.class};
    }
}

package io.deploytrack.examples.replicas;

import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the replicas example against a real PostgreSQL (embedded). */
class ReplicasExampleTest {
    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    @Test
    void aSecondReplicaTakesOverAndFinishesWhatTheFirstLeftWhenItDied() throws Exception {
        List<Deployment> done = ReplicasExample.run(pg.jdbcUrl());
        assertThat(done).hasSize(4).allMatch(d -> d.status() == DeploymentStatus.SUCCESS);
    }
}

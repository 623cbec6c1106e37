package io.deploytrack.jdbc;

import org.junit.jupiter.api.extension.RegisterExtension;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The entity on PostgreSQL: the class alone, no mapping file, Hibernate's own PostgreSQL dialect (detected). */
class PostgresDeploymentHistoryEntityTest extends DeploymentHistoryEntityContract {
    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    @Override
    protected JdbcHistoryStore openStore(Clock clock, int schemaVersion) {
        // the tracker here expires no lease, so the production default (the server's now()) is kept
        return JdbcHistoryStore.builder().dataSource(pg.hikari("store", 4)).clock(clock).schemaVersion(schemaVersion).build();
    }

    @Override
    protected DataSource jpaDataSource() {
        return pg.hikari("jpa", 2);
    }

    @Override
    protected List<String> mappingFiles() {
        return List.of();
    }

    @Override
    protected Map<String, Object> providerSettings() {
        return Map.of();
    }
}

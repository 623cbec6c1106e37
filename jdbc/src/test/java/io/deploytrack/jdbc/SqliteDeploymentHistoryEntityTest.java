package io.deploytrack.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The entity on SQLite, with Hibernate's community SQLite dialect and deploytrack's SQLite mapping file. */
class SqliteDeploymentHistoryEntityTest extends DeploymentHistoryEntityContract {
    @TempDir
    Path dir;

    @Override
    protected JdbcHistoryStore openStore(Clock clock, int schemaVersion) {
        return JdbcHistoryStore.builder().sqlite(dir.resolve("history.db")).clock(clock).schemaVersion(schemaVersion).build();
    }

    @Override
    protected DataSource jpaDataSource() {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("history.db"));
        return ds;
    }

    @Override
    protected List<String> mappingFiles() {
        return List.of(DeploymentHistoryEntity.SQLITE_MAPPING_FILE);
    }

    @Override
    protected Map<String, Object> providerSettings() {
        return Map.of("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect");
    }

    @Test
    void theMappingFileIsWhatMakesSqliteValidate() {
        try (JdbcHistoryStore store = openStore(clock, 2)) {
            assertThat(store.schemaVersion()).isEqualTo(2);
            // without it, Hibernate expects SQLite to hold times as timestamps, which deploytrack's schema does not
            assertThatThrownBy(() -> validatedUnit(List.of()).close())
                    .hasStackTraceContaining("Schema-validation: wrong column type");
        }
    }
}

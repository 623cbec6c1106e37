package io.deploytrack.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Adoption settings: names checked with a clear message, stored in the database, overridden a setting at a time. */
class AdoptionSettingsTest {
    @TempDir
    Path dir;

    @Test
    void badNamesAreRefusedNamingTheValueAndWhatIsExpected() {
        AdoptionSettings s = AdoptionSettings.none();
        assertThatThrownBy(() -> s.withMapping("owner", "x")).hasMessageContaining("'owner' is not a field that can be "
                + "mapped: expected 'environment', 'attribute:NAME'");
        assertThatThrownBy(() -> s.withMapping("environment", "name space")).hasMessageContaining("'name space' is not a column name");
        assertThatThrownBy(() -> s.withDefault("user_id; DROP TABLE x", "v")).hasMessageContaining("is not a column name");
        assertThatThrownBy(() -> AdoptionSettings.parseZone("Mars/Olympus")).hasMessageContaining("'Mars/Olympus' is not a "
                + "time zone: expected a region such as Asia/Seoul");
        assertThatThrownBy(() -> s.withMapping("environment", "deploy_id").withMapping("attribute:x", "deploy_id"))
                .hasMessageContaining("mapped twice");
    }

    @Test
    void storedSettingsApplyToEveryLaterStoreAndGivenOnesOverrideOnlyThemselves() throws Exception {
        Path db = dir.resolve("host.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE deployment_histories (id INTEGER PRIMARY KEY, github_owner TEXT NOT NULL, "
                    + "github_repo TEXT NOT NULL, github_commit_sha TEXT NOT NULL, is_rollback BOOLEAN NOT NULL, "
                    + "status TEXT NOT NULL, started_at TEXT NOT NULL, namespace TEXT, team TEXT NOT NULL, deploy_id TEXT)");
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.builder().sqlite(db).zone(ZoneId.of("Asia/Seoul"))
                .mapColumn("environment", "namespace").mapColumn("attribute:ncp_history_id", "deploy_id")
                .columnDefault("team", "platform").recordAdoptionSettings().build()) {
            assertThat(store.adoptionSettings().zone()).isEqualTo(ZoneId.of("Asia/Seoul"));
        }
        try (JdbcHistoryStore plain = JdbcHistoryStore.sqlite(db)) {
            AdoptionSettings s = plain.adoptionSettings();
            assertThat(s.zone()).isEqualTo(ZoneId.of("Asia/Seoul"));
            assertThat(s.environmentColumn()).isEqualTo("namespace");
            assertThat(s.attributeColumns()).containsEntry("ncp_history_id", "deploy_id");
            assertThat(s.columnDefaults()).containsEntry("team", "platform");
        }
        // a zone given to the builder wins for this store only; the stored mappings and default stay
        try (JdbcHistoryStore utc = JdbcHistoryStore.builder().sqlite(db).zone(ZoneId.of("UTC")).build()) {
            assertThat(utc.adoptionSettings().zone()).isEqualTo(ZoneId.of("UTC"));
            assertThat(utc.adoptionSettings().environmentColumn()).isEqualTo("namespace");
            assertThat(utc.adoptionSettings().columnDefaults()).containsEntry("team", "platform");
        }
        try (JdbcHistoryStore again = JdbcHistoryStore.sqlite(db)) {
            assertThat(again.adoptionSettings().zone()).as("not recorded: the stored zone stays").isEqualTo(ZoneId.of("Asia/Seoul"));
        }
        // a mapping to a column the table does not have is refused at open
        assertThatThrownBy(() -> JdbcHistoryStore.builder().sqlite(db).mapColumn("attribute:x", "nope").build())
                .isInstanceOf(StoreException.class).hasMessageContaining("the column 'nope', which deployment_histories does not have");
    }
}

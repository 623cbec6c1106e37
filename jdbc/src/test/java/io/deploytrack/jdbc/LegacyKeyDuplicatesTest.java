package io.deploytrack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rollout recorded by an earlier version under a {@code k8s:} key is the same attempt as its {@code kubernetes:} key. */
class LegacyKeyDuplicatesTest {

    @TempDir
    Path dir;

    private List<Diagnosis.DuplicateGroup> duplicatesWithKeys(String first, String second) throws Exception {
        Path db = dir.resolve(first.replace(':', '_') + "-" + second.replace(':', '_') + ".db");
        LegacyAdoptionTest.legacyTable(db,
                "('shop', 'web', 'abc1234', 'success', '2026-01-01 10:00:00', NULL, NULL, NULL)",
                "('shop', 'web', 'abc1234', 'running', '2026-01-01 10:00:30', NULL, NULL, NULL)");
        JdbcHistoryStore.sqlite(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE deployment_histories SET idempotency_key = '" + first + "' WHERE id = 1");
            s.executeUpdate("UPDATE deployment_histories SET idempotency_key = '" + second + "' WHERE id = 2");
        }
        try (JdbcHistoryStore store = JdbcHistoryStore.sqlite(db)) {
            return store.maintenance().diagnose().duplicateGroups();
        }
    }

    @Test
    void anOldK8sKeyAndItsKubernetesKeyAreOneAttempt() throws Exception {
        assertThat(duplicatesWithKeys("k8s:deployment:shop:web:3", "kubernetes:deployment:shop:web:3"))
                .singleElement().satisfies(g -> assertThat(g.ids()).containsExactlyInAnyOrder(1L, 2L));
    }

    @Test
    void keysOfTwoGenerationsStayTwoAttempts() throws Exception {
        assertThat(duplicatesWithKeys("k8s:deployment:shop:web:3", "kubernetes:deployment:shop:web:4")).isEmpty();
    }
}

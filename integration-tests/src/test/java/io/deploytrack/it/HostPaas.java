package io.deploytrack.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The host PaaS's table from test resources ({@code host-paas/}): its DDL as SQLAlchemy creates it on SQLite and on
 * PostgreSQL, and the rows its code leaves ({@code rows.sql}, with {@code ${NAME}} placeholders for NCP ids that a
 * test creates at the emulator first). Shared by every test that needs the host's real table.
 */
final class HostPaas {
    static final String OWNER = "acme";
    static final String REPO = "web";

    private HostPaas() {
    }

    /** Creates the table and writes the rows, with {@code ids} put in for the placeholders. */
    static void create(Connection c, boolean postgres, Map<String, String> ids) throws SQLException {
        run(c, resource(postgres ? "postgresql-ddl.sql" : "sqlite-ddl.sql"));
        String rows = resource("rows.sql");
        for (Map.Entry<String, String> e : ids.entrySet()) {
            rows = rows.replace("${" + e.getKey() + "}", e.getValue());
        }
        if (rows.contains("${")) {
            throw new IllegalArgumentException("host-paas/rows.sql has a placeholder without a value: "
                    + rows.substring(rows.indexOf("${"), rows.indexOf('}', rows.indexOf("${")) + 1));
        }
        run(c, rows);
        if (postgres) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT setval('deployment_histories_id_seq', 100)");
            }
        }
    }

    private static void run(Connection c, String script) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        try (Statement s = c.createStatement()) {
            for (String statement : sql.toString().split(";\\s*\n")) {
                if (!statement.isBlank()) {
                    s.execute(statement.strip().replaceAll(";$", ""));
                }
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = HostPaas.class.getResourceAsStream("/host-paas/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource host-paas/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read host-paas/" + name, e);
        }
    }
}

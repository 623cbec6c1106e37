/**
 * The JDBC history store: {@link io.deploytrack.jdbc.JdbcHistoryStore} on SQLite (WAL, one writer, {@code BEGIN
 * IMMEDIATE}) or PostgreSQL (claims with {@code FOR UPDATE SKIP LOCKED}, leases on the database's clock), versioned
 * migrations applied at open, adoption of a host's own {@code deployment_histories} table, and the JPA entity
 * {@link io.deploytrack.jdbc.DeploymentHistoryEntity} for hosts that read history through their own JPA setup.
 */
package io.deploytrack.jdbc;

/**
 * {@code store.*}: the store's deployment lifecycle on SQLite and PostgreSQL, against plain JDBC running the same
 * statements.
 */
package io.deploytrack.benchmarks.store;

/**
 * {@code query.*}: history and rollback-target queries on a million rows, with the store's query plans.
 */
package io.deploytrack.benchmarks.query;

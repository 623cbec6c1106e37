/**
 * Several replicas of one host on PostgreSQL with HikariCP: leases decide which replica follows which deployment, and
 * one replica takes over when another dies.
 */
package io.deploytrack.examples.replicas;

/**
 * The demo: about twenty NCP SourceDeploy deployments against an in-process emulator, tracked into SQLite, with the
 * history and a rollback target printed at the end.
 */
package io.deploytrack.examples.demo;

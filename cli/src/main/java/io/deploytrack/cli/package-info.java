/**
 * The {@code deploytrack} command for operators: {@link io.deploytrack.cli.Deploytrack} is the entry point of the
 * runnable jar ({@code java -jar deploytrack.jar --help}) and runs the command in-process too.
 */
package io.deploytrack.cli;

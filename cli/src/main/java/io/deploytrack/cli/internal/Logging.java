package io.deploytrack.cli.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Log levels for the command: warnings by default (logback.xml), deploytrack's events with --verbose. */
final class Logging {
    private Logging() {
    }

    static void configure(boolean verbose) {
        if (verbose && LoggerFactory.getLogger("io.deploytrack") instanceof Logger l) {
            l.setLevel(Level.INFO);
        }
    }
}

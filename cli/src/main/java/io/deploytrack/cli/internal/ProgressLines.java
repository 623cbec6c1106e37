package io.deploytrack.cli.internal;

import io.deploytrack.core.DeploymentProgress;
import io.deploytrack.core.StageProgress;

import java.io.PrintWriter;

/** The {@code progress:} block of {@code show}: one line per stage (or check). Not public API. */
final class ProgressLines {
    private ProgressLines() {
    }

    static void print(PrintWriter out, DeploymentProgress p) {
        out.println("progress" + (p.deployment().isTerminal() ? "" : " at " + Format.time(p.at())) + ":");
        if (p.stages().isEmpty()) {
            out.println("  (no checks)");
        }
        for (StageProgress s : p.stages()) {
            String expected = s.expected() == null ? "expected unknown"
                    : "expected " + Format.duration(s.expected().median()) + " (median of " + s.expected().samples()
                    + ", " + s.expected().basis().word() + ")";
            out.println("  " + s.name() + " " + s.phase().word() + " " + s.percent() + "%, elapsed "
                    + Format.duration(s.elapsed()) + ", " + expected + ": " + s.summary());
        }
    }
}

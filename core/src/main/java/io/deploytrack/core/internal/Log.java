package io.deploytrack.core.internal;

import org.slf4j.Logger;

/** The tracker's logger; lines are written with {@link io.deploytrack.core.support.KeyValueLog}. Not public API. */
final class Log {
    /** The tracker's logger. */
    static final Logger TRACKER = org.slf4j.LoggerFactory.getLogger("io.deploytrack.tracker");

    private Log() {
    }
}

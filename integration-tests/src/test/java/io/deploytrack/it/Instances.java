package io.deploytrack.it;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Small shared helpers: how an instance names itself to NCP, and bounded waiting. */
final class Instances {
    static final String USER_AGENT_PREFIX = "deploytrack-it/";

    private Instances() {
    }

    /** The User-Agent an instance's NCP client sends, so the emulator's request log says who polled. */
    static String userAgent(String instanceId) {
        return USER_AGENT_PREFIX + instanceId;
    }

    /** The instance id in a logged User-Agent, or null for another client. */
    static String instanceOf(String userAgent) {
        return userAgent != null && userAgent.startsWith(USER_AGENT_PREFIX)
                ? userAgent.substring(USER_AGENT_PREFIX.length()) : null;
    }

    /** {@code 1,2,3}. */
    static String join(long... ids) {
        StringBuilder b = new StringBuilder();
        for (long id : ids) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(id);
        }
        return b.toString();
    }

    /** Bounded polling: returns once {@code condition} holds, or throws after {@code max}. */
    static void await(String what, Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + max.toMillis() + " ms for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}

package io.deploytrack.kubernetes;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Bounded polling for tests: waits until a condition holds, parking between looks, never sleeping blind. */
final class Await {

    private Await() {
    }

    /**
     * Waits until {@code condition} is true, at most {@code timeout}.
     *
     * @throws AssertionError with {@code what} and the last observed value when it never holds
     */
    static void until(Duration timeout, String what, Supplier<?> observed, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout + " for " + what + "; last seen: " + observed.get());
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }
}

package io.deploytrack.ncp.emulator.internal;

import io.deploytrack.ncp.emulator.NcpFault;
import io.deploytrack.ncp.emulator.RequestKind;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Faults waiting for their requests, applied in the order they were injected. Thread-safe. */
final class FaultQueue {

    private record Armed(NcpFault fault, AtomicInteger remaining) {
    }

    private final Queue<Armed> queue = new ConcurrentLinkedQueue<>();

    void add(NcpFault fault) {
        queue.add(new Armed(fault, new AtomicInteger(fault.times())));
    }

    void clear() {
        queue.clear();
    }

    int pending() {
        return queue.stream().mapToInt(a -> a.remaining().get()).sum();
    }

    /** @return the fault this request gets, or null; counts it against the fault's times */
    NcpFault take(RequestKind kind, Long historyId) {
        if (queue.isEmpty()) {
            return null;
        }
        for (Armed armed : queue) {
            if (!armed.fault().matches(kind, historyId)) {
                continue;
            }
            int before = armed.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0);
            if (before <= 1) {
                queue.remove(armed);
            }
            if (before > 0) {
                return armed.fault();
            }
        }
        return null;
    }
}

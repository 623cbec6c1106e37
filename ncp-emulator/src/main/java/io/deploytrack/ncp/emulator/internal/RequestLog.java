package io.deploytrack.ncp.emulator.internal;

import io.deploytrack.ncp.emulator.EmulatorRequest;
import io.deploytrack.ncp.emulator.RequestKind;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The requests the emulator received: the newest {@code capacity} of them, and exact counts per
 * kind however many there were. Thread-safe.
 */
final class RequestLog {

    private final int capacity;
    private final ArrayDeque<EmulatorRequest> entries = new ArrayDeque<>();
    private final LongAdder[] counts = new LongAdder[RequestKind.values().length];

    RequestLog(int capacity) {
        this.capacity = capacity;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void add(EmulatorRequest request) {
        counts[request.kind().ordinal()].increment();
        synchronized (entries) {
            if (entries.size() == capacity) {
                entries.removeFirst();
            }
            entries.addLast(request);
        }
    }

    List<EmulatorRequest> snapshot() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    long count(RequestKind kind) {
        return counts[kind.ordinal()].sum();
    }

    long total() {
        long sum = 0;
        for (LongAdder count : counts) {
            sum += count.sum();
        }
        return sum;
    }

    void clear() {
        synchronized (entries) {
            entries.clear();
        }
        for (LongAdder count : counts) {
            count.reset();
        }
    }
}

package io.deploytrack.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches a run: the peak number of live threads started during the run whose names start with given prefixes
 * (sampled every 20 ms; threads alive before the run, e.g. a previous run's, never count), and
 * the peak heap in use after each garbage collection (the live heap, not garbage waiting to be collected), for the
 * whole JVM. Start it after {@link #settle()}, close it when the run ends.
 */
public final class Probe implements AutoCloseable {
    private static final long SAMPLE_MS = 20;

    private final List<String> prefixes;
    private final java.util.Set<Long> preexisting = new java.util.HashSet<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final AtomicLong heapPeakAfterGc = new AtomicLong();
    private final AtomicLong gcCount = new AtomicLong();
    private final List<Runnable> unsubscribe = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread sampler;
    private volatile int threadsPeak;
    private final java.util.Map<String, Integer> peakByPrefix = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long usedAtClose;

    private Probe(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
        for (long id : threads.getAllThreadIds()) {
            preexisting.add(id);
        }
        NotificationListener onGc = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                    (CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (isHeapPool(pool.getKey())) {
                    used += pool.getValue().getUsed();
                }
            }
            gcCount.incrementAndGet();
            heapPeakAfterGc.accumulateAndGet(used, Math::max);
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(onGc, null, null);
                unsubscribe.add(() -> {
                    try {
                        emitter.removeNotificationListener(onGc);
                    } catch (ListenerNotFoundException ignored) {
                        // already gone
                    }
                });
            }
        }
        sampler = new Thread(this::sample, "bench-probe");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Starts watching.
     *
     * @param prefixes the thread name prefixes that count (e.g. {@code deploytrack-}, {@code HttpClient-})
     */
    public static Probe start(List<String> prefixes) {
        return new Probe(prefixes);
    }

    /** Collects garbage so that a run starts from the live heap of what came before it. */
    public static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }

    private static boolean isHeapPool(String name) {
        // G1: "G1 Eden Space", "G1 Old Gen", "G1 Survivor Space"; others are non-heap (Metaspace, CodeHeap ...).
        return name.contains("Eden") || name.contains("Survivor") || name.contains("Old") || name.contains("Tenured");
    }

    private void sample() {
        try {
            do {
                int n = count();
                if (n > threadsPeak) {
                    threadsPeak = n;
                }
            } while (!stop.await(SAMPLE_MS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How many live threads started during the run have a counted prefix now. {@link Thread#enumerate} copies
     * references only: cheap enough every 20 ms even with ten thousand threads (ThreadMXBean's thread infos are not).
     */
    public int count() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() * 2 + 16];
        int live = root.enumerate(all, true);
        int n = 0;
        java.util.Map<String, Integer> byPrefix = new java.util.HashMap<>();
        for (int i = 0; i < live; i++) {
            Thread t = all[i];
            String prefix = preexisting.contains(t.getId()) ? null : prefixOf(t.getName());
            if (prefix != null) {
                n++;
                byPrefix.merge(prefix, 1, Integer::sum);
            }
        }
        byPrefix.forEach((k, v) -> peakByPrefix.merge(k, v, Math::max));
        return n;
    }

    /** The most threads of each counted prefix seen alive at once (each prefix's own peak). */
    public java.util.Map<String, Integer> peakByPrefix() {
        return new java.util.TreeMap<>(peakByPrefix);
    }

    private String prefixOf(String name) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return p;
            }
        }
        return null;
    }

    /** The most counted threads seen alive at once. */
    public int threadsPeak() {
        return Math.max(threadsPeak, count());
    }

    /**
     * The largest heap in use right after a collection during the run, in MB (whole JVM); for a run too short to
     * collect at all, the heap in use when it closed (garbage included).
     */
    public double heapPeakMb() {
        long bytes = gcCount.get() == 0 ? usedAtClose : heapPeakAfterGc.get();
        return bytes / (1024.0 * 1024.0);
    }

    /** How many collections happened during the run. */
    public long collections() {
        return gcCount.get();
    }

    @Override
    public void close() {
        usedAtClose = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        stop.countDown();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unsubscribe.forEach(Runnable::run);
    }
}

package io.deploytrack.core.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ScheduledExecutorService} that runs nothing by itself: tasks run on the caller's thread when the test
 * calls {@link #runPending()} or {@link #advance(Duration)}, in the order of their due time, and the
 * {@link ManualClock} moves to each task's time as it runs. Use it as both the tracker's scheduler and executor to
 * make a test fully deterministic.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final ManualClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean shutdown;

    /** A scheduler that runs its tasks only when {@code clock} is advanced past their time. */
    public static ManualScheduler of(ManualClock clock) {
        return new ManualScheduler(clock);
    }

    /** A scheduler on {@code clock}. */
    private ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    /** The clock. */
    public ManualClock clock() {
        return clock;
    }

    /** Runs every task due now (and those they submit for now), then returns how many ran. */
    public int runPending() {
        return runUntil(clock.instant());
    }

    /** Moves the clock forward by {@code d}, running each task due on the way at its due time. */
    public int advance(Duration d) {
        Instant target = clock.instant().plus(d);
        int n = runUntil(target);
        clock.set(target);
        return n;
    }

    /** Advances in steps of {@code step} until {@code total} has passed; handy with work that completes elsewhere. */
    public int advance(Duration total, Duration step) {
        int n = 0;
        Duration left = total;
        while (!left.isNegative() && !left.isZero()) {
            Duration s = left.compareTo(step) < 0 ? left : step;
            n += advance(s);
            left = left.minus(s);
        }
        return n;
    }

    /** How many tasks wait. */
    public synchronized int queued() {
        return queue.size();
    }

    private int runUntil(Instant target) {
        int ran = 0;
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(target)) {
                    return ran;
                }
                queue.poll();
            }
            if (next.due.isAfter(clock.instant())) {
                clock.set(next.due);
            }
            next.run();
            ran++;
        }
    }

    private synchronized void enqueue(Task<?> t) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("the scheduler is shut down");
        }
        queue.add(t);
    }

    @Override
    public void execute(Runnable command) {
        enqueue(new Task<>(command, null, clock.instant(), 0));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task<Void> t = new Task<>(command, null, clock.instant().plusNanos(unit.toNanos(Math.max(0, delay))), 0);
        enqueue(t);
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Task<V> t = new Task<>(callable, clock.instant().plusNanos(unit.toNanos(Math.max(0, delay))), 0);
        enqueue(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return scheduleWithFixedDelay(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be positive: " + delay);
        }
        Task<Void> t = new Task<>(command, null, clock.instant().plusNanos(unit.toNanos(initialDelay)), unit.toNanos(delay));
        enqueue(t);
        return t;
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        throw new java.util.concurrent.RejectedExecutionException("invokeAll would block a manual scheduler; submit and run them instead");
    }

    private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
        private Instant due;
        private final long periodNanos;
        private final long seq = sequence.incrementAndGet();

        Task(Runnable r, V result, Instant due, long periodNanos) {
            super(r, result);
            this.due = due;
            this.periodNanos = periodNanos;
        }

        Task(Callable<V> c, Instant due, long periodNanos) {
            super(c);
            this.due = due;
            this.periodNanos = periodNanos;
        }

        @Override
        public boolean isPeriodic() {
            return periodNanos > 0;
        }

        @Override
        public void run() {
            if (!isPeriodic()) {
                super.run();
            } else if (runAndReset() && !shutdown) {
                due = clock.instant().plusNanos(periodNanos);
                enqueue(this);
            }
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            boolean c = super.cancel(mayInterrupt);
            synchronized (ManualScheduler.this) {
                queue.remove(this);
            }
            return c;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), due).toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            @SuppressWarnings("unchecked")
            Task<?> other = (Task<?>) o;
            int c = due.compareTo(other.due);
            return c != 0 ? c : Long.compare(seq, other.seq);
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            if (!isDone()) {
                throw new TimeoutException("a manual scheduler's task runs only when the test runs it");
            }
            return super.get();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            if (!isDone()) {
                throw new CancellationException("a manual scheduler's task runs only when the test runs it; call runPending() first");
            }
            return super.get();
        }
    }
}

package io.deploytrack.benchmarks.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The largest size an SQLite file's WAL ({@code <file>-wal}) reached while it was watched, sampled every
 * {@value #SAMPLE_MS} ms on a thread of its own. SQLite reuses a WAL file from its start after a checkpoint instead of
 * shrinking it; it only cuts the file back ({@code journal_size_limit}, a TRUNCATE checkpoint) or deletes it (the last
 * connection closing), so the file's size holds its peak long enough for a sample to see it.
 */
public final class WalPeak implements AutoCloseable {
    private static final long SAMPLE_MS = 2;

    private final Path wal;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread sampler;
    private volatile long peakBytes;

    private WalPeak(Path file) {
        this.wal = Path.of(file + "-wal");
        this.sampler = new Thread(this::sample, "bench-wal-peak");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts watching the WAL of the SQLite file {@code file}. */
    public static WalPeak watch(Path file) {
        return new WalPeak(file);
    }

    private void sample() {
        try {
            do {
                look();
            } while (!stop.await(SAMPLE_MS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void look() {
        try {
            long size = Files.size(wal);
            if (size > peakBytes) {
                peakBytes = size;
            }
        } catch (NoSuchFileException e) {
            // no WAL (yet, or any more)
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the size of " + wal, e);
        }
    }

    /** The largest size seen so far, in MB (one last look included). */
    public double peakMb() {
        look();
        return peakBytes / (1024.0 * 1024.0);
    }

    @Override
    public void close() {
        stop.countDown();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

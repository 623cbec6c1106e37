package io.deploytrack.benchmarks;

import java.util.Arrays;

/** Nearest-rank percentiles and medians of samples. */
public final class Percentiles {
    private Percentiles() {
    }

    /** The nearest-rank {@code p}-th percentile (0 &lt; p &lt;= 100) of {@code samples}; 0 when there are none. */
    public static long of(long[] samples, double p) {
        if (samples.length == 0) {
            return 0;
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /** The median of {@code values} (the mean of the two middle ones for an even count); NaN when empty. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

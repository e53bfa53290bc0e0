package io.waybill.local.demo;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles over measured values (ms). */
public record Percentiles(int count, long p50, long p90, long p99, long max) {

    public static Percentiles of(List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        if (v.length == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        return new Percentiles(v.length, rank(v, 50), rank(v, 90), rank(v, 99), v[v.length - 1]);
    }

    private static long rank(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public String toString() {
        return Arrays.toString(new long[]{p50, p90, p99, max});
    }
}

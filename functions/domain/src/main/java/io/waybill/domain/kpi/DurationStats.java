package io.waybill.domain.kpi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Summary of a set of durations. Percentiles are <b>nearest-rank</b>: with the {@code n} values sorted ascending,
 * the p-th percentile is the value at 1-based rank {@code ceil(p / 100 × n)} (so p50 of 4 values is the 2nd, p90 of
 * 10 values the 9th, p90 of 1..9 values the largest); it is always one of the observed values. The mean is the
 * exact sum divided by {@code n}, truncated to the nanosecond. All three are empty when {@code count} is 0.
 *
 * @param count number of values
 * @param p50   nearest-rank median
 * @param p90   nearest-rank 90th percentile
 * @param mean  arithmetic mean
 */
public record DurationStats(int count, Optional<Duration> p50, Optional<Duration> p90, Optional<Duration> mean) {
    private static final DurationStats NONE = new DurationStats(0, Optional.empty(), Optional.empty(), Optional.empty());

    public DurationStats {
        Objects.requireNonNull(p50, "p50");
        Objects.requireNonNull(p90, "p90");
        Objects.requireNonNull(mean, "mean");
    }

    public static DurationStats none() {
        return NONE;
    }

    public static DurationStats of(Collection<Duration> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        List<Duration> sorted = new ArrayList<>(values);
        sorted.sort(null);
        Duration sum = Duration.ZERO;
        for (Duration d : sorted) {
            sum = sum.plus(d);
        }
        return new DurationStats(sorted.size(), Optional.of(nearestRank(sorted, 50)),
                Optional.of(nearestRank(sorted, 90)), Optional.of(sum.dividedBy(sorted.size())));
    }

    /** Nearest-rank percentile of an ascending, non-empty list: the value at 1-based rank ceil(p/100 × n). */
    public static <T> T nearestRank(List<T> ascending, int percentile) {
        if (ascending.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        if (percentile <= 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percentile);
        }
        int n = ascending.size();
        int rank = (int) ((percentile * (long) n + 99) / 100); // ceil(p*n/100) in integers, no rounding error
        return ascending.get(Math.max(1, rank) - 1);
    }
}

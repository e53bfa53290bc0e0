package io.waybill.domain.coldchain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A logger's readings made into a step series: the canonical form every exposure figure is computed from.
 *
 * <p>The rules (a contract, the {@code waybill coldchain} command prints figures computed from them):
 * <ol>
 *   <li>Readings are sorted by time; the input may come in any order.</li>
 *   <li>Readings with the same time collapse to one. When they disagree, the <em>highest</em> celsius is kept (by
 *       {@link Double#compare}, so 0.0 wins over -0.0): the conservative choice for heat-sensitive goods. The other
 *       values at that time are discarded, also for the minimum and the hard low limit.</li>
 *   <li>Step interpolation: each reading holds until the next one, so its weight is the time until the next
 *       reading. A gap between readings is therefore attributed entirely to the reading before it: a 6-hour gap
 *       after a 9 °C reading counts as 6 hours at 9 °C.</li>
 *   <li>The last reading only closes the series: its weight is zero. It still counts as a reading (for the count,
 *       the maximum and minimum, and hard limits).</li>
 * </ol>
 * Because the series depends only on the <em>set</em> of readings, every figure computed from it in time order is
 * bitwise identical whatever the input order and duplicates.
 */
public final class ExposureSeries {
    private static final ExposureSeries EMPTY = new ExposureSeries(List.of());

    /** Time ascending; at equal times highest celsius first, so the first of a time group is the one kept. */
    private static final Comparator<ExposureReading> TIME_THEN_HOTTEST_FIRST = Comparator
            .comparing(ExposureReading::time)
            .thenComparing((a, b) -> Double.compare(b.celsius(), a.celsius()));

    private final List<ExposureReading> readings;

    private ExposureSeries(List<ExposureReading> readings) {
        this.readings = readings;
    }

    /**
     * @param readings any readings, in any order, duplicates allowed; none may be null
     * @return the sorted, de-duplicated series
     */
    public static ExposureSeries of(Collection<ExposureReading> readings) {
        Objects.requireNonNull(readings, "readings");
        if (readings.isEmpty()) {
            return EMPTY;
        }
        List<ExposureReading> sorted = new ArrayList<>(readings.size());
        for (ExposureReading r : readings) {
            sorted.add(Objects.requireNonNull(r, "a reading is null"));
        }
        sorted.sort(TIME_THEN_HOTTEST_FIRST);
        List<ExposureReading> kept = new ArrayList<>(sorted.size());
        for (ExposureReading r : sorted) {
            if (kept.isEmpty() || !kept.get(kept.size() - 1).time().equals(r.time())) {
                kept.add(r);
            }
        }
        return new ExposureSeries(List.copyOf(kept));
    }

    /** The empty series. */
    public static ExposureSeries empty() {
        return EMPTY;
    }

    /** The readings kept, time ascending, one per time. */
    public List<ExposureReading> readings() {
        return readings;
    }

    /** The number of readings kept. */
    public int size() {
        return readings.size();
    }

    /** True when there is no reading. */
    public boolean isEmpty() {
        return readings.isEmpty();
    }

    /**
     * @param index a reading's index in {@link #readings()}
     * @return how long the reading holds: the time until the next reading, zero for the last
     */
    public Duration weightOf(int index) {
        Objects.checkIndex(index, readings.size());
        return index == readings.size() - 1 ? Duration.ZERO
                : Duration.between(readings.get(index).time(), readings.get(index + 1).time());
    }

    /** The time of the first reading, empty for an empty series. */
    public Optional<Instant> firstTime() {
        return readings.isEmpty() ? Optional.empty() : Optional.of(readings.get(0).time());
    }

    /** The time of the last (closing) reading, empty for an empty series. */
    public Optional<Instant> lastTime() {
        return readings.isEmpty() ? Optional.empty() : Optional.of(readings.get(readings.size() - 1).time());
    }

    /** From the first to the last reading; zero for fewer than two readings. Equals the sum of the weights. */
    public Duration coveredDuration() {
        return readings.size() < 2 ? Duration.ZERO
                : Duration.between(readings.get(0).time(), readings.get(readings.size() - 1).time());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExposureSeries that && readings.equals(that.readings);
    }

    @Override
    public int hashCode() {
        return readings.hashCode();
    }

    @Override
    public String toString() {
        return "ExposureSeries" + readings;
    }
}

package io.waybill.domain.forecast;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;

/**
 * Daily unit demand of one series: {@code unitsPerDay[i]} units left the location on {@code firstDay + i} (UTC days by
 * the departure's device time), zero on days nothing left.
 */
public record DemandHistory(SeriesKey key, LocalDate firstDay, double[] unitsPerDay) {
    public DemandHistory {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(firstDay, "firstDay");
        unitsPerDay = unitsPerDay.clone();
    }

    @Override
    public double[] unitsPerDay() {
        return unitsPerDay.clone();
    }

    public int days() {
        return unitsPerDay.length;
    }

    /** The day after the last one in the history: the first day a forecast of it covers. */
    public LocalDate nextDay() {
        return firstDay.plusDays(unitsPerDay.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DemandHistory h && key.equals(h.key) && firstDay.equals(h.firstDay)
                && Arrays.equals(unitsPerDay, h.unitsPerDay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, firstDay, Arrays.hashCode(unitsPerDay));
    }

    @Override
    public String toString() {
        return "DemandHistory[" + key.id() + " from " + firstDay + ", " + unitsPerDay.length + " days]";
    }
}

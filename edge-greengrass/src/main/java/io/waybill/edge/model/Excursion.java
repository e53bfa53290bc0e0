package io.waybill.edge.model;

import io.waybill.domain.event.TemperatureBreached.Limit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A temperature excursion as known at one moment: open (no {@link #end()}) or ended.
 *
 * @param sensorId      the probe
 * @param number        1 for the first excursion the detector opened, 2 for the next, ... (correlates the started,
 *                      update and ended events of one excursion)
 * @param limit         which band limit was crossed
 * @param limitCelsius  the value of that limit, °C
 * @param start         the first reading outside the band by more than the enter margin
 * @param end           the first reading back inside by the exit margin that stayed inside; null while open
 * @param duration      {@code end - start}, or, while open, the time from {@code start} to the latest reading
 * @param peakCelsius   the reading furthest beyond the limit (highest for UPPER, lowest for LOWER), °C
 * @param degreeMinutes the area between the readings and the limit while outside, °C x min (each reading holds
 *                      until the next one, at most {@link ExcursionConfig#maxSampleGap()})
 */
public record Excursion(String sensorId, int number, Limit limit, double limitCelsius, Instant start, Instant end,
                        Duration duration, double peakCelsius, double degreeMinutes) {
    public Excursion {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
    }

    public boolean isOpen() {
        return end == null;
    }

    /** How far the peak went beyond the limit, °C (>= 0). */
    public double magnitudeCelsius() {
        return Math.abs(peakCelsius - limitCelsius);
    }
}

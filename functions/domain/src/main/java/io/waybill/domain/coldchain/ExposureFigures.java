package io.waybill.domain.coldchain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The exposure figures of one {@link ExposureSeries} against one {@link TemperatureBand}, as computed by
 * {@link ExposureCalculator} (see there for the exact rules). Equal inputs give equal records, bit for bit.
 *
 * @param band               the band the figures are measured against
 * @param readings           the number of readings after de-duplication (same time collapses to one)
 * @param firstTime          the first reading's time; empty without readings
 * @param lastTime           the last (closing) reading's time; empty without readings
 * @param covered            from the first to the last reading (the sum of all weights)
 * @param timeOutOfRange     time out of range (TOR): total weight of readings strictly outside the band; equals
 *                           {@code timeAbove + timeBelow}
 * @param timeAbove          total weight of readings strictly above the high bound
 * @param timeBelow          total weight of readings strictly below the low bound
 * @param degreeMinutesAbove Σ (celsius − high) × weight in minutes over readings above the band, °C·min
 * @param degreeMinutesBelow Σ (low − celsius) × weight in minutes over readings below the band, °C·min
 * @param mktCelsius         duration-weighted mean kinetic temperature, °C; empty when the covered duration is zero
 *                           (fewer than two readings)
 * @param maxCelsius         the highest reading, the closing one included; empty without readings
 * @param minCelsius         the lowest reading, the closing one included; empty without readings
 * @param unknown            time inside the evidence's span that no evidence describes: gaps beyond the policy's
 *                           maximum interpolation gap (see {@link BreachPolicy#maxInterpolationGap()})
 */
public record ExposureFigures(TemperatureBand band, int readings, Optional<Instant> firstTime,
                             Optional<Instant> lastTime, Duration covered, Duration timeOutOfRange,
                             Duration timeAbove, Duration timeBelow, double degreeMinutesAbove,
                             double degreeMinutesBelow, OptionalDouble mktCelsius, OptionalDouble maxCelsius,
                             OptionalDouble minCelsius, Duration unknown) {
    /** Figures without unknown time. */
    public ExposureFigures(TemperatureBand band, int readings, Optional<Instant> firstTime, Optional<Instant> lastTime,
                           Duration covered, Duration timeOutOfRange, Duration timeAbove, Duration timeBelow,
                           double degreeMinutesAbove, double degreeMinutesBelow, OptionalDouble mktCelsius,
                           OptionalDouble maxCelsius, OptionalDouble minCelsius) {
        this(band, readings, firstTime, lastTime, covered, timeOutOfRange, timeAbove, timeBelow, degreeMinutesAbove,
                degreeMinutesBelow, mktCelsius, maxCelsius, minCelsius, Duration.ZERO);
    }

    public ExposureFigures {
        Objects.requireNonNull(unknown, "unknown");
        Objects.requireNonNull(band, "band");
        Objects.requireNonNull(firstTime, "firstTime");
        Objects.requireNonNull(lastTime, "lastTime");
        Objects.requireNonNull(covered, "covered");
        Objects.requireNonNull(timeOutOfRange, "timeOutOfRange");
        Objects.requireNonNull(timeAbove, "timeAbove");
        Objects.requireNonNull(timeBelow, "timeBelow");
        Objects.requireNonNull(mktCelsius, "mktCelsius");
        Objects.requireNonNull(maxCelsius, "maxCelsius");
        Objects.requireNonNull(minCelsius, "minCelsius");
        if (readings < 0) {
            throw new IllegalArgumentException("readings must not be negative, was " + readings);
        }
    }

    /** The figures of an empty series: all zeros, no times, no MKT, no maximum or minimum. */
    public static ExposureFigures none(TemperatureBand band) {
        return new ExposureFigures(band, 0, Optional.empty(), Optional.empty(), Duration.ZERO, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, 0.0, 0.0, OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty());
    }

    /** {@link #timeOutOfRange()} in seconds (fractional when readings have sub-second times). */
    public double torSeconds() {
        return seconds(timeOutOfRange);
    }

    /** {@link #unknown()} in seconds. */
    public double unknownSeconds() {
        return seconds(unknown);
    }

    /** {@link #covered()} in seconds. */
    public double coveredSeconds() {
        return seconds(covered);
    }

    /** {@code degreeMinutesAbove + degreeMinutesBelow}: the size of the excursions, whichever side, °C·min. */
    public double degreeMinutesOutOfRange() {
        return degreeMinutesAbove + degreeMinutesBelow;
    }

    static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }
}

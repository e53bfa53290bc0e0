package io.waybill.domain.coldchain;

import java.time.Instant;
import java.util.Objects;

/**
 * One temperature reading of a logger.
 *
 * @param time    when the temperature was measured
 * @param celsius the temperature, °C; finite and above absolute zero ({@value #ABSOLUTE_ZERO_CELSIUS} °C)
 */
public record ExposureReading(Instant time, double celsius) {
    /** Absolute zero, °C. A reading at or below it is a sensor fault, not a temperature. */
    public static final double ABSOLUTE_ZERO_CELSIUS = -273.15;

    /**
     * @throws NullPointerException     when {@code time} is null
     * @throws InvalidReadingException when {@code celsius} is NaN, infinite, or at or below absolute zero
     */
    public ExposureReading {
        Objects.requireNonNull(time, "time");
        if (!Double.isFinite(celsius)) {
            throw new InvalidReadingException(time, celsius, "expected a finite number");
        }
        if (celsius <= ABSOLUTE_ZERO_CELSIUS) {
            throw new InvalidReadingException(time, celsius, "at or below absolute zero");
        }
    }

    /** Shorthand for {@code new ExposureReading(time, celsius)}. */
    public static ExposureReading of(Instant time, double celsius) {
        return new ExposureReading(time, celsius);
    }
}

package io.waybill.domain.coldchain;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The temperatures a product may be kept at, °C, bounds included: a reading equal to a bound is in range. A band
 * may be open on one side, e.g. frozen goods {@link #atMost(double) at most} -18 °C.
 *
 * <p>An absent bound is stored as an infinity ({@code lowCelsius = -∞}, {@code highCelsius = +∞}) so comparisons
 * need no special case; {@link #lowerBound()} and {@link #upperBound()} expose the bounds as optionals. Build bands
 * with {@link #between(double, double)}, {@link #atMost(double)} or {@link #atLeast(double)}.
 *
 * @param lowCelsius  the lowest temperature in range, or {@link Double#NEGATIVE_INFINITY} for no lower bound
 * @param highCelsius the highest temperature in range, or {@link Double#POSITIVE_INFINITY} for no upper bound
 */
public record TemperatureBand(double lowCelsius, double highCelsius) {
    /**
     * @throws IllegalArgumentException when a bound is NaN, the low bound is +∞ or the high bound -∞, low is above
     *                                  high, or the band has no bound at all
     */
    public TemperatureBand {
        if (Double.isNaN(lowCelsius) || Double.isNaN(highCelsius)) {
            throw new IllegalArgumentException("a temperature band bound must not be NaN");
        }
        if (lowCelsius == Double.POSITIVE_INFINITY || highCelsius == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("a temperature band's low bound must not be +∞ nor its high bound -∞");
        }
        if (lowCelsius > highCelsius) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a temperature band's low bound %s °C is above its high bound %s °C", lowCelsius, highCelsius));
        }
        if (lowCelsius == Double.NEGATIVE_INFINITY && highCelsius == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("a temperature band needs at least one bound");
        }
        // -0.0 and 0.0 are the same bound; store one so equal bands are equal records.
        lowCelsius = lowCelsius == 0.0 ? 0.0 : lowCelsius;
        highCelsius = highCelsius == 0.0 ? 0.0 : highCelsius;
    }

    /** {@code lowCelsius ≤ t ≤ highCelsius}, e.g. {@code between(2, 8)} for 2–8 °C products. */
    public static TemperatureBand between(double lowCelsius, double highCelsius) {
        requireFinite(lowCelsius, "low");
        requireFinite(highCelsius, "high");
        return new TemperatureBand(lowCelsius, highCelsius);
    }

    /** {@code t ≤ highCelsius}, no lower bound, e.g. {@code atMost(-18)} for frozen goods. */
    public static TemperatureBand atMost(double highCelsius) {
        requireFinite(highCelsius, "high");
        return new TemperatureBand(Double.NEGATIVE_INFINITY, highCelsius);
    }

    /** {@code t ≥ lowCelsius}, no upper bound. */
    public static TemperatureBand atLeast(double lowCelsius) {
        requireFinite(lowCelsius, "low");
        return new TemperatureBand(lowCelsius, Double.POSITIVE_INFINITY);
    }

    /** The low bound, empty when the band has none. */
    public OptionalDouble lowerBound() {
        return lowCelsius == Double.NEGATIVE_INFINITY ? OptionalDouble.empty() : OptionalDouble.of(lowCelsius);
    }

    /** The high bound, empty when the band has none. */
    public OptionalDouble upperBound() {
        return highCelsius == Double.POSITIVE_INFINITY ? OptionalDouble.empty() : OptionalDouble.of(highCelsius);
    }

    /** True when {@code celsius} is strictly above the high bound. */
    public boolean isAbove(double celsius) {
        return celsius > highCelsius;
    }

    /** True when {@code celsius} is strictly below the low bound. */
    public boolean isBelow(double celsius) {
        return celsius < lowCelsius;
    }

    /** True when {@code celsius} is within the band; a reading equal to a bound is in range. */
    public boolean contains(double celsius) {
        return !isAbove(celsius) && !isBelow(celsius);
    }

    /** E.g. {@code "2.0..8.0 °C"}, {@code "≤ -18.0 °C"}, {@code "≥ 15.0 °C"}. */
    @Override
    public String toString() {
        if (lowCelsius == Double.NEGATIVE_INFINITY) {
            return "≤ " + highCelsius + " °C";
        }
        if (highCelsius == Double.POSITIVE_INFINITY) {
            return "≥ " + lowCelsius + " °C";
        }
        return lowCelsius + ".." + highCelsius + " °C";
    }

    private static void requireFinite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a temperature band's " + name + " bound must be finite, was " + value);
        }
    }

    /** How far {@code celsius} lies outside the band, °C; 0 inside it. */
    public double distanceOutside(double celsius) {
        if (isAbove(celsius)) {
            return celsius - highCelsius;
        }
        if (isBelow(celsius)) {
            return lowCelsius - celsius;
        }
        return 0;
    }
}

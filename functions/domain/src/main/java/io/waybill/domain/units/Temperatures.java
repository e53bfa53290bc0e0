package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Plausibility and rounding of Celsius temperatures. */
public final class Temperatures {
    /** Lowest temperature a supply-chain sensor can plausibly report (deep-freeze and dry-ice shipments included). */
    public static final double MIN_PLAUSIBLE_CELSIUS = -100.0;
    /** Highest temperature a supply-chain sensor can plausibly report. */
    public static final double MAX_PLAUSIBLE_CELSIUS = 150.0;
    /** Canonical temperatures have this many decimal places (0.01 °C). */
    public static final int SCALE = 2;

    private Temperatures() {
    }

    /**
     * Returns {@code celsius} when it is finite and within [{@value #MIN_PLAUSIBLE_CELSIUS},
     * {@value #MAX_PLAUSIBLE_CELSIUS}] °C, both bounds included.
     *
     * @throws RejectedRecordException {@link RejectionReason#IMPOSSIBLE_VALUE} otherwise
     */
    public static double requirePlausibleCelsius(double celsius, String fieldName) {
        if (Double.isNaN(celsius) || Double.isInfinite(celsius)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    fieldName + " " + Detail.number(celsius) + " °C: is not a finite temperature");
        }
        if (celsius < MIN_PLAUSIBLE_CELSIUS || celsius > MAX_PLAUSIBLE_CELSIUS) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    fieldName + " " + Detail.number(celsius) + " °C: is outside the plausible range "
                            + Detail.number(MIN_PLAUSIBLE_CELSIUS) + " to " + Detail.number(MAX_PLAUSIBLE_CELSIUS)
                            + " °C (check the unit and the sensor)");
        }
        return celsius;
    }

    /**
     * {@code celsius} rounded to 0.01 °C, half to even, on its shortest decimal representation (so 4.005 becomes
     * 4.0 and 4.015 becomes 4.02). Negative zero becomes zero; NaN and infinities pass through unchanged.
     */
    public static double round(double celsius) {
        if (Double.isNaN(celsius) || Double.isInfinite(celsius)) {
            return celsius;
        }
        double fast = roundedHundredths(celsius);
        return Double.isNaN(fast) ? round(BigDecimal.valueOf(celsius)) : fast;
    }

    /**
     * Rounds to 0.01 in binary arithmetic when the value is not within 1e-6 of a half-hundredth, where binary and
     * decimal rounding cannot disagree; NaN ("ask the exact decimal path") otherwise. k / 100.0 is the correctly
     * rounded double of the decimal k/100, the same double BigDecimal produces. This keeps the ingest hot path free
     * of BigDecimal for all but tie cases.
     */
    static double roundedHundredths(double value) {
        double scaled = value * 100;
        double floor = Math.floor(scaled);
        if (Math.abs(scaled - floor - 0.5) < 1e-6 || Math.abs(scaled) > 1e13) {
            return Double.NaN;
        }
        return Math.rint(scaled) / 100 + 0.0;
    }

    static double round(BigDecimal celsius) {
        return celsius.setScale(SCALE, RoundingMode.HALF_EVEN).doubleValue() + 0.0;
    }
}

package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

import java.math.BigDecimal;
import java.util.Locale;

/** A mass unit as devices and partners report it; every mass is converted to kilograms for canonical events. */
public enum MassUnit {
    KILOGRAM(BigDecimal.ONE),
    /** The international avoirdupois pound, exactly 0.45359237 kg. */
    POUND(new BigDecimal("0.45359237")),
    GRAM(new BigDecimal("0.001")),
    /** The metric tonne, 1000 kg. */
    TONNE(new BigDecimal("1000"));

    /** Field name used in rejection details by {@link #parse(String)}. */
    public static final String DEFAULT_FIELD = "massUnit";

    private static final String ACCEPTED = "kg, KGM, lb, lbs, LBR, g, GRM, t, TNE";

    private final BigDecimal kilograms;

    MassUnit(BigDecimal kilograms) {
        this.kilograms = kilograms;
    }

    /** {@link #parse(String, String)} with the field name {@value #DEFAULT_FIELD}. */
    public static MassUnit parse(String code) {
        return parse(code, DEFAULT_FIELD);
    }

    /**
     * The unit for a code, case-insensitive, surrounding whitespace ignored: {@code kg}, {@code KGM}; {@code lb},
     * {@code lbs}, {@code LBR}; {@code g}, {@code GRM}; {@code t}, {@code TNE} (KGM/LBR/GRM/TNE are the UN/ECE
     * Recommendation 20 codes).
     *
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the code is null or blank;
     *                                 {@link RejectionReason#UNKNOWN_UNIT} for any other code
     */
    public static MassUnit parse(String code, String fieldName) {
        String value = RejectedValue.requirePresent(code, fieldName);
        switch (value.toLowerCase(Locale.ROOT)) {
            case "kg":
            case "kgm":
                return KILOGRAM;
            case "lb":
            case "lbs":
            case "lbr":
                return POUND;
            case "g":
            case "grm":
                return GRAM;
            case "t":
            case "tne":
                return TONNE;
            default:
                throw RejectedValue.reject(RejectionReason.UNKNOWN_UNIT, fieldName, value,
                        "is not a mass unit; accepted: " + ACCEPTED);
        }
    }

    /**
     * {@code value} in this unit converted to kilograms with decimal arithmetic and rounded with
     * {@link Masses#round(double)} to 0.001 kg. NaN and infinities pass through unchanged for
     * {@link Masses#requirePlausibleKilograms(double, String)} to reject.
     */
    public double toKilograms(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return Masses.round(BigDecimal.valueOf(value).multiply(kilograms));
    }
}

package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** A temperature unit as devices report it; every reading is converted to Celsius for canonical events. */
public enum TemperatureUnit {
    CELSIUS,
    FAHRENHEIT,
    KELVIN;

    /** Field name used in rejection details by {@link #parse(String)}. */
    public static final String DEFAULT_FIELD = "temperatureUnit";

    private static final String ACCEPTED = "C, °C, degC, celsius, CEL, F, °F, degF, fahrenheit, FAH, K, kelvin, KEL";
    private static final BigDecimal THIRTY_TWO = BigDecimal.valueOf(32);
    private static final BigDecimal FIVE = BigDecimal.valueOf(5);
    private static final BigDecimal NINE = BigDecimal.valueOf(9);
    private static final BigDecimal ABSOLUTE_ZERO_CELSIUS = new BigDecimal("273.15");

    /** {@link #parse(String, String)} with the field name {@value #DEFAULT_FIELD}. */
    public static TemperatureUnit parse(String code) {
        return parse(code, DEFAULT_FIELD);
    }

    /**
     * The unit for a code, case-insensitive, surrounding whitespace ignored: {@code C}, {@code °C}, {@code degC},
     * {@code celsius}, {@code CEL}; {@code F}, {@code °F}, {@code degF}, {@code fahrenheit}, {@code FAH}; {@code K},
     * {@code kelvin}, {@code KEL} (CEL/FAH/KEL are the UN/ECE Recommendation 20 codes).
     *
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the code is null or blank;
     *                                 {@link RejectionReason#UNKNOWN_UNIT} for any other code
     */
    public static TemperatureUnit parse(String code, String fieldName) {
        String value = RejectedValue.requirePresent(code, fieldName);
        switch (value.toLowerCase(Locale.ROOT)) {
            case "c":
            case "°c":
            case "degc":
            case "celsius":
            case "cel":
                return CELSIUS;
            case "f":
            case "°f":
            case "degf":
            case "fahrenheit":
            case "fah":
                return FAHRENHEIT;
            case "k":
            case "kelvin":
            case "kel":
                return KELVIN;
            default:
                throw RejectedValue.reject(RejectionReason.UNKNOWN_UNIT, fieldName, value,
                        "is not a temperature unit; accepted: " + ACCEPTED);
        }
    }

    /**
     * {@code value} in this unit converted to degrees Celsius and rounded with {@link Temperatures#round(double)}, so
     * the same reading always gives the same canonical value: 39.2 °F is exactly 4.0 °C, 277.15 K exactly 4.0 °C.
     * The arithmetic is decimal, on the shortest decimal representation of {@code value}. NaN and infinities pass
     * through unchanged for {@link Temperatures#requirePlausibleCelsius(double, String)} to reject.
     */
    public double toCelsius(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double approximate = switch (this) {
            case FAHRENHEIT -> (value - 32) * 5 / 9;
            case KELVIN -> value - 273.15;
            default -> value;
        };
        double fast = Temperatures.roundedHundredths(approximate);
        if (!Double.isNaN(fast)) {
            return fast;
        }
        BigDecimal decimal = BigDecimal.valueOf(value);
        BigDecimal celsius;
        switch (this) {
            case FAHRENHEIT:
                celsius = decimal.subtract(THIRTY_TWO).multiply(FIVE).divide(NINE, MathContext.DECIMAL128);
                break;
            case KELVIN:
                celsius = decimal.subtract(ABSOLUTE_ZERO_CELSIUS);
                break;
            default:
                celsius = decimal;
        }
        return Temperatures.round(celsius);
    }
}

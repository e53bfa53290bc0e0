package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

import java.util.regex.Pattern;

/**
 * Numbers that arrive as JSON strings ({@code "39.2"}). The grammar is deliberately narrow so that a device's
 * locale or a firmware bug cannot silently change a value: an optional sign, ASCII digits, an optional {@code '.'}
 * fraction and an optional exponent. Comma decimals ({@code "4,5"}), thousands separators, hexadecimal,
 * {@code NaN} and {@code Infinity} are rejected. Surrounding whitespace is ignored.
 */
public final class Numbers {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(?:nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEX = Pattern.compile("[+-]?0[xX].*");

    private Numbers() {
    }

    /**
     * The finite decimal number in {@code text}, e.g. {@code 39.2} for {@code " 39.2 "}, {@code 1500.0} for
     * {@code "1.5e3"}. Negative zero becomes zero.
     *
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the text is null or blank;
     *                                 {@link RejectionReason#IMPOSSIBLE_VALUE} when it is not a finite decimal number
     */
    public static double parseDecimal(String text, String fieldName) {
        String value = RejectedValue.requirePresent(text, fieldName);
        if (!DECIMAL.matcher(value).matches()) {
            throw RejectedValue.reject(RejectionReason.IMPOSSIBLE_VALUE, fieldName, value, whyNotANumber(value, false));
        }
        double parsed = Double.parseDouble(value);
        if (Double.isInfinite(parsed)) {
            throw RejectedValue.reject(RejectionReason.IMPOSSIBLE_VALUE, fieldName, value, "is too large for a number");
        }
        return parsed + 0.0;
    }

    /**
     * The 64-bit integer in {@code text}, e.g. {@code 42} for {@code "+42"}.
     *
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the text is null or blank;
     *                                 {@link RejectionReason#IMPOSSIBLE_VALUE} when it is not an integer (including
     *                                 {@code "4.0"} and {@code "1e3"}) or is outside the 64-bit range
     */
    public static long parseInteger(String text, String fieldName) {
        String value = RejectedValue.requirePresent(text, fieldName);
        if (!INTEGER.matcher(value).matches()) {
            String problem = DECIMAL.matcher(value).matches()
                    ? "is not an integer; a whole number without fraction or exponent is expected"
                    : whyNotANumber(value, true);
            throw RejectedValue.reject(RejectionReason.IMPOSSIBLE_VALUE, fieldName, value, problem);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw RejectedValue.reject(RejectionReason.IMPOSSIBLE_VALUE, fieldName, value,
                    "is outside the 64-bit integer range");
        }
    }

    private static String whyNotANumber(String value, boolean integer) {
        String expected = integer ? "a decimal integer" : "a decimal number";
        if (NON_FINITE.matcher(value).matches()) {
            return "is not a finite number";
        }
        if (HEX.matcher(value).matches()) {
            return "is hexadecimal; " + expected + " is expected";
        }
        if (value.indexOf(',') >= 0) {
            return "contains ','; only '.' is accepted as the decimal separator, without thousands separators";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return "contains whitespace at position " + (i + 1) + " (only surrounding whitespace is ignored)";
            }
        }
        return integer ? "is not an integer (e.g. 42 or -7)" : "is not a decimal number (e.g. 39.2, -4 or 1.5e3)";
    }
}

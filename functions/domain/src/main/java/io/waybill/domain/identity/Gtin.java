package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.units.RejectedValue;

/**
 * The Global Trade Item Number (GS1 General Specifications 2.1, AI 01), normalised to GTIN-14: GTIN-8, GTIN-12
 * (UPC-A), GTIN-13 (EAN-13) and GTIN-14 are accepted and left-padded with zeros to 14 digits, which keeps the
 * check digit valid. Surrounding whitespace is ignored, inner whitespace is rejected.
 */
public final class Gtin {
    /** Field name used in rejection details by {@link #parse(String)}. */
    public static final String DEFAULT_FIELD = "gtin";

    static final int LENGTH = 14;

    private Gtin() {
    }

    /** {@link #parse(String, String)} with the field name {@value #DEFAULT_FIELD}. */
    public static String parse(String input) {
        return parse(input, DEFAULT_FIELD);
    }

    /**
     * The GTIN in {@code input} as 14 digits.
     *
     * @param fieldName the name of the field the value came from, used in rejection details
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the input is null or blank;
     *                                 {@link RejectionReason#INVALID_IDENTITY} for a length other than 8, 12, 13
     *                                 or 14, a non-digit, a wrong check digit or an all-zero placeholder
     */
    public static String parse(String input, String fieldName) {
        String value = RejectedValue.requirePresent(input, fieldName);
        Keys.requireDigits(fieldName, value, value, 0, null);
        int length = value.length();
        if (length != 8 && length != 12 && length != 13 && length != 14) {
            throw Keys.invalid(fieldName, value,
                    "has " + length + " digits, expected 8, 12, 13 or 14 (GTIN-8, GTIN-12, GTIN-13, GTIN-14)");
        }
        Keys.requireCheckDigit(fieldName, value, value);
        Keys.requireNotAllZeros(fieldName, value, value);
        return "0".repeat(LENGTH - length) + value;
    }
}

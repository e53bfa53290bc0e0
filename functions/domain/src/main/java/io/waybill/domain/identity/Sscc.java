package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.units.RejectedValue;

/**
 * The Serial Shipping Container Code (GS1 General Specifications 2.2.1, AI 00): 18 digits, an extension digit, the
 * GS1 Company Prefix, a serial reference and a check digit.
 *
 * <p>Accepted forms (surrounding whitespace is ignored, inner whitespace is rejected):
 * <ul>
 *   <li>18 digits: {@code 106141412345678908}</li>
 *   <li>with the application identifier: {@code (00)106141412345678908} or {@code 00106141412345678908}</li>
 *   <li>the EPC pure identity URN (EPC Tag Data Standard 2.x, section 6.3.2):
 *       {@code urn:epc:id:sscc:0614141.1234567890}, where the serial reference starts with the extension digit and
 *       the check digit is computed</li>
 * </ul>
 */
public final class Sscc {
    /** Prefix of the EPC pure identity URN of an SSCC. */
    public static final String URN_PREFIX = "urn:epc:id:sscc:";
    /** Field name used in rejection details by {@link #parse(String)}. */
    public static final String DEFAULT_FIELD = "sscc";

    static final int LENGTH = 18;

    private Sscc() {
    }

    /** {@link #parse(String, String)} with the field name {@value #DEFAULT_FIELD}. */
    public static String parse(String input) {
        return parse(input, DEFAULT_FIELD);
    }

    /**
     * The 18-digit SSCC in {@code input}.
     *
     * @param fieldName the name of the field the value came from, used in rejection details
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the input is null or blank;
     *                                 {@link RejectionReason#INVALID_IDENTITY} for a wrong length, a non-digit,
     *                                 a malformed URN, a wrong check digit or an all-zero placeholder
     */
    public static String parse(String input, String fieldName) {
        String value = RejectedValue.requirePresent(input, fieldName);
        if (Keys.startsWithIgnoreCase(value, "urn:")) {
            if (!Keys.startsWithIgnoreCase(value, URN_PREFIX)) {
                throw Keys.invalid(fieldName, value,
                        "is not an SSCC EPC URN; expected urn:epc:id:sscc:<companyPrefix>.<serialReference>");
            }
            return fromUrnBody(fieldName, value, value.substring(URN_PREFIX.length()));
        }
        String digits;
        int offset;
        String lengthHint;
        if (value.startsWith("(00)")) {
            digits = value.substring(4);
            offset = 4;
            lengthHint = " after the application identifier (00)";
        } else if (value.length() == LENGTH + 2 && value.startsWith("00") && Keys.allDigits(value)) {
            digits = value.substring(2);
            offset = 2;
            lengthHint = "";
        } else {
            digits = value;
            offset = 0;
            lengthHint = "";
        }
        Keys.requireDigits(fieldName, value, digits, offset, null);
        if (digits.length() != LENGTH) {
            String also = offset == 0 && digits.length() == LENGTH + 2
                    ? " (or 20 starting with the application identifier 00)" : "";
            throw Keys.invalid(fieldName, value,
                    "has " + digits.length() + " digits" + lengthHint + ", expected " + LENGTH + also);
        }
        Keys.requireCheckDigit(fieldName, value, digits);
        Keys.requireNotAllZeros(fieldName, value, digits);
        return digits;
    }

    /**
     * The EPC pure identity URN of {@code sscc}, e.g. {@code urn:epc:id:sscc:0614141.1234567890} for
     * {@code 106141412345678908} with a 7-digit company prefix. The company prefix length cannot be derived from the
     * SSCC itself; it comes from the owner's GS1 allocation.
     *
     * @param sscc                an SSCC in any form {@link #parse(String)} accepts
     * @param companyPrefixLength length of the GS1 Company Prefix, 6 to 12
     * @throws IllegalArgumentException when {@code companyPrefixLength} is outside 6..12 (a configuration error, not
     *                                  a property of the record)
     * @throws RejectedRecordException  when {@code sscc} is not a valid SSCC
     */
    public static String toUrn(String sscc, int companyPrefixLength) {
        if (companyPrefixLength < 6 || companyPrefixLength > 12) {
            throw new IllegalArgumentException(
                    "GS1 company prefix length must be 6 to 12 digits, was " + companyPrefixLength);
        }
        String digits = parse(sscc, DEFAULT_FIELD);
        return URN_PREFIX + digits.substring(1, 1 + companyPrefixLength) + "." + digits.charAt(0)
                + digits.substring(1 + companyPrefixLength, LENGTH - 1);
    }

    /**
     * The 18-digit SSCC of the part of an SSCC URN after {@link #URN_PREFIX}: {@code <companyPrefix>.<serialReference>}.
     */
    static String fromUrnBody(String field, String value, String body) {
        int dot = body.indexOf('.');
        if (dot < 0 || body.indexOf('.', dot + 1) >= 0) {
            throw Keys.invalid(field, value, "expected urn:epc:id:sscc:<companyPrefix>.<serialReference>"
                    + " with exactly one '.' after the scheme");
        }
        String companyPrefix = body.substring(0, dot);
        String serialReference = body.substring(dot + 1);
        Keys.requireCompanyPrefixAndReference(field, value, companyPrefix, serialReference, "serial reference",
                LENGTH - 1);
        String withoutCheck = serialReference.charAt(0) + companyPrefix + serialReference.substring(1);
        String digits = withoutCheck + Gs1.checkDigit(withoutCheck);
        Keys.requireNotAllZeros(field, value, digits);
        return digits;
    }
}

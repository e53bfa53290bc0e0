package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.units.RejectedValue;

/**
 * The Global Location Number (GS1 General Specifications 2.4.4, AI 414): 13 digits, the GS1 Company Prefix, a
 * location reference and a check digit.
 *
 * <p>Accepted forms (surrounding whitespace is ignored, inner whitespace is rejected):
 * <ul>
 *   <li>13 digits: {@code 0614141123452}</li>
 *   <li>the SGLN pure identity URN (EPC Tag Data Standard 2.x, section 6.3.3) without an extension:
 *       {@code urn:epc:id:sgln:0614141.12345.0}; the check digit is computed. An extension other than {@code 0}
 *       (GLN extension component, AI 254) identifies a sub-location, not a GLN, and is rejected.</li>
 * </ul>
 */
public final class Gln {
    /** Prefix of the SGLN pure identity URN. */
    public static final String URN_PREFIX = "urn:epc:id:sgln:";
    /** Field name used in rejection details by {@link #parse(String)}. */
    public static final String DEFAULT_FIELD = "gln";

    static final int LENGTH = 13;

    private Gln() {
    }

    /** {@link #parse(String, String)} with the field name {@value #DEFAULT_FIELD}. */
    public static String parse(String input) {
        return parse(input, DEFAULT_FIELD);
    }

    /**
     * The 13-digit GLN in {@code input}.
     *
     * @param fieldName the name of the field the value came from, used in rejection details
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the input is null or blank;
     *                                 {@link RejectionReason#INVALID_IDENTITY} for a wrong length, a non-digit,
     *                                 a malformed URN or one with an extension, a wrong check digit or an all-zero
     *                                 placeholder
     */
    public static String parse(String input, String fieldName) {
        String value = RejectedValue.requirePresent(input, fieldName);
        if (Keys.startsWithIgnoreCase(value, "urn:")) {
            if (!Keys.startsWithIgnoreCase(value, URN_PREFIX)) {
                throw Keys.invalid(fieldName, value,
                        "is not an SGLN EPC URN; expected urn:epc:id:sgln:<companyPrefix>.<locationReference>.0");
            }
            return fromUrnBody(fieldName, value, value.substring(URN_PREFIX.length()));
        }
        Keys.requireDigits(fieldName, value, value, 0, null);
        if (value.length() != LENGTH) {
            throw Keys.invalid(fieldName, value, "has " + value.length() + " digits, expected " + LENGTH);
        }
        Keys.requireCheckDigit(fieldName, value, value);
        Keys.requireNotAllZeros(fieldName, value, value);
        return value;
    }

    private static String fromUrnBody(String field, String value, String body) {
        String[] parts = body.split("\\.", -1);
        if (parts.length != 3) {
            throw Keys.invalid(field, value, "expected urn:epc:id:sgln:<companyPrefix>.<locationReference>.<extension>"
                    + " with exactly two '.' after the scheme");
        }
        String companyPrefix = parts[0];
        String locationReference = parts[1];
        String extension = parts[2];
        Keys.requireCompanyPrefixAndReference(field, value, companyPrefix, locationReference, "location reference",
                LENGTH - 1);
        if (!extension.equals("0")) {
            throw Keys.invalid(field, value, "extension " + RejectedValue.quote(extension)
                    + " identifies a sub-location, not a GLN; only extension 0 (none) is accepted");
        }
        String withoutCheck = companyPrefix + locationReference;
        String gln = withoutCheck + Gs1.checkDigit(withoutCheck);
        Keys.requireNotAllZeros(field, value, gln);
        return gln;
    }
}

package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.units.RejectedValue;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Electronic Product Codes (GS1 EPC Tag Data Standard 2.x) for the two schemes Waybill tracks: SGTIN (a serialised
 * trade item) and SSCC (a logistic unit).
 *
 * <p>Pure identity URNs ({@link #parse(String, String)}):
 * <ul>
 *   <li>{@code urn:epc:id:sgtin:<companyPrefix>.<itemReference>.<serial>}: company prefix 6 to 12 digits, item
 *       reference (indicator digit first) making 13 digits with it, serial 1 to 20 characters of the GS1 AI
 *       encodable character set 82, in URN-escaped form ({@code " % & / < > ?} written as {@code %22 %25 %26 %2F
 *       %3C %3E %3F})</li>
 *   <li>{@code urn:epc:id:sscc:<companyPrefix>.<serialReference>}: see {@link Sscc}</li>
 * </ul>
 * The normalised form has a lower-case {@code urn:epc:id:<scheme>:} prefix and upper-case hex in serial escapes.
 *
 * <p>Binary tag encodings ({@link #fromHex96(String, String)}), as RFID portals report them: SGTIN-96 (header
 * {@code 0x30}) and SSCC-96 (header {@code 0x31}), decoded with the TDS partition tables; the filter value is not part
 * of the identity and is dropped.
 */
public final class Epc {
    /** Prefix of every EPC pure identity URN. */
    public static final String ID_PREFIX = "urn:epc:id:";
    /** Prefix of an SGTIN pure identity URN. */
    public static final String SGTIN_PREFIX = "urn:epc:id:sgtin:";
    /** Prefix of an SSCC pure identity URN (same as {@link Sscc#URN_PREFIX}). */
    public static final String SSCC_PREFIX = Sscc.URN_PREFIX;
    /** Field name used in rejection details by the overloads without a field name. */
    public static final String DEFAULT_FIELD = "epc";

    /** SGTIN-96 header, TDS table 14-1. */
    static final int SGTIN_96_HEADER = 0x30;
    /** SSCC-96 header, TDS table 14-1. */
    static final int SSCC_96_HEADER = 0x31;

    /** Partition tables (TDS 14.5.1 SGTIN, 14.5.2 SSCC), indexed by partition value 0-6. */
    private static final int[] COMPANY_PREFIX_BITS = {40, 37, 34, 30, 27, 24, 20};
    private static final int[] COMPANY_PREFIX_DIGITS = {12, 11, 10, 9, 8, 7, 6};
    private static final int[] SGTIN_ITEM_REFERENCE_BITS = {4, 7, 10, 14, 17, 20, 24};
    private static final int[] SGTIN_ITEM_REFERENCE_DIGITS = {1, 2, 3, 4, 5, 6, 7};
    private static final int[] SSCC_SERIAL_REFERENCE_BITS = {18, 21, 24, 28, 31, 34, 38};
    private static final int[] SSCC_SERIAL_REFERENCE_DIGITS = {5, 6, 7, 8, 9, 10, 11};

    /** Characters of GS1 AI encodable character set 82 written as themselves in a URN, besides letters and digits. */
    private static final String URN_PLAIN_PUNCTUATION = "!'()*+,-.:;=_";
    /** Characters of character set 82 that a URN must percent-escape. */
    private static final String URN_ESCAPED = "\"%&/<>?";
    private static final int MAX_SERIAL_LENGTH = 20;
    private static final int HEX_96_LENGTH = 24;

    private Epc() {
    }

    /** {@link #parse(String, String)} with the field name {@value #DEFAULT_FIELD}. */
    public static String parse(String input) {
        return parse(input, DEFAULT_FIELD);
    }

    /**
     * The normalised pure identity URN of an SGTIN or SSCC EPC.
     *
     * @param fieldName the name of the field the value came from, used in rejection details
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the input is null or blank;
     *                                 {@link RejectionReason#INVALID_IDENTITY} when it is not a well-formed SGTIN or
     *                                 SSCC pure identity URN
     */
    public static String parse(String input, String fieldName) {
        String value = RejectedValue.requirePresent(input, fieldName);
        if (Keys.startsWithIgnoreCase(value, "urn:epc:tag:")) {
            throw Keys.invalid(fieldName, value, "is an EPC tag URI, not a pure identity URI;"
                    + " expected urn:epc:id:sgtin:... or urn:epc:id:sscc:...");
        }
        if (!Keys.startsWithIgnoreCase(value, ID_PREFIX)) {
            String hint = value.length() == HEX_96_LENGTH && isHex(value)
                    ? "; it looks like a raw 96-bit tag encoding (hex), which this field does not accept" : "";
            throw Keys.invalid(fieldName, value, "is not an EPC pure identity URI"
                    + " (urn:epc:id:sgtin:... or urn:epc:id:sscc:...)" + hint);
        }
        String rest = value.substring(ID_PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw Keys.invalid(fieldName, value, "has no scheme; expected urn:epc:id:sgtin:... or urn:epc:id:sscc:...");
        }
        String scheme = rest.substring(0, colon).toLowerCase(Locale.ROOT);
        String body = rest.substring(colon + 1);
        switch (scheme) {
            case "sgtin":
                return sgtinBody(fieldName, value, body).urn();
            case "sscc":
                Sscc.fromUrnBody(fieldName, value, body);
                return SSCC_PREFIX + body;
            default:
                throw Keys.invalid(fieldName, value, "EPC scheme " + RejectedValue.quote(scheme)
                        + " is not accepted here; expected sgtin or sscc");
        }
    }

    /**
     * True when {@code urn} is an SSCC pure identity URN by its prefix ({@code urn:epc:id:sscc:}, case-insensitive,
     * surrounding whitespace ignored). It does not validate the rest; {@link #ssccOf(String)} does. Null is false.
     */
    public static boolean isSscc(String urn) {
        return urn != null && Keys.startsWithIgnoreCase(urn.strip(), SSCC_PREFIX);
    }

    /** {@link #ssccOf(String, String)} with the field name {@value #DEFAULT_FIELD}. */
    public static String ssccOf(String ssccUrn) {
        return ssccOf(ssccUrn, DEFAULT_FIELD);
    }

    /**
     * The 18-digit SSCC of an SSCC pure identity URN, e.g. {@code 106141412345678908} for
     * {@code urn:epc:id:sscc:0614141.1234567890}.
     *
     * @throws RejectedRecordException {@link RejectionReason#INVALID_IDENTITY} when it is not a valid SSCC URN
     */
    public static String ssccOf(String ssccUrn, String fieldName) {
        String value = RejectedValue.requirePresent(ssccUrn, fieldName);
        if (!Keys.startsWithIgnoreCase(value, SSCC_PREFIX)) {
            throw Keys.invalid(fieldName, value,
                    "is not an SSCC EPC URN; expected urn:epc:id:sscc:<companyPrefix>.<serialReference>");
        }
        return Sscc.fromUrnBody(fieldName, value, value.substring(SSCC_PREFIX.length()));
    }

    /** {@link #sgtinToGtin(String, String)} with the field name {@value #DEFAULT_FIELD}. */
    public static String sgtinToGtin(String urn) {
        return sgtinToGtin(urn, DEFAULT_FIELD);
    }

    /**
     * The GTIN-14 of an SGTIN pure identity URN: the indicator digit (first digit of the item reference) moves to the
     * front and the check digit is computed, e.g. {@code 80614141123458} for
     * {@code urn:epc:id:sgtin:0614141.812345.6789}.
     *
     * @throws RejectedRecordException {@link RejectionReason#INVALID_IDENTITY} when it is not a valid SGTIN URN
     */
    public static String sgtinToGtin(String urn, String fieldName) {
        String value = RejectedValue.requirePresent(urn, fieldName);
        if (!Keys.startsWithIgnoreCase(value, SGTIN_PREFIX)) {
            throw Keys.invalid(fieldName, value,
                    "is not an SGTIN EPC URN; expected urn:epc:id:sgtin:<companyPrefix>.<itemReference>.<serial>");
        }
        return sgtinBody(fieldName, value, value.substring(SGTIN_PREFIX.length())).gtin();
    }

    /** {@link #fromHex96(String, String)} with the field name {@value #DEFAULT_FIELD}. */
    public static String fromHex96(String hex) {
        return fromHex96(hex, DEFAULT_FIELD);
    }

    /**
     * The pure identity URN of a 96-bit SGTIN-96 or SSCC-96 tag encoding given as 24 hex digits (either case), e.g.
     * {@code urn:epc:id:sgtin:0614141.812345.6789} for {@code 3074257BF7194E4000001A85}.
     *
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the input is null or blank;
     *                                 {@link RejectionReason#INVALID_IDENTITY} for a length other than 24 hex digits,
     *                                 a header other than SGTIN-96 or SSCC-96, the reserved partition value 7, a
     *                                 field too large for its partition, or non-zero SSCC-96 reserved bits
     */
    public static String fromHex96(String hex, String fieldName) {
        String value = RejectedValue.requirePresent(hex, fieldName);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (hexValue(c) < 0) {
                throw Keys.invalid(fieldName, value, "contains " + RejectedValue.describe(c) + " at position " + (i + 1)
                        + "; a hex EPC has only 0-9 and A-F"
                        + (Character.isWhitespace(c) ? " (only surrounding whitespace is ignored)" : ""));
            }
        }
        if (value.length() != HEX_96_LENGTH) {
            throw Keys.invalid(fieldName, value, "has " + value.length() + " hex digits, expected " + HEX_96_LENGTH
                    + " (a 96-bit EPC)");
        }
        BigInteger bits = new BigInteger(value, 16);
        int header = (int) bitField(bits, 0, 8);
        if (header != SGTIN_96_HEADER && header != SSCC_96_HEADER) {
            throw Keys.invalid(fieldName, value, String.format("header 0x%02X is not SGTIN-96 (0x30) or SSCC-96 (0x31)",
                    header));
        }
        int partition = (int) bitField(bits, 11, 3);
        if (partition > 6) {
            throw Keys.invalid(fieldName, value, "partition value " + partition + " is reserved (valid: 0 to 6)");
        }
        int companyPrefixBits = COMPANY_PREFIX_BITS[partition];
        String companyPrefix = digitsOf(fieldName, value, "company prefix", partition,
                bitField(bits, 14, companyPrefixBits), COMPANY_PREFIX_DIGITS[partition]);
        int referenceOffset = 14 + companyPrefixBits;
        if (header == SGTIN_96_HEADER) {
            String itemReference = digitsOf(fieldName, value, "item reference", partition,
                    bitField(bits, referenceOffset, SGTIN_ITEM_REFERENCE_BITS[partition]),
                    SGTIN_ITEM_REFERENCE_DIGITS[partition]);
            long serial = bitField(bits, 58, 38);
            Sgtin sgtin = new Sgtin(companyPrefix, itemReference, Long.toString(serial));
            Keys.requireNotAllZeros(fieldName, value, sgtin.gtin());
            return sgtin.urn();
        }
        String serialReference = digitsOf(fieldName, value, "serial reference", partition,
                bitField(bits, referenceOffset, SSCC_SERIAL_REFERENCE_BITS[partition]),
                SSCC_SERIAL_REFERENCE_DIGITS[partition]);
        if (bitField(bits, 72, 24) != 0) {
            throw Keys.invalid(fieldName, value, "the 24 reserved bits of SSCC-96 are not zero");
        }
        String body = companyPrefix + "." + serialReference;
        Sscc.fromUrnBody(fieldName, value, body);
        return SSCC_PREFIX + body;
    }

    /** A parsed SGTIN; {@code serial} is unescaped. */
    private record Sgtin(String companyPrefix, String itemReference, String serial) {
        String urn() {
            return SGTIN_PREFIX + companyPrefix + "." + itemReference + "." + escapeSerial(serial);
        }

        String gtin() {
            String withoutCheck = itemReference.charAt(0) + companyPrefix + itemReference.substring(1);
            return withoutCheck + Gs1.checkDigit(withoutCheck);
        }
    }

    private static Sgtin sgtinBody(String field, String value, String body) {
        String[] parts = body.split("\\.", 3);
        if (parts.length != 3) {
            throw Keys.invalid(field, value,
                    "expected urn:epc:id:sgtin:<companyPrefix>.<itemReference>.<serial> with '.' between the parts");
        }
        String companyPrefix = parts[0];
        String itemReference = parts[1];
        Keys.requireCompanyPrefixAndReference(field, value, companyPrefix, itemReference, "item reference", 13);
        Sgtin sgtin = new Sgtin(companyPrefix, itemReference, unescapeSerial(field, value, parts[2]));
        Keys.requireNotAllZeros(field, value, sgtin.gtin());
        return sgtin;
    }

    private static String unescapeSerial(String field, String value, String serial) {
        StringBuilder raw = new StringBuilder(serial.length());
        for (int i = 0; i < serial.length(); i++) {
            char c = serial.charAt(i);
            if (c == '%') {
                if (i + 2 >= serial.length()) {
                    throw Keys.invalid(field, value, "serial has an incomplete %-escape at serial position " + (i + 1));
                }
                int high = hexValue(serial.charAt(i + 1));
                int low = hexValue(serial.charAt(i + 2));
                char decoded = (char) (high * 16 + low);
                if (high < 0 || low < 0 || URN_ESCAPED.indexOf(decoded) < 0) {
                    throw Keys.invalid(field, value, "serial escape " + RejectedValue.quote(serial.substring(i, i + 3))
                            + " is not allowed; the only escapes are %22 %25 %26 %2F %3C %3E %3F");
                }
                raw.append(decoded);
                i += 2;
            } else if (isAsciiLetterOrDigit(c) || URN_PLAIN_PUNCTUATION.indexOf(c) >= 0) {
                raw.append(c);
            } else if (URN_ESCAPED.indexOf(c) >= 0) {
                throw Keys.invalid(field, value, "serial contains " + RejectedValue.describe(c) + " at serial position "
                        + (i + 1) + ", which must be written as " + String.format("%%%02X", (int) c));
            } else {
                throw Keys.invalid(field, value, "serial contains " + RejectedValue.describe(c) + " at serial position "
                        + (i + 1) + ", which is not in the GS1 AI encodable character set 82");
            }
        }
        if (raw.length() == 0 || raw.length() > MAX_SERIAL_LENGTH) {
            throw Keys.invalid(field, value, "serial has " + raw.length() + " characters, expected 1 to "
                    + MAX_SERIAL_LENGTH);
        }
        return raw.toString();
    }

    private static String escapeSerial(String serial) {
        StringBuilder out = new StringBuilder(serial.length() + 8);
        for (int i = 0; i < serial.length(); i++) {
            char c = serial.charAt(i);
            if (URN_ESCAPED.indexOf(c) >= 0) {
                out.append(String.format("%%%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** The value of an ASCII hex digit, or -1 ({@link Character#digit} would also accept e.g. full-width digits). */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (hexValue(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Bits {@code offset .. offset+length-1} (0 = most significant) of a 96-bit value; length at most 63. */
    private static long bitField(BigInteger bits, int offset, int length) {
        return bits.shiftRight(96 - offset - length).and(BigInteger.ONE.shiftLeft(length).subtract(BigInteger.ONE))
                .longValueExact();
    }

    private static String digitsOf(String field, String value, String name, int partition, long number, int digits) {
        String text = Long.toString(number);
        if (text.length() > digits) {
            throw Keys.invalid(field, value, name + " " + number + " has more than the " + digits
                    + " digits of partition " + partition);
        }
        return "0".repeat(digits - text.length()) + text;
    }
}

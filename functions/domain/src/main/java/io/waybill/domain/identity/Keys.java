package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

/**
 * Shared validation for GS1 keys: presence, digit-only content, lengths and check digits, each failure reported as
 * a {@link RejectedRecordException} whose detail names the field, echoes the value and says what is wrong.
 */
final class Keys {
    /** Longest part of a rejected value echoed back in a detail message. */
    private static final int MAX_ECHO = 64;

    private Keys() {
    }

    /**
     * Returns {@code input} without surrounding whitespace; rejects a null value or a blank one with
     * {@link RejectionReason#MISSING_FIELD}.
     */
    static String present(String input, String field) {
        if (input == null) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, field + ": missing");
        }
        String stripped = input.strip();
        if (stripped.isEmpty()) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, field + ": blank");
        }
        return stripped;
    }

    /** An {@link RejectionReason#INVALID_IDENTITY} rejection: {@code field "value": problem}. */
    static RejectedRecordException invalid(String field, String value, String problem) {
        return new RejectedRecordException(RejectionReason.INVALID_IDENTITY, field + " " + quote(value) + ": " + problem);
    }

    /** The value in double quotes, truncated and with control characters and quotes escaped, safe for a log line. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_ECHO) + 8).append('"');
        int limit = Math.min(value.length(), MAX_ECHO);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isWhitespace(c) && c != ' ') {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > MAX_ECHO) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.append('"').toString();
    }

    /** ASCII digit test; {@link Character#isDigit} would also accept e.g. Arabic-Indic digits. */
    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rejects {@code part} unless it is ASCII digits only. {@code partName} (e.g. "company prefix") names the component
     * of a larger value that {@code part} is, and positions are then counted within it; with a null {@code partName}
     * positions are counted within {@code value}, where {@code part} starts at {@code offset}.
     */
    static void requireDigits(String field, String value, String part, int offset, String partName) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (!isDigit(c)) {
                String where = partName == null ? "position " + (offset + i + 1) : partName + " position " + (i + 1);
                throw invalid(field, value, "contains " + describe(c) + " at " + where + "; only digits 0-9 are allowed"
                        + (Character.isWhitespace(c) ? " (only surrounding whitespace is ignored)" : ""));
            }
        }
    }

    /** Rejects a GS1 Company Prefix (already known to be digits) that is not 6 to 12 digits long. */
    static void requireCompanyPrefixLength(String field, String value, String companyPrefix) {
        if (companyPrefix.length() < 6 || companyPrefix.length() > 12) {
            throw invalid(field, value, "company prefix has " + companyPrefix.length() + " digits, expected 6 to 12");
        }
    }

    /** Rejects unless the last digit of {@code digits} is the GS1 check digit of the others. */
    static void requireCheckDigit(String field, String value, String digits) {
        int expected = Gs1.checkDigit(digits.substring(0, digits.length() - 1));
        int actual = digits.charAt(digits.length() - 1) - '0';
        if (actual != expected) {
            throw invalid(field, value, "check digit is " + actual + ", expected " + expected);
        }
    }

    /** Rejects an all-zero key: devices send it as a placeholder, it is never an allocated GS1 key. */
    static void requireNotAllZeros(String field, String value, String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) != '0') {
                return;
            }
        }
        throw invalid(field, value, "is all zeros, a placeholder rather than an allocated GS1 key");
    }

    /** A character for a message: {@code 'O'}, or its code point when it is invisible. */
    static String describe(char c) {
        if (Character.isWhitespace(c)) {
            return c == ' ' ? "a space" : String.format("whitespace U+%04X", (int) c);
        }
        if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}

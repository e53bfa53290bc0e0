package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.units.RejectedValue;

/**
 * Shared validation for GS1 keys: digit-only content, lengths and check digits, each failure reported as a
 * {@link RejectedRecordException} whose detail names the field, echoes the value and says what is wrong (presence and
 * the form of the detail are {@link RejectedValue}'s).
 */
final class Keys {
    private Keys() {
    }

    /** An {@link RejectionReason#INVALID_IDENTITY} rejection: {@code field "value": problem}. */
    static RejectedRecordException invalid(String field, String value, String problem) {
        return RejectedValue.reject(RejectionReason.INVALID_IDENTITY, field, value, problem);
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
                throw invalid(field, value, "contains " + RejectedValue.describe(c) + " at " + where
                        + "; only digits 0-9 are allowed"
                        + (Character.isWhitespace(c) ? " (only surrounding whitespace is ignored)" : ""));
            }
        }
    }

    /**
     * Rejects the two numeric parts of an EPC pure identity URN body, a GS1 Company Prefix and the reference that
     * follows it, unless both are ASCII digits, the company prefix has 6 to 12 digits and the two together have
     * {@code expectedTotal} digits. {@code referenceName} (e.g. "item reference") names the reference in details.
     */
    static void requireCompanyPrefixAndReference(String field, String value, String companyPrefix, String reference,
            String referenceName, int expectedTotal) {
        requireDigits(field, value, companyPrefix, 0, "company prefix");
        requireDigits(field, value, reference, 0, referenceName);
        if (companyPrefix.length() < 6 || companyPrefix.length() > 12) {
            throw invalid(field, value, "company prefix has " + companyPrefix.length() + " digits, expected 6 to 12");
        }
        int total = companyPrefix.length() + reference.length();
        if (total != expectedTotal) {
            throw invalid(field, value, "company prefix and " + referenceName + " have " + total
                    + " digits together, expected " + expectedTotal);
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

    static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}

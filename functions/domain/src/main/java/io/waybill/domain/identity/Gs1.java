package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

/**
 * The GS1 check digit (GS1 General Specifications, section 7.9.1 "Standard check digit calculations for GS1 data
 * structures"): mod 10, weights 3 and 1 alternating from the rightmost data digit, which has weight 3. The same
 * algorithm serves GTIN-8/12/13/14, GLN and SSCC, and left-padding with zeros does not change it.
 */
public final class Gs1 {
    private Gs1() {
    }

    /**
     * The check digit for {@code digitsWithoutCheckDigit}.
     *
     * @throws RejectedRecordException {@link RejectionReason#INVALID_IDENTITY} when the argument is null, empty or
     *                                 contains anything other than ASCII digits
     */
    public static int checkDigit(String digitsWithoutCheckDigit) {
        if (digitsWithoutCheckDigit == null || digitsWithoutCheckDigit.isEmpty()) {
            throw new RejectedRecordException(RejectionReason.INVALID_IDENTITY,
                    "GS1 check digit: no digits to compute it from");
        }
        Keys.requireDigits("GS1 check digit input", digitsWithoutCheckDigit, digitsWithoutCheckDigit, 0, null);
        int sum = 0;
        boolean weightThree = true;
        for (int i = digitsWithoutCheckDigit.length() - 1; i >= 0; i--) {
            int digit = digitsWithoutCheckDigit.charAt(i) - '0';
            sum += weightThree ? digit * 3 : digit;
            weightThree = !weightThree;
        }
        return (10 - sum % 10) % 10;
    }

    /**
     * True when {@code digits} is at least two ASCII digits and its last digit is the check digit of the rest. Never
     * throws: null, empty or non-digit input is simply not valid.
     */
    public static boolean hasValidCheckDigit(String digits) {
        if (digits == null || digits.length() < 2 || !Keys.allDigits(digits)) {
            return false;
        }
        return checkDigit(digits.substring(0, digits.length() - 1)) == digits.charAt(digits.length() - 1) - '0';
    }
}

package io.waybill.domain.units;

import java.math.BigDecimal;

/**
 * Shared pieces of rejection details for the units package: how a number appears in one. How a rejected text value
 * appears is {@link RejectedValue}'s job.
 */
final class Detail {
    private Detail() {
    }

    /** A double for a message, without a spurious exponent or trailing ".0" noise beyond what the value has. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}

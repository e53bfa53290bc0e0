package io.waybill.domain.coldchain;

/** Why a {@link BreachPolicy} judged exposure figures a breach; stable codes for events and reports. */
public enum BreachCode {
    /** A reading (the closing one included) strictly above the policy's hard high limit. Always CRITICAL. */
    HARD_HIGH_LIMIT_EXCEEDED,
    /** A reading (the closing one included) strictly below the policy's hard low limit. Always CRITICAL. */
    HARD_LOW_LIMIT_EXCEEDED,
    /**
     * Time out of range strictly longer than the policy's budget. MINOR, or MAJOR when the degree-minutes out of
     * range exceed the policy's {@link BreachPolicy#majorDegreeMinutes()}.
     */
    TOR_BUDGET_EXCEEDED,
    /** Mean kinetic temperature strictly above the policy's label limit. Always MAJOR. */
    MKT_ABOVE_LABEL,
    /**
     * Time out of range plus unknown time (gaps beyond the policy's maximum interpolation gap) strictly longer than
     * the budget, while the time out of range alone is within it: the evidence cannot show the product stayed in
     * range. Only when the policy counts unknown time ({@link BreachPolicy#unknownTimeCounts()}, the default under
     * GDP). MINOR, or MAJOR like {@link #TOR_BUDGET_EXCEEDED}.
     */
    DATA_GAP
}

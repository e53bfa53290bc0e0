package io.waybill.domain.coldchain;

/**
 * Neumaier's compensated (Kahan–Babuška) summation: the rounding error of each addition is carried and added back,
 * so a sum of many terms stays accurate to about one rounding of the result. Deterministic for a given order of
 * terms. Not thread-safe; local to one computation.
 */
final class CompensatedSum {
    private double sum;
    private double compensation;

    void add(double term) {
        double t = sum + term;
        if (Math.abs(sum) >= Math.abs(term)) {
            compensation += (sum - t) + term;
        } else {
            compensation += (term - t) + sum;
        }
        sum = t;
    }

    double value() {
        return sum + compensation;
    }
}

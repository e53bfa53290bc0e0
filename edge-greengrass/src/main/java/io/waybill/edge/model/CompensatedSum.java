package io.waybill.edge.model;

/**
 * A sum of doubles with Neumaier's compensation (an improved Kahan sum): the low-order bits each addition loses are
 * kept apart and added back at the end, so a window of thousands of tiny Arrhenius terms (about 1e-16 each) is
 * summed to within a few ulp whatever the order of magnitude of the running total. Mutable, not thread-safe.
 */
final class CompensatedSum {
    private double sum;
    private double compensation;

    void add(double x) {
        double t = sum + x;
        if (Math.abs(sum) >= Math.abs(x)) {
            compensation += (sum - t) + x;
        } else {
            compensation += (x - t) + sum;
        }
        sum = t;
    }

    double value() {
        return sum + compensation;
    }
}

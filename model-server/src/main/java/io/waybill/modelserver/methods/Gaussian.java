package io.waybill.modelserver.methods;

import org.hipparchus.special.Erf;

/** The standard normal quantile (Hipparchus's inverse error function). */
final class Gaussian {
    private Gaussian() {
    }

    static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("quantile level must be in (0, 1), got " + p);
        }
        return Math.sqrt(2) * Erf.erfInv(2 * p - 1);
    }
}

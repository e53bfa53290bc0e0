package io.waybill.modelserver.ets;

/**
 * forecast's admissible region (Hyndman et al. 2008, ch. 10): the easy linear tests, then for seasonal models the
 * characteristic polynomial's roots, which must lie within 1 + 1e-10 of the unit circle. Where forecast calls
 * polyroot we run the Schur-Cohn test on the same polynomial (no root finding), after dividing out the exact unit
 * root the no-trend models always have (beta = 0, phi = 1).
 */
final class Admissibility {

    private static final double RADIUS = 1 + 1e-10;

    private Admissibility() {
    }

    /**
     * @param hasBeta whether the model has a trend (beta is tested in the non-seasonal case)
     * @param seasonal whether gamma is part of the model
     * @param work scratch of length at least m + 2
     */
    static boolean admissible(double alpha, double beta, boolean hasBeta, double gamma, boolean seasonal, double phi,
                              int m, double[] work, double[] work2) {
        if (phi < 0 || phi > 1 + 1e-8) {
            return false;
        }
        if (!seasonal) {
            if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) {
                return false;
            }
            if (hasBeta && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) {
                return false;
            }
            return true;
        }
        if (m <= 1) {
            return true;
        }
        if (!hasBeta) {
            beta = 0;
        }
        double d = 1 - 1 / phi - alpha;
        if (gamma < Math.max(d, 0) || gamma > 1 + 1 / phi - alpha) {
            return false;
        }
        if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) {
            return false;
        }
        if (beta < -(1 - phi) * (gamma / m + alpha)) {
            return false;
        }
        // P(z) = sum c_k z^k, increasing powers, degree m + 1 (forecast's P for polyroot)
        int deg = m + 1;
        double[] c = work;
        c[0] = phi * (1 - alpha - gamma);
        c[1] = alpha + beta - alpha * phi + gamma - 1;
        for (int k = 2; k <= m - 1; k++) {
            c[k] = alpha + beta - alpha * phi;
        }
        c[m] = alpha + beta - phi;
        c[m + 1] = 1;
        return rootsWithin(c, deg, work2);
    }

    /** Whether every root of sum c_k z^k (c overwritten) has modulus at most 1 + 1e-10. */
    static boolean rootsWithin(double[] c, int deg, double[] b) {
        double at1 = 0;
        double scale = 0;
        for (int k = 0; k <= deg; k++) {
            at1 += c[k];
            scale += Math.abs(c[k]);
        }
        if (Math.abs(at1) <= 1e-12 * scale) {
            // divide by (z - 1): synthetic division from the top
            double carry = 0;
            for (int k = deg; k >= 1; k--) {
                carry = c[k] + carry;
                b[k - 1] = carry;
            }
            System.arraycopy(b, 0, c, 0, deg);
            deg--;
        }
        double r = 1;
        for (int k = 0; k <= deg; k++) {
            c[k] *= r;
            r *= RADIUS;
        }
        // Schur-Cohn: all roots strictly inside the unit circle iff each reflection |c0/cd| < 1
        while (deg >= 1) {
            double lead = c[deg];
            if (lead == 0) {
                return false;
            }
            double k = c[0] / lead;
            if (!(Math.abs(k) < 1)) {
                return false;
            }
            for (int i = 0; i < deg; i++) {
                b[i] = c[i + 1] - k * c[deg - 1 - i];
            }
            deg--;
            double norm = b[deg];
            for (int i = 0; i <= deg; i++) {
                c[i] = b[i] / norm;
            }
        }
        return true;
    }
}

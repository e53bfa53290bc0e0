package io.waybill.modelserver.ets;

/**
 * The state-space recursions of forecast's C code (etscalc.c: etscalc, forecast, update, etssimulate), on primitive
 * arrays. A state vector is {@code [l, b?, s_1..s_m?]} with {@code s_1} the newest seasonal and {@code s_m} the one
 * that forecasts the next observation.
 */
final class EtsRecursion {

    static final double TOL = 1.0e-10;
    static final double HUGEN = 1.0e10;
    /** forecast's NA marker for a multiplicative trend that went negative. */
    static final double NA = -99999.0;

    private EtsRecursion() {
    }

    /** Scratch arrays for one model so the optimiser's inner loop allocates nothing. */
    static final class Work {
        final double[] s;
        final double[] olds;

        Work(int m) {
            this.s = new double[Math.max(m, 1)];
            this.olds = new double[Math.max(m, 1)];
        }
    }

    /**
     * etscalc: runs the filter over y from state x0, returns lik = n log(sum e^2) (+ 2 sum log|f| for multiplicative
     * error), or NaN where forecast's C code returns NA. Writes e (if not null) and every state row (if states not
     * null, (n+1) x p row-major).
     */
    static double calc(double[] y, int m, int error, int trend, int season, double alpha, double beta, double gamma,
                       double phi, double[] x0, double[] e, double[] states, Work w) {
        int n = y.length;
        int p = 1 + (trend > 0 ? 1 : 0) + (season > 0 ? m : 0);
        double l = x0[0];
        double b = trend > 0 ? x0[1] : 0.0;
        int so = trend > 0 ? 2 : 1;
        // seasonal states in a ring: s_j (j = 0 newest) at ring[(head + j) % m]; the oldest sits just before head
        double[] ring = w.s;
        int head = 0;
        if (season > 0) {
            System.arraycopy(x0, so, ring, 0, m);
        }
        if (states != null) {
            System.arraycopy(x0, 0, states, 0, p);
        }
        double sse = 0.0;
        double lik2 = 0.0;
        double betaOverAlpha = beta / alpha;
        boolean phiOne = Math.abs(phi - 1.0) < TOL;
        for (int i = 0; i < n; i++) {
            double oldl = l;
            double oldb = b;
            int oldest = head == 0 ? m - 1 : head - 1;
            double sm = season > 0 ? ring[oldest] : 0.0;
            // one-step forecast
            double f;
            if (trend == 0) {
                f = oldl;
            } else if (trend == 1) {
                f = oldl + phi * oldb;
            } else if (oldb < 0) {
                return Double.NaN;
            } else {
                f = oldl * Math.pow(oldb, phi);
            }
            if (season == 1) {
                f += sm;
            } else if (season == 2) {
                f *= sm;
            }
            double yi = y[i];
            double ei = error == 1 ? yi - f : (yi - f) / f;
            if (e != null) {
                e[i] = ei;
            }
            // update
            double q;
            double phib;
            if (trend == 0) {
                q = oldl;
                phib = 0.0;
            } else if (trend == 1) {
                phib = phi * oldb;
                q = oldl + phib;
            } else if (phiOne) {
                phib = oldb;
                q = oldl * oldb;
            } else {
                phib = Math.pow(oldb, phi);
                q = oldl * phib;
            }
            double pp;
            if (season == 0) {
                pp = yi;
            } else if (season == 1) {
                pp = yi - sm;
            } else {
                pp = Math.abs(sm) < TOL ? HUGEN : yi / sm;
            }
            l = q + alpha * (pp - q);
            if (trend > 0) {
                double r;
                if (trend == 1) {
                    r = l - oldl;
                } else {
                    r = Math.abs(oldl) < TOL ? HUGEN : l / oldl;
                }
                b = phib + betaOverAlpha * (r - phib);
            }
            if (season > 0) {
                double t;
                if (season == 1) {
                    t = yi - q;
                } else {
                    t = Math.abs(q) < TOL ? HUGEN : yi / q;
                }
                ring[oldest] = sm + gamma * (t - sm); // the new s_0 replaces the oldest
                head = oldest;
            }
            if (states != null) {
                int o = p * (i + 1);
                states[o] = l;
                if (trend > 0) {
                    states[o + 1] = b;
                }
                for (int j = 0; j < (season > 0 ? m : 0); j++) {
                    int k = head + j;
                    states[o + so + j] = ring[k >= m ? k - m : k];
                }
            }
            sse += ei * ei;
            lik2 += Math.log(Math.abs(f));
        }
        double lik = n * Math.log(sse);
        if (error == 2) {
            lik += 2 * lik2;
        }
        return lik;
    }

    /** etsforecast: the h point forecasts from state x (NaN where forecast returns NA). */
    static double[] forecast(double[] x, int m, int trend, int season, double phi, int h) {
        double l = x[0];
        double b = trend > 0 ? x[1] : 0.0;
        int so = trend > 0 ? 2 : 1;
        double[] f = new double[h];
        double phistar = phi;
        for (int i = 0; i < h; i++) {
            if (trend == 0) {
                f[i] = l;
            } else if (trend == 1) {
                f[i] = l + phistar * b;
            } else if (b < 0) {
                f[i] = Double.NaN;
            } else {
                f[i] = l * Math.pow(b, phistar);
            }
            int j = m - 1 - i;
            while (j < 0) {
                j += m;
            }
            if (season == 1) {
                f[i] += x[so + j];
            } else if (season == 2) {
                f[i] *= x[so + j];
            }
            if (i < h - 1) {
                phistar = Math.abs(phi - 1) < TOL ? phistar + 1 : phistar + Math.pow(phi, i + 1);
            }
        }
        return f;
    }

    /**
     * etssimulate: one future path of length e.length from state x0 with innovations e (already floored at -1 for a
     * multiplicative error), written into out. Returns false where forecast's C code gives NA.
     */
    static boolean simulate(double[] x0, int m, int error, int trend, int season, double alpha, double beta,
                            double gamma, double phi, double[] e, double[] out, Work w) {
        double l = x0[0];
        double b = trend > 0 ? x0[1] : 0.0;
        int so = trend > 0 ? 2 : 1;
        double[] s = w.s;
        double[] olds = w.olds;
        if (season > 0) {
            System.arraycopy(x0, so, s, 0, m);
        }
        boolean phiOne = Math.abs(phi - 1.0) < TOL;
        for (int i = 0; i < out.length; i++) {
            double oldl = l;
            double oldb = b;
            double sm = 0.0;
            if (season > 0) {
                System.arraycopy(s, 0, olds, 0, m);
                sm = olds[m - 1];
            }
            double f;
            if (trend == 0) {
                f = oldl;
            } else if (trend == 1) {
                f = oldl + phi * oldb;
            } else if (oldb < 0) {
                return false;
            } else {
                f = oldl * Math.pow(oldb, phi);
            }
            if (season == 1) {
                f += sm;
            } else if (season == 2) {
                f *= sm;
            }
            double yi = error == 1 ? f + e[i] : f * (1.0 + e[i]);
            out[i] = yi;
            double q;
            double phib;
            if (trend == 0) {
                q = oldl;
                phib = 0.0;
            } else if (trend == 1) {
                phib = phi * oldb;
                q = oldl + phib;
            } else if (phiOne) {
                phib = oldb;
                q = oldl * oldb;
            } else {
                phib = Math.pow(oldb, phi);
                q = oldl * phib;
            }
            double pp = season == 0 ? yi : season == 1 ? yi - sm : (Math.abs(sm) < TOL ? HUGEN : yi / sm);
            l = q + alpha * (pp - q);
            if (trend > 0) {
                double r = trend == 1 ? l - oldl : (Math.abs(oldl) < TOL ? HUGEN : l / oldl);
                b = phib + (beta / alpha) * (r - phib);
            }
            if (season > 0) {
                double t = season == 1 ? yi - q : (Math.abs(q) < TOL ? HUGEN : yi / q);
                s[0] = sm + gamma * (t - sm);
                System.arraycopy(olds, 0, s, 1, m - 1);
            }
        }
        return true;
    }
}

package io.waybill.modelserver.ets;

/**
 * Nelder-Mead exactly as R's {@code optim} runs it (J. C. Nash's {@code nmmin} in R's src/appl/optim.c), which is
 * what forecast's {@code etsNelderMead} calls: same initial simplex (step 10% of the largest |parameter|), same
 * reflection/extension/contraction/shrink order, same stopping rule (spread of the simplex values below
 * {@code reltol * (|f(x0)| + reltol)}, or maxit function evaluations). Following R's path step for step is what
 * makes our fits land on forecast's local optima. Non-finite values count as 1e35, as in R.
 */
final class NashNelderMead {

    /** The function to minimise; must not keep the array it is given. */
    @FunctionalInterface
    interface Objective {
        double value(double[] x);
    }

    private static final double BIG = 1.0e35;

    private NashNelderMead() {
    }

    /**
     * Minimises from start (overwritten with the best point). Returns the best value, or NaN if the function is not
     * finite at the start (R stops there).
     */
    static double minimise(Objective fn, double[] start, double abstol, double reltol, double alpha, double beta,
                           double gamma, int maxit) {
        int n = start.length;
        double[] bvec = start.clone();
        double f = fn.value(bvec);
        if (!Double.isFinite(f)) {
            return Double.NaN;
        }
        int n1 = n + 1;
        int c = n + 2;
        double[][] p = new double[n1][c]; // p[i][j]: row i coordinate (row n = value), column j vertex (c-1 = centroid)
        int funcount = 1;
        double convtol = reltol * (Math.abs(f) + reltol);
        p[n1 - 1][0] = f;
        for (int i = 0; i < n; i++) {
            p[i][0] = bvec[i];
        }
        int l = 1;
        double size = 0.0;
        double step = 0.0;
        for (int i = 0; i < n; i++) {
            if (0.1 * Math.abs(bvec[i]) > step) {
                step = 0.1 * Math.abs(bvec[i]);
            }
        }
        if (step == 0.0) {
            step = 0.1;
        }
        for (int j = 2; j <= n1; j++) {
            for (int i = 0; i < n; i++) {
                p[i][j - 1] = bvec[i];
            }
            double trystep = step;
            while (p[j - 2][j - 1] == bvec[j - 2]) {
                p[j - 2][j - 1] = bvec[j - 2] + trystep;
                trystep *= 10;
            }
            size += trystep;
        }
        double oldsize = size;
        boolean calcvert = true;
        do {
            if (calcvert) {
                for (int j = 0; j < n1; j++) {
                    if (j + 1 != l) {
                        for (int i = 0; i < n; i++) {
                            bvec[i] = p[i][j];
                        }
                        f = fn.value(bvec);
                        if (!Double.isFinite(f)) {
                            f = BIG;
                        }
                        funcount++;
                        p[n1 - 1][j] = f;
                    }
                }
                calcvert = false;
            }
            double vl = p[n1 - 1][l - 1];
            double vh = vl;
            int h = l;
            for (int j = 1; j <= n1; j++) {
                if (j != l) {
                    f = p[n1 - 1][j - 1];
                    if (f < vl) {
                        l = j;
                        vl = f;
                    }
                    if (f > vh) {
                        h = j;
                        vh = f;
                    }
                }
            }
            if (vh <= vl + convtol || vl <= abstol) {
                break;
            }
            for (int i = 0; i < n; i++) {
                double temp = -p[i][h - 1];
                for (int j = 0; j < n1; j++) {
                    temp += p[i][j];
                }
                p[i][c - 1] = temp / n;
            }
            for (int i = 0; i < n; i++) {
                bvec[i] = (1.0 + alpha) * p[i][c - 1] - alpha * p[i][h - 1];
            }
            f = fn.value(bvec);
            if (!Double.isFinite(f)) {
                f = BIG;
            }
            funcount++;
            double vr = f;
            if (vr < vl) {
                p[n1 - 1][c - 1] = f;
                for (int i = 0; i < n; i++) {
                    f = gamma * bvec[i] + (1 - gamma) * p[i][c - 1];
                    p[i][c - 1] = bvec[i];
                    bvec[i] = f;
                }
                f = fn.value(bvec);
                if (!Double.isFinite(f)) {
                    f = BIG;
                }
                funcount++;
                if (f < vr) {
                    for (int i = 0; i < n; i++) {
                        p[i][h - 1] = bvec[i];
                    }
                    p[n1 - 1][h - 1] = f;
                } else {
                    for (int i = 0; i < n; i++) {
                        p[i][h - 1] = p[i][c - 1];
                    }
                    p[n1 - 1][h - 1] = vr;
                }
            } else {
                if (vr < vh) {
                    for (int i = 0; i < n; i++) {
                        p[i][h - 1] = bvec[i];
                    }
                    p[n1 - 1][h - 1] = vr;
                }
                for (int i = 0; i < n; i++) {
                    bvec[i] = (1 - beta) * p[i][h - 1] + beta * p[i][c - 1];
                }
                f = fn.value(bvec);
                if (!Double.isFinite(f)) {
                    f = BIG;
                }
                funcount++;
                if (f < p[n1 - 1][h - 1]) {
                    for (int i = 0; i < n; i++) {
                        p[i][h - 1] = bvec[i];
                    }
                    p[n1 - 1][h - 1] = f;
                } else if (vr >= vh) {
                    calcvert = true;
                    size = 0.0;
                    for (int j = 0; j < n1; j++) {
                        if (j + 1 != l) {
                            for (int i = 0; i < n; i++) {
                                p[i][j] = beta * (p[i][j] - p[i][l - 1]) + p[i][l - 1];
                                size += Math.abs(p[i][j] - p[i][l - 1]);
                            }
                        }
                    }
                    if (size < oldsize) {
                        oldsize = size;
                    } else {
                        break;
                    }
                }
            }
        } while (funcount <= maxit);
        for (int i = 0; i < n; i++) {
            start[i] = p[i][l - 1];
        }
        return p[n1 - 1][l - 1];
    }
}

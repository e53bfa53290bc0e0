package io.waybill.modelserver.ets;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealVector;

/**
 * forecast's {@code initstate} heuristic: seasonal indices from a classical decomposition (or, with fewer than three
 * seasons, from the residuals of a trend + first-harmonic regression), then level and trend from a straight line
 * through the first max(10, 2m) seasonally adjusted values. Returns {@code [l, b?, s_0..s_{m-2}]}: the last seasonal
 * state is implied by the others (they sum to 0, or to m for a multiplicative season).
 */
final class InitialStates {

    private InitialStates() {
    }

    static double[] of(double[] y, int trend, int season, int m) {
        int n = y.length;
        double[] ySa;
        double[] initSeas = new double[0];
        if (season > 0) {
            if (n < 4) {
                throw new IllegalStateException("not enough data");
            }
            double[] seasonal;
            if (n < 3 * m) {
                double[] coef = trendPlusHarmonic(y, m);
                seasonal = new double[n];
                for (int i = 0; i < n; i++) {
                    double line = coef[0] + coef[1] * (i + 1);
                    seasonal[i] = season == 1 ? y[i] - line : y[i] / line;
                }
            } else {
                seasonal = decompose(y, m, season == 2);
            }
            initSeas = new double[m - 1];
            for (int k = 0; k < m - 1; k++) {
                initSeas[k] = seasonal[m - 1 - k]; // rev(seasonal[2:m])
            }
            ySa = new double[n];
            if (season == 1) {
                for (int i = 0; i < n; i++) {
                    ySa[i] = y[i] - seasonal[i];
                }
            } else {
                double sum = 0;
                for (int k = 0; k < m - 1; k++) {
                    initSeas[k] = Math.max(initSeas[k], 0.01);
                    sum += initSeas[k];
                }
                if (sum > m) {
                    double denom = sum + 0.01 * (m - 1);
                    for (int k = 0; k < m - 1; k++) {
                        initSeas[k] = initSeas[k] / denom;
                    }
                }
                for (int i = 0; i < n; i++) {
                    ySa[i] = y[i] / Math.max(seasonal[i], 0.01);
                }
            }
        } else {
            m = 1;
            ySa = y;
        }
        int maxn = Math.min(Math.max(10, 2 * m), ySa.length);
        double l0;
        double b0 = Double.NaN;
        if (trend == 0) {
            double s = 0;
            for (int i = 0; i < maxn; i++) {
                s += ySa[i];
            }
            l0 = s / maxn;
        } else {
            double[] fit = lsfit(ySa, maxn);
            if (trend == 1) {
                l0 = fit[0];
                b0 = fit[1];
                if (Math.abs(l0 + b0) < 1e-8) {
                    l0 = l0 * (1 + 0.001);
                    b0 = b0 * (1 - 0.001);
                }
            } else {
                l0 = fit[0] + fit[1];
                if (Math.abs(l0) < 1e-8) {
                    l0 = 1e-7;
                }
                b0 = (fit[0] + 2 * fit[1]) / l0;
                l0 = l0 / b0;
                if (Math.abs(b0) > 1e10) {
                    b0 = Math.signum(b0) * 1e10;
                }
                if (l0 < 1e-8 || b0 < 1e-8) {
                    l0 = Math.max(ySa[0], 0.001);
                    b0 = Math.max(ySa[1] / ySa[0], 0.001);
                }
            }
        }
        int nb = trend > 0 ? 1 : 0;
        double[] out = new double[1 + nb + initSeas.length];
        out[0] = l0;
        if (nb == 1) {
            out[1] = b0;
        }
        System.arraycopy(initSeas, 0, out, 1 + nb, initSeas.length);
        return out;
    }

    /** lsfit(1:k, y[1:k]): intercept and slope. */
    static double[] lsfit(double[] y, int k) {
        double mx = (k + 1) / 2.0;
        double my = 0;
        for (int i = 0; i < k; i++) {
            my += y[i];
        }
        my /= k;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < k; i++) {
            double dx = (i + 1) - mx;
            sxy += dx * (y[i] - my);
            sxx += dx * dx;
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        return new double[] {my - slope * mx, slope};
    }

    /** stats::decompose's seasonal component (figure repeated from the first observation). */
    static double[] decompose(double[] x, int f, boolean multiplicative) {
        int n = x.length;
        double[] filter;
        if (f % 2 == 0) {
            filter = new double[f + 1];
            filter[0] = 0.5 / f;
            filter[f] = 0.5 / f;
            for (int j = 1; j < f; j++) {
                filter[j] = 1.0 / f;
            }
        } else {
            filter = new double[f];
            java.util.Arrays.fill(filter, 1.0 / f);
        }
        int len = filter.length;
        int o = len / 2;
        double[] season = new double[n];
        for (int i = 0; i < n; i++) {
            if (i + o - (len - 1) < 0 || i + o >= n) {
                season[i] = Double.NaN;
                continue;
            }
            double t = 0;
            for (int j = 0; j < len; j++) {
                t += filter[j] * x[i + o - j];
            }
            season[i] = multiplicative ? x[i] / t : x[i] - t;
        }
        double[] figure = new double[f];
        for (int k = 0; k < f; k++) {
            double s = 0;
            int c = 0;
            for (int i = k; i < n; i += f) {
                if (!Double.isNaN(season[i])) {
                    s += season[i];
                    c++;
                }
            }
            figure[k] = s / c;
        }
        double mean = 0;
        for (double v : figure) {
            mean += v;
        }
        mean /= f;
        for (int k = 0; k < f; k++) {
            figure[k] = multiplicative ? figure[k] / mean : figure[k] - mean;
        }
        double[] seasonal = new double[n];
        for (int i = 0; i < n; i++) {
            seasonal[i] = figure[i % f];
        }
        return seasonal;
    }

    /** tslm(y ~ trend + fourier(y, 1)): the intercept and trend coefficients. */
    private static double[] trendPlusHarmonic(double[] y, int m) {
        int n = y.length;
        boolean withSin = m != 2;
        int cols = withSin ? 4 : 3;
        double[][] xm = new double[n][cols];
        for (int i = 0; i < n; i++) {
            double t = i + 1;
            xm[i][0] = 1;
            xm[i][1] = t;
            double angle = 2 * Math.PI * t / m;
            if (withSin) {
                xm[i][2] = Math.sin(angle);
                xm[i][3] = Math.cos(angle);
            } else {
                xm[i][2] = Math.cos(angle);
            }
        }
        RealVector beta = new QRDecomposition(new Array2DRowRealMatrix(xm, false)).getSolver()
            .solve(new ArrayRealVector(y, false));
        return new double[] {beta.getEntry(0), beta.getEntry(1)};
    }
}

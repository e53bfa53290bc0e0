package io.waybill.modelserver.methods;

import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.univariate.BrentOptimizer;
import org.hipparchus.optim.univariate.SearchInterval;
import org.hipparchus.optim.univariate.UnivariateObjectiveFunction;
import org.hipparchus.optim.univariate.UnivariatePointValuePair;

/**
 * Simple exponential smoothing fitted as {@code forecast::ses} does by default (ETS(A,N,N) with {@code opt.crit="mse"}):
 * the smoothing weight alpha and the initial level l0 minimise the sum of squared one-step errors, alpha within ets's
 * usual bounds [1e-4, 0.9999]; sigma² = SSE / (n - 2).
 *
 * <p>For a fixed alpha the errors are linear in l0, so l0 has a closed form (least squares) and only alpha is searched:
 * a grid over the bounds, then Hipparchus's Brent optimiser in the bracket around the best grid point. R searches
 * both with Nelder-Mead, so the two agree to the optimiser's tolerance, not to the last digit.
 */
record SimpleExponentialSmoothing(double alpha, double initialLevel, double level, double sigma2, double sse) {

    static final double ALPHA_LOWER = 1e-4;
    static final double ALPHA_UPPER = 0.9999;
    private static final int GRID = 200;

    static SimpleExponentialSmoothing fit(double[] y) {
        if (y.length < 3) {
            throw new io.waybill.modelserver.model.UnfittableSeries(
                    "simple exponential smoothing needs at least 3 observations, got " + y.length);
        }
        double bestAlpha = ALPHA_LOWER;
        double bestSse = Double.POSITIVE_INFINITY;
        double step = (ALPHA_UPPER - ALPHA_LOWER) / GRID;
        for (int i = 0; i <= GRID; i++) {
            double a = ALPHA_LOWER + i * step;
            double s = sseAt(y, a);
            if (s < bestSse) {
                bestSse = s;
                bestAlpha = a;
            }
        }
        double lo = Math.max(ALPHA_LOWER, bestAlpha - step);
        double hi = Math.min(ALPHA_UPPER, bestAlpha + step);
        UnivariatePointValuePair refined = new BrentOptimizer(1e-10, 1e-14).optimize(new MaxEval(500),
                new UnivariateObjectiveFunction(a -> sseAt(y, a)), GoalType.MINIMIZE,
                new SearchInterval(lo, hi, bestAlpha));
        double alpha = refined.getValue() < bestSse ? refined.getPoint() : bestAlpha;
        return withAlpha(y, alpha, optimalInitialLevel(y, alpha));
    }

    /** SES with a given alpha and initial level (no search). */
    static SimpleExponentialSmoothing withAlpha(double[] y, double alpha, double l0) {
        double level = l0;
        double sse = 0;
        for (double v : y) {
            double e = v - level;
            sse += e * e;
            level += alpha * e;
        }
        return new SimpleExponentialSmoothing(alpha, l0, level, sse / Math.max(1, y.length - 2), sse);
    }

    /** e_t = c_t - d_t l0 with c the errors from l0 = 0 and d_t = (1-alpha)^(t-1): least squares in l0. */
    static double optimalInitialLevel(double[] y, double alpha) {
        double level = 0;
        double d = 1;
        double cd = 0;
        double dd = 0;
        for (double v : y) {
            double c = v - level;
            cd += c * d;
            dd += d * d;
            level += alpha * c;
            d *= 1 - alpha;
        }
        return cd / dd;
    }

    private static double sseAt(double[] y, double alpha) {
        return withAlpha(y, alpha, optimalInitialLevel(y, alpha)).sse();
    }
}

package io.waybill.modelserver.ets;

import io.waybill.modelserver.model.ForecastMethod;
import io.waybill.modelserver.model.UnfittableSeries;

/**
 * Exponential smoothing state-space models (ETS) as Rob Hyndman's R package forecast::ets (8.20) fits them:
 * parameters and initial states by Nelder-Mead on forecast's likelihood inside the usual and admissible bounds,
 * starting from forecast's initial values; {@link #auto()} chooses among the candidate forms by AICc.
 *
 * <p>Where forecast falls back to HoltWinters (auto on 6 points or fewer; one form with n <= npars + 4) we throw
 * {@link UnfittableSeries} instead. The optimiser is a port of R's own Nelder-Mead rather than Hipparchus's
 * SimplexOptimizer: its initial simplex and stopping rule differ from R's, and following R's path is what lands our
 * fits on forecast's local optima (AICc equal to R's on every fixture series).
 */
public final class Ets implements ForecastMethod {

    /** forecast's default bounds: alpha, beta, gamma, phi. */
    static final double[] LOWER = {1e-4, 1e-4, 1e-4, 0.8};
    static final double[] UPPER = {0.9999, 0.9999, 0.9999, 0.98};
    static final int MAXIT = 2000;
    /** ets ignores seasonality above this period. */
    static final int MAX_PERIOD = 24;

    private final EtsSpec only;

    private Ets(EtsSpec only) {
        this.only = only;
    }

    /** forecast::ets(y) with its defaults: "ZZZ", damping chosen, no multiplicative trend, restrict, AICc. */
    public static Ets auto() {
        return new Ets(null);
    }

    /** One model form, e.g. {@code "ANN"}, {@code "AAdN"}, {@code "MAM"}; forecast's forbidden forms are refused. */
    public static Ets of(String spec) {
        EtsSpec s = EtsSpec.parse(spec);
        if (s.forbidden()) {
            throw new IllegalArgumentException("forbidden model combination (forecast's restrict=TRUE): " + spec);
        }
        return new Ets(s);
    }

    @Override
    public String name() {
        return "ets";
    }

    @Override
    public EtsFit fit(double[] y, int period) {
        if (y == null || y.length == 0) {
            throw new UnfittableSeries("empty series");
        }
        for (double v : y) {
            if (!Double.isFinite(v)) {
                throw new UnfittableSeries("non-finite value in series");
            }
        }
        if (period < 1) {
            throw new IllegalArgumentException("period must be at least 1: " + period);
        }
        return only == null ? fitAuto(y, period) : fitOne(y, period, only);
    }

    private static EtsFit fitAuto(double[] y, int period) {
        if (isConstant(y)) {
            // forecast: ses(y, alpha = 0.99999, initial = "simple")$model
            return EtsFit.evaluate(y, 1, EtsSpec.parse("ANN"), 0.99999, Double.NaN, Double.NaN, Double.NaN,
                new double[] {y[0]});
        }
        int n = y.length;
        boolean seasonal = period > 1 && period <= MAX_PERIOD && n > period;
        if (n <= 6) {
            throw new UnfittableSeries("series of " + n + " points: forecast falls back to HoltWinters there");
        }
        boolean positive = min(y) > 0;
        char[] errors = {'A', 'M'};
        char[] trends = {'N', 'A'};
        char[] seasons = seasonal ? new char[] {'N', 'A', 'M'} : new char[] {'N'};
        boolean[] dampings = {true, false};
        EtsFit best = null;
        double bestIc = Double.POSITIVE_INFINITY;
        for (char e : errors) {
            for (char t : trends) {
                for (char s : seasons) {
                    for (boolean d : dampings) {
                        if (t == 'N' && d) {
                            continue;
                        }
                        EtsSpec spec = new EtsSpec(e, t, d, s);
                        if (spec.forbidden() || (!positive && e == 'M')) {
                            continue;
                        }
                        EtsFit fit = optimise(y, period, spec);
                        if (fit == null) {
                            continue;
                        }
                        double ic = fit.aicc();
                        if (!Double.isNaN(ic) && ic < bestIc) {
                            best = fit;
                            bestIc = ic;
                        }
                    }
                }
            }
        }
        if (best == null) {
            throw new UnfittableSeries("no ETS model could be fitted");
        }
        return best;
    }

    private static EtsFit fitOne(double[] y, int period, EtsSpec spec) {
        int n = y.length;
        if (spec.season() != 'N') {
            if (period == 1) {
                throw new UnfittableSeries("seasonal model " + spec + " for non-seasonal data");
            }
            if (period > MAX_PERIOD) {
                throw new UnfittableSeries("period " + period + " too high for a seasonal ETS model");
            }
            if (n <= period) {
                spec = new EtsSpec(spec.error(), spec.trend(), spec.damped(), 'N'); // as forecast does
            }
        }
        if (spec.error() == 'M' || spec.season() == 'M' || spec.trend() == 'M') {
            if (min(y) <= 0) {
                throw new UnfittableSeries("multiplicative model for data with zero or negative values");
            }
        }
        int npars = 2 + (spec.trend() != 'N' ? 2 : 0) + (spec.season() != 'N' ? period : 0) + (spec.damped() ? 1 : 0);
        if (n <= npars + 4) {
            throw new UnfittableSeries("not enough data for " + spec + " (forecast falls back to HoltWinters)");
        }
        EtsFit fit = optimise(y, period, spec);
        if (fit == null) {
            throw new UnfittableSeries("could not fit " + spec);
        }
        return fit;
    }

    /** forecast's etsmodel: null where it gives an infinite or missing criterion. */
    static EtsFit optimise(double[] y, int period, EtsSpec spec) {
        int trend = spec.trendCode();
        int season = spec.seasonCode();
        int m = season > 0 ? period : 1;
        int n = y.length;
        // initparam
        double alpha = LOWER[0] + 0.2 * (UPPER[0] - LOWER[0]) / m;
        if (alpha > 1 || alpha < 0) {
            alpha = LOWER[0] + 0.002;
        }
        int k = 0;
        double[] parHead = new double[4];
        parHead[k++] = alpha;
        if (trend > 0) {
            double upperBeta = Math.min(UPPER[1], alpha);
            double beta = LOWER[1] + 0.1 * (upperBeta - LOWER[1]);
            if (beta < 0 || beta > alpha) {
                beta = alpha - 0.001;
            }
            parHead[k++] = beta;
        }
        if (season > 0) {
            double upperGamma = Math.min(UPPER[2], 1 - alpha);
            double gamma = LOWER[2] + 0.05 * (upperGamma - LOWER[2]);
            if (gamma < 0 || gamma > 1 - alpha) {
                gamma = 1 - alpha - 0.001;
            }
            parHead[k++] = gamma;
        }
        if (spec.damped()) {
            double phi = LOWER[3] + 0.99 * (UPPER[3] - LOWER[3]);
            if (phi < 0 || phi > 1) {
                phi = UPPER[3] - 0.001;
            }
            parHead[k++] = phi;
        }
        double[] init;
        try {
            init = InitialStates.of(y, trend, season, m);
        } catch (IllegalStateException e) {
            return null;
        }
        double[] par = new double[k + init.length];
        System.arraycopy(parHead, 0, par, 0, k);
        System.arraycopy(init, 0, par, k, init.length);
        if (par.length >= n - 1) {
            return null;
        }
        EtsObjective objective = new EtsObjective(y, spec, m, k);
        double best = NashNelderMead.minimise(objective, par, Double.NEGATIVE_INFINITY, Math.sqrt(Math.ulp(1.0)), 1,
            0.5, 2, MAXIT);
        if (Double.isNaN(best)) {
            return null;
        }
        double[] full = objective.fullState(par);
        int i = 0;
        double a = par[i++];
        double b = trend > 0 ? par[i++] : Double.NaN;
        double g = season > 0 ? par[i++] : Double.NaN;
        double phi = spec.damped() ? par[i++] : Double.NaN;
        EtsFit fit = EtsFit.evaluate(y, m, spec, a, b, g, phi, full);
        if (Double.isNaN(fit.lik()) || Double.isInfinite(fit.aicc())) {
            return null;
        }
        return fit;
    }

    static double min(double[] y) {
        double v = Double.POSITIVE_INFINITY;
        for (double x : y) {
            v = Math.min(v, x);
        }
        return v;
    }

    /** forecast's is.constant: all.equal(x, rep(x[1], n)). */
    static boolean isConstant(double[] y) {
        double diff = 0;
        double scale = 0;
        for (double v : y) {
            diff += Math.abs(v - y[0]);
            scale += Math.abs(v);
        }
        double tol = 1.5e-8;
        return scale / y.length > tol ? diff / scale < tol : diff / y.length < tol;
    }

}

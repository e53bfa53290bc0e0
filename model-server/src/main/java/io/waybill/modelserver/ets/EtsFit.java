package io.waybill.modelserver.ets;

import io.waybill.modelserver.model.FittedForecast;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * One fitted ETS model, as forecast::ets returns it: parameters, initial states, likelihood and information
 * criteria, fitted values and residuals; point forecasts and intervals as forecast.ets gives them (analytic for
 * classes 1-3, simulated for a multiplicative trend), and sample paths from the state-space model.
 */
public final class EtsFit implements FittedForecast {

    /** Paths behind a simulated quantile (forecast's npaths) and their fixed seed. */
    static final int SIMULATED_PATHS = 5000;
    private static final long SIMULATION_SEED = 20261206L;
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    private final EtsSpec spec;
    private final int m;
    private final double[] y;
    private final double alpha;
    private final double beta;
    private final double gamma;
    private final double phi;
    private final double[] initialStates;
    private final double[] lastState;
    private final double[] residuals;
    private final double[] fitted;
    private final double lik;
    private final int parameterCount;
    private final double sigma2;

    private EtsFit(EtsSpec spec, int m, double[] y, double alpha, double beta, double gamma, double phi,
                   double[] initialStates, double[] lastState, double[] residuals, double[] fitted, double lik,
                   int parameterCount, double sigma2) {
        this.spec = spec;
        this.m = m;
        this.y = y;
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
        this.phi = phi;
        this.initialStates = initialStates;
        this.lastState = lastState;
        this.residuals = residuals;
        this.fitted = fitted;
        this.lik = lik;
        this.parameterCount = parameterCount;
        this.sigma2 = sigma2;
    }

    /**
     * Runs the model with the given parameters (NaN for one the form lacks) and full initial state
     * {@code [l, b?, s_1..s_m?]} over y, as forecast's pegelsresid.C does. {@code period} is the seasonal period (used
     * only if the form is seasonal).
     */
    static EtsFit evaluate(double[] y, int period, EtsSpec spec, double alpha, double beta, double gamma, double phi,
                           double[] initialState) {
        int trend = spec.trendCode();
        int season = spec.seasonCode();
        int m = season > 0 ? period : 1;
        int p = 1 + (trend > 0 ? 1 : 0) + (season > 0 ? m : 0);
        if (initialState.length != p) {
            throw new IllegalArgumentException("expected " + p + " initial states for " + spec + ", got "
                + initialState.length);
        }
        int n = y.length;
        double[] e = new double[n];
        double[] states = new double[(n + 1) * p];
        double runPhi = spec.damped() ? phi : 1.0;
        double lik = EtsRecursion.calc(y, m, spec.errorCode(), trend, season, alpha, trend > 0 ? beta : 0.0,
            season > 0 ? gamma : 0.0, runPhi, initialState, e, states, new EtsRecursion.Work(m));
        double[] fitted = new double[n];
        double sse = 0;
        for (int i = 0; i < n; i++) {
            fitted[i] = spec.error() == 'A' ? y[i] - e[i] : y[i] / (1 + e[i]);
            sse += e[i] * e[i];
        }
        int smoothing = 1 + (trend > 0 ? 1 : 0) + (season > 0 ? 1 : 0) + (spec.damped() ? 1 : 0);
        int parameterCount = smoothing + p - (season > 0 ? 1 : 0);
        double sigma2 = sse / (n - parameterCount);
        return new EtsFit(spec, m, y.clone(), alpha, trend > 0 ? beta : Double.NaN,
            season > 0 ? gamma : Double.NaN, spec.damped() ? phi : Double.NaN, initialState.clone(),
            Arrays.copyOfRange(states, n * p, (n + 1) * p), e, fitted, lik, parameterCount, sigma2);
    }

    @Override
    public String model() {
        return spec.label();
    }

    public EtsSpec spec() {
        return spec;
    }

    /** The seasonal period the model uses (1 when it has no season). */
    public int period() {
        return m;
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    public double gamma() {
        return gamma;
    }

    public double phi() {
        return phi;
    }

    /** {@code [l0, b0?, s0, s-1, ..., s-m+1]} as forecast's {@code initstate}. */
    public double[] initialStates() {
        return initialStates.clone();
    }

    /** The state after the last observation. */
    public double[] finalStates() {
        return lastState.clone();
    }

    /** forecast's {@code lik}: n log(SSE) (+ 2 sum log|yhat| for a multiplicative error); -2 x logLikelihood. */
    double lik() {
        return lik;
    }

    /** forecast's {@code loglik} = -lik/2 (constants dropped, as forecast does). */
    public double logLikelihood() {
        return -0.5 * lik;
    }

    /** Estimated parameters: smoothing parameters, phi and initial states except the last seasonal one. */
    public int parameterCount() {
        return parameterCount;
    }

    public double aic() {
        return lik + 2.0 * (parameterCount + 1);
    }

    public double aicc() {
        int k = parameterCount + 1;
        int n = y.length;
        return aic() + 2.0 * k * (k + 1) / (n - k - 1);
    }

    public double bic() {
        return lik + Math.log(y.length) * (parameterCount + 1);
    }

    public double sigma2() {
        return sigma2;
    }

    public double[] fitted() {
        return fitted.clone();
    }

    /** Innovations: y - yhat (additive error) or (y - yhat) / yhat (multiplicative). */
    public double[] residuals() {
        return residuals.clone();
    }

    @Override
    public double[] mean(int h) {
        checkHorizon(h);
        if (isSimulated()) {
            return EtsRecursion.forecast(lastState, m, spec.trendCode(), spec.seasonCode(), runPhi(), h);
        }
        return analytic(h)[0];
    }

    @Override
    public double[] quantile(double p, int h) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1): " + p);
        }
        checkHorizon(h);
        if (isSimulated()) {
            double[][] paths = samples(SIMULATED_PATHS, h, new SplittableRandom(SIMULATION_SEED));
            double[] q = new double[h];
            double[] column = new double[paths.length];
            for (int j = 0; j < h; j++) {
                int c = 0;
                for (double[] path : paths) {
                    if (!Double.isNaN(path[j])) {
                        column[c++] = path[j];
                    }
                }
                Arrays.sort(column, 0, c);
                q[j] = quantileType8(column, c, p);
            }
            return q;
        }
        double[][] mv = analytic(h);
        double z = STANDARD_NORMAL.inverseCumulativeProbability(p);
        double[] q = new double[h];
        for (int j = 0; j < h; j++) {
            q[j] = mv[0][j] + z * Math.sqrt(Math.max(mv[1][j], 0));
        }
        return q;
    }

    @Override
    public double[][] samples(int n, int h, RandomGenerator random) {
        checkHorizon(h);
        double sd = Math.sqrt(sigma2);
        double[][] out = new double[n][h];
        double[] e = new double[h];
        EtsRecursion.Work w = new EtsRecursion.Work(m);
        boolean mult = spec.error() == 'M';
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) {
                double v = random.nextGaussian() * sd;
                e[j] = mult ? Math.max(-1, v) : v;
            }
            if (!EtsRecursion.simulate(lastState, m, spec.errorCode(), spec.trendCode(), spec.seasonCode(), alpha,
                spec.trendCode() > 0 ? beta : 0, spec.seasonCode() > 0 ? gamma : 0, runPhi(), e, out[i], w)) {
                Arrays.fill(out[i], Double.NaN);
            }
        }
        return out;
    }

    private double runPhi() {
        return spec.damped() ? phi : 1.0;
    }

    /** forecast.ets simulates only where no class 1-3 formula applies: a multiplicative trend. */
    boolean isSimulated() {
        return spec.trend() == 'M';
    }

    private double[][] analytic(int h) {
        if (spec.season() == 'M') {
            return EtsVariance.class3(h, lastState, spec.trend() != 'N', m, sigma2, alpha, beta, gamma, runPhi());
        }
        double[][] c1 = EtsVariance.class1(h, lastState, spec.trend() != 'N', spec.season() != 'N', m, sigma2, alpha,
            beta, gamma, runPhi());
        if (spec.error() == 'A') {
            return new double[][] {c1[0], c1[1]};
        }
        return EtsVariance.class2(h, c1, sigma2);
    }

    /** R's quantile type 8 on sorted[0..n). */
    static double quantileType8(double[] sorted, int n, double p) {
        double mm = (p + 1) / 3;
        double np = n * p + mm;
        int j = (int) Math.floor(np + 4 * Math.ulp(np));
        double g = np - j;
        if (Math.abs(g) < 4 * Math.ulp(np)) {
            g = 0;
        }
        if (j < 1) {
            return sorted[0];
        }
        if (j >= n) {
            return sorted[n - 1];
        }
        return (1 - g) * sorted[j - 1] + g * sorted[j];
    }

    private static void checkHorizon(int h) {
        if (h < 1) {
            throw new IllegalArgumentException("horizon must be at least 1: " + h);
        }
    }
}

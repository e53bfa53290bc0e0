package io.waybill.modelserver.methods;

import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;
import io.waybill.modelserver.model.UnfittableSeries;
import java.util.random.RandomGenerator;

/**
 * The Theta method of Assimakopoulos and Nikolopoulos as {@code forecast::thetaf} (Hyndman and Billah 2003) computes it:
 * <ol>
 *   <li>Seasonality test: with period m > 1 and n > 2m, the series is seasonal when |r_m| exceeds the 90 % two-sided
 *       bound qnorm(0.95) · sqrt((1 + 2 Σ_{k<m} r_k²) / n) on the sample autocorrelation r at lag m.</li>
 *   <li>Seasonal series are divided by the indices of a classical multiplicative decomposition
 *       ({@code stats::decompose}: centred moving average of order m, per-position mean of the ratios, normalised to
 *       mean 1). If an index is below 1e-4, or the moving average is not positive, the series is treated as
 *       non-seasonal (a guard R does not have: no division by zero on series with zeros).</li>
 *   <li>SES (alpha and l0 by least squares) plus a drift of half the OLS slope b/2:
 *       ŷ_{n+h} = l_n + b/2 · ((h - 1) + (1 - (1 - α)^n) / α).</li>
 *   <li>Reseasonalised by the last m indices; intervals ŷ ± z · σ · sqrt(1 + (h - 1) α²) with σ² the SES residual
 *       variance on the (adjusted) series, exactly as thetaf (which does not rescale the width by the index).</li>
 * </ol>
 * Sample paths follow the SES state-space model behind that variance: step j gets e_j + α Σ_{i<j} e_i, e ~ N(0, σ²).
 */
public final class Theta implements ForecastMethod {

    /** Two-sided 90 % level of thetaf's seasonality test: qnorm(0.95). */
    static final double SEASONALITY_Z = 1.6448536269514722;
    /** Seasonal indices smaller than this make thetaf fall back to the non-seasonal method. */
    static final double MIN_INDEX = 1e-4;

    @Override
    public String name() {
        return "theta";
    }

    @Override
    public FittedForecast fit(double[] y, int period) {
        int n = y.length;
        if (n < 3) {
            throw new UnfittableSeries("Theta needs at least 3 observations, got " + n);
        }
        double[] indices = seasonal(y, period) ? decompositionIndices(y, period) : null;
        double[] adjusted = y;
        if (indices != null) {
            adjusted = new double[n];
            for (int t = 0; t < n; t++) {
                adjusted[t] = y[t] / indices[t % period];
            }
        }
        SimpleExponentialSmoothing ses = SimpleExponentialSmoothing.fit(adjusted);
        double drift = olsSlope(adjusted) / 2;
        double alpha = Math.max(1e-10, ses.alpha());
        double[] lastIndices = null;
        if (indices != null) {
            lastIndices = new double[period];
            for (int k = 0; k < period; k++) {
                lastIndices[k] = indices[(n - period + k) % period];
            }
        }
        return new Fitted(ses.level(), drift, alpha, Math.sqrt(ses.sigma2()), n, lastIndices);
    }

    /** thetaf's test on the autocorrelation at lag m; false when m is 1, the series is constant or n <= 2m. */
    static boolean seasonal(double[] y, int m) {
        int n = y.length;
        if (m <= 1 || n <= 2 * m || isConstant(y)) {
            return false;
        }
        double[] r = autocorrelations(y, m);
        double sum = 0;
        for (int k = 1; k < m; k++) {
            sum += r[k] * r[k];
        }
        double stat = Math.sqrt((1 + 2 * sum) / n);
        return Math.abs(r[m]) / stat > SEASONALITY_Z;
    }

    /** Sample autocorrelations r_0..r_maxLag (the biased estimator stats::acf uses). */
    static double[] autocorrelations(double[] y, int maxLag) {
        int n = y.length;
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= n;
        double c0 = 0;
        for (double v : y) {
            c0 += (v - mean) * (v - mean);
        }
        double[] r = new double[maxLag + 1];
        for (int k = 0; k <= maxLag; k++) {
            double c = 0;
            for (int t = 0; t + k < n; t++) {
                c += (y[t] - mean) * (y[t + k] - mean);
            }
            r[k] = c / c0;
        }
        return r;
    }

    /**
     * Multiplicative indices by position in the series (index k applies to t with t % m == k), as stats::decompose; null
     * when the decomposition is unusable (non-positive moving average or an index below {@link #MIN_INDEX}).
     */
    static double[] decompositionIndices(double[] y, int m) {
        int n = y.length;
        double[] weights = new double[m % 2 == 0 ? m + 1 : m];
        java.util.Arrays.fill(weights, 1.0 / m);
        if (m % 2 == 0) {
            weights[0] = 0.5 / m;
            weights[m] = 0.5 / m;
        }
        int half = weights.length / 2;
        double[] sums = new double[m];
        int[] counts = new int[m];
        for (int t = half; t < n - half; t++) {
            double trend = 0;
            for (int j = 0; j < weights.length; j++) {
                trend += weights[j] * y[t - half + j];
            }
            if (!(trend > 0)) {
                return null;
            }
            sums[t % m] += y[t] / trend;
            counts[t % m]++;
        }
        double[] figure = new double[m];
        double mean = 0;
        for (int k = 0; k < m; k++) {
            if (counts[k] == 0) {
                return null;
            }
            figure[k] = sums[k] / counts[k];
            mean += figure[k] / m;
        }
        for (int k = 0; k < m; k++) {
            figure[k] /= mean;
            if (Math.abs(figure[k]) < MIN_INDEX) {
                return null;
            }
        }
        return figure;
    }

    /** The OLS slope of y on 0..n-1 (lsfit's coefficient). */
    static double olsSlope(double[] y) {
        int n = y.length;
        double tMean = (n - 1) / 2.0;
        double yMean = 0;
        for (double v : y) {
            yMean += v;
        }
        yMean /= n;
        double num = 0;
        double den = 0;
        for (int t = 0; t < n; t++) {
            num += (t - tMean) * (y[t] - yMean);
            den += (t - tMean) * (t - tMean);
        }
        return num / den;
    }

    private static boolean isConstant(double[] y) {
        for (double v : y) {
            if (v != y[0]) {
                return false;
            }
        }
        return true;
    }

    private record Fitted(double level, double drift, double alpha, double sigma, int n, double[] lastIndices)
            implements FittedForecast {

        @Override
        public String model() {
            return lastIndices == null ? "Theta" : "Theta(seasonal m=" + lastIndices.length + ")";
        }

        @Override
        public double[] mean(int h) {
            double[] f = new double[h];
            double start = (1 - Math.pow(1 - alpha, n)) / alpha;
            for (int j = 0; j < h; j++) {
                f[j] = level + drift * (j + start);
                if (lastIndices != null) {
                    f[j] *= lastIndices[j % lastIndices.length];
                }
            }
            return f;
        }

        private double se(int j) {
            return sigma * Math.sqrt(j * alpha * alpha + 1);
        }

        @Override
        public double[] quantile(double p, int h) {
            double z = Gaussian.quantile(p);
            double[] f = mean(h);
            for (int j = 0; j < h; j++) {
                f[j] += z * se(j);
            }
            return f;
        }

        @Override
        public double[][] samples(int count, int h, RandomGenerator random) {
            double[] f = mean(h);
            double[][] paths = new double[count][h];
            for (int i = 0; i < count; i++) {
                double shift = 0;
                for (int j = 0; j < h; j++) {
                    double e = sigma * random.nextGaussian();
                    paths[i][j] = f[j] + shift + e;
                    shift += alpha * e;
                }
            }
            return paths;
        }
    }
}

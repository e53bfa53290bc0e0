package io.waybill.modelserver.bench;

import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;
import io.waybill.modelserver.model.UnfittableSeries;
import org.hipparchus.distribution.continuous.NormalDistribution;

import java.util.random.RandomGenerator;

/**
 * The benchmark's baselines, written here independently of the model code: naive (the last value) and seasonal naive
 * (the value one season before). Intervals as {@code forecast::naive} and {@code forecast::snaive} give them: normal,
 * sigma the root mean square of the in-sample one-step (lag) residuals, widened by sqrt(h) for naive and by
 * sqrt(floor((h-1)/m) + 1) for seasonal naive.
 */
public final class NaiveForecast implements ForecastMethod {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);
    private final boolean seasonal;

    private NaiveForecast(boolean seasonal) {
        this.seasonal = seasonal;
    }

    public static NaiveForecast naive() {
        return new NaiveForecast(false);
    }

    public static NaiveForecast seasonalNaive() {
        return new NaiveForecast(true);
    }

    @Override
    public String name() {
        return seasonal ? "snaive" : "naive";
    }

    @Override
    public FittedForecast fit(double[] y, int period) {
        int lag = seasonal ? Math.max(1, period) : 1;
        if (y.length <= lag) {
            throw new UnfittableSeries(name() + " needs more than " + lag + " observations, got " + y.length);
        }
        double squares = 0;
        for (int t = lag; t < y.length; t++) {
            double r = y[t] - y[t - lag];
            squares += r * r;
        }
        double sigma = Math.sqrt(squares / (y.length - lag));
        double[] lastSeason = java.util.Arrays.copyOfRange(y, y.length - lag, y.length);
        return new Fitted(name(), lastSeason, lag, sigma, seasonal);
    }

    private record Fitted(String model, double[] lastSeason, int lag, double sigma, boolean seasonal)
            implements FittedForecast {

        @Override
        public double[] mean(int h) {
            double[] m = new double[h];
            for (int i = 0; i < h; i++) {
                m[i] = lastSeason[i % lag];
            }
            return m;
        }

        @Override
        public double[] quantile(double p, int h) {
            double z = STANDARD_NORMAL.inverseCumulativeProbability(p);
            double[] q = mean(h);
            for (int i = 0; i < h; i++) {
                q[i] += z * sd(i + 1);
            }
            return q;
        }

        @Override
        public double[][] samples(int n, int h, RandomGenerator random) {
            double[][] paths = new double[n][h];
            double[] m = mean(h);
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < h; i++) {
                    paths[s][i] = m[i] + sd(i + 1) * random.nextGaussian();
                }
            }
            return paths;
        }

        private double sd(int step) {
            return sigma * Math.sqrt(seasonal ? (step - 1) / lag + 1 : step);
        }
    }
}

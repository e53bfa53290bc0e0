package io.waybill.modelserver.methods;

import io.waybill.modelserver.model.FittedForecast;
import java.util.random.RandomGenerator;

/**
 * A random walk at a lag (forecast::lagwalk): ŷ_{n+j} = y_{n+j-lag·k}, the last value at the same position of the
 * cycle; σ² = mean of the squared lag differences; the j-th step's standard error is σ · sqrt(k_j) with
 * k_j = floor((j - 1) / lag) + 1 full cycles ahead. With one cycle of data or less there are no differences and the
 * spread is zero.
 */
record LagWalk(String model, double[] lastCycle, double sigma) implements FittedForecast {

    static LagWalk fit(String model, double[] y, int lag) {
        int n = y.length;
        if (n < lag) {
            throw new io.waybill.modelserver.model.UnfittableSeries("a lag-" + lag + " walk needs " + lag + " observations");
        }
        double[] last = java.util.Arrays.copyOfRange(y, n - lag, n);
        double sse = 0;
        int count = 0;
        for (int t = lag; t < n; t++) {
            double d = y[t] - y[t - lag];
            sse += d * d;
            count++;
        }
        return new LagWalk(model, last, count == 0 ? 0 : Math.sqrt(sse / count));
    }

    private int cycles(int j) {
        return j / lastCycle.length + 1;
    }

    @Override
    public double[] mean(int h) {
        double[] f = new double[h];
        for (int j = 0; j < h; j++) {
            f[j] = lastCycle[j % lastCycle.length];
        }
        return f;
    }

    @Override
    public double[] quantile(double p, int h) {
        double z = Gaussian.quantile(p);
        double[] f = mean(h);
        for (int j = 0; j < h; j++) {
            f[j] += z * sigma * Math.sqrt(cycles(j));
        }
        return f;
    }

    @Override
    public double[][] samples(int count, int h, RandomGenerator random) {
        int lag = lastCycle.length;
        double[][] paths = new double[count][h];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < h; j++) {
                double previous = j < lag ? lastCycle[j] : paths[i][j - lag];
                paths[i][j] = previous + sigma * random.nextGaussian();
            }
        }
        return paths;
    }
}

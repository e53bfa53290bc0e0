package io.waybill.modelserver.model;

import java.util.random.RandomGenerator;

/**
 * A model fitted to one series: point forecasts, predictive quantiles and sample paths for the steps after its last
 * observation. Immutable and thread-safe.
 */
public interface FittedForecast {

    /** What was fitted, e.g. {@code "ETS(M,Ad,N)"}, {@code "Theta"}, {@code "Croston-SBA"}. */
    String model();

    /** The mean forecast for steps 1..h. */
    double[] mean(int h);

    /**
     * The predictive quantile at level p for steps 1..h (each step's marginal distribution), analytic where the model
     * class has a closed form and simulated otherwise.
     *
     * @param p in (0, 1)
     */
    double[] quantile(double p, int h);

    /**
     * Sample paths drawn from the model's predictive distribution: {@code n} rows of {@code h} values. The same
     * generator state gives the same paths.
     */
    double[][] samples(int n, int h, RandomGenerator random);
}

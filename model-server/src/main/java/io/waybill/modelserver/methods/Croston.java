package io.waybill.modelserver.methods;

import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;
import io.waybill.modelserver.model.UnfittableSeries;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Croston's method and its two common corrections for intermittent demand (many zero periods):
 * <ul>
 *   <li>{@link Variant#CROSTON} (as forecast::croston): SES with weight alpha, started at the first value, on the
 *       non-zero demand sizes (ẑ) and on the intervals between them (p̂, the first counted from the start of the
 *       series); forecast ẑ / p̂.</li>
 *   <li>{@link Variant#SBA} (Syntetos and Boylan 2005): (1 - α/2) · ẑ / p̂, removing Croston's positive bias.</li>
 *   <li>{@link Variant#TSB} (Teunter, Syntetos and Babai 2011): the demand probability π̂ is smoothed every period
 *       (towards 1 on a demand, towards 0 otherwise, weight beta) and ẑ on demands only; forecast π̂ · ẑ. π̂ starts at
 *       the share of non-zero periods, ẑ at the first demand. It decays through a run of zeros, so it suits obsolescence.</li>
 * </ul>
 * Predictive distribution (each future period independent): a demand occurs with probability q (1/p̂ for Croston,
 * (1 - α/2)/p̂ for SBA, π̂ for TSB, capped at 1) and its size is drawn from the observed non-zero sizes rescaled so
 * that their mean is ẑ. The mean of that distribution is the point forecast; quantiles are its exact inverse CDF
 * (zero up to level 1 - q, then the empirical quantile of the rescaled sizes) and samples are drawn from it.
 * Demand must be non-negative.
 */
public final class Croston implements ForecastMethod {

    /** Croston's method and its bias corrections. */
    public enum Variant { CROSTON, SBA, TSB }

    /** forecast::croston's default smoothing weight. */
    public static final double DEFAULT_ALPHA = 0.1;
    /** TSB's smoothing weight for the demand probability. */
    public static final double DEFAULT_BETA = 0.1;

    private final Variant variant;
    private final double alpha;
    private final double beta;

    public Croston(Variant variant, double alpha, double beta) {
        if (!(alpha > 0 && alpha <= 1) || !(beta > 0 && beta <= 1)) {
            throw new IllegalArgumentException("smoothing weights must be in (0, 1]");
        }
        this.variant = variant;
        this.alpha = alpha;
        this.beta = beta;
    }

    public static Croston of(Variant variant) {
        return new Croston(variant, DEFAULT_ALPHA, DEFAULT_BETA);
    }

    public Variant variant() {
        return variant;
    }

    @Override
    public String name() {
        return "croston-" + variant.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public FittedForecast fit(double[] y, int period) {
        if (y.length == 0) {
            throw new UnfittableSeries("Croston needs at least one observation");
        }
        int demands = 0;
        for (double v : y) {
            if (v < 0) {
                throw new UnfittableSeries("Croston needs non-negative demand, got " + v);
            }
            if (v > 0) {
                demands++;
            }
        }
        String model = switch (variant) {
            case CROSTON -> "Croston";
            case SBA -> "Croston-SBA";
            case TSB -> "Croston-TSB";
        };
        if (demands == 0) {
            return new Fitted(model, 0, new double[] {0});
        }
        double[] sizes = new double[demands];
        int i = 0;
        for (double v : y) {
            if (v > 0) {
                sizes[i++] = v;
            }
        }
        double size;
        double probability;
        if (variant == Variant.TSB) {
            double pi = (double) demands / y.length;
            double z = sizes[0];
            for (double v : y) {
                if (v > 0) {
                    z += alpha * (v - z);
                    pi += beta * (1 - pi);
                } else {
                    pi += beta * (0 - pi);
                }
            }
            size = z;
            probability = pi;
        } else {
            double z = sizes[0];
            double p = 0;
            boolean first = true;
            int last = -1;
            for (int t = 0; t < y.length; t++) {
                if (y[t] > 0) {
                    double interval = t - last;
                    last = t;
                    if (first) {
                        p = interval;
                        first = false;
                    } else {
                        p += alpha * (interval - p);
                        z += alpha * (y[t] - z);
                    }
                }
            }
            size = z;
            probability = (variant == Variant.SBA ? 1 - alpha / 2 : 1) / p;
        }
        double observedMean = Arrays.stream(sizes).average().orElseThrow();
        double[] scaled = Arrays.stream(sizes).map(s -> s * size / observedMean).sorted().toArray();
        double q = Math.min(1, probability);
        // when q was capped, the size distribution carries the rest of the mean
        if (q < probability) {
            double factor = probability / q;
            for (int k = 0; k < scaled.length; k++) {
                scaled[k] *= factor;
            }
        }
        return new Fitted(model, q, scaled);
    }

    /** q: probability of a demand in a period; sizes: the (sorted) demand sizes, each equally likely. */
    private record Fitted(String model, double q, double[] sizes) implements FittedForecast {

        private double pointForecast() {
            return q * Arrays.stream(sizes).average().orElse(0);
        }

        @Override
        public double[] mean(int h) {
            double[] f = new double[h];
            Arrays.fill(f, pointForecast());
            return f;
        }

        @Override
        public double[] quantile(double p, int h) {
            if (!(p > 0 && p < 1)) {
                throw new IllegalArgumentException("quantile level must be in (0, 1), got " + p);
            }
            double value;
            if (p <= 1 - q) {
                value = 0;
            } else {
                double within = (p - (1 - q)) / q;
                int k = (int) Math.ceil(within * sizes.length) - 1;
                value = sizes[Math.max(0, Math.min(sizes.length - 1, k))];
            }
            double[] f = new double[h];
            Arrays.fill(f, value);
            return f;
        }

        @Override
        public double[][] samples(int count, int h, RandomGenerator random) {
            double[][] paths = new double[count][h];
            for (double[] path : paths) {
                for (int j = 0; j < h; j++) {
                    path[j] = random.nextDouble() < q ? sizes[random.nextInt(sizes.length)] : 0;
                }
            }
            return paths;
        }
    }
}

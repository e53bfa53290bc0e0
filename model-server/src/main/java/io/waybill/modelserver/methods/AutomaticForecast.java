package io.waybill.modelserver.methods;

import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;
import io.waybill.modelserver.model.UnfittableSeries;

/**
 * The automatic choice of a method per series. The rule looks only at the series' shape, never at accuracy on a
 * particular series:
 * <ol>
 *   <li>Intermittent demand ({@link IntermittentDemand#classify}: non-negative, ADI >= 1.32): Croston-SBA, or
 *       Croston-TSB when the trailing run of zeros suggests obsolescence.</li>
 *   <li>Otherwise ETS (the model chosen by AICc among the admissible ones) when the series has at least
 *       {@link #MIN_ETS_LENGTH} observations and ETS fits it with a finite forecast.</li>
 *   <li>Otherwise (too short for ETS, or ETS cannot fit it) Theta, which needs 3 observations.</li>
 *   <li>Otherwise (1 or 2 observations) the naive forecast.</li>
 * </ol>
 * Quantiles and samples come from the chosen model; the model's name is reported with each forecast. Values are what
 * the model says: no clipping at zero (the server is general; a caller forecasting demand may floor at zero).
 */
public final class AutomaticForecast implements ForecastMethod {

    /** Below this length ETS is not tried (too few points for its initial states and smoothing weights). */
    public static final int MIN_ETS_LENGTH = 8;

    private final ForecastMethod ets;
    private final ForecastMethod theta = new Theta();
    private final ForecastMethod naive = new Naive();

    private AutomaticForecast(ForecastMethod ets) {
        this.ets = ets;
    }

    /** The server's method: the documented rule with {@code forecast::ets}'s automatic choice for smooth series. */
    public static AutomaticForecast standard() {
        return withEts(io.waybill.modelserver.ets.Ets.auto());
    }

    /** The documented rule with the given ETS method (e.g. {@code Ets.auto()}) as the first choice for smooth series. */
    public static AutomaticForecast withEts(ForecastMethod ets) {
        return new AutomaticForecast(java.util.Objects.requireNonNull(ets, "ets"));
    }

    /** The rule without ETS: intermittent series to Croston, all others to Theta (then naive). */
    public static AutomaticForecast withoutEts() {
        return new AutomaticForecast(null);
    }

    @Override
    public String name() {
        return "auto";
    }

    /** The method the rule picks for this series before fitting (ETS may still fall back to Theta when it fails). */
    public ForecastMethod candidate(double[] y) {
        return switch (IntermittentDemand.classify(y)) {
            case INTERMITTENT -> Croston.of(Croston.Variant.SBA);
            case OBSOLESCENT -> Croston.of(Croston.Variant.TSB);
            case SMOOTH -> ets != null && y.length >= MIN_ETS_LENGTH ? ets : y.length >= 3 ? theta : naive;
        };
    }

    @Override
    public FittedForecast fit(double[] y, int period) {
        if (y.length == 0) {
            throw new UnfittableSeries("no observations");
        }
        ForecastMethod first = candidate(y);
        if (first == ets) {
            try {
                FittedForecast fitted = ets.fit(y, period);
                if (usable(fitted)) {
                    return fitted;
                }
            } catch (UnfittableSeries | ArithmeticException | IllegalArgumentException | IllegalStateException e) {
                // documented fallback: Theta
            }
            first = theta;
        }
        if (first == theta) {
            try {
                FittedForecast fitted = theta.fit(y, period);
                if (usable(fitted)) {
                    return fitted;
                }
            } catch (UnfittableSeries e) {
                // fall through to naive
            }
            return naive.fit(y, period);
        }
        return first.fit(y, period);
    }

    private static boolean usable(FittedForecast fitted) {
        double[] mean = fitted.mean(1);
        double[] upper = fitted.quantile(0.9, 1);
        return Double.isFinite(mean[0]) && Double.isFinite(upper[0]);
    }
}

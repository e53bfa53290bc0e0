package io.waybill.modelserver.methods;

import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;
import io.waybill.modelserver.model.UnfittableSeries;

/**
 * The seasonal naive forecast (forecast::snaive): the value one period earlier, intervals σ · sqrt(full cycles ahead)
 * with σ² the mean squared seasonal difference. Needs more than one full period (with period 1 it is {@link Naive}).
 */
public final class SeasonalNaive implements ForecastMethod {

    @Override
    public String name() {
        return "seasonal-naive";
    }

    @Override
    public FittedForecast fit(double[] y, int period) {
        int m = Math.max(1, period);
        if (y.length <= m) {
            throw new UnfittableSeries("seasonal naive needs more than one period (" + m + ") of data, got " + y.length);
        }
        return LagWalk.fit(m == 1 ? "Naive" : "SeasonalNaive(m=" + m + ")", y, m);
    }
}

package io.waybill.modelserver.methods;

import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;
import io.waybill.modelserver.model.UnfittableSeries;

/** The naive forecast (forecast::naive): the last value, intervals of a random walk, σ² the mean squared change. */
public final class Naive implements ForecastMethod {

    @Override
    public String name() {
        return "naive";
    }

    @Override
    public FittedForecast fit(double[] y, int period) {
        if (y.length == 0) {
            throw new UnfittableSeries("naive needs at least one observation");
        }
        return LagWalk.fit("Naive", y, 1);
    }
}

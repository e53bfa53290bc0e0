package io.waybill.modelserver.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.waybill.modelserver.model.FittedForecast;
import org.junit.jupiter.api.Test;

/** Naive and seasonal naive against R's forecast::naive and forecast::snaive, intervals included. */
class LagWalkTest {

    @Test
    void naiveMatchesR() {
        check(new Naive(), RFixture.load("naive-airpassengers"));
    }

    @Test
    void seasonalNaiveMatchesRMonthly() {
        check(new SeasonalNaive(), RFixture.load("snaive-airpassengers"));
    }

    @Test
    void seasonalNaiveMatchesRQuarterly() {
        check(new SeasonalNaive(), RFixture.load("snaive-ukgas"));
    }

    private static void check(io.waybill.modelserver.model.ForecastMethod method, RFixture r) {
        FittedForecast fit = method.fit(r.series(), r.period());
        assertThat(fit.mean(r.h())).containsExactly(r.mean(), within(1e-9));
        assertThat(fit.quantile(0.1, r.h())).containsExactly(r.lower80(), within(1e-6));
        assertThat(fit.quantile(0.9, r.h())).containsExactly(r.upper80(), within(1e-6));
        assertThat(fit.quantile(0.025, r.h())).containsExactly(r.lower95(), within(1e-6));
        assertThat(fit.quantile(0.975, r.h())).containsExactly(r.upper95(), within(1e-6));
    }
}

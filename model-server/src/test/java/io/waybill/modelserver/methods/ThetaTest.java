package io.waybill.modelserver.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.waybill.modelserver.model.FittedForecast;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Theta against R's forecast::thetaf (fixtures from src/test/r/methods-fixtures.R). */
class ThetaTest {

    /** R searches alpha and l0 with Nelder-Mead, we solve l0 exactly: agreement to the optimiser's tolerance. */
    private static final double RELATIVE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"theta-airpassengers", "theta-ukgas", "theta-nile", "theta-wwwusage"})
    void pointForecastsAndIntervalsMatchThetaf(String name) {
        RFixture r = RFixture.load(name);
        FittedForecast fit = new Theta().fit(r.series(), r.period());
        double[] mean = fit.mean(r.h());
        double[] lower80 = fit.quantile(0.1, r.h());
        double[] upper95 = fit.quantile(0.975, r.h());
        for (int j = 0; j < r.h(); j++) {
            assertThat(mean[j]).as("mean step %d", j + 1).isCloseTo(r.mean()[j], within(RELATIVE * Math.abs(r.mean()[j])));
            assertThat(lower80[j]).as("80%% lower step %d", j + 1)
                    .isCloseTo(r.lower80()[j], within(RELATIVE * Math.abs(r.mean()[j])));
            assertThat(upper95[j]).as("95%% upper step %d", j + 1)
                    .isCloseTo(r.upper95()[j], within(RELATIVE * Math.abs(r.mean()[j])));
        }
    }

    @Test
    void monthlySeriesWithStrongSeasonalityIsSeasonalAndTrendingOneIsNot() {
        double[] seasonal = new double[48];
        double[] trend = new double[48];
        for (int t = 0; t < 48; t++) {
            seasonal[t] = 100 + 30 * Math.sin(2 * Math.PI * t / 12);
            trend[t] = 10 + t;
        }
        assertThat(Theta.seasonal(seasonal, 12)).isTrue();
        // a straight line: r_12 is large but so are r_1..r_11, so the bound is wide
        assertThat(Theta.seasonal(trend, 12)).isFalse();
        assertThat(Theta.seasonal(seasonal, 1)).isFalse();
    }

    @Test
    void pureSeasonalSeriesIsForecastAsItsPattern() {
        // exact multiplicative pattern with no trend and no noise: the forecast repeats it
        double[] pattern = {80, 90, 120, 110};
        double[] y = new double[40];
        for (int t = 0; t < y.length; t++) {
            y[t] = pattern[t % 4];
        }
        double[] mean = new Theta().fit(y, 4).mean(8);
        for (int j = 0; j < 8; j++) {
            assertThat(mean[j]).isCloseTo(pattern[j % 4], within(1e-6));
        }
    }

    @Test
    void seriesWithZeroMovingAverageIsNotDecomposed() {
        double[] y = new double[36];
        for (int t = 24; t < 36; t++) {
            y[t] = t % 12 == 0 ? 50 : 1;
        }
        FittedForecast fit = new Theta().fit(y, 12);
        for (double v : fit.quantile(0.95, 24)) {
            assertThat(Double.isFinite(v)).isTrue();
        }
    }

    @Test
    void samplePathsHaveThetafsIntervalsAsTheirSpread() {
        // R's 80 % interval on Nile; the share of sample values inside it at each step is about 80 %
        RFixture r = RFixture.load("theta-nile");
        double[][] paths = new Theta().fit(r.series(), 1).samples(20000, r.h(), new java.util.SplittableRandom(11));
        for (int j = 0; j < r.h(); j++) {
            int inside = 0;
            for (double[] path : paths) {
                if (path[j] >= r.lower80()[j] && path[j] <= r.upper80()[j]) {
                    inside++;
                }
            }
            assertThat(inside / 20000.0).as("step %d", j + 1).isCloseTo(0.80, within(0.015));
        }
    }
}

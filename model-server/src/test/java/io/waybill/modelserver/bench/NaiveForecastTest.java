package io.waybill.modelserver.bench;

import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.UnfittableSeries;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The baselines against hand-computed forecasts and against R: {@code snaive(ts(y, frequency = 3), h = 4, level = 80)}
 * and {@code naive(..., h = 3, level = 80)} from forecast 8.20 printed the intervals below.
 */
class NaiveForecastTest {
    private static final double[] Y = {10, 12, 14, 11, 13, 15, 12, 15, 16, 14};

    @Test
    void seasonalNaiveRepeatsTheLastSeason() {
        // last season (period 3) is 15, 16, 14; step 4 starts it again
        assertThat(NaiveForecast.seasonalNaive().fit(Y, 3).mean(4)).containsExactly(15, 16, 14, 15);
    }

    @Test
    void naiveRepeatsTheLastValue() {
        assertThat(NaiveForecast.naive().fit(Y, 3).mean(3)).containsExactly(14, 14, 14);
    }

    @Test
    void seasonalNaiveIntervalsAreRs() {
        // by hand: lag-3 residuals 1,1,1,1,2,1,2 -> sigma = sqrt(13/7) = 1.36277; z(0.9) = 1.28155 -> 1.74646;
        // step 4 is in the second season: * sqrt(2)
        FittedForecast fitted = NaiveForecast.seasonalNaive().fit(Y, 3);
        assertThat(fitted.quantile(0.1, 4)).containsExactly(new double[] {13.25354, 14.25354, 12.25354, 12.53013}, within(1e-5));
        assertThat(fitted.quantile(0.9, 4)).containsExactly(new double[] {16.74646, 17.74646, 15.74646, 17.46987}, within(1e-5));
    }

    @Test
    void naiveIntervalsAreRs() {
        // by hand: lag-1 residuals 2,2,-3,2,2,-3,3,1,-2 -> sigma = sqrt(48/9) = 2.30940, widened by sqrt(h)
        FittedForecast fitted = NaiveForecast.naive().fit(Y, 3);
        assertThat(fitted.quantile(0.1, 3)).containsExactly(new double[] {11.040383, 9.814470, 8.873794}, within(1e-5));
        assertThat(fitted.quantile(0.9, 3)).containsExactly(new double[] {16.95962, 18.18553, 19.12621}, within(1e-5));
    }

    @Test
    void samplesAreCentredOnTheForecastWithItsSpread() {
        double[][] paths = NaiveForecast.naive().fit(Y, 3).samples(20_000, 2, new SplittableRandom(7));
        double sum = 0;
        double squares = 0;
        for (double[] p : paths) {
            sum += p[1];
            squares += (p[1] - 14) * (p[1] - 14);
        }
        // step 2: mean 14, sd 2.30940 * sqrt(2) = 3.26599; 20,000 draws put the mean within 0.1 and the sd within 0.1
        assertThat(sum / paths.length).isCloseTo(14, within(0.1));
        assertThat(Math.sqrt(squares / paths.length)).isCloseTo(3.26599, within(0.1));
    }

    @Test
    void aSeriesNoLongerThanOneSeasonCannotBeFitted() {
        assertThatThrownBy(() -> NaiveForecast.seasonalNaive().fit(new double[] {1, 2, 3}, 3))
                .isInstanceOf(UnfittableSeries.class);
    }
}

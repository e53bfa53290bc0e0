package io.waybill.domain.forecast;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** MASE scale, MASE and bias against numbers worked by hand. */
class ForecastScoringTest {
    static final SeriesKey KEY = new SeriesKey(DemandEvents.GTINS[0], DemandEvents.GLN_A);

    @Test
    void twoWeeksOrMoreUseTheWeeklySeasonalDifference() {
        // every y[t] - y[t-7] is 1
        assertThat(ForecastScoring.maseScale(new double[]{1, 2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 7, 8})).isEqualTo(1.0);
    }

    @Test
    void shorterHistoriesUsePlainDifferences() {
        // |3-1| + |2-3| + |2-2| + |5-2| = 6 over 4
        assertThat(ForecastScoring.maseScale(new double[]{1, 3, 2, 2, 5})).isEqualTo(1.5);
    }

    @Test
    void aZeroSeasonalScaleFallsBackToPlainDifferencesThenToUndefined() {
        // a pure weekly pattern: seasonal differences all 0; plain differences sum to 16 over 13
        double[] weekly = {1, 2, 3, 1, 2, 3, 1, 1, 2, 3, 1, 2, 3, 1};
        assertThat(ForecastScoring.maseScale(weekly)).isCloseTo(16.0 / 13, within(1e-12));
        assertThat(ForecastScoring.maseScale(new double[14])).isZero();
    }

    @Test
    void maseAndBiasOfAStoredForecast() {
        StoredForecast f = new StoredForecast(KEY, LocalDate.of(2026, 3, 1), Instant.EPOCH, "m", "1", null,
                new double[]{2, 2, 2, 2}, new TreeMap<>(), null, 0.5, 30);
        // errors 1, -1, 0, -2: MAE 1 -> MASE 1 / 0.5 = 2; bias (1 - 1 + 0 - 2) / 4 = -0.5
        ForecastAccuracy a = ForecastScoring.accuracy(f, new double[]{1, 3, 2, 4});
        assertThat(a.mase()).isCloseTo(2.0, within(1e-12));
        assertThat(a.bias()).isCloseTo(-0.5, within(1e-12));
        assertThat(a.daysCompared()).isEqualTo(4);
        StoredForecast flat = new StoredForecast(KEY, LocalDate.of(2026, 3, 1), Instant.EPOCH, "m", "1", null,
                new double[]{2, 2}, new TreeMap<>(), null, 0, 30);
        assertThat(ForecastScoring.accuracy(flat, new double[]{1, 1}).mase()).isNaN();
    }
}

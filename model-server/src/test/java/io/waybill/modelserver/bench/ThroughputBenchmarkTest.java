package io.waybill.modelserver.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The speed benchmark's workload: 1,000 monthly series built as documented, the same every run. */
class ThroughputBenchmarkTest {

    @Test
    void buildsAThousandDeterministicWindowsOfTheShippedMonthlySeries() {
        List<BenchmarkSeries> shipped = BenchmarkSeriesTest.shipped();
        List<BenchmarkSeries> monthly = shipped.stream().filter(s -> s.frequency() == 12).toList();
        List<double[]> series = ThroughputBenchmark.monthlySeries(shipped, 1000);
        assertThat(series).hasSize(1000);
        assertThat(ThroughputBenchmark.monthlySeries(shipped, 1000)).usingRecursiveComparison().isEqualTo(series);

        // series 0: the first monthly series (BondYield, 60 months) whole; series 25: the same, ending 6 months earlier
        double[] bondYield = monthly.get(0).values();
        assertThat(monthly.get(0).name()).isEqualTo("BondYield");
        assertThat(series.get(0)).hasSize(60);
        assertThat(series.get(25)).hasSize(54);
        for (int t = 0; t < 54; t++) {
            // a 1% gaussian perturbation stays within 6% (six standard deviations)
            assertThat(series.get(25)[t] / bondYield[t]).isBetween(0.94, 1.06);
        }
        // a long series is cut to its last 120 months
        int airPassengers = monthly.stream().map(BenchmarkSeries::name).toList().indexOf("AirPassengers");
        assertThat(series.get(airPassengers)).hasSize(120);
        assertThat(series.get(airPassengers)[119] / 432).isBetween(0.94, 1.06);
        for (double[] y : series) {
            assertThat(y.length).isBetween(36, 120);
        }
        // zeros stay zeros (FrozenJuice.fdd is mostly zeros)
        int fdd = monthly.stream().map(BenchmarkSeries::name).toList().indexOf("FrozenJuice.fdd");
        double[] base = monthly.get(fdd).values();
        double[] window = series.get(fdd);
        for (int t = 0; t < window.length; t++) {
            if (base[base.length - window.length + t] == 0) {
                assertThat(window[t]).isZero();
            }
        }
    }
}

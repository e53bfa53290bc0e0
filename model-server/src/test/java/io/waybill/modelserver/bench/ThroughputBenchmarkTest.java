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
        assertThat(ThroughputBenchmark.monthlySeries(shipped, 1000).toArray(double[][]::new)).isDeepEqualTo(series.toArray(double[][]::new));

        // fdeaths (72 months) whole; the series one round later (index + 24): the same, ending 6 months earlier
        List<String> names = monthly.stream().map(BenchmarkSeries::name).toList();
        assertThat(names).hasSize(24);
        int fdeaths = names.indexOf("fdeaths");
        double[] base72 = monthly.get(fdeaths).values();
        assertThat(series.get(fdeaths)).hasSize(72);
        assertThat(series.get(fdeaths + 24)).hasSize(66);
        assertThat(series.get(fdeaths + 48)).hasSize(60);
        for (int t = 0; t < 66; t++) {
            // a 1% gaussian perturbation stays within 6% (six standard deviations)
            assertThat(series.get(fdeaths + 24)[t] / base72[t]).isBetween(0.94, 1.06);
        }
        // a long series is cut to its last 120 months
        int airPassengers = names.indexOf("AirPassengers");
        assertThat(series.get(airPassengers)).hasSize(120);
        assertThat(series.get(airPassengers)[119] / 432).isBetween(0.94, 1.06);
        for (double[] y : series) {
            assertThat(y.length).isBetween(54, 120);
        }
        // zeros stay zeros (FrozenJuice.fdd is mostly zeros)
        int fdd = names.indexOf("FrozenJuice.fdd");
        double[] base = monthly.get(fdd).values();
        double[] window = series.get(fdd);
        for (int t = 0; t < window.length; t++) {
            if (base[base.length - window.length + t] == 0) {
                assertThat(window[t]).isZero();
            }
        }
    }
}

package io.waybill.modelserver.bench;

import io.waybill.modelserver.bench.AccuracyBenchmark.Score;
import io.waybill.modelserver.bench.AccuracyBenchmark.SeriesResult;
import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;
import io.waybill.modelserver.model.UnfittableSeries;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AccuracyBenchmarkTest {

    /** A reference model written here: the mean of the fitting part, quantiles at mean -/+ 10. */
    static final class MeanOfHistory implements ForecastMethod {
        @Override
        public String name() {
            return "mean";
        }

        @Override
        public FittedForecast fit(double[] y, int period) {
            double mean = Arrays.stream(y).average().orElseThrow();
            return new FittedForecast() {
                public String model() {
                    return "Mean";
                }

                public double[] mean(int h) {
                    double[] m = new double[h];
                    Arrays.fill(m, mean);
                    return m;
                }

                public double[] quantile(double p, int h) {
                    double[] q = mean(h);
                    Arrays.setAll(q, i -> mean + (p < 0.5 ? -10 : 10));
                    return q;
                }

                public double[][] samples(int n, int h, RandomGenerator random) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    static final BenchmarkSeries ONE_TO_TWENTY = new BenchmarkSeries("ramp", "test", 4, "2000-1",
            IntStream.rangeClosed(1, 20).asDoubleStream().toArray());

    @Test
    void scoresACandidateOnTheLastEightQuartersByHand() {
        // fit on 1..12 -> mean 6.5; held out 13..20. Lag-4 in-sample differences are all 4; MAE of 6.5..13.5 is 10
        // -> MASE 2.5. sMAPE: 200(y-6.5)/(y+6.5) for y = 13..20 = 66.667, 73.171, 79.070, 84.444, 89.362, 93.878,
        // 98.039, 101.887 -> 85.8146. Interval [-3.5, 16.5] holds 13..16: 4 of 8.
        Score score = AccuracyBenchmark.score(new MeanOfHistory(), ONE_TO_TWENTY);
        assertThat(score.mase()).isCloseTo(2.5, within(1e-12));
        assertThat(score.smape()).isCloseTo(85.8146, within(1e-4));
        assertThat(score.coverage80()).isEqualTo(0.5);
    }

    @Test
    void runMeasuresBothBaselinesBesideTheCandidate() {
        List<SeriesResult> results = new AccuracyBenchmark(quiet()).run(List.of(ONE_TO_TWENTY), "mean", new MeanOfHistory());
        Map<String, Score> scores = results.get(0).scores();
        assertThat(scores).containsOnlyKeys("mean", "snaive", "naive");
        // seasonal naive forecasts 9..12 twice: errors 4 (x4) and 8 (x4) -> MAE 6 -> MASE 6/4; naive 12: errors 1..8
        // -> MAE 4.5 -> MASE 4.5/4
        assertThat(scores.get("snaive").mase()).isCloseTo(1.5, within(1e-12));
        assertThat(scores.get("naive").mase()).isCloseTo(1.125, within(1e-12));
        assertThat(results.get(0).candidateModel()).isEqualTo("Mean");
    }

    @Test
    void aCandidateThatFailsIsScoredWithSeasonalNaiveAndCounted() {
        ForecastMethod failing = new ForecastMethod() {
            public String name() {
                return "failing";
            }

            public FittedForecast fit(double[] y, int period) {
                throw new UnfittableSeries("no");
            }
        };
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        AccuracyBenchmark benchmark = new AccuracyBenchmark(new PrintStream(text, true, StandardCharsets.UTF_8));
        List<SeriesResult> results = benchmark.run(List.of(ONE_TO_TWENTY), "failing", failing);
        assertThat(results.get(0).candidateFailed()).isTrue();
        assertThat(results.get(0).scores().get("failing").mase()).isCloseTo(1.5, within(1e-12));
        Map<String, Object> json = benchmark.report(results, Map.of());
        assertThat(json.get("candidateFailures")).isEqualTo(1L);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("candidate failed on 1 series");
    }

    @Test
    void seriesWithMissingValuesInTheSplitAreSkipped() {
        double[] values = IntStream.rangeClosed(1, 20).asDoubleStream().toArray();
        values[5] = Double.NaN;
        List<SeriesResult> results = new AccuracyBenchmark(quiet())
                .run(List.of(new BenchmarkSeries("gap", "test", 4, "2000-1", values)), "mean", new MeanOfHistory());
        assertThat(results).isEmpty();
    }

    /**
     * Our baselines and measures against R's on every shipped series: r-reference.R computed snaive's and naive's MASE,
     * sMAPE and coverage with forecast 8.20 and its own metric code.
     */
    @Test
    void baselinesAgreeWithRsOnEveryShippedSeries() {
        Map<String, Map<String, Score>> r = AccuracyBenchmark.readReference(Path.of("data/r-reference.csv"));
        List<BenchmarkSeries> all = BenchmarkSeriesTest.shipped();
        assertThat(r.keySet()).hasSize(all.size());
        for (BenchmarkSeries s : all) {
            for (String method : List.of("snaive", "naive")) {
                Score ours = AccuracyBenchmark.score(method.equals("snaive") ? NaiveForecast.seasonalNaive() : NaiveForecast.naive(), s);
                Score theirs = r.get(s.name()).get(method);
                assertThat(ours.mase()).as(s.name() + " " + method).isCloseTo(theirs.mase(), within(1e-9 * Math.max(1, theirs.mase())));
                assertThat(ours.smape()).as(s.name() + " " + method).isCloseTo(theirs.smape(), within(1e-9 * Math.max(1, theirs.smape())));
                assertThat(ours.coverage80()).as(s.name() + " " + method).isCloseTo(theirs.coverage80(), within(1e-12));
            }
        }
        // the reference's model column holds commas ("ETS(M,A,N)") and is quoted: it must not shift the figures
        assertThat(r.get("ArgentinaCPI").get("ets").mase()).isCloseTo(1172.58017712595, within(1e-9));
    }

    @Test
    void summaryTakesMeanAndMedianOfFiniteValues() {
        AccuracyBenchmark.Summary s = AccuracyBenchmark.Summary.of(List.of(1.0, 3.0, Double.NaN, 10.0, 2.0));
        assertThat(s.mean()).isEqualTo(4.0);
        assertThat(s.median()).isEqualTo(2.5);
        assertThat(s.n()).isEqualTo(4);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}

package io.waybill.modelserver.ets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.waybill.modelserver.model.UnfittableSeries;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Series whose structure we built ourselves: the chosen model and its forecasts must show that structure. */
class EtsStructureTest {

    private static final double[] PATTERN = {20, 18, 25, 30, 42, 55, 61, 58, 44, 33, 26, 22};

    @Test
    void aFixedSeasonalPatternGetsASeasonalModelWhoseForecastsRepeatIt() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] y = new double[96];
        for (int i = 0; i < y.length; i++) {
            y[i] = PATTERN[i % 12] + 0.3 * rnd.nextGaussian();
        }
        EtsFit fit = Ets.auto().fit(y, 12);
        assertThat(fit.spec().season()).isNotEqualTo('N');
        double[] mean = fit.mean(24);
        for (int h = 0; h < 24; h++) {
            assertThat(mean[h]).as("step %d", h + 1).isCloseTo(PATTERN[(96 + h) % 12], within(1.0));
        }
    }

    @Test
    void aDampedTrendSeriesGetsADampedModelWithPhiNearTheTruth() {
        double alpha = 0.4;
        double beta = 0.2;
        double phi = 0.85;
        SplittableRandom rnd = new SplittableRandom(11);
        double l = 100;
        double b = 3;
        double[] y = new double[300];
        for (int t = 0; t < y.length; t++) { // y = l + phi b + e; l' = l + phi b + alpha e; b' = phi b + beta e
            double e = rnd.nextGaussian();
            y[t] = l + phi * b + e;
            l = l + phi * b + alpha * e;
            b = phi * b + beta * e;
        }
        EtsFit fit = Ets.of("AAdN").fit(y, 1);
        assertThat(fit.phi()).isCloseTo(phi, within(0.1));
        assertThat(fit.alpha()).isCloseTo(alpha, within(0.15));
        assertThat(Ets.auto().fit(y, 1).spec().damped()).isTrue();
    }

    @Test
    void aSeriesWithZerosNeverGetsAMultiplicativeComponent() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] y = new double[72];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 5 == 0 ? 0 : PATTERN[i % 12] * (1 + 0.1 * rnd.nextGaussian());
        }
        EtsFit fit = Ets.auto().fit(y, 12);
        assertThat(fit.spec().compact()).doesNotContain("M");
        assertThatThrownBy(() -> Ets.of("MNN").fit(y, 12)).isInstanceOf(UnfittableSeries.class);
        double[] negative = y.clone();
        negative[10] = -1;
        assertThat(Ets.auto().fit(negative, 12).spec().compact()).doesNotContain("M");
    }

    @Test
    void aConstantSeriesForecastsItselfWithoutNaN() {
        double[] y = new double[40];
        Arrays.fill(y, 17.5);
        EtsFit fit = Ets.auto().fit(y, 12);
        assertThat(fit.mean(6)).containsOnly(17.5);
        assertThat(fit.quantile(0.05, 6)).containsOnly(17.5);
        assertThat(fit.quantile(0.95, 6)).containsOnly(17.5);
        for (double[] path : fit.samples(10, 6, new SplittableRandom(1))) {
            assertThat(path).containsOnly(17.5);
        }
    }

    @Test
    void periodsAbove24AreTreatedAsNonSeasonalAndShortSeriesAreRefused() {
        SplittableRandom rnd = new SplittableRandom(5);
        double[] y = new double[120];
        for (int i = 0; i < y.length; i++) {
            y[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 52) + rnd.nextGaussian();
        }
        assertThat(Ets.auto().fit(y, 52).spec().season()).isEqualTo('N');
        assertThatThrownBy(() -> Ets.of("AAA").fit(y, 52)).isInstanceOf(UnfittableSeries.class);
        assertThatThrownBy(() -> Ets.auto().fit(new double[] {1, 2, 3, 4, 5}, 1))
            .isInstanceOf(UnfittableSeries.class);
        // n <= npars + 4: AAA on 12 monthly points has 2 + 2 + 12 = 16 "parameters"
        assertThatThrownBy(() -> Ets.of("AAA").fit(Arrays.copyOf(y, 20), 12)).isInstanceOf(UnfittableSeries.class);
        assertThatThrownBy(() -> Ets.of("ANM")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samplePathsAreReproducibleAndAgreeWithTheAnalyticDistribution() {
        RFixture s = RFixture.load("USAccDeaths");
        for (String spec : new String[] {"ANA", "MNA", "MAM"}) {
            EtsFit fit = Ets.of(spec).fit(s.y(), s.period());
            int h = 12;
            double[][] a = fit.samples(20000, h, new SplittableRandom(99));
            double[][] b = fit.samples(20000, h, new SplittableRandom(99));
            assertThat(a).isDeepEqualTo(b);
            double[] mean = fit.mean(h);
            double[] q90 = fit.quantile(0.9, h);
            double[] q10 = fit.quantile(0.1, h);
            for (int j = 0; j < h; j++) {
                double[] col = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    col[i] = a[i][j];
                }
                Arrays.sort(col);
                double width = q90[j] - q10[j];
                assertThat(Arrays.stream(col).average().orElseThrow()).as("%s mean %d", spec, j)
                    .isCloseTo(mean[j], within(0.03 * width));
                assertThat(col[(int) (0.9 * col.length)]).as("%s q90 %d", spec, j).isCloseTo(q90[j], within(0.04 * width));
                assertThat(col[(int) (0.1 * col.length)]).as("%s q10 %d", spec, j).isCloseTo(q10[j], within(0.04 * width));
            }
        }
    }
}

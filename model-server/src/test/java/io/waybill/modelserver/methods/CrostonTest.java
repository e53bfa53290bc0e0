package io.waybill.modelserver.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.waybill.modelserver.model.FittedForecast;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Croston against R's forecast::croston; SBA and TSB against hand-worked recursions. */
class CrostonTest {

    @Test
    void crostonMatchesRWithDefaultAlpha() {
        RFixture r = RFixture.load("croston-demand");
        assertThat(Croston.of(Croston.Variant.CROSTON).fit(r.series(), 1).mean(r.h())).containsExactly(r.mean(), within(1e-12));
    }

    @Test
    void crostonMatchesRWithAlpha03() {
        RFixture r = RFixture.load("croston-demand-a03");
        assertThat(new Croston(Croston.Variant.CROSTON, 0.3, 0.1).fit(r.series(), 1).mean(r.h()))
                .containsExactly(r.mean(), within(1e-12));
    }

    @Test
    void sbaIsCrostonTimesOneMinusHalfAlpha() {
        RFixture r = RFixture.load("croston-demand");
        // Syntetos-Boylan: (1 - 0.1/2) times R's Croston
        assertThat(Croston.of(Croston.Variant.SBA).fit(r.series(), 1).mean(3)[0]).isCloseTo(0.95 * r.mean()[0], within(1e-12));
    }

    @Test
    void sbaByHand() {
        // demands 4 at t=2 and 2 at t=5 (1-based): sizes 4,2 -> z = 4 + 0.5 (2 - 4) = 3; intervals 2,3 -> p = 2 + 0.5 = 2.5
        // SBA with alpha 0.5: (1 - 0.25) * 3 / 2.5 = 0.9
        double[] y = {0, 4, 0, 0, 2, 0};
        assertThat(new Croston(Croston.Variant.SBA, 0.5, 0.1).fit(y, 1).mean(2)).containsExactly(new double[] {0.9, 0.9}, within(1e-12));
    }

    @Test
    void tsbByHand() {
        // pi0 = 2/6, z0 = 4; alpha 0.5, beta 0.2
        // t1 0: pi = 1/3*0.8 = 0.266667; t2 4: z = 4, pi = 0.266667 + 0.2*0.733333 = 0.413333
        // t3 0: 0.330667; t4 0: 0.264533; t5 2: z = 3, pi = 0.264533 + 0.2*0.735467 = 0.411627; t6 0: 0.329301
        // forecast = 0.3293013 * 3 = 0.987904
        double[] y = {0, 4, 0, 0, 2, 0};
        double pi = 1.0 / 3;
        pi *= 0.8;
        pi += 0.2 * (1 - pi);
        pi *= 0.8;
        pi *= 0.8;
        pi += 0.2 * (1 - pi);
        pi *= 0.8;
        assertThat(pi).isCloseTo(0.3293013, within(1e-6));
        assertThat(new Croston(Croston.Variant.TSB, 0.5, 0.2).fit(y, 1).mean(1)[0]).isCloseTo(3 * pi, within(1e-12));
    }

    @Test
    void quantilesAreZeroBelowTheNoDemandProbabilityThenObservedSizes() {
        // Croston alpha 0.5: sizes 4,2 -> z 3 (observed mean 3, so sizes stay 2 and 4); p 2.5 -> q = 0.4
        double[] y = {0, 4, 0, 0, 2, 0};
        FittedForecast fit = new Croston(Croston.Variant.CROSTON, 0.5, 0.1).fit(y, 1);
        assertThat(fit.quantile(0.5, 1)[0]).isZero(); // P(0) = 0.6
        assertThat(fit.quantile(0.7, 1)[0]).isEqualTo(2.0); // 0.6 + 0.4 * 1/2 = 0.8 >= 0.7
        assertThat(fit.quantile(0.9, 1)[0]).isEqualTo(4.0);
    }

    @Test
    void samplesAverageToThePointForecastAndAreNonNegative() {
        RFixture r = RFixture.load("croston-demand");
        FittedForecast fit = Croston.of(Croston.Variant.SBA).fit(r.series(), 1);
        double[][] paths = fit.samples(20000, 3, new SplittableRandom(7));
        double mean = Arrays.stream(paths).flatMapToDouble(Arrays::stream).average().orElseThrow();
        assertThat(Arrays.stream(paths).flatMapToDouble(Arrays::stream).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(mean).isCloseTo(0.95 * r.mean()[0], within(0.05));
        assertThat(fit.samples(5, 3, new SplittableRandom(7))).isDeepEqualTo(fit.samples(5, 3, new SplittableRandom(7)));
    }

    @Test
    void allZeroSeriesForecastsZero() {
        FittedForecast fit = Croston.of(Croston.Variant.TSB).fit(new double[10], 1);
        assertThat(fit.mean(3)).containsOnly(0.0);
        assertThat(fit.quantile(0.99, 3)).containsOnly(0.0);
    }
}

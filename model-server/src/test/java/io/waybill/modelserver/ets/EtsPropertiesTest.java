package io.waybill.modelserver.ets;

import static org.assertj.core.api.Assertions.assertThat;

import io.waybill.modelserver.model.UnfittableSeries;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Guarantees on arbitrary series: finite output, ordered quantiles, no multiplicative part on non-positive data. */
class EtsPropertiesTest {

    @Property(tries = 40)
    void autoGivesFiniteOrderedForecasts(@ForAll @IntRange(min = 7, max = 90) int n,
                                         @ForAll @IntRange(min = 0, max = 2) int periodChoice,
                                         @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                         @ForAll boolean allowNonPositive) {
        int period = new int[] {1, 4, 12}[periodChoice];
        SplittableRandom rnd = new SplittableRandom(seed);
        double level = rnd.nextDouble(1, 500);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double v = level * (1 + 0.3 * Math.sin(2 * Math.PI * i / period)) + level * 0.2 * rnd.nextGaussian();
            y[i] = allowNonPositive ? v - level : Math.max(v, 0.5);
        }
        EtsFit fit;
        try {
            fit = Ets.auto().fit(y, period);
        } catch (UnfittableSeries e) {
            return; // allowed, but must be this type
        }
        if (Ets.min(y) <= 0) {
            assertThat(fit.spec().compact()).doesNotContain("M");
        }
        assertThat(fit.aicc()).isFinite();
        int h = 8;
        double[] lo = fit.quantile(0.1, h);
        double[] mid = fit.quantile(0.5, h);
        double[] hi = fit.quantile(0.9, h);
        double[] mean = fit.mean(h);
        for (int j = 0; j < h; j++) {
            assertThat(mean[j]).isFinite();
            assertThat(lo[j]).isLessThanOrEqualTo(mid[j]);
            assertThat(mid[j]).isLessThanOrEqualTo(hi[j]);
        }
        for (double r : fit.residuals()) {
            assertThat(r).isFinite();
        }
    }
}

package io.waybill.domain.forecast;

import org.junit.jupiter.api.Test;

import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Reorder points worked by hand (the sample quantiles checked with R: {@code quantile(c(3,6,1,8,2), p, type = 1)}). */
class ReorderPointTest {
    private static final double[] MEAN = {2, 2.5, 3};
    // lead-time (2 days) sums: 3, 6, 1, 8, 2 -> sorted 1 2 3 6 8
    private static final double[][] PATHS = {{1, 2, 9}, {3, 3, 0}, {0, 1, 5}, {4, 4, 4}, {2, 0, 0}};

    @Test
    void reorderPointIsTheServiceLevelQuantileOfLeadTimeSums() {
        ReorderRecommendation r = ReorderPoint.recommend(MEAN, new TreeMap<>(), PATHS, 0.8, 2);
        assertThat(r.reorderPoint()).isEqualTo(6.0); // R: 80% -> 6
        assertThat(r.leadTimeDemandMean()).isCloseTo(4.5, within(1e-12));
        assertThat(r.safetyStock()).isCloseTo(1.5, within(1e-12));
        assertThat(r.basis()).isEqualTo("samples");
        assertThat(ReorderPoint.recommend(MEAN, new TreeMap<>(), PATHS, 0.95, 2).reorderPoint()).isEqualTo(8.0);
    }

    @Test
    void safetyStockIsNeverNegative() {
        ReorderRecommendation r = ReorderPoint.recommend(MEAN, new TreeMap<>(), PATHS, 0.5, 2);
        assertThat(r.reorderPoint()).isEqualTo(3.0); // R: 50% -> 3, below the mean 4.5
        assertThat(r.safetyStock()).isZero();
    }

    @Test
    void withoutSamplesTheNearestQuantileAtOrAboveTheServiceLevelIsSummed() {
        SortedMap<Double, double[]> q = new TreeMap<>();
        q.put(0.5, new double[]{2, 2, 2});
        q.put(0.9, new double[]{4, 5, 6});
        q.put(0.975, new double[]{6, 7, 8});
        ReorderRecommendation r = ReorderPoint.recommend(MEAN, q, new double[0][], 0.95, 2);
        assertThat(r.reorderPoint()).isEqualTo(13.0);
        assertThat(r.safetyStock()).isCloseTo(8.5, within(1e-12));
        assertThat(r.basis()).isEqualTo("quantiles");
        assertThat(ReorderPoint.recommend(MEAN, q, new double[0][], 0.9, 2).reorderPoint()).isEqualTo(9.0);
    }
}

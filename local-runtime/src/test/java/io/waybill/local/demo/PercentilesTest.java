package io.waybill.local.demo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Nearest-rank percentiles (rank = ceil(p/100 * n), 1-based, on the sorted values), worked out by hand below. */
class PercentilesTest {
    @Test
    void tenValuesInAnyOrderGiveTheNearestRanks() {
        // sorted: 1 2 3 4 5 6 7 8 9 100 (n = 10)
        // p50: ceil(0.50 * 10) = 5 -> 5;  p90: ceil(0.90 * 10) = 9 -> 9;  p99: ceil(0.99 * 10) = ceil(9.9) = 10 -> 100
        Percentiles p = Percentiles.of(List.of(100L, 3L, 9L, 1L, 7L, 5L, 2L, 8L, 4L, 6L));
        assertThat(p).isEqualTo(new Percentiles(10, 5, 9, 100, 100));
    }

    @Test
    void twoHundredCallsTakeThe100thAnd198thValue() {
        // values 1..200 shuffled; p50: ceil(0.50 * 200) = 100 -> 100; p90: ceil(180.0) = 180; p99: ceil(198.0) = 198
        List<Long> values = new ArrayList<>();
        for (long v = 1; v <= 200; v++) {
            values.add(v * 10); // 10, 20, ..., 2000: ranks 100, 180, 198 are 1000, 1800, 1980
        }
        Collections.shuffle(values, new java.util.Random(3));
        assertThat(Percentiles.of(values)).isEqualTo(new Percentiles(200, 1000, 1800, 1980, 2000));
    }

    @Test
    void oneValueIsEveryPercentileAndNoValuesAreZeros() {
        assertThat(Percentiles.of(List.of(42L))).isEqualTo(new Percentiles(1, 42, 42, 42, 42));
        assertThat(Percentiles.of(List.of())).isEqualTo(new Percentiles(0, 0, 0, 0, 0));
    }
}

package io.waybill.domain.kpi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationStatsTest {

    private static List<Duration> minutes(int... values) {
        List<Duration> out = new ArrayList<>();
        for (int v : values) {
            out.add(Duration.ofMinutes(v));
        }
        return out;
    }

    @Test
    void percentilesAreNearestRank() {
        DurationStats s = DurationStats.of(minutes(10, 9, 8, 7, 6, 5, 4, 3, 2, 1));
        assertThat(s.count()).isEqualTo(10);
        assertThat(s.p50()).contains(Duration.ofMinutes(5)); // rank ceil(5.0) = 5
        assertThat(s.p90()).contains(Duration.ofMinutes(9)); // rank ceil(9.0) = 9
        assertThat(s.mean()).contains(Duration.ofSeconds(330));
    }

    @Test
    void nearestRankRoundsTheRankUp() {
        assertThat(DurationStats.nearestRank(List.of(1, 2, 3, 4), 50)).isEqualTo(2);
        assertThat(DurationStats.nearestRank(List.of(1, 2, 3, 4, 5), 50)).isEqualTo(3);
        assertThat(DurationStats.nearestRank(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), 90)).isEqualTo(9);
        assertThat(DurationStats.nearestRank(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 90)).isEqualTo(10);
        assertThat(DurationStats.nearestRank(List.of(7), 1)).isEqualTo(7);
        assertThatThrownBy(() -> DurationStats.nearestRank(List.of(), 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DurationStats.nearestRank(List.of(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void singleValueIsEveryPercentileAndNoValuesIsEmpty() {
        DurationStats one = DurationStats.of(minutes(42));
        assertThat(one.p50()).contains(Duration.ofMinutes(42));
        assertThat(one.p90()).contains(Duration.ofMinutes(42));
        assertThat(one.mean()).contains(Duration.ofMinutes(42));
        assertThat(DurationStats.of(List.of())).isEqualTo(DurationStats.none());
        assertThat(DurationStats.none().p50()).isEmpty();
    }
}

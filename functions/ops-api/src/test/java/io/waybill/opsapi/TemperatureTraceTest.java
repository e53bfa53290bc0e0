package io.waybill.opsapi;

import io.waybill.domain.coldchain.TemperatureBand;
import io.waybill.opsapi.TemperatureTrace.Excursion;
import io.waybill.opsapi.TemperatureTrace.Probe;
import io.waybill.opsapi.TemperatureTrace.Reading;
import io.waybill.opsapi.TemperatureTrace.Side;
import io.waybill.opsapi.TemperatureTrace.Span;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Gaps and excursions of hand-written readings, worked out by hand in the comments. */
class TemperatureTraceTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final TemperatureBand BAND_2_8 = TemperatureBand.between(2, 8);
    private static final Duration GAP_15 = Duration.ofMinutes(15);

    private static Instant min(int m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    private static Reading r(String probe, int minute, double celsius) {
        return new Reading(probe, min(minute), celsius);
    }

    @Test
    void runsOutsideTheBandAreExcursionsAndAGapLongerThanTheLimitSplitsThem() {
        // P1, band 2..8, max gap 15 min:
        //   10:00 5.0 in | 10:05 9.0 above | 10:10 10.5 above | 10:15 8.0 on the bound = in
        //   10:20 1.5 below | 10:25 1.0 below | (20 min > 15: gap 10:25-10:45) 10:45 0.5 below
        //   (15 min, exactly the limit: no gap) 11:00 3.0 in
        // excursions: ABOVE 10:05-10:10 peak 10.5 (highest); BELOW 10:20-10:25 peak 1.0 (lowest, ended by the gap);
        //             BELOW 10:45-10:45 peak 0.5 (a run of one, ended by the in-band 11:00)
        List<Probe> probes = TemperatureTrace.of(List.of(r("P1", 0, 5.0), r("P1", 5, 9.0), r("P1", 10, 10.5),
                r("P1", 15, 8.0), r("P1", 20, 1.5), r("P1", 25, 1.0), r("P1", 45, 0.5), r("P1", 60, 3.0)),
                BAND_2_8, GAP_15);
        assertThat(probes).hasSize(1);
        Probe p = probes.get(0);
        assertThat(p.points()).hasSize(8);
        assertThat(p.gaps()).containsExactly(new Span(min(25), min(45)));
        assertThat(p.excursions()).containsExactly(
                new Excursion(min(5), min(10), Side.ABOVE, 10.5),
                new Excursion(min(20), min(25), Side.BELOW, 1.0),
                new Excursion(min(45), min(45), Side.BELOW, 0.5));
    }

    @Test
    void probesAreSeparateSortedByNameAndTheirReadingsByTime() {
        // P0 given out of order: 10:10 9.0, 10:00 4.0, 10:20 1.0 -> sorted 4.0, 9.0, 1.0
        //   ABOVE 10:10 peak 9.0 ends at once: the next reading is BELOW (10:20 peak 1.0); no gap (10 min each)
        // P9: one reading at 10:30, 20 min after P0's last, but another probe: no gap for either
        List<Probe> probes = TemperatureTrace.of(List.of(r("P9", 30, 6.0), r("P0", 10, 9.0), r("P0", 0, 4.0),
                r("P0", 20, 1.0)), BAND_2_8, GAP_15);
        assertThat(probes).extracting(Probe::probe).containsExactly("P0", "P9");
        assertThat(probes.get(0).points()).extracting(Reading::celsius).containsExactly(4.0, 9.0, 1.0);
        assertThat(probes.get(0).gaps()).isEmpty();
        assertThat(probes.get(0).excursions()).containsExactly(new Excursion(min(10), min(10), Side.ABOVE, 9.0),
                new Excursion(min(20), min(20), Side.BELOW, 1.0));
        assertThat(probes.get(1).excursions()).isEmpty();
        assertThat(probes.get(1).gaps()).isEmpty();
    }

    @Test
    void anOpenBandHasOnlyOneSideAndNoBandNoExcursions() {
        // frozen, at most -18: -20 in, -17 above, -16.5 above, -30 in (no lower bound)
        List<Reading> frozen = List.of(r("F", 0, -20), r("F", 5, -17), r("F", 10, -16.5), r("F", 15, -30));
        assertThat(TemperatureTrace.of(frozen, TemperatureBand.atMost(-18), GAP_15).get(0).excursions())
                .containsExactly(new Excursion(min(5), min(10), Side.ABOVE, -16.5));
        // no band: gaps still drawn (0 -> 40 is 40 min > 15), nothing is an excursion
        Probe p = TemperatureTrace.of(List.of(r("X", 0, 30), r("X", 40, 40)), null, GAP_15).get(0);
        assertThat(p.excursions()).isEmpty();
        assertThat(p.gaps()).containsExactly(new Span(min(0), min(40)));
    }

    @Test
    void aRunStillOpenAtTheEndIsAnExcursionAndNoReadingsNoProbes() {
        // 10:00 8.5 above, 10:01 8.2 above: ABOVE 10:00-10:01 peak 8.5 (the first is the highest)
        assertThat(TemperatureTrace.of(List.of(r("P", 0, 8.5), r("P", 1, 8.2)), BAND_2_8, GAP_15).get(0)
                .excursions()).containsExactly(new Excursion(min(0), min(1), Side.ABOVE, 8.5));
        assertThat(TemperatureTrace.of(List.of(), BAND_2_8, GAP_15)).isEmpty();
        assertThatThrownBy(() -> TemperatureTrace.of(List.of(), BAND_2_8, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

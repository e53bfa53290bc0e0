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

    private static Reading w(int fromMinute, int toMinute, double min, double mean, double max) {
        return new Reading("W", min(fromMinute), min(toMinute), mean, min, max);
    }

    @Test
    void aWindowIsJudgedOnItsExtremesAndCoversItsSpan() {
        // 10-min windows of W, band 2..8, max gap 15 min:
        //   10:00-10:10 [4 .. 5 .. 6]  in
        //   10:10-10:20 [5 .. 6.5 .. 9.5]  mean in the band, max above: ABOVE, peak 9.5
        //   10:20-10:30 [6 .. 7 .. 8.2]  ABOVE goes on (8.2 < 9.5: peak stays 9.5)
        //   10:30-10:40 [1.5 .. 3 .. 5]  min below: ABOVE ends, BELOW 10:30-10:40 peak 1.5
        //   (the next window starts 10:50: 10 min after 10:40, no gap) 10:50-11:00 [0 .. 5 .. 10] left both sides:
        //   above by 10 - 8 = 2, below by 2 - 0 = 2, a tie: ABOVE 10:50-11:00 peak 10 (BELOW ended by the side)
        //   (11:20 - 11:00 = 20 min > 15: a gap 11:00-11:20) 11:20-11:30 [3 .. 4 .. 5] in; ABOVE ended by the gap
        Probe p = TemperatureTrace.of(List.of(w(0, 10, 4, 5, 6), w(10, 20, 5, 6.5, 9.5), w(20, 30, 6, 7, 8.2),
                w(30, 40, 1.5, 3, 5), w(50, 60, 0, 5, 10), w(80, 90, 3, 4, 5)), BAND_2_8, GAP_15).get(0);
        assertThat(p.gaps()).containsExactly(new Span(min(60), min(80)));
        assertThat(p.excursions()).containsExactly(
                new Excursion(min(10), min(30), Side.ABOVE, 9.5),
                new Excursion(min(30), min(40), Side.BELOW, 1.5),
                new Excursion(min(50), min(60), Side.ABOVE, 10));
        // judged on the means alone (5, 6.5, 7, 3, 5, 4) nothing would have left the band
        assertThat(p.points()).allMatch(Reading::window);
        assertThat(r("P", 0, 5.0).window()).isFalse();
    }

    @Test
    void aWindowWhoseMeanLiesOutsideItsExtremesIsRefused() {
        assertThatThrownBy(() -> new Reading("W", min(0), min(10), 9, 4, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reading("W", min(10), min(0), 5, 4, 8))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

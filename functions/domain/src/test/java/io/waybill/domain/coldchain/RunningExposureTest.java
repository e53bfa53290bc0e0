package io.waybill.domain.coldchain;

import io.waybill.domain.decision.EvidenceArrival;
import io.waybill.domain.decision.InMemoryEvidenceStore;
import io.waybill.domain.event.ExposureStatistics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The running exposure per probe against independent oracles: figures worked out by hand for small trips, and a
 * reference model written here (a plain loop over each probe's sorted readings, nothing shared with the production
 * fold) for random trips delivered late, shuffled, duplicated and in random batches.
 */
class RunningExposureTest {
    private static final String SSCC = "106141412345678908";
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final ProductClass BIOLOGICS = ProductClass.CHILLED_BIOLOGICS_2_8; // 2-8 °C, 30 min budget
    private static final ColdChainDecider DECIDER = new ColdChainDecider(ColdChainConfig.defaults());

    private static ExposureEvidence reading(String probe, String id, long secondsFromT0, double celsius) {
        Instant t = T0.plusSeconds(secondsFromT0);
        return new ExposureEvidence(id, SSCC, probe, ExposureEvidence.Kind.POINT, t, t, celsius, 0);
    }

    private static ExposureEvidence excursion(String probe, String id, long endSeconds, long seconds, double celsius) {
        Instant end = T0.plusSeconds(endSeconds);
        return new ExposureEvidence(id, SSCC, probe, ExposureEvidence.Kind.EXCURSION, end.minusSeconds(seconds), end,
                celsius, 40);
    }

    @Test
    void aSilenceLongerThanTheInterpolationLimitIsUnknownNotHeld() {
        // 9 °C at 00:00, silence, 5 °C at 06:00. The 9 °C reading holds 15 min (the limit): 15 min out of range,
        // 15 × (9 − 8) = 15 °C·min; the other 5 h 45 min are unknown. Before: 6 hours at 9 °C.
        ShipmentExposure s = ExposureFold.of(SSCC, BIOLOGICS, List.of(reading("logger", "a", 0, 9.0),
                reading("logger", "b", 6 * 3600, 5.0)));

        ExposureFigures f = s.probe("logger").figures(BIOLOGICS.band());
        assertThat(f.timeOutOfRange()).isEqualTo(Duration.ofMinutes(15));
        assertThat(f.degreeMinutesAbove()).isCloseTo(15.0, within(1e-9));
        assertThat(f.unknown()).isEqualTo(Duration.ofMinutes(345));
        // 15 min out of range is within the 30-min budget, but with 345 min unknown GDP cannot call it in control
        // (and the MKT of the observed 15 min, 9 °C, is above the 8 °C label)
        ColdChainDecision d = DECIDER.decide(s, BIOLOGICS, true, T0.plusSeconds(7 * 3600));
        assertThat(d.assessment().verdict().codes()).containsExactly(BreachCode.DATA_GAP, BreachCode.MKT_ABOVE_LABEL);
        // a policy that does not count unknown time reports it and does not breach on it
        ProductClass lenient = BIOLOGICS.withPolicy(BIOLOGICS.policy().toBuilder().unknownTimeCounts(false).build());
        ColdChainDecision l = DECIDER.decide(ExposureFold.of(SSCC, lenient, List.of(reading("logger", "a", 0, 9.0),
                reading("logger", "b", 6 * 3600, 5.0))), lenient, true, T0);
        assertThat(l.assessment().verdict().codes()).containsExactly(BreachCode.MKT_ABOVE_LABEL);
        assertThat(l.assessment().figures().unknown()).isEqualTo(Duration.ofMinutes(345));
    }

    @Test
    void twoProbesAreJudgedApartAndTheWorstDecides() {
        // Supply air: 12 °C from 00:00 to 00:40 read every 10 min (4 holds of 10 min = 40 min above, 4 °C × 40 =
        // 160 °C·min), then 5 °C. Return air: 5 °C all along. Interleaved as one series they would alternate 12/5 and
        // describe neither probe.
        List<ExposureEvidence> evidence = new ArrayList<>();
        for (int i = 0; i <= 6; i++) {
            evidence.add(reading("supply", "s" + i, i * 600L, i < 4 ? 12.0 : 5.0));
            evidence.add(reading("return", "r" + i, i * 600L + 300, 5.0));
        }
        ShipmentExposure s = ExposureFold.of(SSCC, BIOLOGICS, evidence);
        ColdChainDecision d = DECIDER.decide(s, BIOLOGICS, true, T0.plusSeconds(7200));

        assertThat(d.probes()).containsOnlyKeys("supply", "return");
        assertThat(d.probes().get("supply").figures().timeOutOfRange()).isEqualTo(Duration.ofMinutes(40));
        assertThat(d.probes().get("supply").figures().degreeMinutesAbove()).isCloseTo(160.0, within(1e-9));
        assertThat(d.probes().get("return").figures().timeOutOfRange()).isZero();
        assertThat(d.worstProbe()).isEqualTo("supply");
        assertThat(d.breached()).isTrue();
        assertThat(d.breach().orElseThrow().deviceId()).isEqualTo("supply");
        assertThat(d.incident().orElseThrow().summary()).contains("probe supply");
    }

    @Test
    void tenShortExcursionsUnderTheEdgeDebounceAddUpToABreachThroughTheSummariesStatistics() {
        // An 8-hour summary whose mean (5.4 °C) is in range, but whose statistics say 40 min above the band: ten
        // 4-minute excursions at 10 °C (2 °C above) = 40 min, 80 °C·min; a 30-min budget: breached.
        double arrhenius = (8 * 3600 - 2400) * Math.exp(-10_000 / (5.0 + 273.15))
                + 2400 * Math.exp(-10_000 / (10.0 + 273.15));
        ExposureStatistics stats = new ExposureStatistics(2.0, 8.0, 900, 8 * 3_600_000L, 0, 2_400_000L, 0, 80.0, 0,
                arrhenius);
        Instant start = T0;
        ExposureEvidence summary = new ExposureEvidence("sum", SSCC, "supply", ExposureEvidence.Kind.WINDOW, start,
                start.plusSeconds(8 * 3600 - 30), 5.4, 0, "reefer-7/supply", 4.9, 10.0, 960, stats, "reefer-7", 4L);

        ColdChainDecision d = DECIDER.decide(ExposureFold.of(SSCC, BIOLOGICS, List.of(summary)), BIOLOGICS, true, T0);

        ExposureFigures f = d.assessment().figures();
        assertThat(f.timeOutOfRange()).isEqualTo(Duration.ofMinutes(40));
        assertThat(f.degreeMinutesAbove()).isCloseTo(80.0, within(1e-9));
        // MKT of 7h20m at 5 °C and 40 min at 10 °C, by hand: 10000 / -ln((26400 e^(-10000/278.15) + 2400
        // e^(-10000/283.15)) / 28800) - 273.15 = 5.55267 °C (python3 -c 'import math; ...' on that formula; the window
        // mean would say 5.4 °C: biased low)
        assertThat(f.mktCelsius().getAsDouble()).isCloseTo(5.55267, within(0.00001));
        assertThat(d.breached()).isTrue();
        assertThat(d.assessment().verdict().codes()).containsExactly(BreachCode.TOR_BUDGET_EXCEEDED);
    }

    @Test
    void anEdgeAlertStandsInUntilTheSummaryCoveringItArrivesThenTheSummaryIsTheTruth() {
        // Alerts overtake the summary backlog: a 40-min excursion report at 11 °C counts at once ...
        ExposureEvidence alert = new ExposureEvidence("alert", SSCC, "supply", ExposureEvidence.Kind.EXCURSION,
                T0.plusSeconds(3600), T0.plusSeconds(3600 + 2400), 11.0, 61, "reefer-7/supply", 11.0, 11.0, 0, null,
                "reefer-7", 9L);
        ShipmentExposure early = ExposureFold.of(SSCC, BIOLOGICS, List.of(alert));
        assertThat(early.probe("reefer-7/supply").figures(BIOLOGICS.band()).timeOutOfRange())
                .isEqualTo(Duration.ofMinutes(40));
        // ... then the summary of that hour says 36 min above (the report's peak held over all 40 min overstated it)
        ExposureStatistics stats = new ExposureStatistics(2.0, 8.0, 900, 2 * 3_600_000L, 0, 36 * 60_000L, 0, 72.0, 0,
                7200 * Math.exp(-10_000 / (6.0 + 273.15)));
        ExposureEvidence summary = new ExposureEvidence("sum", SSCC, "supply", ExposureEvidence.Kind.WINDOW, T0,
                T0.plusSeconds(7200 - 30), 6.0, 0, "reefer-7/supply", 4.0, 11.0, 240, stats, "reefer-7", 8L);
        ShipmentExposure both = ExposureFold.apply(early, List.of(summary), BIOLOGICS,
                ExposureFold.TimelineNeighbours.NONE).state();
        ExposureFigures f = both.probe("reefer-7/supply").figures(BIOLOGICS.band());
        assertThat(f.timeOutOfRange()).isEqualTo(Duration.ofMinutes(36));
        assertThat(f.maxCelsius().getAsDouble()).isEqualTo(11.0);
        // sequence 8 and 9 seen: no hole
        assertThat(both.missingSequences()).isZero();
    }

    @Test
    void sequenceHolesAreMissingEvidence() {
        List<ExposureEvidence> evidence = new ArrayList<>();
        for (long seq : new long[] {1, 2, 3, 7, 8, 10}) { // 4, 5, 6 and 9 never arrived: 4 missing
            Instant t = T0.plusSeconds(seq * 60);
            evidence.add(new ExposureEvidence("m" + seq, SSCC, "supply", ExposureEvidence.Kind.POINT, t, t, 5.0, 0,
                    "reefer-7/supply", 5.0, 5.0, 1, null, "reefer-7", seq));
        }
        ShipmentExposure s = ExposureFold.of(SSCC, BIOLOGICS, evidence);
        assertThat(s.missingSequences()).isEqualTo(4);
        assertThat(DECIDER.decide(s, BIOLOGICS, true, T0).missingSequences()).isEqualTo(4);
    }

    @Test
    void aShipmentWithoutItsOwnProductClassIsNeverSilentlyNormal() {
        ShipmentExposure s = ExposureFold.of(SSCC, BIOLOGICS, List.of(reading("logger", "a", 0, 5.0),
                reading("logger", "b", 60, 5.0)));
        assertThat(DECIDER.decide(s, BIOLOGICS, true, T0).status()).isEqualTo(ExposureStatus.NORMAL);
        ColdChainDecision unclassified = DECIDER.decide(s, BIOLOGICS, false, T0);
        assertThat(unclassified.status()).isEqualTo(ExposureStatus.ATTENTION);
        assertThat(unclassified.unclassified()).isTrue();
    }

    // ---- random trips against the reference model --------------------------------------------------------------

    @Test
    void lateShuffledDuplicatedBatchesGiveTheReferenceFiguresWithNeighbourReadsOnlyForLateEvidence() {
        for (long seed = 1; seed <= 40; seed++) {
            Random rnd = new Random(seed);
            List<ExposureEvidence> trip = randomTrip(rnd);
            Map<String, double[]> expected = reference(trip, BIOLOGICS.band(), 900_000L);

            List<ExposureEvidence> deliveries = new ArrayList<>(trip);
            deliveries.addAll(trip.subList(0, trip.size() / 4)); // duplicates
            Collections.shuffle(deliveries, rnd);
            InMemoryEvidenceStore store = new InMemoryEvidenceStore();
            ShipmentExposure state = ShipmentExposure.empty(SSCC, BIOLOGICS.name());
            for (int from = 0; from < deliveries.size(); ) {
                int to = Math.min(deliveries.size(), from + 1 + rnd.nextInt(20));
                List<ExposureEvidence> unapplied = store.storeNew(SSCC, deliveries.subList(from, to).stream()
                        .map(e -> new EvidenceArrival(e, null, null, null)).toList());
                ExposureFold.Applied a = ExposureFold.apply(state, unapplied, BIOLOGICS, store);
                state = a.state().withApplied(a.applied());
                store.markApplied(SSCC, unapplied, T0);
                from = to;
            }
            for (Map.Entry<String, double[]> p : expected.entrySet()) {
                ExposureFigures f = state.probe(p.getKey()).figures(BIOLOGICS.band());
                double[] x = p.getValue();
                assertThat(f.timeAbove().toMillis()).as("seed %d probe %s above", seed, p.getKey()).isEqualTo((long) x[0]);
                assertThat(f.timeBelow().toMillis()).as("seed %d below", seed).isEqualTo((long) x[1]);
                assertThat(f.unknown().toMillis()).as("seed %d unknown", seed).isEqualTo((long) x[2]);
                assertThat(f.degreeMinutesAbove()).as("seed %d dm above", seed).isCloseTo(x[3], within(1e-6));
                assertThat(f.degreeMinutesBelow()).as("seed %d dm below", seed).isCloseTo(x[4], within(1e-6));
                if (!Double.isNaN(x[5])) {
                    assertThat(f.mktCelsius().getAsDouble()).as("seed %d mkt", seed).isCloseTo(x[5], within(1e-6));
                }
            }
        }
    }

    @Test
    void evidenceAfterTheWatermarkNeedsNoStoredNeighbours() {
        List<ExposureEvidence> trip = randomTrip(new Random(7));
        trip.sort(Comparator.comparing(ExposureEvidence::start));
        InMemoryEvidenceStore store = new InMemoryEvidenceStore();
        ShipmentExposure state = ShipmentExposure.empty(SSCC, BIOLOGICS.name());
        for (ExposureEvidence e : trip) {
            List<ExposureEvidence> unapplied = store.storeNew(SSCC, List.of(new EvidenceArrival(e, null, null, null)));
            ExposureFold.Applied a = ExposureFold.apply(state, unapplied, BIOLOGICS, store);
            state = a.state().withApplied(a.applied());
            store.markApplied(SSCC, unapplied, T0);
        }
        assertThat(store.neighbourQueries).isZero();
    }

    /** Two probes, a reading every 30-90 s with a few long silences, temperatures around and outside 2-8 °C. */
    private static List<ExposureEvidence> randomTrip(Random rnd) {
        List<ExposureEvidence> out = new ArrayList<>();
        for (String probe : List.of("supply", "return")) {
            long t = rnd.nextInt(60);
            double c = 5.0;
            for (int i = 0; i < 150; i++) {
                c = Math.max(-5, Math.min(15, c + (rnd.nextDouble() - 0.5) * 3));
                out.add(reading(probe, probe + "-" + i, t, Math.round(c * 10) / 10.0));
                t += rnd.nextInt(10) == 0 ? 600 + rnd.nextInt(3000) : 30 + rnd.nextInt(60);
            }
        }
        return out;
    }

    /**
     * The reference model: per probe, sort the distinct readings by time (warmest last at the same time), then for
     * each consecutive pair hold the earlier value min(gap, limit) and count the rest unknown. Returns per probe
     * {aboveMs, belowMs, unknownMs, dmAbove, dmBelow, mkt}.
     */
    private static Map<String, double[]> reference(List<ExposureEvidence> trip, TemperatureBand band, long limitMs) {
        Map<String, TreeMap<String, ExposureEvidence>> byProbe = new TreeMap<>();
        for (ExposureEvidence e : trip) {
            byProbe.computeIfAbsent(e.probeId(), k -> new TreeMap<>()).put(e.evidenceId(), e);
        }
        Map<String, double[]> out = new TreeMap<>();
        for (Map.Entry<String, TreeMap<String, ExposureEvidence>> p : byProbe.entrySet()) {
            List<ExposureEvidence> r = new ArrayList<>(p.getValue().values());
            r.sort(Comparator.comparing(ExposureEvidence::start).thenComparingDouble(ExposureEvidence::celsius)
                    .thenComparing(ExposureEvidence::evidenceId));
            double above = 0, below = 0, unknown = 0, dmA = 0, dmB = 0, arr = 0, observed = 0;
            for (int i = 0; i + 1 < r.size(); i++) {
                long dt = r.get(i + 1).start().toEpochMilli() - r.get(i).start().toEpochMilli();
                long hold = Math.min(dt, limitMs);
                unknown += dt - hold;
                double c = r.get(i).celsius();
                observed += hold;
                arr += hold / 1000.0 * Math.exp(-10_000.0 / (c + 273.15));
                if (c > band.highCelsius()) {
                    above += hold;
                    dmA += (c - band.highCelsius()) * hold / 60_000.0;
                } else if (c < band.lowCelsius()) {
                    below += hold;
                    dmB += (band.lowCelsius() - c) * hold / 60_000.0;
                }
            }
            double mkt = observed > 0 ? 10_000.0 / -Math.log(arr / (observed / 1000.0)) - 273.15 : Double.NaN;
            out.put(p.getKey(), new double[] {above, below, unknown, dmA, dmB, mkt});
        }
        return out;
    }
}

package io.waybill.domain.forecast;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The run's rules: which series are forecast from which history, batching, failures, scoring once. */
class ForecastRunTest {
    static final LocalDate AS_OF = LocalDate.of(2026, 4, 1);
    static final SeriesKey OLD = new SeriesKey(DemandEvents.GTINS[0], DemandEvents.GLN_A);
    static final SeriesKey NEW = new SeriesKey(DemandEvents.GTINS[1], DemandEvents.GLN_A);
    static final SeriesKey OTHER = new SeriesKey(DemandEvents.GTINS[0], DemandEvents.GLN_B);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-01T02:00:00Z"), ZoneOffset.UTC);

    /** Returns a flat forecast of 3 a day; the sample paths are 0..9 a day (lead-time sums 0, 7, ..., 63). */
    static final class ScriptedForecaster implements DemandForecaster {
        final List<List<DemandHistory>> calls = new ArrayList<>();
        final Set<SeriesKey> refuse = new HashSet<>();
        ForecastRequest lastRequest;
        boolean down;

        @Override
        public List<DemandForecast> forecast(List<DemandHistory> histories, ForecastRequest request) {
            calls.add(histories);
            lastRequest = request;
            if (down) {
                throw new ForecasterUnavailable("endpoint throttled", null);
            }
            for (DemandHistory h : histories) {
                if (refuse.contains(h.key())) {
                    throw new ForecastRejected("bad series " + h.key().id());
                }
            }
            List<DemandForecast> out = new ArrayList<>();
            for (DemandHistory h : histories) {
                double[] mean = new double[request.horizonDays()];
                java.util.Arrays.fill(mean, 3);
                SortedMap<Double, double[]> q = new TreeMap<>();
                for (double level : request.quantileLevels()) {
                    double[] v = new double[request.horizonDays()];
                    java.util.Arrays.fill(v, 10 * level);
                    q.put(level, v);
                }
                double[][] samples = new double[10][request.horizonDays()];
                for (int j = 0; j < 10; j++) {
                    java.util.Arrays.fill(samples[j], j);
                }
                out.add(new DemandForecast(h.key(), h.nextDay(), mean, q, samples, "ETS(A,N,N)"));
            }
            return out;
        }

        @Override
        public ModelIdentity model() {
            return new ModelIdentity("waybill-ets", "7");
        }
    }

    static InMemoryDemandLedger ledger() {
        InMemoryDemandLedger ledger = new InMemoryDemandLedger();
        // OLD: first demand 40 days before asOf, 2 units then; 1 unit the day before asOf
        ledger.addToLine(OLD, AS_OF.minusDays(40), "s1", Set.of("a", "b"));
        ledger.addToLine(OLD, AS_OF.minusDays(1), "s2", Set.of("c"));
        ledger.addToLine(OLD, AS_OF, "s3", Set.of("d")); // asOf itself is not history
        // NEW: first demand 27 days before asOf: one day short of the minimum
        ledger.addToLine(NEW, AS_OF.minusDays(27), "s4", Set.of("e"));
        ledger.addToLine(OTHER, AS_OF.minusDays(400), "s5", Set.of("f"));
        ledger.addToLine(OTHER, AS_OF.minusDays(364), "s6", Set.of("g", "h", "i"));
        return ledger;
    }

    static ForecastSettings settings(int batch) {
        return new ForecastSettings(28, 0.95, 7, 364, 28, List.of(0.1, 0.5, 0.9), 10, batch);
    }

    @Test
    void seriesOldEnoughAreForecastFromTheirFirstDemandOrTheWindowAndStoredWithAReorderPoint() {
        InMemoryForecastStore store = new InMemoryForecastStore();
        ScriptedForecaster endpoint = new ScriptedForecaster();
        ForecastRun.Report report = new ForecastRun(ledger(), store, endpoint, settings(50), CLOCK,
                ForecastJournal.NONE).run(AS_OF);
        assertThat(report.series()).isEqualTo(3);
        assertThat(report.stored()).isEqualTo(2);
        assertThat(report.skipped()).isEqualTo(1);
        assertThat(report.endpointUnavailable()).isFalse();
        assertThat(endpoint.lastRequest.quantileLevels()).containsExactly(0.1, 0.5, 0.9, 0.95);
        Map<SeriesKey, DemandHistory> sent = new java.util.HashMap<>();
        endpoint.calls.get(0).forEach(h -> sent.put(h.key(), h));
        DemandHistory old = sent.get(OLD);
        assertThat(old.firstDay()).isEqualTo(AS_OF.minusDays(40));
        assertThat(old.days()).isEqualTo(40);
        assertThat(old.unitsPerDay()[0]).isEqualTo(2);
        assertThat(old.unitsPerDay()[39]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(old.unitsPerDay()).sum()).isEqualTo(3);
        DemandHistory other = sent.get(OTHER);
        assertThat(other.firstDay()).isEqualTo(AS_OF.minusDays(364));
        assertThat(other.unitsPerDay()[0]).isEqualTo(3);

        StoredForecast f = store.forecasts.get(OLD.id() + "|" + AS_OF);
        assertThat(f.modelName()).isEqualTo("waybill-ets");
        assertThat(f.modelVersion()).isEqualTo("7");
        assertThat(f.quantiles()).containsOnlyKeys("0.1", "0.5", "0.9", "0.95");
        // lead-time sums of the 10 paths: 0, 7, ..., 63; 95% of 10 -> the 10th: 63. Mean 3 x 7 = 21.
        assertThat(f.reorder().reorderPoint()).isEqualTo(63.0);
        assertThat(f.reorder().safetyStock()).isCloseTo(42.0, within(1e-12));
        // history: 2, 38 zeros, 1: plain... 40 days so seasonal: |y[t]-y[t-7]| is 2 once (t=7) and 1 once (t=39): 3/33
        assertThat(f.maseScale()).isCloseTo(3.0 / 33, within(1e-12));
    }

    @Test
    void anUnavailableEndpointStoresNothingAndIsReported() {
        InMemoryForecastStore store = new InMemoryForecastStore();
        ScriptedForecaster endpoint = new ScriptedForecaster();
        endpoint.down = true;
        ForecastRun.Report report = new ForecastRun(ledger(), store, endpoint, settings(1), CLOCK,
                ForecastJournal.NONE).run(AS_OF);
        assertThat(report.endpointUnavailable()).isTrue();
        assertThat(report.stored()).isZero();
        assertThat(store.forecasts).isEmpty();
        assertThat(endpoint.calls).hasSize(1); // the run stops at the first failure; the next run retries
    }

    @Test
    void aRejectedSeriesIsSkippedAndTheOthersGoOn() {
        InMemoryForecastStore store = new InMemoryForecastStore();
        ScriptedForecaster endpoint = new ScriptedForecaster();
        endpoint.refuse.add(OTHER);
        List<String> rejected = new ArrayList<>();
        ForecastRun.Report report = new ForecastRun(ledger(), store, endpoint, settings(50), CLOCK,
                new ForecastJournal() {
                    @Override
                    public void rejected(SeriesKey key, String message) {
                        rejected.add(key.id());
                    }
                }).run(AS_OF);
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(report.stored()).isEqualTo(1);
        assertThat(rejected).containsExactly(OTHER.id());
        assertThat(store.forecasts).containsOnlyKeys(OLD.id() + "|" + AS_OF);
    }

    @Test
    void aForecastIsScoredOnceWhenItsHorizonHasPassedAndPerFacility() {
        InMemoryDemandLedger ledger = ledger();
        InMemoryForecastStore store = new InMemoryForecastStore();
        LocalDate first = AS_OF;
        // mean 2 a day over 4 days; actuals on those days: 1 (already: "d"), 3, 2, 4 units
        store.put(new StoredForecast(OLD, first, Instant.EPOCH, "m", "1", null, new double[]{2, 2, 2, 2},
                new TreeMap<>(), null, 0.5, 40));
        ledger.addToLine(OLD, first.plusDays(1), "t1", Set.of("x1", "x2", "x3"));
        ledger.addToLine(OLD, first.plusDays(2), "t2", Set.of("y1", "y2"));
        ledger.addToLine(OLD, first.plusDays(3), "t3", Set.of("z1", "z2", "z3", "z4"));
        List<double[]> facility = new ArrayList<>();
        ForecastJournal journal = new ForecastJournal() {
            @Override
            public void facilityAccuracy(String gln, double meanMase, double meanBias, int forecasts) {
                facility.add(new double[]{meanMase, meanBias, forecasts});
            }
        };
        ForecastScoring scoring = new ForecastScoring(ledger, store, journal);
        assertThat(scoring.scoreDue(first.plusDays(3))).as("the horizon has not passed").isEmpty();
        List<ForecastAccuracy> scored = scoring.scoreDue(first.plusDays(4));
        assertThat(scored).hasSize(1);
        assertThat(scored.get(0).mase()).isCloseTo(2.0, within(1e-12));
        assertThat(scored.get(0).bias()).isCloseTo(-0.5, within(1e-12));
        assertThat(facility).hasSize(1);
        assertThat(facility.get(0)).containsExactly(2.0, -0.5, 1.0);
        assertThat(scoring.scoreDue(first.plusDays(5))).as("scored once").isEmpty();
    }
}

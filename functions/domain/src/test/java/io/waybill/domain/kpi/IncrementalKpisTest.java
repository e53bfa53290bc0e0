package io.waybill.domain.kpi;

import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.incident.ShipmentIncident;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.waybill.domain.kpi.KpiFixtures.DC;
import static io.waybill.domain.kpi.KpiFixtures.DC_HUB;
import static io.waybill.domain.kpi.KpiFixtures.DEPOT;
import static io.waybill.domain.kpi.KpiFixtures.HUB;
import static io.waybill.domain.kpi.KpiFixtures.HUB_STORE;
import static io.waybill.domain.kpi.KpiFixtures.STORE;
import static io.waybill.domain.kpi.KpiFixtures.h;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incremental KPIs (per-shipment movement state, lane and facility aggregates with t-digest sketches, issue 12)
 * against the batch {@link KpiCalculator}, whose own figures {@link KpiCalculatorTest} checks by hand: over generated
 * trips delivered in any order, in batches, with resends, and with the aggregates stored and read back between
 * batches, every count, mean, exposure and exception figure is equal and p50/p90 are within the sketch's error.
 */
class IncrementalKpisTest {
    private static final String[] SITES = {DC, HUB, STORE, DEPOT};
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final KpiCalculator CALCULATOR = new KpiCalculator();

    @Property(tries = 300)
    void anyDeliveryOrderWithResendsEndsInTheBatchFigures(@ForAll long seed,
                                                          @ForAll @IntRange(min = 1, max = 40) int shipments) {
        Random random = new Random(seed);
        Trips trips = Trips.generate(random, shipments);
        List<CanonicalEvent> delivered = new ArrayList<>(trips.events);
        for (CanonicalEvent e : trips.events) {
            for (int copies = random.nextInt(3); copies > 0; copies--) {
                delivered.add(e); // redelivery, replay
            }
        }
        Collections.shuffle(delivered, random);
        Instant asOf = trips.end.plus(Duration.ofHours(1));

        Aggregates store = new Aggregates();
        int i = 0;
        while (i < delivered.size()) {
            int size = 1 + random.nextInt(12);
            store.foldBatch(delivered.subList(i, Math.min(delivered.size(), i + size)));
            store.reload(); // as if written to and read back from the table
            i += size;
        }
        // Replaying the whole stream once more changes nothing.
        store.foldBatch(trips.events);

        SupplyChainKpis batch = CALCULATOR.compute(trips.events, trips.incidents, trips.exposure, null, asOf);
        SupplyChainKpis incremental = store.kpis(asOf, trips.incidents, trips.exposure);
        assertSame(batch, incremental, store);
    }

    /** The hand-worked network of {@link KpiCalculatorTest}: DC->HUB transits 4 h, 6 h, 3 h; HUB dwell 2 h, 1.5 h. */
    @Test
    void theHandWorkedNetworkGivesTheHandWorkedFigures() {
        Aggregates store = new Aggregates();
        List<CanonicalEvent> events = new ArrayList<>(KpiFixtures.networkEvents());
        Collections.reverse(events);
        events.forEach(e -> store.foldBatch(List.of(e, e)));
        SupplyChainKpis kpis = store.kpis(KpiFixtures.AS_OF, List.of(), Map.of());
        LaneKpis dcHub = kpis.lanes().get(DC_HUB);
        assertThat(dcHub.shipments()).isEqualTo(3);
        assertThat(dcHub.transit().count()).isEqualTo(3);
        assertThat(dcHub.transit().p50()).contains(h(4));
        assertThat(dcHub.transit().p90()).contains(h(6));
        assertThat(dcHub.transit().mean()).contains(h(13.0 / 3));
        assertThat(kpis.lanes().get(HUB_STORE).transit().p50()).contains(h(2)); // 2 h and 3 h: nearest rank 1
        FacilityKpis hub = kpis.facilities().get(HUB);
        assertThat(hub.visits()).isEqualTo(2);
        assertThat(hub.present()).isEqualTo(1);
        assertThat(hub.dwell().mean()).contains(h(1.75));
    }

    /** Publication reads one item per lane and facility: a figure, printed, for any store size. */
    @Test
    void publicationCostDoesNotGrowWithTheStore() {
        for (int shipments : new int[] {100, 1_000, 10_000}) {
            Trips trips = Trips.generate(new Random(7), shipments);
            Aggregates store = new Aggregates();
            long started = System.nanoTime();
            store.foldBatch(trips.events);
            double seconds = (System.nanoTime() - started) / 1e9;
            int reads = store.lanes.size() + store.facilities.size();
            System.out.printf("KPI bench: %,d events folded at %,.0f events/s; publication reads %d items "
                    + "(lanes %d + facilities %d), not %,d events%n", trips.events.size(),
                    trips.events.size() / seconds, reads, store.lanes.size(), store.facilities.size(),
                    trips.events.size());
            assertThat(reads).isLessThanOrEqualTo(SITES.length * (SITES.length + 1) + SITES.length + 4 * 2);
        }
    }

    private static void assertSame(SupplyChainKpis batch, SupplyChainKpis incremental, Aggregates store) {
        assertThat(incremental.shipments()).isEqualTo(batch.shipments());
        assertThat(incremental.events()).isEqualTo(batch.events());
        assertThat(incremental.exceptions()).isEqualTo(batch.exceptions());
        assertThat(incremental.unattributedExceptions()).isEqualTo(batch.unattributedExceptions());
        assertThat(incremental.lanes().keySet()).isEqualTo(batch.lanes().keySet());
        assertThat(incremental.facilities().keySet()).isEqualTo(batch.facilities().keySet());
        batch.lanes().forEach((lane, b) -> {
            LaneKpis a = incremental.lanes().get(lane);
            assertThat(a).usingRecursiveComparison().ignoringFields("transit").as(lane.label()).isEqualTo(b);
            assertStats(a.transit(), b.transit(), store.values(c -> {
                ShipmentContribution.LanePart part = c.lanes().get(lane);
                return part == null ? List.of() : part.transit();
            }), lane.label());
        });
        batch.facilities().forEach((gln, b) -> {
            FacilityKpis a = incremental.facilities().get(gln);
            assertThat(a).usingRecursiveComparison().ignoringFields("dwell").as(gln).isEqualTo(b);
            assertStats(a.dwell(), b.dwell(), store.values(c -> {
                ShipmentContribution.FacilityPart part = c.facilities().get(gln);
                return part == null ? List.of() : part.dwell();
            }), gln);
        });
    }

    /**
     * Count and mean exact. A sketch percentile may sit between the batch's nearest-rank value and its neighbours:
     * t-digest interpolates between adjacent centroids (one rank) and its rank error at compression 100 stays under
     * 1% of n (Dunning and Ertl 2019), so the allowed band is ±(1 + ceil(n/100)) ranks, plus a millisecond of
     * rounding.
     */
    private static void assertStats(DurationStats sketch, DurationStats batch, List<Duration> values,
                                    String where) {
        assertThat(sketch.count()).as(where).isEqualTo(batch.count());
        assertThat(sketch.mean()).as(where).isEqualTo(batch.mean());
        if (batch.count() == 0) {
            return;
        }
        // The values the sketch summarises: their nearest-rank percentiles are the batch's, so they are its values.
        List<Duration> sorted = new ArrayList<>(values);
        sorted.sort(null);
        assertThat(DurationStats.of(sorted)).as(where).isEqualTo(batch);
        assertWithinRanks(sketch.p50().orElseThrow(), sorted, 50, where + " p50");
        assertWithinRanks(sketch.p90().orElseThrow(), sorted, 90, where + " p90");
    }

    /**
     * A sketch percentile may sit between the batch's nearest-rank value and its neighbours: t-digest interpolates
     * between adjacent centroids (one rank) and its rank error at compression 100 stays under 1% of n (Dunning and
     * Ertl 2019), so the allowed band is ±(1 + ceil(n/100)) ranks, plus a millisecond of rounding.
     */
    private static void assertWithinRanks(Duration value, List<Duration> sorted, int p, String where) {
        int n = sorted.size();
        int rank = (int) ((p * (long) n + 99) / 100);
        int k = 1 + (n + 99) / 100;
        Duration low = sorted.get(Math.max(0, rank - 1 - k)).minusMillis(1);
        Duration high = sorted.get(Math.min(n - 1, rank - 1 + k)).plusMillis(1);
        assertThat(value).as(where + " of " + sorted).isBetween(low, high);
    }

    /** The incremental side, in memory: what the aggregates table holds, serialised between batches. */
    private static final class Aggregates {
        final Map<String, ShipmentMovements> shipments = new TreeMap<>();
        Map<Lane, LaneAggregate> lanes = new TreeMap<>();
        Map<String, FacilityAggregate> facilities = new TreeMap<>();
        int shipmentCount;
        int movementCount;

        void foldBatch(List<CanonicalEvent> batch) {
            Map<String, List<Movement>> bySscc = new LinkedHashMap<>();
            for (CanonicalEvent e : batch) {
                Movement.of(e).ifPresent(m -> bySscc.computeIfAbsent(m.shipmentSscc(), k -> new ArrayList<>()).add(m));
            }
            bySscc.forEach((sscc, movements) -> {
                ShipmentFold fold = ShipmentFold.of(shipments.getOrDefault(sscc, ShipmentMovements.none(sscc)),
                        movements);
                if (!fold.changed()) {
                    return;
                }
                fold.delta().applyTo(l -> lanes.computeIfAbsent(l, LaneAggregate::empty),
                        g -> facilities.computeIfAbsent(g, FacilityAggregate::empty));
                shipmentCount += fold.newShipments();
                movementCount += fold.newMovements();
                shipments.put(sscc, fold.after());
            });
        }

        List<Duration> values(java.util.function.Function<ShipmentContribution, List<Duration>> part) {
            List<Duration> all = new ArrayList<>();
            shipments.values().forEach(m -> all.addAll(part.apply(m.contribution())));
            return all;
        }

        void reload() {
            Map<Lane, LaneAggregate> l = new TreeMap<>();
            lanes.forEach((lane, a) -> l.put(lane, new LaneAggregate(lane, a.shipments(), a.legs(), a.inTransit(),
                    a.arrivalsUnobserved(), DurationSketch.fromBytes(a.transit().toBytes()))));
            Map<String, FacilityAggregate> f = new TreeMap<>();
            facilities.forEach((gln, a) -> f.put(gln, new FacilityAggregate(gln, a.shipmentsArrived(),
                    a.shipmentsDeparted(), a.present(), DurationSketch.fromBytes(a.dwell().toBytes()))));
            lanes = l;
            facilities = f;
        }

        SupplyChainKpis kpis(Instant asOf, List<ShipmentIncident> incidents, Map<String, ExposureFigures> exposure) {
            return CALCULATOR.assemble(asOf, movementCount, shipmentCount, lanes.values(), facilities.values(),
                    shipments, incidents, exposure);
        }
    }

    /** Generated trips: legs between four sites, unnamed sides, unobserved arrivals, re-observations. */
    private static final class Trips {
        final List<CanonicalEvent> events = new ArrayList<>();
        final List<ShipmentIncident> incidents = new ArrayList<>();
        final Map<String, ExposureFigures> exposure = new TreeMap<>();
        Instant end = START;

        static Trips generate(Random r, int shipments) {
            Trips trips = new Trips();
            for (int s = 0; s < shipments; s++) {
                String sscc = String.format("1061414100%08d", s);
                Instant t = START.plus(Duration.ofMinutes(r.nextInt(7 * 24 * 60)));
                Instant first = t;
                String at = SITES[r.nextInt(SITES.length)];
                int legs = 1 + r.nextInt(4);
                int n = 0;
                for (int leg = 0; leg < legs; leg++) {
                    String from = r.nextInt(10) == 0 ? null : at;
                    trips.events.add(departed(sscc + "-" + n++, sscc, from, t));
                    if (r.nextInt(10) == 0) { // seen again a few minutes later
                        trips.events.add(departed(sscc + "-" + n++, sscc, from, t.plus(Duration.ofMinutes(5))));
                    }
                    t = t.plus(Duration.ofMinutes(30 + r.nextInt(48 * 60)));
                    String to = SITES[r.nextInt(SITES.length)];
                    boolean last = leg == legs - 1;
                    if (last && r.nextInt(3) == 0) {
                        break; // still in transit
                    }
                    if (r.nextInt(10) != 0) { // else: arrival never observed
                        trips.events.add(arrived(sscc + "-" + n++, sscc, r.nextInt(10) == 0 ? null : to, t));
                    }
                    at = to;
                    t = t.plus(Duration.ofMinutes(10 + r.nextInt(24 * 60)));
                }
                if (t.isAfter(trips.end)) {
                    trips.end = t;
                }
                long span = Duration.between(first, t).toMinutes() + 1;
                for (int k = r.nextInt(3); k > 0; k--) {
                    Instant evidence = first.plus(Duration.ofMinutes(r.nextInt((int) span)));
                    ShipmentIncident incident = ShipmentIncident.open(sscc + "-I" + k, sscc, "COLD_CHAIN_BREACH",
                            r.nextBoolean() ? "MAJOR" : "MINOR", "breach", evidence.plusSeconds(60), evidence, 50);
                    trips.incidents.add(r.nextBoolean() ? incident
                            : incident.resolve(evidence.plus(Duration.ofMinutes(1 + r.nextInt(600))), "released"));
                }
                if (r.nextBoolean()) {
                    trips.exposure.put(sscc, KpiFixtures.exposure(r.nextInt(90), r.nextInt(500) / 10.0,
                            r.nextInt(100) / 10.0));
                }
            }
            return trips;
        }
    }

    private static CanonicalEvent departed(String id, String sscc, String fromGln, Instant at) {
        return KpiFixtures.event(id, at, new ShipmentDeparted(sscc, fromGln, null, 800.0, "SWIFTLOG"));
    }

    private static CanonicalEvent arrived(String id, String sscc, String atGln, Instant at) {
        return KpiFixtures.event(id, at, new ShipmentArrived(sscc, atGln, null, 800.0));
    }
}

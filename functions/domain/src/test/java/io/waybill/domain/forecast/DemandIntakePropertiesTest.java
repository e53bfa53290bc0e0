package io.waybill.domain.forecast;

import io.waybill.domain.event.CanonicalEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Demand lines against a reference model written here: contents = union of the SGTINs read with the SSCC, departure
 * day = UTC day of the earliest departure per (SSCC, GLN), demand(gtin, gln, day) = distinct SGTINs. Any order and any
 * number of resends of the events must end in the reference demand.
 */
class DemandIntakePropertiesTest {
    static final Instant BASE = Instant.parse("2026-03-01T18:00:00Z");

    /** A generated list of events and the reference demand, keyed "gtin|gln|day". */
    record Scenario(List<CanonicalEvent> events, Map<String, Integer> reference, int unattributable) {
    }

    static Scenario scenario(long seed) {
        Random r = new Random(seed);
        List<CanonicalEvent> events = new ArrayList<>();
        Map<String, Set<String>> contents = new HashMap<>();
        Map<String, Instant> earliest = new HashMap<>(); // sscc|gln -> earliest departure
        int unattributable = 0;
        int shipments = 1 + r.nextInt(5);
        for (int s = 0; s < shipments; s++) {
            String sscc = DemandEvents.sscc(s);
            int reads = 1 + r.nextInt(3);
            List<List<String>> readEpcs = new ArrayList<>();
            for (int i = 0; i < reads; i++) {
                readEpcs.add(new ArrayList<>());
            }
            int items = 1 + r.nextInt(8);
            for (int i = 0; i < items; i++) {
                int cls = r.nextInt(2);
                String epc = DemandEvents.sgtin(cls, 1 + r.nextInt(25));
                readEpcs.get(r.nextInt(reads)).add(epc);
                if (r.nextInt(4) == 0) {
                    readEpcs.get(r.nextInt(reads)).add(epc); // read again by another portal
                }
                contents.computeIfAbsent(sscc, k -> new HashSet<>()).add(epc + "|" + DemandEvents.GTINS[cls]);
            }
            for (int i = 0; i < reads; i++) {
                List<String> epcs = new ArrayList<>(new java.util.TreeSet<>(readEpcs.get(i)));
                if (r.nextBoolean()) {
                    epcs.add("urn:epc:id:sscc:0614141.1234567890"); // the pallet tag itself: not a unit of demand
                }
                events.add(DemandEvents.observed("obs-" + s + "-" + i, BASE.plusSeconds(60L * i), sscc, epcs));
            }
            int departures = r.nextInt(3);
            for (int d = 0; d < departures; d++) {
                int pick = r.nextInt(7);
                String gln = pick == 0 ? null : pick <= 3 ? DemandEvents.GLN_A : DemandEvents.GLN_B;
                Instant t = BASE.plusSeconds(60L * r.nextInt(4 * 24 * 60));
                events.add(DemandEvents.departed("dep-" + s + "-" + d, t, sscc, gln));
                if (gln == null) {
                    unattributable++;
                } else {
                    earliest.merge(sscc + "|" + gln, t, (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        }
        Map<String, Set<String>> demand = new TreeMap<>();
        earliest.forEach((ssccGln, t) -> {
            String[] p = ssccGln.split("\\|");
            LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
            for (String item : contents.getOrDefault(p[0], Set.of())) {
                String[] ig = item.split("\\|");
                demand.computeIfAbsent(ig[1] + "|" + p[1] + "|" + day, k -> new HashSet<>()).add(ig[0]);
            }
        });
        Map<String, Integer> reference = new TreeMap<>();
        demand.forEach((k, v) -> reference.put(k, v.size()));
        return new Scenario(events, reference, unattributable);
    }

    /** Every event delivered 1 to 3 times, in a shuffled order. */
    static List<CanonicalEvent> redelivered(List<CanonicalEvent> events, long seed) {
        Random r = new Random(seed);
        List<CanonicalEvent> out = new ArrayList<>();
        for (CanonicalEvent e : events) {
            for (int n = 1 + r.nextInt(3); n > 0; n--) {
                out.add(e);
            }
        }
        Collections.shuffle(out, r);
        return out;
    }

    /** The demand lines as the ledger holds them, keyed as the reference. */
    static Map<String, Integer> demandOf(DemandLedger ledger) {
        Map<String, Integer> out = new TreeMap<>();
        DemandHistoryBuilder builder = new DemandHistoryBuilder(ledger);
        LocalDate from = LocalDate.of(2026, 2, 25);
        for (String gln : ledger.locations()) {
            for (SeriesKey key : ledger.series(gln)) {
                double[] perDay = builder.build(key, from, from.plusDays(14)).unitsPerDay();
                for (int i = 0; i < perDay.length; i++) {
                    if (perDay[i] != 0) {
                        out.put(key.gtin() + "|" + gln + "|" + from.plusDays(i), (int) perDay[i]);
                    }
                }
            }
        }
        return out;
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 400)
    void anyOrderAndAnyRedeliveryEndsInTheReferenceDemand(@ForAll("seeds") long scenarioSeed,
                                                          @ForAll("seeds") long deliverySeed) {
        Scenario s = scenario(scenarioSeed);
        InMemoryDemandLedger ledger = new InMemoryDemandLedger();
        DemandIntake intake = new DemandIntake(ledger, ForecastJournal.NONE);
        redelivered(s.events(), deliverySeed).forEach(intake::accept);
        assertThat(demandOf(ledger)).isEqualTo(s.reference());
    }

    @Property(tries = 200)
    void firstDemandIsTheEarliestReferenceDay(@ForAll("seeds") long scenarioSeed, @ForAll("seeds") long deliverySeed) {
        Scenario s = scenario(scenarioSeed);
        InMemoryDemandLedger ledger = new InMemoryDemandLedger();
        DemandIntake intake = new DemandIntake(ledger, ForecastJournal.NONE);
        redelivered(s.events(), deliverySeed).forEach(intake::accept);
        Map<String, LocalDate> firstByReference = new TreeMap<>();
        s.reference().keySet().forEach(k -> {
            String[] p = k.split("\\|");
            firstByReference.merge(p[0] + "@" + p[1], LocalDate.parse(p[2]), (a, b) -> a.isBefore(b) ? a : b);
        });
        firstByReference.forEach((id, day) -> assertThat(ledger.firstDemand(SeriesKey.parse(id))).contains(day));
    }

    @Example
    void contentsAfterTheDepartureAndAnEarlierDepartureLater() {
        InMemoryDemandLedger ledger = new InMemoryDemandLedger();
        List<String> journal = new ArrayList<>();
        DemandIntake intake = new DemandIntake(ledger, new ForecastJournal() {
            @Override
            public void unattributableDeparture(CanonicalEvent event, String reason) {
                journal.add(event.id());
            }
        });
        String sscc = DemandEvents.sscc(1);
        Instant day2 = Instant.parse("2026-03-02T10:00:00Z");
        Instant day1 = Instant.parse("2026-03-01T23:59:00Z");
        intake.accept(DemandEvents.departed("d-late", day2, sscc, DemandEvents.GLN_A));
        intake.accept(DemandEvents.observed("o", day1, sscc, List.of(DemandEvents.sgtin(0, 1),
                DemandEvents.sgtin(0, 2), DemandEvents.sgtin(1, 3))));
        assertThat(demandOf(ledger)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "80614141123458|0614141000012|2026-03-02", 2, "00614141123452|0614141000012|2026-03-02", 1));
        intake.accept(DemandEvents.departed("d-early", day1, sscc, DemandEvents.GLN_A));
        intake.accept(DemandEvents.departed("d-none", day1, sscc, null));
        assertThat(demandOf(ledger)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "80614141123458|0614141000012|2026-03-01", 2, "00614141123452|0614141000012|2026-03-01", 1));
        assertThat(journal).containsExactly("d-none");
    }
}

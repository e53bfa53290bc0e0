package io.waybill.domain.forecast;

import io.waybill.domain.event.CanonicalEvent;

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


/**
 * The reference model of demand, written independently of the production code: contents = union of the SGTINs read
 * with the SSCC, departure day = UTC day of the earliest departure per (SSCC, GLN), demand(gtin, gln, day) = distinct
 * SGTINs. Scenarios are generated from a seed; shared with the emulator tests (test-jar).
 */
public final class DemandScenarios {
    private DemandScenarios() {
    }

    public static final Instant BASE = Instant.parse("2026-03-01T18:00:00Z");

    /** A generated list of events and the reference demand, keyed "gtin|gln|day". */
    public record Scenario(List<CanonicalEvent> events, Map<String, Integer> reference, int unattributable) {
    }

    public static Scenario scenario(long seed) {
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
    public static List<CanonicalEvent> redelivered(List<CanonicalEvent> events, long seed) {
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
    public static Map<String, Integer> demandOf(DemandLedger ledger) {
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

}

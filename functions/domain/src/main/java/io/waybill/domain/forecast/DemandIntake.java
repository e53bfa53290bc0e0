package io.waybill.domain.forecast;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.InventoryObserved;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.identity.Epc;
import io.waybill.domain.normalize.RejectedRecordException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Demand facts from the canonical stream. A shipment's contents are the distinct SGTIN EPCs read in
 * {@link InventoryObserved} events carrying its SSCC; a departure is {@link ShipmentDeparted} (SSCC, from GLN) at the
 * event's time. Demand of SKU g at location L on UTC day d is the number of distinct SGTINs of GTIN g in shipments
 * whose earliest departure from L fell on d.
 *
 * <p>Order-independent and idempotent: each event writes its own fact, then reads the other side consistently and
 * adds what it can join to the demand lines (set union, so a redelivery adds nothing). Contents that arrive after the
 * departure are joined by the contents event; a departure earlier than the one recorded moves the shipment's units to
 * its day and marks the later day's lines superseded. A departure without a from GLN is counted as unattributable.
 */
public final class DemandIntake {
    private static final Pattern GLN = Pattern.compile("\\d{13}");

    private final DemandLedger ledger;
    private final ForecastJournal journal;

    public DemandIntake(DemandLedger ledger, ForecastJournal journal) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    public enum Outcome { CONTENTS_RECORDED, DEPARTURE_RECORDED, LATER_DEPARTURE, UNATTRIBUTABLE, NOT_DEMAND }

    /** @throws io.waybill.domain.ingestion.TransientDependencyException when the ledger could not answer (retry) */
    public Outcome accept(CanonicalEvent event) {
        if (event.data() instanceof InventoryObserved seen && seen.shipmentSscc() != null) {
            return contents(seen);
        }
        if (event.data() instanceof ShipmentDeparted departed && departed.shipmentSscc() != null) {
            return departure(event, departed);
        }
        return Outcome.NOT_DEMAND;
    }

    private Outcome contents(InventoryObserved seen) {
        Map<String, String> gtinByEpc = new TreeMap<>();
        for (String epc : seen.epcs()) {
            if (epc == null || !epc.regionMatches(true, 0, Epc.SGTIN_PREFIX, 0, Epc.SGTIN_PREFIX.length())) {
                continue;
            }
            try {
                gtinByEpc.put(Epc.parse(epc), Epc.sgtinToGtin(epc));
            } catch (RejectedRecordException notAnSgtin) {
                // ingest validated the EPCs; a malformed one is not a unit of demand
            }
        }
        if (gtinByEpc.isEmpty()) {
            return Outcome.NOT_DEMAND;
        }
        String sscc = seen.shipmentSscc();
        ledger.recordContents(sscc, gtinByEpc);
        for (Map.Entry<String, Instant> d : ledger.departures(sscc).entrySet()) {
            addLines(sscc, d.getKey(), day(d.getValue()), gtinByEpc);
        }
        return Outcome.CONTENTS_RECORDED;
    }

    private Outcome departure(CanonicalEvent event, ShipmentDeparted departed) {
        String gln = departed.fromGln();
        if (gln == null || !GLN.matcher(gln).matches()) {
            journal.unattributableDeparture(event, gln == null ? "no fromGln" : "fromGln is not a GLN: " + gln);
            return Outcome.UNATTRIBUTABLE;
        }
        String sscc = departed.shipmentSscc();
        DemandLedger.DepartureRecorded recorded = ledger.recordDeparture(sscc, gln, event.time());
        if (!recorded.earliest()) {
            return Outcome.LATER_DEPARTURE;
        }
        Map<String, String> contents = ledger.contents(sscc);
        // read again after the contents: a concurrent, even earlier departure may have replaced this one meanwhile
        Instant earliest = ledger.departures(sscc).getOrDefault(gln, event.time());
        LocalDate day = day(earliest);
        addLines(sscc, gln, day, contents);
        if (recorded.replaced() != null && !day(recorded.replaced()).equals(day)) {
            for (String gtin : byGtin(contents).keySet()) {
                ledger.supersedeLine(new SeriesKey(gtin, gln), day(recorded.replaced()), sscc);
            }
        }
        return Outcome.DEPARTURE_RECORDED;
    }

    private void addLines(String sscc, String gln, LocalDate day, Map<String, String> gtinByEpc) {
        for (Map.Entry<String, Set<String>> g : byGtin(gtinByEpc).entrySet()) {
            SeriesKey key = new SeriesKey(g.getKey(), gln);
            int added = ledger.addToLine(key, day, sscc, g.getValue());
            if (added > 0) {
                journal.unitsRecorded(key, day, added);
            }
        }
    }

    private static Map<String, Set<String>> byGtin(Map<String, String> gtinByEpc) {
        Map<String, Set<String>> out = new HashMap<>();
        gtinByEpc.forEach((epc, gtin) -> out.computeIfAbsent(gtin, g -> new TreeSet<>()).add(epc));
        return out;
    }

    /** The UTC day of an instant: demand is counted per UTC day. */
    public static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }
}

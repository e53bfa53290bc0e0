package io.waybill.local.kpi;

import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.kpi.DurationStats;
import io.waybill.domain.kpi.ExceptionStats;
import io.waybill.domain.kpi.FacilityKpis;
import io.waybill.domain.kpi.KpiCalculator;
import io.waybill.domain.kpi.KpiConfig;
import io.waybill.domain.kpi.LaneKpis;
import io.waybill.domain.kpi.OnTime;
import io.waybill.domain.kpi.ShipmentSchedule;
import io.waybill.domain.kpi.SupplyChainKpis;
import io.waybill.kpi.EventStoreScan;
import io.waybill.aws.kpi.DynamoDbKpiAggregates;
import io.waybill.kpi.KpiMetrics;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code waybill kpis}: reads the lane and facility aggregates the KPI aggregator keeps from the canonical stream
 * ({@link #fromAggregates}, as the deployed KPI publisher in {@code functions/kpi} does: O(lanes + facilities) items,
 * no scan of the event store; issue 12), assembles {@link SupplyChainKpis} with the given incidents, and prints a fixed-width report (lanes, then facilities). The
 * {@code --emf} documents come from {@link KpiMetrics}, the publisher's writer (here without a {@code Service}
 * dimension), and are then the only output on stdout (the report moves to stderr). Durations print as {@code h:mm} (hours may exceed 24; seconds are truncated), percentages with
 * one decimal, and {@code -} where a figure is undefined.
 */
public final class KpiReport {
    /** The event store attribute holding the canonical event JSON (see {@code io.waybill.aws.eventstore.EventItem}). */
    public static final String EVENT_JSON_ATTRIBUTE = EventStoreScan.EVENT_JSON_ATTRIBUTE;
    public static final String OPTION_AS_OF = "--as-of";
    public static final String OPTION_EMF = "--emf";
    private static final Set<String> OPTIONS = Set.of(OPTION_AS_OF, OPTION_EMF);

    private KpiReport() {
    }

    /** Events read from the store: {@link EventStoreScan.ScannedEvents}. */
    public static EventStoreScan.ScannedEvents scanEvents(DynamoDbClient dynamo, String eventsTable) {
        return EventStoreScan.scan(dynamo, eventsTable);
    }

    /**
     * @param pageLimit items per Scan page (DynamoDB {@code Limit}), or null for DynamoDB's 1 MB pages
     */
    public static EventStoreScan.ScannedEvents scanEvents(DynamoDbClient dynamo, String eventsTable,
                                                          Integer pageLimit) {
        return EventStoreScan.scan(dynamo, eventsTable, pageLimit);
    }

    /** Scan + compute, with the default config, no exposure figures and no schedule. */
    public static SupplyChainKpis compute(DynamoDbClient dynamo, String eventsTable,
                                          Collection<ShipmentIncident> incidents, Instant asOf) {
        return compute(scanEvents(dynamo, eventsTable).events(), incidents, null, null, asOf, KpiConfig.defaults());
    }

    public static SupplyChainKpis compute(Collection<CanonicalEvent> events, Collection<ShipmentIncident> incidents,
                                          Map<String, ExposureFigures> exposure, ShipmentSchedule schedule,
                                          Instant asOf, KpiConfig config) {
        return new KpiCalculator(config).compute(events, incidents, exposure, schedule, asOf);
    }

    /**
     * The entry for {@code ./waybill kpis}. Options (keys as typed): {@code --as-of ISO-8601-instant} (default: now),
     * {@code --emf} (any value but {@code false}). Without {@code --emf} the report goes to {@code out}; with it
     * {@code out} carries only the EMF documents (one per lane and facility, one JSON object a line) and the report
     * goes to {@code err}. Option errors go to {@code err}.
     *
     * @param exposure each shipment's exposure figures, or null
     * @return 0, or 2 on an unknown option or an unparsable {@code --as-of}
     */
    public static int main(Map<String, String> options, DynamoDbClient dynamo, String aggregatesTable,
                           Collection<ShipmentIncident> incidents, Map<String, ExposureFigures> exposure,
                           PrintStream out, PrintStream err) {
        return main(options, dynamo, aggregatesTable, incidents, exposure, out, err, Clock.systemUTC());
    }

    /**
     * The KPIs from the aggregates the KPI aggregator keeps (issue 12), as the deployed publisher reads them: lanes and
     * facilities (one Query each), network totals, and the movements of the shipments named by an incident or an
     * exposure figure; no scan of the event store.
     */
    public static SupplyChainKpis fromAggregates(DynamoDbClient dynamo, String aggregatesTable,
                                                 Collection<ShipmentIncident> incidents,
                                                 Map<String, ExposureFigures> exposure, Instant asOf) {
        DynamoDbKpiAggregates aggregates = new DynamoDbKpiAggregates(dynamo, aggregatesTable);
        Collection<ShipmentIncident> all = incidents == null ? List.of() : incidents;
        java.util.Set<String> named = new java.util.TreeSet<>(exposure == null ? java.util.Set.of() : exposure.keySet());
        all.forEach(i -> named.add(i.shipmentSscc()));
        DynamoDbKpiAggregates.Totals totals = aggregates.totals();
        return new KpiCalculator(KpiConfig.defaults()).assemble(asOf, (int) totals.movements(),
                (int) totals.shipments(), aggregates.lanes(), aggregates.facilities(), aggregates.movements(named),
                all, exposure);
    }

    static int main(Map<String, String> options, DynamoDbClient dynamo, String aggregatesTable,
                    Collection<ShipmentIncident> incidents, Map<String, ExposureFigures> exposure, PrintStream out,
                    PrintStream err, Clock clock) {
        Map<String, String> opts = options == null ? Map.of() : options;
        for (String key : opts.keySet()) {
            if (!OPTIONS.contains(key)) {
                err.println("kpis: unknown option " + key + " (known: " + OPTION_AS_OF + ", " + OPTION_EMF + ")");
                return 2;
            }
        }
        Instant asOf;
        try {
            String given = opts.get(OPTION_AS_OF);
            asOf = given == null || given.isBlank() ? clock.instant() : Instant.parse(given.trim());
        } catch (DateTimeParseException e) {
            err.println("kpis: " + OPTION_AS_OF + " must be an ISO-8601 instant such as 2026-11-27T00:00:00Z, was '"
                    + opts.get(OPTION_AS_OF) + "'");
            return 2;
        }
        boolean emf = opts.containsKey(OPTION_EMF) && !"false".equalsIgnoreCase(String.valueOf(opts.get(OPTION_EMF)));
        SupplyChainKpis kpis = fromAggregates(dynamo, aggregatesTable, incidents, exposure, asOf);
        PrintStream report = emf ? err : out;
        print(kpis, report);
        report.flush();
        if (emf) {
            KpiMetrics.toStream(out).emit(kpis);
        }
        out.flush();
        return 0;
    }

    static final String LANE_FORMAT = "%-29s %5s %5s %6s %8s %8s %8s %7s %7s %9s %8s %8s %8s %6s %6s %5s %5s %8s %8s %9s%n";
    static final String FACILITY_FORMAT = "%-14s %7s %8s %6s %7s %8s %8s %8s %5s %5s %9s%n";

    /** The fixed-width report. */
    public static void print(SupplyChainKpis k, PrintStream out) {
        ExceptionStats all = k.exceptions();
        out.printf(Locale.ROOT, "Waybill supply-chain KPIs as of %s%n", k.asOf());
        out.printf(Locale.ROOT, "events %d, shipments %d, exceptions %d (open %d, spoilage %d, unattributed %d)%n",
                k.events(), k.shipments(), all.total(), all.open(), all.spoilage(), k.unattributedExceptions());
        out.println("durations h:mm; on-time % of judged (unplanned = no plan, not late); TOR/degree-min summed over "
                + "the lane's shipments");
        out.println();
        out.printf(Locale.ROOT, "LANES (%d)%n", k.lanes().size());
        out.printf(Locale.ROOT, LANE_FORMAT, "LANE", "SHIPS", "LEGS", "TRANS", "TT_P50", "TT_P90", "TT_MEAN",
                "DEP_OT%", "ARR_OT%", "UNPL_D/A", "TOR_MIN", "DM_ABOVE", "DM_BELOW", "TOR>0", "SPOIL", "EXC",
                "OPEN", "RES_P50", "RES_P90", "OLDEST");
        for (LaneKpis l : k.lanes().values()) {
            ExceptionStats e = l.exceptions();
            out.printf(Locale.ROOT, LANE_FORMAT, l.lane().label(), l.shipments(), l.legs(), l.inTransit(),
                    hm(l.transit().p50()), hm(l.transit().p90()), hm(l.transit().mean()),
                    pct(l.departures()), pct(l.arrivals()),
                    l.departures().unplanned() + "/" + l.arrivals().unplanned(),
                    num(l.exposure().torMinutes()), num(l.exposure().degreeMinutesAbove()),
                    num(l.exposure().degreeMinutesBelow()), l.exposure().shipmentsWithTor(), e.spoilage(),
                    e.total(), e.open(), hm(e.resolution().p50()), hm(e.resolution().p90()), hm(e.oldestOpenAge()));
        }
        out.println();
        out.printf(Locale.ROOT, "FACILITIES (%d)%n", k.facilities().size());
        out.printf(Locale.ROOT, FACILITY_FORMAT, "FACILITY", "ARRIVED", "DEPARTED", "VISITS", "PRESENT",
                "DW_P50", "DW_P90", "DW_MEAN", "EXC", "OPEN", "OLDEST");
        for (FacilityKpis f : k.facilities().values()) {
            DurationStats d = f.dwell();
            out.printf(Locale.ROOT, FACILITY_FORMAT, f.gln(), f.shipmentsArrived(), f.shipmentsDeparted(),
                    f.visits(), f.present(), hm(d.p50()), hm(d.p90()), hm(d.mean()), f.exceptions().total(),
                    f.exceptions().open(), hm(f.exceptions().oldestOpenAge()));
        }
        out.println();
        DurationStats r = all.resolution();
        out.printf(Locale.ROOT, "EXCEPTIONS resolved %d (p50 %s, p90 %s), open %d (oldest %s)%n", r.count(),
                hm(r.p50()), hm(r.p90()), all.open(), hm(all.oldestOpenAge()));
    }

    /** {@code h:mm}, seconds truncated; {@code -} when absent. */
    static String hm(Optional<Duration> d) {
        if (d.isEmpty()) {
            return "-";
        }
        long minutes = d.get().toMinutes();
        String sign = minutes < 0 ? "-" : "";
        minutes = Math.abs(minutes);
        return String.format(Locale.ROOT, "%s%d:%02d", sign, minutes / 60, minutes % 60);
    }

    static String pct(OnTime t) {
        OptionalDouble p = t.percent();
        return p.isPresent() ? String.format(Locale.ROOT, "%.1f", p.getAsDouble()) : "-";
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

package io.waybill.domain.kpi;

import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.coldchain.TemperatureBand;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CustodyTransferred;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.incident.ShipmentIncident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Real-shaped test data: GS1 GLNs and SSCCs with valid check digits, and the "network" scenario whose KPIs
 * {@link KpiCalculatorTest} computes by hand.
 */
final class KpiFixtures {
    /** Distribution centre. */
    static final String DC = "0614141000005";
    /** Cross-dock hub. */
    static final String HUB = "0614141000012";
    /** Store. */
    static final String STORE = "0614141000029";
    /** Another site (only named by a re-routed departure). */
    static final String DEPOT = "0614141000036";

    static final String S1 = "106141410000000019";
    static final String S2 = "106141410000000026";
    static final String S3 = "106141410000000033";
    static final String S4 = "106141410000000040";
    static final String S5 = "106141410000000057";
    static final String S6 = "106141410000000064";

    static final Lane DC_HUB = new Lane(DC, HUB);
    static final Lane HUB_STORE = new Lane(HUB, STORE);
    static final Lane DC_UNKNOWN = new Lane(DC, Lane.UNKNOWN_GLN);

    /** The day of the scenario: 2026-11-20, all times UTC. */
    static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    /** asOf of the scenario: midnight after the day. */
    static final Instant AS_OF = at("24:00");

    private KpiFixtures() {
    }

    /** {@code hh:mm} on {@link #DAY} (24:00 and beyond allowed). */
    static Instant at(String hhmm) {
        String[] p = hhmm.split(":");
        return DAY.plus(Duration.ofHours(Integer.parseInt(p[0]))).plus(Duration.ofMinutes(Integer.parseInt(p[1])));
    }

    static CanonicalEvent departed(String id, String sscc, String fromGln, String hhmm) {
        return event(id, at(hhmm), new ShipmentDeparted(sscc, fromGln, null, 1204.5, "SWIFTLOG"));
    }

    static CanonicalEvent arrived(String id, String sscc, String atGln, String hhmm) {
        return event(id, at(hhmm), new ShipmentArrived(sscc, atGln, null, 1204.5));
    }

    static CanonicalEvent event(String id, Instant time, EventData data) {
        return new CanonicalEvent(id, "urn:waybill:swiftlog:SWIFTLOG", EventType.of(data).type(), time,
                data.subject(), time, time.plusSeconds(2), null, time.plusSeconds(3), -3000, false, "swiftlog", null,
                data);
    }

    static ExposureFigures exposure(double torMinutes, double degreeMinutesAbove, double degreeMinutesBelow) {
        Duration tor = Duration.ofSeconds(Math.round(torMinutes * 60));
        return new ExposureFigures(TemperatureBand.between(2, 8), 10, Optional.of(DAY), Optional.of(DAY.plusSeconds(3600)),
                Duration.ofHours(1), tor, tor, Duration.ZERO, degreeMinutesAbove, degreeMinutesBelow,
                OptionalDouble.of(5.0), OptionalDouble.of(9.0), OptionalDouble.of(4.0));
    }

    /**
     * S1: DC 08:00 -> HUB 12:00 (4 h), HUB 14:00 -> STORE 16:00 (dwell 2 h, transit 2 h).
     * S2: DC 09:00 -> HUB 15:00 (6 h), still at HUB.
     * S3: DC 10:00 -> in transit.
     * S4: DC 07:00 -> HUB 10:00 (3 h), HUB 11:30 -> STORE 14:30 (dwell 1.5 h, transit 3 h).
     * Plus one custody event for S1 at the store: 12 events.
     */
    static List<CanonicalEvent> networkEvents() {
        List<CanonicalEvent> e = new ArrayList<>();
        e.add(departed("S1-dep-dc", S1, DC, "08:00"));
        e.add(arrived("S1-arr-hub", S1, HUB, "12:00"));
        e.add(departed("S1-dep-hub", S1, HUB, "14:00"));
        e.add(arrived("S1-arr-store", S1, STORE, "16:00"));
        e.add(event("S1-pod", at("16:10"), new CustodyTransferred(S1, HUB, STORE, STORE)));
        e.add(departed("S2-dep-dc", S2, DC, "09:00"));
        e.add(arrived("S2-arr-hub", S2, HUB, "15:00"));
        e.add(departed("S3-dep-dc", S3, DC, "10:00"));
        e.add(departed("S4-dep-dc", S4, DC, "07:00"));
        e.add(arrived("S4-arr-hub", S4, HUB, "10:00"));
        e.add(departed("S4-dep-hub", S4, HUB, "11:30"));
        e.add(arrived("S4-arr-store", S4, STORE, "14:30"));
        return e;
    }

    /**
     * S1 plan 08:00 / 15:30; S2 plan departure 08:50 only; S3 plan departure 09:30 only; S4 no plan. Lane DC->HUB
     * allows 5 h of transit; HUB->STORE has no allowance.
     */
    static ShipmentSchedule networkSchedule() {
        return ShipmentSchedule.empty()
                .withPlan(S1, at("08:00"), at("15:30"))
                .withPlan(S2, at("08:50"), null)
                .withPlan(S3, at("09:30"), null)
                .withAllowedTransit(DC_HUB, Duration.ofHours(5));
    }

    /** S1 30 min TOR, S2 10 min, S4 none; S3 has no figures. */
    static Map<String, ExposureFigures> networkExposure() {
        return Map.of(S1, exposure(30, 45.0, 0.0), S2, exposure(10, 5.0, 2.5), S4, exposure(0, 0.0, 0.0));
    }

    /**
     * I1 S1 MAJOR breach in DC->HUB, resolved after 2 h; I2 S1 MINOR breach at HUB, open; I3 S2 CRITICAL breach in
     * DC->HUB, acknowledged (open); I4 S4 MAJOR breach in HUB->STORE, resolved after 6 h; I5 S3 probe fault in
     * DC->?, resolved after 45 min; I6 unknown shipment S5, open since 05:00; I7 opened after asOf; I8 S2 at HUB,
     * resolved only after asOf.
     */
    static List<ShipmentIncident> networkIncidents() {
        return List.of(
                incident("I1", S1, "COLD_CHAIN_BREACH", "MAJOR", "10:05", "10:00").resolve(at("12:05"), "released"),
                incident("I2", S1, "COLD_CHAIN_BREACH", "MINOR", "13:01", "13:00"),
                incident("I3", S2, "COLD_CHAIN_BREACH", "CRITICAL", "11:00", "11:00").acknowledge(at("11:30")),
                incident("I4", S4, "COLD_CHAIN_BREACH", "MAJOR", "12:10", "12:00").resolve(at("18:10"), "destroyed"),
                incident("I5", S3, "PROBE_FAULT", "MAJOR", "11:00", "11:00").resolve(at("11:45"), "probe replaced"),
                incident("I6", S5, "COLD_CHAIN_BREACH", "MAJOR", "05:00", "04:50"),
                incident("I7", S1, "COLD_CHAIN_BREACH", "CRITICAL", "25:00", "23:00"),
                incident("I8", S2, "COLD_CHAIN_BREACH", "MINOR", "16:00", "16:00").resolve(at("26:00"), "released"));
    }

    static ShipmentIncident incident(String id, String sscc, String kind, String severity, String openedAt,
                                     String evidenceAt) {
        return ShipmentIncident.open(id, sscc, kind, severity, kind + " " + severity, at(openedAt), at(evidenceAt), 50);
    }

    static Duration h(double hours) {
        return Duration.ofSeconds(Math.round(hours * 3600));
    }
}

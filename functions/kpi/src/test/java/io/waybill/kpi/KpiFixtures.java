package io.waybill.kpi;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.incident.ShipmentIncident;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Three shipments over three facilities and two incidents. Published in this module's test jar: local-runtime's
 * KPI tests store the same network in the emulated event store.
 */
public final class KpiFixtures {
    public static final String DC = "0614141000005";
    public static final String HUB = "0614141000012";
    public static final String STORE = "0614141000029";
    public static final String S1 = "106141410000000019";
    public static final String S2 = "106141410000000026";
    public static final String S3 = "106141410000000033";
    public static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    public static final Instant AS_OF = Instant.parse("2026-11-21T00:00:00Z");

    private KpiFixtures() {
    }

    /**
     * S1: DC 08:00 -> HUB 12:00 (4 h), HUB 14:00 (dwell 2 h) -> STORE 16:00 (2 h).
     * S2: DC 09:00 -> HUB 15:00 (6 h), still at HUB. S3: DC 10:00, in transit.
     */
    public static List<CanonicalEvent> events() {
        return List.of(
                event("S1-1", "08:00", new ShipmentDeparted(S1, DC, null, 980.0, "SWIFTLOG")),
                event("S1-2", "12:00", new ShipmentArrived(S1, HUB, null, 980.0)),
                event("S1-3", "14:00", new ShipmentDeparted(S1, HUB, null, 980.0, "SWIFTLOG")),
                event("S1-4", "16:00", new ShipmentArrived(S1, STORE, null, 980.0)),
                event("S2-1", "09:00", new ShipmentDeparted(S2, DC, null, 640.0, "SWIFTLOG")),
                event("S2-2", "15:00", new ShipmentArrived(S2, HUB, null, 640.0)),
                event("S3-1", "10:00", new ShipmentDeparted(S3, DC, null, 410.0, "SWIFTLOG")));
    }

    /** I1: S1 MAJOR breach in DC->HUB, resolved after 2 h. I2: S2 CRITICAL breach in DC->HUB, open since 11:00. */
    public static List<ShipmentIncident> incidents() {
        return List.of(
                ShipmentIncident.open("I1", S1, "COLD_CHAIN_BREACH", "MAJOR", "breach", at("10:05"), at("10:00"), 60)
                        .resolve(at("12:05"), "released"),
                ShipmentIncident.open("I2", S2, "COLD_CHAIN_BREACH", "CRITICAL", "breach", at("11:00"), at("11:00"),
                        90));
    }

    public static Instant at(String hhmm) {
        String[] p = hhmm.split(":");
        return DAY.plus(Duration.ofHours(Integer.parseInt(p[0])).plusMinutes(Integer.parseInt(p[1])));
    }

    public static CanonicalEvent event(String id, String hhmm, EventData data) {
        Instant t = at(hhmm);
        return new CanonicalEvent(id, "urn:waybill:swiftlog:SWIFTLOG", EventType.of(data).type(), t, data.subject(),
                t, t.plusSeconds(1), null, t.plusSeconds(2), -1000, false, "swiftlog", null, data);
    }
}

package io.waybill.domain.forecast;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.InventoryObserved;
import io.waybill.domain.event.ShipmentDeparted;

import java.time.Instant;
import java.util.List;

/** Canonical events for the demand tests. */
public final class DemandEvents {
    /** GS1's example SGTIN class 0614141.812345 is GTIN-14 80614141123458 (TDS); 0614141.012345 worked by hand. */
    public static final String[] ITEM_CLASSES = {"0614141.812345", "0614141.012345"};
    public static final String[] GTINS = {"80614141123458", "00614141123452"};
    public static final String GLN_A = "0614141000012";
    public static final String GLN_B = "0614141000029";

    private DemandEvents() {
    }

    public static String sgtin(int itemClass, int serial) {
        return "urn:epc:id:sgtin:" + ITEM_CLASSES[itemClass] + "." + serial;
    }

    public static String sscc(int n) {
        return String.format("%018d", 106141410000000000L + n);
    }

    public static CanonicalEvent observed(String id, Instant time, String sscc, List<String> epcs) {
        return event(id, time, new InventoryObserved(GLN_A, "reader-1", epcs, sscc));
    }

    public static CanonicalEvent departed(String id, Instant time, String sscc, String fromGln) {
        return event(id, time, new ShipmentDeparted(sscc, fromGln, null, null, null));
    }

    private static CanonicalEvent event(String id, Instant time, EventData data) {
        return new CanonicalEvent(id, "urn:waybill:test:demand", EventType.of(data).type(), time, data.subject(),
                time, null, null, time.plusSeconds(1), 0, false, "test", null, data);
    }
}

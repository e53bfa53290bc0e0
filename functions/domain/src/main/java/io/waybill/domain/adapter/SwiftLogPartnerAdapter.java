package io.waybill.domain.adapter;

import io.waybill.domain.event.CustodyTransferred;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.identity.Gln;
import io.waybill.domain.identity.Sscc;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.DeviceTimestamps;
import io.waybill.domain.units.MassUnit;
import io.waybill.domain.units.Masses;

import java.time.Instant;

/**
 * SwiftLog, a 3PL partner: shipment status messages with a message id, status codes DEP/ARR/POD/HND, the SSCC in
 * GS1 element-string form {@code (00)...}, UTC ISO times, and weights with a UN/ECE unit code (usually LBR). They
 * arrive as EventBridge {@code ShipmentStatus} events on the partner bus; the partner ingress function
 * ({@code io.waybill.domain.partner.ingress.PartnerIngress}) resolves the 3PL from the event's account and source and
 * writes the route {@code swiftlog/<partnerId>}. It is the only writer of this route: the IoT rule drops the
 * {@code swiftlog} device topic and any payload carrying a {@code wb_*} field.
 */
public final class SwiftLogPartnerAdapter implements VendorAdapter {
    public static final String ID = "swiftlog";

    @Override
    public String id() {
        return ID;
    }

    /** A partner, reached through the partner ingress function only, not a device: the device registry does not apply. */
    @Override
    public boolean device() {
        return false;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload p, String producerId) {
        String messageId = p.text("messageId");
        String sscc = Sscc.parse(p.text("sscc"), "sscc");
        Instant at = DeviceTimestamps.fromIso(p.text("eventTimeUtc"), "eventTimeUtc");
        String facility = p.optionalText("facility.gln").map(g -> Gln.parse(g, "facility.gln")).orElse(null);
        String status = p.text("statusCode");
        EventData data = switch (status) {
            case "DEP" -> new ShipmentDeparted(sscc, facility, null, weightKg(p), p.optionalText("carrier").orElse(null));
            case "ARR" -> new ShipmentArrived(sscc, facility, null, weightKg(p));
            case "POD", "HND" -> new CustodyTransferred(sscc, Gln.parse(p.text("handover.fromGln"), "handover.fromGln"),
                    Gln.parse(p.text("handover.toGln"), "handover.toGln"), facility);
            default -> throw new RejectedRecordException(RejectionReason.UNKNOWN_CODE,
                    "statusCode '" + status + "' is not DEP, ARR, POD or HND");
        };
        return new AdaptedEvent(data, at, messageId, null);
    }

    private static Double weightKg(VendorPayload p) {
        if (!p.has("grossWeight")) {
            return null;
        }
        MassUnit unit = MassUnit.parse(p.text("grossWeight.uom"));
        return Masses.requirePlausibleKilograms(unit.toKilograms(p.decimal("grossWeight.value")), "grossWeight.value");
    }
}

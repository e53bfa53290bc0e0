package io.waybill.domain.adapter;

import io.waybill.domain.event.ShipmentPlanned;
import io.waybill.domain.identity.Gln;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.DeviceTimestamps;

import java.time.Instant;
import java.util.List;

/**
 * A supplier's advance ship notice ({@code asn}, EventBridge detail-type {@code AdvanceShipNotice}): one revision of
 * the notice per message, sent by the supplier through the partner bus ({@code wb_route} {@code asn/<partnerId>},
 * set by the partner ingress function from the sender's account and source, never from the payload): the SSCC,
 * ship-from and ship-to GLNs, ship date and expected delivery, the supplier's GLN (the shipper), optionally the
 * buyer's GLN (the consignee). → {@code waybill.shipment.planned.v1}; the id is {@code <asnNumber>-r<revision>}, so
 * a resent revision is a duplicate and each revision its own event. The format is in {@code events-samples/README.md}.
 */
public final class AdvanceShipNoticeAdapter implements VendorAdapter {
    public static final String ID = "asn";

    @Override
    public String id() {
        return ID;
    }

    /** A partner, reached through the partner ingress function only, not a device. */
    @Override
    public boolean device() {
        return false;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload p, String producerId) {
        PlanRevision plan = PlanRevision.read(p, "asnNumber");
        String shipFrom = Gln.parse(p.text("shipFrom.gln"), "shipFrom.gln");
        String shipTo = Gln.parse(p.text("shipTo.gln"), "shipTo.gln");
        String supplier = Gln.parse(p.text("supplier.gln"), "supplier.gln");
        String buyer = p.optionalText("buyer.gln").map(g -> Gln.parse(g, "buyer.gln")).orElse(null);
        Instant shipDate = DeviceTimestamps.fromIso(p.text("shipDate"), "shipDate");
        Instant expected = p.optionalText("expectedDelivery")
                .map(t -> DeviceTimestamps.fromIso(t, "expectedDelivery")).orElse(null);
        if (expected != null && expected.isBefore(shipDate)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "expectedDelivery " + expected + " is before shipDate " + shipDate);
        }
        ShipmentPlanned data = new ShipmentPlanned(plan.sscc(), plan.productClass(), shipFrom, shipTo, shipDate, expected, List.of(),
                supplier, buyer);
        return new AdaptedEvent(data, plan.issuedAt(), plan.messageId(), null);
    }
}

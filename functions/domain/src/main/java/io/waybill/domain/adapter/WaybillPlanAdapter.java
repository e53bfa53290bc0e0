package io.waybill.domain.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.event.ShipmentPlanned;
import io.waybill.domain.identity.Gln;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.DeviceTimestamps;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Waybill's shipment master-data format ({@code waybill-plan}): a planning system (the shipper's TMS, the ops team)
 * sends one plan revision per message over the partner route: SSCC, product class, origin and destination GLNs, planned
 * departure and arrival, the monitoring devices, optionally shipper and consignee. The producer is the route's
 * authenticated partner id ({@code wb_route} {@code waybill-plan/<partnerId>}), never a field of the payload.
 * → {@code waybill.shipment.planned.v1}; the id is {@code <planId>-r<revision>}, so a resent revision is a duplicate
 * and each revision is its own event.
 */
public final class WaybillPlanAdapter implements VendorAdapter {
    public static final String ID = "waybill-plan";
    /** At most this many monitoring devices in one plan (the schema's {@code maxItems}). */
    public static final int MAX_MONITORING_DEVICES = 100;
    /** A product class name as the catalog writes it (after lower-casing). */
    public static final Pattern PRODUCT_CLASS_NAME = PlanRevision.PRODUCT_CLASS_NAME;
    /** A device as the route names it: an IoT thing name (the characters a {@code wb_route} producer may have). */
    public static final Pattern THING_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    public String id() {
        return ID;
    }

    /** A partner, reached through the partner route, not a device: the device registry does not apply. */
    @Override
    public boolean device() {
        return false;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload p, String producerId) {
        PlanRevision plan = PlanRevision.read(p, "planId");
        String origin = Gln.parse(p.text("origin.gln"), "origin.gln");
        String destination = Gln.parse(p.text("destination.gln"), "destination.gln");
        Instant departure = p.optionalText("plannedDeparture")
                .map(t -> DeviceTimestamps.fromIso(t, "plannedDeparture")).orElse(null);
        Instant arrival = p.optionalText("plannedArrival")
                .map(t -> DeviceTimestamps.fromIso(t, "plannedArrival")).orElse(null);
        if (departure != null && arrival != null && arrival.isBefore(departure)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "plannedArrival " + arrival + " is before plannedDeparture " + departure);
        }
        String shipper = p.optionalText("shipper.gln").map(g -> Gln.parse(g, "shipper.gln")).orElse(null);
        String consignee = p.optionalText("consignee.gln").map(g -> Gln.parse(g, "consignee.gln")).orElse(null);
        ShipmentPlanned data = new ShipmentPlanned(plan.sscc(), plan.productClass(), origin, destination, departure, arrival,
                devices(p), shipper, consignee);
        return new AdaptedEvent(data, plan.issuedAt(), plan.messageId(), null);
    }

    private static List<String> devices(VendorPayload p) {
        JsonNode list = p.node("monitoringDevices").orElse(null);
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "monitoringDevices must be an array of thing names, got " + list.getNodeType());
        }
        if (list.size() > MAX_MONITORING_DEVICES) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "monitoringDevices holds " + list.size() + " devices, at most " + MAX_MONITORING_DEVICES);
        }
        List<String> devices = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            String path = "monitoringDevices[" + i + "]";
            if (!d.isTextual() || d.asText().isBlank()) {
                throw new RejectedRecordException(RejectionReason.MISSING_FIELD, path + " must be a thing name");
            }
            String thing = d.asText().strip();
            if (!THING_NAME.matcher(thing).matches()) {
                throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                        path + " '" + thing + "' is not a thing name (" + THING_NAME.pattern() + ")");
            }
            devices.add(thing);
        }
        return devices;
    }
}

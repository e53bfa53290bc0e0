package io.waybill.opsapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.ShipmentAssignment;

import java.util.Objects;

/**
 * {@code GET /devices} (filter by status) and {@code GET /devices/{deviceId}}: the registry's devices with when each
 * was last heard from; one device adds its assignments, signing sequences and the gaps in its evidence's sequence
 * numbers on the shipments it was assigned to.
 */
final class DeviceRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    static final String ROOT = "devices";
    /** Thing names are at most 128 characters (AWS IoT). */
    static final int MAX_DEVICE_ID = 128;

    private final DeviceReadModel devices;

    DeviceRoutes(DeviceReadModel devices) {
        this.devices = Objects.requireNonNull(devices, "devices");
    }

    @Override
    public String root() {
        return ROOT;
    }

    @Override
    public ApiResponse route(Call call) {
        if (call.size() == 1) {
            call.allow("GET", Caller.READ);
            Query q = call.query();
            DeviceStatus status = q.enumValue("status", DeviceStatus.class);
            String token = q.text("pageToken", 2048);
            return call.page(devices.list(status, token, q.limit()), DeviceRoutes::summaryJson);
        }
        if (call.size() != 2) {
            return null;
        }
        call.allow("GET", Caller.READ);
        String deviceId = call.decoded(1, "deviceId");
        if (deviceId.isEmpty() || deviceId.length() > MAX_DEVICE_ID) {
            throw Problem.invalidParam("deviceId", "1 to " + MAX_DEVICE_ID + " characters");
        }
        return devices.find(deviceId).map(d -> call.ok(detailJson(d)))
                .orElseThrow(() -> Problem.notFound("no device " + deviceId));
    }

    static ObjectNode summaryJson(DeviceReadModel.Summary s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("deviceId", s.deviceId());
        Json.text(n, "adapter", s.adapter());
        n.put("status", s.status().name());
        n.put("scope", s.scope().name());
        Json.instant(n, "registeredAt", s.registeredAt());
        Json.instant(n, "revokedAt", s.revokedAt());
        Json.instant(n, "lastSeenAt", s.lastSeenAt());
        return n;
    }

    static ObjectNode detailJson(DeviceReadModel.Detail d) {
        ObjectNode n = summaryJson(d.summary());
        ArrayNode assignments = n.putArray("assignments");
        for (ShipmentAssignment a : d.assignments()) {
            ObjectNode o = assignments.addObject();
            o.put("shipmentSscc", a.sscc());
            Json.instant(o, "from", a.from());
            Json.instant(o, "until", a.until());
        }
        ArrayNode sequences = n.putArray("signingSequences");
        d.signingSequences().forEach((kid, seq) -> sequences.addObject().put("keyId", kid).put("lastSequence", seq));
        if (d.gaps() != null) {
            ObjectNode gaps = n.putObject("sequenceGaps");
            gaps.put("shipmentsChecked", d.gapShipmentsChecked());
            gaps.put("missing", d.gaps().stream().mapToLong(g -> g.to() - g.from() + 1).sum());
            ArrayNode ranges = gaps.putArray("ranges");
            for (DeviceReadModel.SequenceGap g : d.gaps()) {
                ranges.addObject().put("shipmentSscc", g.shipmentSscc()).put("from", g.from()).put("to", g.to());
            }
        }
        return n;
    }
}

package io.waybill.domain.device;

import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A device as the registry knows it: the thing it is, the adapter its messages go through, whether it may report, the
 * keys its payloads are signed with and the shipments it is assigned to.
 *
 * @param thing        the AWS IoT thing name (the authenticated producer of {@code wb_route})
 * @param adapter      the adapter id its messages must come through (its topic's adapter level)
 * @param status       active or revoked
 * @param scope        whether its shipment events need an assignment
 * @param keys         signing keys by key id ({@link DeviceKeys#keyId}); empty: the device does not sign (a vendor
 *                     device that cannot); non-empty: every message must carry a valid {@code wb_sig}
 * @param assignments  the shipments it may report on, with their windows
 * @param lastSequence the highest signed sequence accepted so far per key id (absent: none yet)
 * @param registeredAt when it was registered
 */
public record RegisteredDevice(String thing, String adapter, DeviceStatus status, DeviceScope scope,
                               Map<String, ECPublicKey> keys, List<ShipmentAssignment> assignments,
                               Map<String, Long> lastSequence, Instant registeredAt) {
    public RegisteredDevice {
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(scope, "scope");
        keys = Map.copyOf(keys);
        assignments = List.copyOf(assignments);
        lastSequence = Map.copyOf(lastSequence);
    }

    /** Whether the device must sign every message. */
    public boolean signs() {
        return !keys.isEmpty();
    }

    /** Whether one of its assignments covers {@code sscc} at {@code time}. */
    public boolean assignedTo(String sscc, Instant time) {
        return assignments.stream().anyMatch(a -> a.covers(sscc, time));
    }
}

package io.waybill.opsapi;

import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.ShipmentAssignment;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Registered devices as the ops API reads them (port; DynamoDB adapter {@code io.waybill.opsapi.aws}). */
public interface DeviceReadModel {
    /**
     * @param lastSeenAt the latest stream arrival of a record ingest stored from it, or null when none is recorded
     */
    record Summary(String deviceId, String adapter, DeviceStatus status, DeviceScope scope, Instant registeredAt,
                   Instant revokedAt, Instant lastSeenAt) {
    }

    /** Sequence numbers {@code from..to} of the device's evidence on a shipment that the cold chain never received. */
    record SequenceGap(String shipmentSscc, long from, long to) {
    }

    /**
     * @param signingSequences by key id, the highest signed sequence ingest accepted
     * @param gaps             the holes in the cold chain's sequence ledgers of the device on its assigned shipments
     *                         (the most recent {@code gapShipmentsChecked}); null when the evidence store is not read
     */
    record Detail(Summary summary, List<ShipmentAssignment> assignments, Map<String, Long> signingSequences,
                  List<SequenceGap> gaps, int gapShipmentsChecked) {
    }

    /**
     * Devices, in the registry's scan order.
     *
     * @param status only devices of this status, or null
     * @throws PageTokenRefused when the token was not issued for this filter
     */
    Page<Summary> list(DeviceStatus status, String pageToken, int limit);

    Optional<Detail> find(String deviceId);
}

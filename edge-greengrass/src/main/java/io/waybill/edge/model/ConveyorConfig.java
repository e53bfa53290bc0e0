package io.waybill.edge.model;

import io.waybill.domain.event.ConveyorJammed.SignalUnit;

import java.util.Objects;

/**
 * What the {@link ConveyorEdgeModel} of one edge device needs.
 *
 * @param deviceId    the edge device (thing name): the messages' {@code deviceId} and the payload's
 *                    {@code edgeDeviceId}
 * @param facilityGln the site's GLN (13 digits, already validated), or null when not configured
 * @param unit        the drives' signal unit: motor current in A or RMS vibration in mm/s
 * @param jam         the detector settings, one detector per drive sensor
 */
public record ConveyorConfig(String deviceId, String facilityGln, SignalUnit unit, JamConfig jam) {
    public ConveyorConfig {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(jam, "jam");
        if (deviceId.isBlank()) {
            throw new IllegalArgumentException("deviceId is blank");
        }
        if (facilityGln != null && facilityGln.isBlank()) {
            facilityGln = null;
        }
    }
}

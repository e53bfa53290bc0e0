package io.waybill.edge.trace;

import io.waybill.edge.model.ProductBand;
import io.waybill.edge.model.ReeferConfig;
import io.waybill.edge.model.TemperatureReading;

import java.util.List;
import java.util.Objects;

/**
 * A reefer trip trace with its ground truth.
 *
 * @param deviceId           the edge device
 * @param shipmentSscc       the shipment in the container
 * @param band               the product band the ground truth refers to
 * @param readings           the readings in time order
 * @param incidents          everything that happens in the trace (reported or not)
 * @param expectedExcursions the excursions a detector must report, and no others
 */
public record ReeferTrace(String deviceId, String shipmentSscc, ProductBand band, List<TemperatureReading> readings,
                          List<TraceIncident> incidents, List<ExpectedExcursion> expectedExcursions) {
    public ReeferTrace {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(band, "band");
        readings = List.copyOf(readings);
        incidents = List.copyOf(incidents);
        expectedExcursions = List.copyOf(expectedExcursions);
    }

    /** The readings as trace rows (for {@link TraceWriter}). */
    public List<TraceSample> samples() {
        return readings.stream().map(TraceSample::of).toList();
    }

    public List<TraceIncident> incidents(TraceIncident.Kind kind) {
        return incidents.stream().filter(i -> i.kind() == kind).toList();
    }

    /** A reefer model config for this trace's device, shipment and band, other settings at their defaults. */
    public ReeferConfig.Builder reeferConfig() {
        return ReeferConfig.builder().deviceId(deviceId).shipmentSscc(shipmentSscc).band(band);
    }
}

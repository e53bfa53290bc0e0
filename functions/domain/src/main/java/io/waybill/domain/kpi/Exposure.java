package io.waybill.domain.kpi;

/**
 * Cold-chain exposure of the shipments on a lane, summed from the per-shipment
 * {@link io.waybill.domain.coldchain.ExposureFigures} (each shipment counted once per lane, see
 * {@link KpiCalculator}).
 *
 * @param shipmentsWithData  shipments on the lane that have exposure figures
 * @param shipmentsWithTor   of those, shipments with time out of range &gt; 0
 * @param torMinutes         Σ time out of range, minutes
 * @param degreeMinutesAbove Σ degree-minutes above the band, °C·min
 * @param degreeMinutesBelow Σ degree-minutes below the band, °C·min
 */
public record Exposure(int shipmentsWithData, int shipmentsWithTor, double torMinutes, double degreeMinutesAbove,
                       double degreeMinutesBelow) {
    public static final Exposure NONE = new Exposure(0, 0, 0.0, 0.0, 0.0);
}

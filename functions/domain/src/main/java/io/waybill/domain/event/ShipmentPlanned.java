package io.waybill.domain.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Shipment master data: what the planning system (a TMS, the shipper's order) says a shipment is and where it goes.
 * The event time is when this revision of the plan was issued: a later revision (later event time) replaces an
 * earlier one as a whole, whatever order they arrive in. Subject the SSCC. Produced by the {@code waybill-plan}
 * partner adapter ({@code events-samples/README.md}); the cold chain looks up a shipment's product class here.
 *
 * @param shipmentSscc      SSCC of the shipment (18 digits, check digit valid)
 * @param productClass      the name of the shipment's product class in the cold chain's product class catalog
 *                          (lower case, e.g. {@code chilled-biologics-2-8}); not checked against a catalog here: a
 *                          name the catalog does not know makes the shipment UNCLASSIFIED when it is judged
 * @param originGln         GLN of the place the shipment leaves from
 * @param destinationGln    GLN of the place it goes to
 * @param plannedDeparture  when it should leave the origin, or null
 * @param plannedArrival    when it should reach the destination, or null (not before the departure)
 * @param monitoringDevices the devices (IoT thing names) that watch it, de-duplicated and sorted; may be empty
 * @param shipperGln        GLN of the shipper (party), or null
 * @param consigneeGln      GLN of the consignee (party), or null
 */
public record ShipmentPlanned(String shipmentSscc, String productClass, String originGln, String destinationGln,
                              Instant plannedDeparture, Instant plannedArrival, List<String> monitoringDevices,
                              String shipperGln, String consigneeGln) implements EventData {
    public ShipmentPlanned {
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(productClass, "productClass");
        Objects.requireNonNull(originGln, "originGln");
        Objects.requireNonNull(destinationGln, "destinationGln");
        if (productClass.isBlank()) {
            throw new IllegalArgumentException("a plan names a product class");
        }
        if (plannedDeparture != null && plannedArrival != null && plannedArrival.isBefore(plannedDeparture)) {
            throw new IllegalArgumentException("planned arrival " + plannedArrival + " is before the planned departure "
                    + plannedDeparture);
        }
        monitoringDevices = monitoringDevices == null ? List.of() : List.copyOf(new TreeSet<>(monitoringDevices));
    }

    @Override
    public String subject() {
        return shipmentSscc;
    }
}

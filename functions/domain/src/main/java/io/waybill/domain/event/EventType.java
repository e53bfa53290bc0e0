package io.waybill.domain.event;

import java.util.Arrays;
import java.util.Optional;

/**
 * The canonical event types. The major version is part of the CloudEvents {@code type}; within a major
 * version a schema may only gain optional fields (checked at build time against {@code schemas/released/}).
 */
public enum EventType {
    INVENTORY_OBSERVED("waybill.inventory.observed.v1", InventoryObserved.class),
    SHIPMENT_DEPARTED("waybill.shipment.departed.v1", ShipmentDeparted.class),
    SHIPMENT_ARRIVED("waybill.shipment.arrived.v1", ShipmentArrived.class),
    SHIPMENT_LOCATED("waybill.shipment.located.v1", ShipmentLocated.class),
    TEMPERATURE_OBSERVED("waybill.temperature.observed.v1", TemperatureObserved.class),
    TEMPERATURE_BREACHED("waybill.temperature.breached.v1", TemperatureBreached.class),
    CUSTODY_TRANSFERRED("waybill.custody.transferred.v1", CustodyTransferred.class),
    WORK_ORDER_COMPLETED("waybill.workorder.completed.v1", WorkOrderCompleted.class),
    PROVENANCE_RECORDED("waybill.provenance.recorded.v1", ProvenanceRecorded.class),
    CONVEYOR_JAMMED("waybill.conveyor.jammed.v1", ConveyorJammed.class),
    INCIDENT_ACTIONED("waybill.incident.actioned.v1", IncidentActioned.class),
    SHIPMENT_PLANNED("waybill.shipment.planned.v1", ShipmentPlanned.class),
    ERROR_DECLARED("waybill.error.declared.v1", ErrorDeclared.class);

    /** Base of every schema's {@code $id}; the file name under {@code schemas/events/} is the type plus {@code .schema.json}. */
    public static final String SCHEMA_BASE_URI = "https://schemas.waybill.io/events/";

    private final String type;
    private final Class<? extends EventData> dataClass;

    EventType(String type, Class<? extends EventData> dataClass) {
        this.type = type;
        this.dataClass = dataClass;
    }

    /** The CloudEvents {@code type} attribute, e.g. {@code waybill.shipment.departed.v1}. */
    public String type() {
        return type;
    }

    /** The CloudEvents {@code dataschema} attribute: the {@code $id} of this type's JSON Schema. */
    public String dataschema() {
        return SCHEMA_BASE_URI + type + ".schema.json";
    }

    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    public static Optional<EventType> fromType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }

    public static EventType of(EventData data) {
        return Arrays.stream(values()).filter(t -> t.dataClass == data.getClass()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event type for " + data.getClass()));
    }
}

package io.waybill.domain.event;

/**
 * The {@code data} of a canonical event. Every implementation is an immutable record whose field names state
 * their unit ({@code Celsius}, {@code Kg}, {@code Seconds}) and whose identities are GS1 keys.
 */
public sealed interface EventData permits InventoryObserved, ShipmentDeparted, ShipmentArrived, ShipmentLocated,
        TemperatureObserved, TemperatureBreached, CustodyTransferred, WorkOrderCompleted, ProvenanceRecorded,
        ConveyorJammed, IncidentActioned, ShipmentPlanned, ErrorDeclared {

    /**
     * The CloudEvents {@code subject}: the thing this event is about. For shipment-scoped events the SSCC
     * (18 digits, check digit valid); otherwise the most specific GS1 key the event has, or, for equipment that has
     * none, {@code urn:waybill:equipment:<edgeDeviceId>:<equipmentId>}.
     */
    String subject();
}

package io.waybill.local.demo;

import io.waybill.domain.device.RegisteredDevice;

import java.util.List;

/**
 * Traffic to publish, in publish order, with what the pipeline must make of it.
 *
 * @param records        every record to put on the stream, duplicates and poison included, in publish order
 * @param distinctEvents number of distinct events among them (what the event store must end up holding)
 * @param duplicateSends number of extra sends (records that repeat an earlier one)
 * @param poisonRecords  number of malformed or hostile records
 * @param shipments      the shipments, with their record counts
 * @param devices        the registry entries of the devices that produced the records (adapter, scope, keys, and
 *                       for the travelling devices an assignment to their shipment over its trip): what onboarding
 *                       registers before they report, so that ingest with the registry enforced accepts the traffic
 */
public record GeneratedTraffic(List<TrafficRecord> records, int distinctEvents, int duplicateSends, int poisonRecords,
                               List<String> shipments, List<RegisteredDevice> devices) {
    public GeneratedTraffic {
        records = List.copyOf(records);
        shipments = List.copyOf(shipments);
        devices = List.copyOf(devices);
    }

    /**
     * One record to put.
     *
     * @param payload      the raw bytes, as the IoT rule or partner gateway would put them
     * @param partitionKey the producer (thing name or partner id), as the IoT rule's partition key
     * @param shipmentSscc the shipment it is about, or null for poison
     * @param firstSend    false when it repeats an earlier record
     */
    public record TrafficRecord(byte[] payload, String partitionKey, String shipmentSscc, boolean firstSend) {
    }
}

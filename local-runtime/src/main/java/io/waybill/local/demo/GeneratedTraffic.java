package io.waybill.local.demo;

import java.util.List;

/**
 * Traffic to publish, in publish order, with what the pipeline must make of it.
 *
 * @param records        every record to put on the stream, duplicates and poison included, in publish order
 * @param distinctEvents number of distinct events among them (what the event store must end up holding)
 * @param duplicateSends number of extra sends (records that repeat an earlier one)
 * @param poisonRecords  number of malformed or hostile records
 * @param shipments      the shipments, with their record counts
 */
public record GeneratedTraffic(List<TrafficRecord> records, int distinctEvents, int duplicateSends, int poisonRecords,
                               List<String> shipments) {

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

package io.waybill.domain.partner.ingress;

import java.util.Objects;

/**
 * A raw record for the ingest stream made from an admitted partner event.
 *
 * @param partitionKey the shipment's SSCC when the detail names one (so a shipment's partner messages stay in order
 *                     on one shard, whoever sent them), else the partner id
 * @param json         the detail plus {@code wb_route}, {@code wb_received_ms}, {@code wb_partner_event_id}
 * @param partnerId    the resolved sender
 * @param adapter      its adapter
 * @param eventId      the EventBridge event id
 */
public record PartnerRecord(String partitionKey, String json, String partnerId, String adapter, String eventId) {
    public PartnerRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(json, "json");
    }
}

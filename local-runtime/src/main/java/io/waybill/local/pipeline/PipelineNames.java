package io.waybill.local.pipeline;

/**
 * Resource names of one deployment of the ingest pipeline (a prefix keeps parallel test runs apart).
 *
 * @param stream         the telemetry stream the IoT rule writes to
 * @param eventsTable    the event store
 * @param shipmentsTable the shipment projection
 * @param deadLetterQueue rejected records (raw payload + reason + origin)
 * @param onFailureQueue the event source mapping's on-failure destination (batches whose retries ran out)
 * @param exposureTable  the cold-chain function's evidence and standing per shipment
 * @param incidentsTable shipment exceptions
 * @param complianceTable compliance records of decisions
 * @param coldChainOnFailureQueue the cold-chain mapping's on-failure destination
 * @param canonicalStream the canonical event stream ingest publishes what it stored to (partitioned by shipment)
 * @param deadLetterBucket the claim-check bucket: payloads of dead letters too large for the queue (S3 bucket names are
 *                         lower case)
 * @param deviceRegistryTable the device registry (things, keys, assignments, signing sequences); {@code waybill-devices}
 *                            on the local stack
 * @param kpiAggregatesTable  the KPI aggregates the KPI aggregator keeps from the canonical stream (issue 12)
 * @param kpiAggregatorOnFailureQueue the KPI aggregator mapping's on-failure destination
 * @param incidentNotificationsQueue every new or escalated incident (the local stand-in for the SNS incident topic)
 */
public record PipelineNames(String stream, String eventsTable, String shipmentsTable, String deadLetterQueue,
                            String onFailureQueue, String exposureTable, String incidentsTable,
                            String complianceTable, String coldChainOnFailureQueue, String canonicalStream,
                            String deadLetterBucket, String deviceRegistryTable, String kpiAggregatesTable,
                            String kpiAggregatorOnFailureQueue, String incidentNotificationsQueue) {

    public static PipelineNames withPrefix(String prefix) {
        return new PipelineNames(prefix + "-telemetry", prefix + "-events", prefix + "-shipments",
                prefix + "-ingest-dlq", prefix + "-ingest-on-failure", prefix + "-exposure", prefix + "-incidents",
                prefix + "-compliance", prefix + "-coldchain-on-failure", prefix + "-canonical-events",
                (prefix + "-dead-letter-payloads").toLowerCase(java.util.Locale.ROOT), prefix + "-devices",
                prefix + "-kpi-aggregates", prefix + "-kpi-aggregator-on-failure", prefix + "-incident-notifications");
    }

    /**
     * The queue where ingest announces each dead-lettered edge message once its letter is kept (the edge settlement
     * function reads it): {@code <dead-letter queue>-edge-settlements}.
     */
    public String edgeSettlementQueue() {
        return deadLetterQueue + "-edge-settlements";
    }

    /**
     * The dead-letter desk (DynamoDB: one item per dead letter, the ops API's index beside the queue):
     * {@code <dead-letter queue>-desk}.
     */
    public String deadLetterTable() {
        return deadLetterQueue + "-desk";
    }

    /**
     * The stream consumers' watermarks (ingest, cold chain; the ops API's consumer lag): {@code <prefix>-consumer-watermarks},
     * the prefix being the telemetry stream's name without {@code -telemetry}.
     */
    public String consumerWatermarksTable() {
        String base = stream.endsWith("-telemetry") ? stream.substring(0, stream.length() - "-telemetry".length())
                : stream;
        return base + "-consumer-watermarks";
    }

    /** The anchor ledger (issue 14: queued events, batches, signed transactions, nonce, writer lease). */
    public String anchorLedgerTable() {
        return prefix() + "-anchor-ledger";
    }

    /** The per-event proofs of confirmed anchors (issue 14). */
    public String proofsTable() {
        return prefix() + "-proofs";
    }

    /** The anchoring intake mapping's on-failure destination. */
    public String anchorIntakeOnFailureQueue() {
        return prefix() + "-anchor-intake-on-failure";
    }

    /** The daily demand per SKU and location, built from the canonical stream (issue 15). */
    public String demandTable() {
        return prefix() + "-demand";
    }

    /** The stored forecasts and their accuracy (issue 15). */
    public String forecastTable() {
        return prefix() + "-forecasts";
    }

    /** The demand intake mapping's on-failure destination. */
    public String demandIntakeOnFailureQueue() {
        return prefix() + "-demand-intake-on-failure";
    }

    /** The EPCIS repository table of the ops API's GS1 EPCIS 2.0 routes (captured events, capture jobs). */
    public String epcisTable() {
        return prefix() + "-epcis";
    }

    /** The partner egress table (partners master data and the egress projection, issue 16). */
    public String partnerTable() {
        return prefix() + "-partners";
    }

    /** The partner event bus (EventBridge; the local bus locally). */
    public String partnerBus() {
        return prefix() + "-partners";
    }

    /** The egress rules' dead-letter queue ({@code PartnerDeliveryDlq}): events a partner's receiver never took. */
    public String partnerDeliveryDlq() {
        return prefix() + "-partner-delivery-dlq";
    }

    /** The ingress rule's dead-letter queue ({@code PartnerIngressDlq}). */
    public String partnerIngressDlq() {
        return prefix() + "-partner-ingress-dlq";
    }

    /** The partner function's refused events ({@code WAYBILL_PARTNER_INGRESS_DLQ_URL}): unknown sender, bad detail. */
    public String partnerIngressRefusedQueue() {
        return prefix() + "-partner-ingress-refused";
    }

    /** The egress function's own dead letters (entries the bus refused: {@code WAYBILL_PARTNER_DLQ_URL}). */
    public String partnerEgressDeadLetterQueue() {
        return prefix() + "-partner-egress-dlq";
    }

    /** The partner egress mapping's on-failure destination. */
    public String partnerEgressOnFailureQueue() {
        return prefix() + "-partner-egress-on-failure";
    }

    private String prefix() {
        return stream.endsWith("-telemetry") ? stream.substring(0, stream.length() - "-telemetry".length()) : stream;
    }
}

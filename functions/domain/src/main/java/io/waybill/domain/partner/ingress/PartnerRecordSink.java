package io.waybill.domain.partner.ingress;

/** Where admitted partner records go: the ingest stream. */
@FunctionalInterface
public interface PartnerRecordSink {
    /**
     * Puts the record on the ingest stream (retries included).
     *
     * @throws io.waybill.domain.ingestion.TransientDependencyException when it is still not put: the event must be
     *         retried by its deliverer (EventBridge's retry policy, then the rule's dead-letter queue)
     */
    void put(PartnerRecord record);
}

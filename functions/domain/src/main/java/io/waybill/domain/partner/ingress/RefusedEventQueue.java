package io.waybill.domain.partner.ingress;

/** Where refused partner events go (the partner ingress dead-letter queue), to be replayed after a fix. */
@FunctionalInterface
public interface RefusedEventQueue {
    /** @throws io.waybill.domain.ingestion.TransientDependencyException when the queue cannot take it (retried) */
    void refuse(RefusedPartnerEvent refused);
}

package io.waybill.domain.partner;

/** Where entries that cannot be delivered go, with the reason (never dropped silently). */
public interface PartnerDeadLetters {

    /** @throws io.waybill.domain.ingestion.TransientDependencyException when it could not be recorded */
    void deadLetter(OutboundEntry entry, String reason);
}

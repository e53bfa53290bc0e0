package io.waybill.domain.partner.ingress;

import java.util.List;

/**
 * The partners registered as senders (master data). An implementation may cache; a failure to read is a
 * {@link io.waybill.domain.ingestion.TransientDependencyException} (the event is retried, never refused for it).
 */
@FunctionalInterface
public interface SenderDirectory {
    List<PartnerSender> senders();
}

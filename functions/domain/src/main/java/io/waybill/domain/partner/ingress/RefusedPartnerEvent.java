package io.waybill.domain.partner.ingress;

import java.util.Objects;

/**
 * A partner event that was not admitted, with what is needed to replay it once master data (or the sender) is fixed.
 *
 * @param reason  why
 * @param detail  a sentence naming what was wrong
 * @param event   the event as received ({@link PartnerEvent#raw()} is the replayable original)
 * @param bus     the partner bus it came through, or null when not configured
 */
public record RefusedPartnerEvent(RefusalReason reason, String detail, PartnerEvent event, String bus) {
    public RefusedPartnerEvent {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(event, "event");
    }
}

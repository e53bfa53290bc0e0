package io.waybill.domain.event;

import java.util.Objects;

/**
 * A person acted on a shipment exception ("incident") or on the quality hold it put the shipment on: the ledger's
 * record of who did what (GDP: every quality decision is attributable). Source {@code urn:waybill:incident-desk}; the
 * id is derived from the incident and the action, so the first record of an action is the one that stands.
 *
 * @param shipmentSscc SSCC of the shipment
 * @param incidentId   the incident acted on (for a hold release: the incident whose breach decision put the hold)
 * @param action       what was done
 * @param disposition  QA's disposition of the goods, only with {@link Action#DISPOSITIONED}, else null
 * @param actor        who did it: the operator's user name (locally the OS user), or the caller's identity from the
 *                     ops API's token (issue 13); never empty
 * @param note         free text the operator gave (a resolution, a reason), or null
 */
public record IncidentActioned(String shipmentSscc, String incidentId, Action action, Disposition disposition,
                               String actor, String note) implements EventData {

    /** The actions a person takes on an incident, in the order they usually happen. */
    public enum Action {
        /** Took the incident (the assessment begins). */
        ACKNOWLEDGED,
        /** Closed it without a disposition of the goods (e.g. a false alarm); the note says why. */
        RESOLVED,
        /** Closed it with QA's disposition of the goods ({@link Disposition}). */
        DISPOSITIONED,
        /** Released the shipment's quality hold (after a {@link Disposition#RELEASE}). */
        HOLD_RELEASED
    }

    /** What QA decided for the goods of a breached shipment. */
    public enum Disposition {
        /** Fit for use: released to the consignee. */
        RELEASE,
        /** Not accepted: returned or quarantined, never used. */
        REJECT,
        /** Destroyed. */
        DESTROY
    }

    public IncidentActioned {
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(action, "action");
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("an action on incident " + incidentId + " needs an actor");
        }
        if ((action == Action.DISPOSITIONED) != (disposition != null)) {
            throw new IllegalArgumentException("a disposition, and only a disposition, names one (" + action + ")");
        }
    }

    @Override
    public String subject() {
        return shipmentSscc;
    }
}

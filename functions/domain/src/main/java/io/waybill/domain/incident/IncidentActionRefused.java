package io.waybill.domain.incident;

/**
 * An action on an incident or a quality hold that the desk refuses: a permanent answer for this request (the ops
 * API maps {@link Reason#NO_SUCH_INCIDENT} to 404 and the others to 409), never retried.
 */
public final class IncidentActionRefused extends RuntimeException {
    /** Why. */
    public enum Reason {
        /** No incident has that id (e.g. a disposition for a shipment that never breached). */
        NO_SUCH_INCIDENT,
        /** The incident's status does not allow the action (acknowledging a resolved incident, disposing twice). */
        WRONG_STATUS,
        /** The shipment is not on quality hold. */
        NOT_ON_HOLD,
        /** The incident holding the shipment has not been dispositioned {@code RELEASE}. */
        NOT_RELEASED_BY_QA
    }

    private final Reason reason;
    private final String subject;

    public IncidentActionRefused(Reason reason, String subject, String message) {
        super(message);
        this.reason = reason;
        this.subject = subject;
    }

    public Reason reason() {
        return reason;
    }

    /** The incident id or shipment SSCC the action named. */
    public String subject() {
        return subject;
    }
}

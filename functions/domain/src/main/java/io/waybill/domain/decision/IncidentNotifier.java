package io.waybill.domain.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * Tells people at once about every incident that opens or escalates (on AWS an SNS topic, locally an SQS queue).
 * Delivery is at least once: a retry after a crash between notifying and marking the step done notifies again with
 * the same {@link Notice#noticeId()}, which a subscriber can de-duplicate on.
 */
public interface IncidentNotifier {

    /** Notifies nobody (a stage without a topic; tests that do not look). */
    IncidentNotifier NONE = notice -> { };

    /**
     * @throws io.waybill.domain.ingestion.TransientDependencyException when the channel could not take it (the
     *                                                                   batch is retried)
     */
    void notify(Notice notice);

    /** Why people are told. */
    enum Reason {
        /** A breach decision opened the incident. */
        OPENED,
        /** Its severity rose while it was not resolved. */
        ESCALATED
    }

    /**
     * One notification.
     *
     * @param noticeId        the decision event's id: one notice per decision event
     * @param reason          opened or escalated
     * @param incidentId      the incident
     * @param shipmentSscc    the shipment
     * @param severity        the incident's severity now
     * @param summary         one line for a human
     * @param decidedAt       when the decision was made
     */
    record Notice(String noticeId, Reason reason, String incidentId, String shipmentSscc, String severity,
                  String summary, Instant decidedAt) {
        public Notice {
            Objects.requireNonNull(noticeId, "noticeId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(incidentId, "incidentId");
            Objects.requireNonNull(shipmentSscc, "shipmentSscc");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(decidedAt, "decidedAt");
        }
    }
}

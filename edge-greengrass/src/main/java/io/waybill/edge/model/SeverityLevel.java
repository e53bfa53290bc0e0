package io.waybill.edge.model;

/** The edge's proposal of how urgent an excursion is; the cloud decides what to do about it. */
public enum SeverityLevel {
    /** Worth recording; nobody needs to act. */
    INFO,
    /** Someone should look at it (check the unit, call the carrier). */
    WARNING,
    /** Product quality is at risk; act now (divert, quarantine, QA release decision). */
    CRITICAL
}

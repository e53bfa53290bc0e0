package io.waybill.domain.incident;

/**
 * Where a shipment exception stands. It only moves forward: {@code OPEN -> ACKNOWLEDGED -> RESOLVED}, or straight from
 * {@code OPEN} to {@code RESOLVED}.
 */
public enum IncidentStatus {
    /** Raised by a decision; nobody has taken it yet. */
    OPEN,
    /** An operator took it (quality hold being assessed). */
    ACKNOWLEDGED,
    /** Closed with a disposition (released, rejected, destroyed, ...). */
    RESOLVED;

    /** Whether a move from this status to {@code next} is allowed (forward only; staying put is not a move). */
    public boolean canMoveTo(IncidentStatus next) {
        return next.ordinal() > ordinal();
    }
}

package io.waybill.domain.device;

import java.time.Instant;
import java.util.Objects;

/**
 * A device assigned to report on one shipment for a window of event time.
 *
 * @param sscc  the shipment's SSCC (18 digits)
 * @param from  first instant covered (inclusive)
 * @param until end of the window (exclusive); null while the assignment is open
 */
public record ShipmentAssignment(String sscc, Instant from, Instant until) {
    public ShipmentAssignment {
        Objects.requireNonNull(sscc, "sscc");
        Objects.requireNonNull(from, "from");
        if (until != null && !until.isAfter(from)) {
            throw new IllegalArgumentException("assignment of " + sscc + " ends (" + until + ") before it starts (" + from + ")");
        }
    }

    /** Whether this assignment covers {@code sscc} at event time {@code time}: {@code from <= time < until}. */
    public boolean covers(String sscc, Instant time) {
        return this.sscc.equals(sscc) && !time.isBefore(from) && (until == null || time.isBefore(until));
    }
}

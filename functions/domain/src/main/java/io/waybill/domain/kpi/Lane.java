package io.waybill.domain.kpi;

import java.util.Comparator;
import java.util.Objects;

/**
 * A lane: the facility a shipment leg departed from and the facility it arrived at (GLNs). A side that the events do
 * not name is {@link #UNKNOWN_GLN}. Lanes sort by origin, then destination.
 *
 * @param originGln      GLN of the departure site, or {@link #UNKNOWN_GLN}
 * @param destinationGln GLN of the next arrival site, or {@link #UNKNOWN_GLN} while the leg is in transit or when
 *                       the arrival named no place
 */
public record Lane(String originGln, String destinationGln) implements Comparable<Lane> {
    /** Stands for a facility the events do not name (a leg in transit, a departure without GLN). */
    public static final String UNKNOWN_GLN = "?";
    /** Between origin and destination in {@link #label()}. */
    public static final String SEPARATOR = "->";

    private static final Comparator<Lane> ORDER = Comparator.comparing(Lane::originGln)
            .thenComparing(Lane::destinationGln);

    public Lane {
        Objects.requireNonNull(originGln, "originGln");
        Objects.requireNonNull(destinationGln, "destinationGln");
    }

    /** {@code origin->destination}, e.g. {@code 0614141000005->0614141000012}. */
    public String label() {
        return originGln + SEPARATOR + destinationGln;
    }

    /** True when the destination is known (the leg arrived at a named place). */
    public boolean hasDestination() {
        return !UNKNOWN_GLN.equals(destinationGln);
    }

    @Override
    public int compareTo(Lane o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return label();
    }
}

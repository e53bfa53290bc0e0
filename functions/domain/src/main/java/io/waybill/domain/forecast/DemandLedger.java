package io.waybill.domain.forecast;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demand facts and the demand lines built from them. Every write is idempotent (a redelivered event writes the same
 * fact again); every read used to join facts is strongly consistent, so that of two concurrent writers (a shipment's
 * contents and its departure) at least one sees the other's fact: each writes its own fact first, then reads the other
 * side.
 *
 * <p>A demand line is one shipment's units of one SKU leaving one location on one day: the set of its SGTIN EPCs. When
 * an earlier departure of the same shipment from the same location arrives later, the line of the later day is marked
 * superseded (never deleted: a concurrent writer may still add to it) and the units move to the earlier day.
 */
public interface DemandLedger {

    /** Records the SGTIN EPCs read with shipment {@code sscc}: EPC to its GTIN-14. */
    void recordContents(String sscc, Map<String, String> gtinByEpc);

    /** All SGTIN EPCs recorded with {@code sscc} (EPC to GTIN-14), read consistently. */
    Map<String, String> contents(String sscc);

    /**
     * Records a departure of {@code sscc} from {@code gln}, keeping the earliest time per shipment and location.
     *
     * @return whether this time is now the recorded one (true as well when the same time was recorded before: a
     * redelivery finishes what a failed first delivery started), and the later time it replaced, if any
     */
    DepartureRecorded recordDeparture(String sscc, String gln, Instant departedAt);

    /** The earliest recorded departure time of {@code sscc} per GLN, read consistently. */
    Map<String, Instant> departures(String sscc);

    /**
     * Adds {@code epcs} to the line of ({@code key}, {@code day}, {@code sscc}), and records the series (its location
     * and its first day of demand) so that it can be listed.
     *
     * @return how many of {@code epcs} were not in the line before
     */
    int addToLine(SeriesKey key, LocalDate day, String sscc, Set<String> epcs);

    /** Marks the line of ({@code key}, {@code day}, {@code sscc}) superseded (creating it if absent). */
    void supersedeLine(SeriesKey key, LocalDate day, String sscc);

    /** The lines of a series with {@code from <= day < toExclusive}, superseded ones included, read consistently. */
    List<DemandLine> lines(SeriesKey key, LocalDate from, LocalDate toExclusive);

    /** The first day with demand of a series, if it has any. */
    Optional<LocalDate> firstDemand(SeriesKey key);

    /** Locations (GLNs) with at least one series, sorted. */
    List<String> locations();

    /** Series of one location, sorted by GTIN. */
    List<SeriesKey> series(String locationGln);

    /** @param replaced the later departure time this one replaced, or null */
    record DepartureRecorded(boolean earliest, Instant replaced) {
    }

    record DemandLine(SeriesKey key, LocalDate day, String sscc, Set<String> epcs, boolean superseded) {
        public DemandLine {
            epcs = Set.copyOf(epcs);
        }
    }
}

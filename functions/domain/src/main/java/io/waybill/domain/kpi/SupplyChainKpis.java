package io.waybill.domain.kpi;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The KPIs of a set of events and incidents as of an instant. Maps are sorted (lanes by origin then destination,
 * facilities by GLN) and unmodifiable, so equal inputs give equal records and equal reports.
 *
 * @param asOf                   the instant open exceptions are aged at and incident states are read at
 * @param events                 distinct events considered (after de-duplication), of any type
 * @param shipments              distinct shipments with at least one departure or arrival
 * @param lanes                  per lane
 * @param facilities             per facility GLN
 * @param exceptions             all incidents of the network (attributed or not)
 * @param unattributedExceptions incidents whose time falls in no leg and no facility visit of their shipment
 */
public record SupplyChainKpis(Instant asOf, int events, int shipments, SortedMap<Lane, LaneKpis> lanes,
                              SortedMap<String, FacilityKpis> facilities, ExceptionStats exceptions,
                              int unattributedExceptions) {
    public SupplyChainKpis {
        Objects.requireNonNull(asOf, "asOf");
        lanes = Collections.unmodifiableSortedMap(new TreeMap<>(lanes));
        facilities = Collections.unmodifiableSortedMap(new TreeMap<>(facilities));
        Objects.requireNonNull(exceptions, "exceptions");
    }

    public static SupplyChainKpis of(Instant asOf, int events, int shipments, Map<Lane, LaneKpis> lanes,
                                     Map<String, FacilityKpis> facilities, ExceptionStats exceptions,
                                     int unattributedExceptions) {
        return new SupplyChainKpis(asOf, events, shipments, new TreeMap<>(lanes), new TreeMap<>(facilities),
                exceptions, unattributedExceptions);
    }
}

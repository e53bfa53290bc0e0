package io.waybill.domain.kpi;

import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.incident.ShipmentIncident;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes {@link SupplyChainKpis}. Stateless and thread-safe; equal inputs (in any order, with any duplicates) give
 * equal results.
 *
 * <h2>Events</h2>
 * <ul>
 *   <li>Events are de-duplicated by their CloudEvents identity ({@link CanonicalEvent#eventKey() source + id}),
 *       then ordered by event {@code time}, ties by {@code id}, then {@code source}. Of two copies of one event the
 *       first in that order is kept. Only departures and arrivals ({@link Movement}) shape legs and
 *       visits; every other type only counts in {@link SupplyChainKpis#events()}.</li>
 *   <li>A shipment's events are walked in that order. A <b>departure</b> opens a <b>leg</b> from its
 *       {@code fromGln} (or, when it names none, from the facility the shipment is at; else {@link Lane#UNKNOWN_GLN}).
 *       The next <b>arrival</b> closes the leg: lane = departure site -&gt; arrival site ({@code atGln}, or
 *       {@link Lane#UNKNOWN_GLN}). A shipment with several legs contributes one lane per leg.</li>
 *   <li>Re-observations are ignored: a departure while a leg is open from the same (or an unnamed) site, an arrival
 *       while the shipment is already at the same (or an unnamed) site. The first observation's time counts.</li>
 *   <li>A leg that is still open at the end is <b>in transit</b> (lane {@code origin->?}). A leg that is still open
 *       when the shipment departs from <em>another</em> site is closed with that site as destination and
 *       <b>arrival unobserved</b>: it counts as a leg, not in transit times nor in arrival punctuality.</li>
 *   <li>A <b>visit</b> at a facility starts at an arrival naming it and ends at the shipment's next departure from it;
 *       <b>dwell</b> = that departure - that arrival. A visit ended by a departure from (or an arrival at) another
 *       site has no dwell; a visit not ended yet is <b>present</b>.</li>
 * </ul>
 *
 * <h2>Lane KPIs</h2>
 * <ul>
 *   <li>shipments: distinct SSCCs with a leg on the lane; legs: number of legs.</li>
 *   <li>transit: arrival - departure of the lane's arrived legs (p50/p90 nearest-rank, mean; see
 *       {@link DurationStats}).</li>
 *   <li>on-time departure: only a shipment's <em>first</em> leg can be judged, against its plan's
 *       {@code plannedDeparture}: on time iff {@code departure <= plannedDeparture + tolerance}. Every other leg,
 *       and every leg of a shipment without a planned departure, is <b>unplanned</b> (not late).</li>
 *   <li>on-time arrival (arrived legs only): the shipment's <em>last</em> leg, when its plan has a
 *       {@code plannedArrival}: on time iff {@code arrival <= plannedArrival + tolerance}; otherwise, when the
 *       schedule has an allowed transit for the lane: on time iff {@code transit <= allowed + tolerance};
 *       otherwise <b>unplanned</b>. Percentages are {@code 100 × onTime / (onTime + late)}, empty when nothing
 *       was judged.</li>
 *   <li>exposure: over the lane's distinct shipments that have {@link ExposureFigures}: Σ TOR minutes
 *       ({@code torSeconds / 60}), Σ degree-minutes above and below, and the count with TOR &gt; 0. Figures are per
 *       shipment, not per leg, so a multi-leg shipment's exposure counts on each distinct lane it ran (lane totals
 *       can add up to more than the network's).</li>
 * </ul>
 *
 * <h2>Exceptions</h2>
 * Only incidents opened at or before {@code asOf} count; one resolved after {@code asOf} is still open at
 * {@code asOf}, so a report as of a past instant is reproducible. An incident is placed at its {@code evidenceTime}
 * (or {@code openedAt} when that is absent) and attributed to its shipment's leg with
 * {@code departure <= t < end} (end = arrival, or the unobserved arrival's next departure; none while in transit) —
 * that leg's lane — or else to the visit with {@code arrival <= t < end} — that facility. Otherwise it is
 * <b>unattributed</b> (it still counts network-wide). Per lane, facility and network: total, spoilage
 * ({@link KpiConfig#isSpoilage}), resolution time ({@code resolvedAt - openedAt}, p50/p90), open (not resolved at
 * {@code asOf}) and the age at {@code asOf} of the oldest open one.
 *
 * <h2>Facility KPIs</h2>
 * shipmentsArrived / shipmentsDeparted: distinct SSCCs with a visit at / a leg from the facility; dwell over
 * completed visits; present; exceptions as above.
 */
public final class KpiCalculator {
    private static final Comparator<CanonicalEvent> EVENT_ORDER = Comparator.comparing(CanonicalEvent::time)
            .thenComparing(CanonicalEvent::id).thenComparing(CanonicalEvent::source);

    private final KpiConfig config;

    public KpiCalculator(KpiConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** With {@link KpiConfig#defaults()}. */
    public KpiCalculator() {
        this(KpiConfig.defaults());
    }

    /**
     * @param events    canonical events, any order, duplicates allowed
     * @param incidents shipment exceptions (may be empty)
     * @param exposure  per-shipment (SSCC) exposure figures; null or empty when unknown
     * @param schedule  the plan; null for none (everything unplanned)
     * @param asOf      the instant exceptions are evaluated at
     */
    public SupplyChainKpis compute(Collection<CanonicalEvent> events, Collection<ShipmentIncident> incidents,
                                   Map<String, ExposureFigures> exposure, ShipmentSchedule schedule, Instant asOf) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(asOf, "asOf");
        Collection<ShipmentIncident> allIncidents = incidents == null ? List.of() : incidents;
        Map<String, ExposureFigures> figures = exposure == null ? Map.of() : exposure;
        ShipmentSchedule plan = schedule == null ? ShipmentSchedule.empty() : schedule;

        List<CanonicalEvent> ordered = new ArrayList<>(events);
        ordered.sort(EVENT_ORDER);
        Set<String> seen = new HashSet<>();
        Map<String, List<Movement>> bySscc = new TreeMap<>();
        int distinct = 0;
        for (CanonicalEvent e : ordered) {
            if (!seen.add(e.eventKey())) {
                continue;
            }
            distinct++;
            Movement.of(e).ifPresent(m -> bySscc.computeIfAbsent(m.shipmentSscc(), k -> new ArrayList<>()).add(m));
        }

        Map<String, Track> tracks = new TreeMap<>();
        bySscc.forEach((sscc, list) -> tracks.put(sscc, Track.walk(sscc, list)));

        // Exceptions: attribute each incident to a leg (lane) or a visit (facility).
        Attribution attribution = attribute(allIncidents, tracks, asOf);
        Map<Leg, List<ShipmentIncident>> byLeg = attribution.byLeg;
        Map<Visit, List<ShipmentIncident>> byVisit = attribution.byVisit;
        List<ShipmentIncident> counted = attribution.counted;
        int unattributed = attribution.unattributed;

        // Lanes.
        Map<Lane, LaneAcc> lanes = new TreeMap<>();
        Map<String, FacilityAcc> facilities = new TreeMap<>();
        for (Track track : tracks.values()) {
            Optional<ShipmentPlan> shipmentPlan = plan.plan(track.sscc);
            for (int n = 0; n < track.legs.size(); n++) {
                Leg leg = track.legs.get(n);
                Lane lane = leg.lane();
                LaneAcc acc = lanes.computeIfAbsent(lane, LaneAcc::new);
                acc.shipments.add(track.sscc);
                acc.legs++;
                acc.departures = acc.departures.plus(departureVerdict(n == 0, leg, shipmentPlan));
                if (leg.arrived != null) {
                    acc.transit.add(Duration.between(leg.departed, leg.arrived));
                    boolean last = n == track.legs.size() - 1;
                    acc.arrivals = acc.arrivals.plus(arrivalVerdict(last, leg, shipmentPlan, plan));
                } else if (leg.unobserved) {
                    acc.unobserved++;
                } else {
                    acc.inTransit++;
                }
                acc.incidents.addAll(byLeg.getOrDefault(leg, List.of()));
                if (!Lane.UNKNOWN_GLN.equals(leg.origin)) {
                    facilities.computeIfAbsent(leg.origin, FacilityAcc::new).departed.add(track.sscc);
                }
            }
            for (Visit visit : track.visits) {
                FacilityAcc acc = facilities.computeIfAbsent(visit.gln, FacilityAcc::new);
                acc.arrived.add(track.sscc);
                if (visit.end == null) {
                    acc.present++;
                } else if (visit.completed) {
                    acc.dwell.add(Duration.between(visit.arrived, visit.end));
                }
                acc.incidents.addAll(byVisit.getOrDefault(visit, List.of()));
            }
        }

        Map<Lane, LaneKpis> laneKpis = new TreeMap<>();
        lanes.forEach((lane, acc) -> laneKpis.put(lane, new LaneKpis(lane, acc.shipments.size(), acc.legs,
                acc.inTransit, acc.unobserved, DurationStats.of(acc.transit), acc.departures, acc.arrivals,
                exposure(acc.shipments, figures), exceptions(acc.incidents, asOf))));
        Map<String, FacilityKpis> facilityKpis = new TreeMap<>();
        facilities.forEach((gln, acc) -> facilityKpis.put(gln, new FacilityKpis(gln, acc.arrived.size(),
                acc.departed.size(), DurationStats.of(acc.dwell), acc.present, exceptions(acc.incidents, asOf))));
        return SupplyChainKpis.of(asOf, distinct, tracks.size(), laneKpis, facilityKpis, exceptions(counted, asOf),
                unattributed);
    }

    /**
     * The same KPIs from incrementally kept aggregates instead of every event (issue 12): lane and facility movement
     * figures from {@link LaneAggregate}/{@link FacilityAggregate} (a lane without legs and a facility without
     * arrivals or departures are left out, as {@link #compute} never creates them), exceptions and exposure attributed
     * exactly as {@link #compute} does, over the movements of the shipments that have incidents or exposure figures.
     * No schedule: every departure and arrival is unplanned.
     *
     * @param events     distinct events the aggregates were kept from
     * @param shipments  distinct shipments with at least one movement
     * @param lanes      the lane aggregates
     * @param facilities the facility aggregates
     * @param movements  movements of (at least) every shipment named by an incident or by {@code exposure}
     */
    public SupplyChainKpis assemble(Instant asOf, int events, int shipments, Collection<LaneAggregate> lanes,
                                    Collection<FacilityAggregate> facilities,
                                    Map<String, ShipmentMovements> movements,
                                    Collection<ShipmentIncident> incidents, Map<String, ExposureFigures> exposure) {
        Objects.requireNonNull(asOf, "asOf");
        Map<String, ExposureFigures> figures = exposure == null ? Map.of() : exposure;
        Map<String, Track> tracks = new TreeMap<>();
        movements.forEach((sscc, m) -> {
            if (!m.isEmpty()) {
                tracks.put(sscc, Track.walk(sscc, m.ordered()));
            }
        });
        Attribution attribution = attribute(incidents == null ? List.of() : incidents, tracks, asOf);
        Map<Lane, List<ShipmentIncident>> laneIncidents = new TreeMap<>();
        Map<String, List<ShipmentIncident>> facilityIncidents = new TreeMap<>();
        attribution.byLeg.forEach((leg, list) ->
                laneIncidents.computeIfAbsent(leg.lane(), k -> new ArrayList<>()).addAll(list));
        attribution.byVisit.forEach((visit, list) ->
                facilityIncidents.computeIfAbsent(visit.gln, k -> new ArrayList<>()).addAll(list));
        Map<Lane, Set<String>> laneShipments = new TreeMap<>();
        tracks.values().forEach(t -> t.legs.forEach(leg ->
                laneShipments.computeIfAbsent(leg.lane(), k -> new TreeSet<>()).add(t.sscc)));

        Map<Lane, LaneKpis> laneKpis = new TreeMap<>();
        for (LaneAggregate a : lanes) {
            if (a.legs() > 0) {
                laneKpis.put(a.lane(), a.kpis(exposure(laneShipments.getOrDefault(a.lane(), Set.of()), figures),
                        exceptions(laneIncidents.getOrDefault(a.lane(), List.of()), asOf)));
            }
        }
        Map<String, FacilityKpis> facilityKpis = new TreeMap<>();
        for (FacilityAggregate a : facilities) {
            if (a.shipmentsArrived() + a.shipmentsDeparted() > 0) {
                facilityKpis.put(a.gln(), a.kpis(exceptions(facilityIncidents.getOrDefault(a.gln(), List.of()),
                        asOf)));
            }
        }
        return SupplyChainKpis.of(asOf, events, shipments, laneKpis, facilityKpis,
                exceptions(attribution.counted, asOf), attribution.unattributed);
    }

    /** Incidents opened by {@code asOf}, placed on a leg or a visit of their shipment's track (see the class doc). */
    private static Attribution attribute(Collection<ShipmentIncident> incidents, Map<String, Track> tracks,
                                         Instant asOf) {
        Attribution a = new Attribution();
        List<ShipmentIncident> sortedIncidents = new ArrayList<>(incidents);
        sortedIncidents.sort(Comparator.comparing(ShipmentIncident::incidentId));
        for (ShipmentIncident i : sortedIncidents) {
            if (i.openedAt().isAfter(asOf)) {
                continue;
            }
            a.counted.add(i);
            Instant t = i.evidenceTime() != null ? i.evidenceTime() : i.openedAt();
            Track track = tracks.get(i.shipmentSscc());
            Leg leg = track == null ? null : track.legAt(t);
            Visit visit = leg != null || track == null ? null : track.visitAt(t);
            if (leg != null) {
                a.byLeg.computeIfAbsent(leg, k -> new ArrayList<>()).add(i);
            } else if (visit != null) {
                a.byVisit.computeIfAbsent(visit, k -> new ArrayList<>()).add(i);
            } else {
                a.unattributed++;
            }
        }
        return a;
    }

    private static final class Attribution {
        final Map<Leg, List<ShipmentIncident>> byLeg = new LinkedHashMap<>();
        final Map<Visit, List<ShipmentIncident>> byVisit = new LinkedHashMap<>();
        final List<ShipmentIncident> counted = new ArrayList<>();
        int unattributed;
    }

    private OnTime.Verdict departureVerdict(boolean first, Leg leg, Optional<ShipmentPlan> plan) {
        if (!first || plan.isEmpty() || plan.get().plannedDeparture() == null) {
            return OnTime.Verdict.UNPLANNED;
        }
        return onTime(leg.departed, plan.get().plannedDeparture());
    }

    private OnTime.Verdict arrivalVerdict(boolean last, Leg leg, Optional<ShipmentPlan> plan,
                                          ShipmentSchedule schedule) {
        if (last && plan.isPresent() && plan.get().plannedArrival() != null) {
            return onTime(leg.arrived, plan.get().plannedArrival());
        }
        Optional<Duration> allowed = schedule.allowedTransit(leg.lane());
        if (allowed.isPresent()) {
            return onTime(leg.arrived, leg.departed.plus(allowed.get()));
        }
        return OnTime.Verdict.UNPLANNED;
    }

    private OnTime.Verdict onTime(Instant actual, Instant planned) {
        return actual.isAfter(planned.plus(config.onTimeTolerance())) ? OnTime.Verdict.LATE : OnTime.Verdict.ON_TIME;
    }

    private static Exposure exposure(Set<String> shipments, Map<String, ExposureFigures> figures) {
        int withData = 0;
        int withTor = 0;
        double torMinutes = 0;
        double above = 0;
        double below = 0;
        for (String sscc : shipments) { // sorted: the float sums are deterministic
            ExposureFigures f = figures.get(sscc);
            if (f == null) {
                continue;
            }
            withData++;
            if (f.torSeconds() > 0) {
                withTor++;
            }
            torMinutes += f.torSeconds() / 60.0;
            above += f.degreeMinutesAbove();
            below += f.degreeMinutesBelow();
        }
        return withData == 0 ? Exposure.NONE : new Exposure(withData, withTor, torMinutes, above, below);
    }

    private ExceptionStats exceptions(List<ShipmentIncident> incidents, Instant asOf) {
        if (incidents.isEmpty()) {
            return ExceptionStats.NONE;
        }
        int spoilage = 0;
        int open = 0;
        Instant oldestOpen = null;
        List<Duration> resolution = new ArrayList<>();
        for (ShipmentIncident i : incidents) {
            if (config.isSpoilage(i.kind(), i.severity())) {
                spoilage++;
            }
            if (i.resolvedAt() != null && !i.resolvedAt().isAfter(asOf)) {
                resolution.add(Duration.between(i.openedAt(), i.resolvedAt()));
            } else {
                open++;
                if (oldestOpen == null || i.openedAt().isBefore(oldestOpen)) {
                    oldestOpen = i.openedAt();
                }
            }
        }
        return new ExceptionStats(incidents.size(), spoilage, DurationStats.of(resolution), open,
                oldestOpen == null ? Optional.empty() : Optional.of(Duration.between(oldestOpen, asOf)));
    }

    /** One leg of one shipment. Identity semantics (used as a map key per instance). */
    static final class Leg {
        final String origin;
        final Instant departed;
        String destination;
        Instant arrived;
        boolean unobserved;
        Instant end;

        Leg(String origin, Instant departed) {
            this.origin = origin;
            this.departed = departed;
        }

        Lane lane() {
            return new Lane(origin, destination == null ? Lane.UNKNOWN_GLN : destination);
        }

        boolean contains(Instant t) {
            return !t.isBefore(departed) && (end == null || t.isBefore(end));
        }
    }

    /** One stay of one shipment at one facility. Identity semantics. */
    static final class Visit {
        final String gln;
        final Instant arrived;
        Instant end;
        boolean completed;

        Visit(String gln, Instant arrived) {
            this.gln = gln;
            this.arrived = arrived;
        }

        boolean contains(Instant t) {
            return !t.isBefore(arrived) && (end == null || t.isBefore(end));
        }
    }

    /** A shipment's legs and visits, in event-time order. */
    static final class Track {
        final String sscc;
        final List<Leg> legs = new ArrayList<>();
        final List<Visit> visits = new ArrayList<>();

        private Track(String sscc) {
            this.sscc = sscc;
        }

        static Track walk(String sscc, List<Movement> events) {
            Track track = new Track(sscc);
            Leg open = null;
            Visit here = null;
            for (Movement e : events) {
                Instant t = e.time();
                if (e.departure()) {
                    String from = e.gln();
                    if (open != null) {
                        if (from == null || from.equals(open.origin)) {
                            continue; // the same departure seen again
                        }
                        open.destination = from; // it must have got there: arrival unobserved
                        open.unobserved = true;
                        open.end = t;
                        track.legs.add(open);
                        open = null;
                    }
                    if (here != null) {
                        if (from == null || from.equals(here.gln)) {
                            from = here.gln;
                            here.completed = true;
                        }
                        here.end = t;
                        track.visits.add(here);
                        here = null;
                    }
                    open = new Leg(from == null ? Lane.UNKNOWN_GLN : from, t);
                } else {
                    String at = e.gln();
                    if (open != null) {
                        open.destination = at == null ? Lane.UNKNOWN_GLN : at;
                        open.arrived = t;
                        open.end = t;
                        track.legs.add(open);
                        open = null;
                        if (at != null) {
                            here = new Visit(at, t);
                        }
                    } else if (here != null) {
                        if (at == null || at.equals(here.gln)) {
                            continue; // the same arrival seen again
                        }
                        here.end = t; // left unobserved: no dwell
                        track.visits.add(here);
                        here = new Visit(at, t);
                    } else if (at != null) {
                        here = new Visit(at, t);
                    }
                }
            }
            if (open != null) {
                track.legs.add(open);
            }
            if (here != null) {
                track.visits.add(here);
            }
            return track;
        }

        Leg legAt(Instant t) {
            for (Leg leg : legs) {
                if (leg.contains(t)) {
                    return leg;
                }
            }
            return null;
        }

        Visit visitAt(Instant t) {
            for (Visit visit : visits) {
                if (visit.contains(t)) {
                    return visit;
                }
            }
            return null;
        }
    }

    private static final class LaneAcc {
        final Set<String> shipments = new TreeSet<>();
        final List<Duration> transit = new ArrayList<>();
        final List<ShipmentIncident> incidents = new ArrayList<>();
        int legs;
        int inTransit;
        int unobserved;
        OnTime departures = OnTime.NONE;
        OnTime arrivals = OnTime.NONE;

        LaneAcc(Lane lane) {
        }
    }

    private static final class FacilityAcc {
        final Set<String> arrived = new TreeSet<>();
        final Set<String> departed = new TreeSet<>();
        final List<Duration> dwell = new ArrayList<>();
        final List<ShipmentIncident> incidents = new ArrayList<>();
        int present;

        FacilityAcc(String gln) {
        }
    }
}

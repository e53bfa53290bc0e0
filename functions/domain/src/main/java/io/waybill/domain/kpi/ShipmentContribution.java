package io.waybill.domain.kpi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one shipment adds to the lane and facility aggregates, from its legs and visits as {@link KpiCalculator} walks
 * them. The incremental KPIs keep the aggregates as sums of these: when a shipment's movements change, its old
 * contribution is taken out and its new one put in ({@link LaneAggregate#replace}, {@link FacilityAggregate#replace}).
 *
 * @param lanes      per lane the shipment ran
 * @param facilities per facility it arrived at or departed from
 */
public record ShipmentContribution(Map<Lane, LanePart> lanes, Map<String, FacilityPart> facilities) {
    public static final ShipmentContribution NONE = new ShipmentContribution(Map.of(), Map.of());

    public ShipmentContribution {
        lanes = Map.copyOf(lanes);
        facilities = Map.copyOf(facilities);
    }

    /** One shipment's legs on one lane. */
    public record LanePart(int legs, int inTransit, int arrivalsUnobserved, List<Duration> transit) {
        public LanePart {
            transit = List.copyOf(transit);
        }
    }

    /** One shipment's visits at, and departures from, one facility. */
    public record FacilityPart(boolean arrived, boolean departed, int present, List<Duration> dwell) {
        public FacilityPart {
            dwell = List.copyOf(dwell);
        }
    }

    static ShipmentContribution of(KpiCalculator.Track track) {
        Map<Lane, int[]> counts = new TreeMap<>();
        Map<Lane, List<Duration>> transit = new TreeMap<>();
        Map<String, boolean[]> flags = new TreeMap<>();
        Map<String, int[]> present = new TreeMap<>();
        Map<String, List<Duration>> dwell = new TreeMap<>();
        for (KpiCalculator.Leg leg : track.legs) {
            Lane lane = leg.lane();
            int[] c = counts.computeIfAbsent(lane, k -> new int[3]);
            List<Duration> t = transit.computeIfAbsent(lane, k -> new ArrayList<>());
            c[0]++;
            if (leg.arrived != null) {
                t.add(Duration.between(leg.departed, leg.arrived));
            } else if (leg.unobserved) {
                c[2]++;
            } else {
                c[1]++;
            }
            if (!Lane.UNKNOWN_GLN.equals(leg.origin)) {
                facility(flags, present, dwell, leg.origin)[1] = true;
            }
        }
        for (KpiCalculator.Visit visit : track.visits) {
            facility(flags, present, dwell, visit.gln)[0] = true;
            if (visit.end == null) {
                present.get(visit.gln)[0]++;
            } else if (visit.completed) {
                dwell.get(visit.gln).add(Duration.between(visit.arrived, visit.end));
            }
        }
        Map<Lane, LanePart> lanes = new TreeMap<>();
        counts.forEach((lane, c) -> lanes.put(lane, new LanePart(c[0], c[1], c[2], transit.get(lane))));
        Map<String, FacilityPart> facilities = new TreeMap<>();
        flags.forEach((gln, f) -> facilities.put(gln, new FacilityPart(f[0], f[1], present.get(gln)[0],
                dwell.get(gln))));
        return new ShipmentContribution(lanes, facilities);
    }

    private static boolean[] facility(Map<String, boolean[]> flags, Map<String, int[]> present,
                                      Map<String, List<Duration>> dwell, String gln) {
        present.computeIfAbsent(gln, k -> new int[1]);
        dwell.computeIfAbsent(gln, k -> new ArrayList<>());
        return flags.computeIfAbsent(gln, k -> new boolean[2]);
    }
}

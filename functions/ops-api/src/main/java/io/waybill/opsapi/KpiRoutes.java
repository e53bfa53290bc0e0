package io.waybill.opsapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.kpi.DurationSketch;
import io.waybill.domain.kpi.FacilityAggregate;
import io.waybill.domain.kpi.LaneAggregate;

import java.util.Objects;

/**
 * {@code GET /kpis/lanes} and {@code GET /kpis/facilities}: the running aggregates, their counts as stored and the
 * transit (lane) or dwell (facility) times as hours at p50, p90 and p99. The percentiles are the sketch's
 * nearest-rank ones ({@link DurationSketch#nearestRank}), the same reading {@code ./waybill kpis} prints (there as
 * {@code h:mm}): exact while a sketch holds fewer values than its centroids, t-digest's rank error beyond. A sketch
 * without values has no percentiles: the object is left out.
 */
final class KpiRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    static final String ROOT = "kpis";
    /** GLNs are 13 digits; a lane side the events did not name is {@code ?}. Longer text is refused. */
    static final int MAX_GLN = 64;
    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    private final KpiReadModel kpis;

    KpiRoutes(KpiReadModel kpis) {
        this.kpis = Objects.requireNonNull(kpis, "kpis");
    }

    @Override
    public String root() {
        return ROOT;
    }

    @Override
    public ApiResponse route(Call call) {
        if (call.size() != 2) {
            return null;
        }
        return switch (call.segment(1)) {
            case "lanes" -> {
                call.allow("GET", Caller.READ);
                Query q = call.query();
                String origin = q.text("origin", MAX_GLN);
                String destination = q.text("destination", MAX_GLN);
                String token = q.text("pageToken", 2048);
                yield call.page(kpis.lanes(origin, destination, token, q.limit()), KpiRoutes::laneJson);
            }
            case "facilities" -> {
                call.allow("GET", Caller.READ);
                Query q = call.query();
                String gln = q.text("gln", MAX_GLN);
                String token = q.text("pageToken", 2048);
                yield call.page(kpis.facilities(gln, token, q.limit()), KpiRoutes::facilityJson);
            }
            default -> null;
        };
    }

    static ObjectNode laneJson(LaneAggregate a) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("origin", a.lane().originGln());
        n.put("destination", a.lane().destinationGln());
        n.put("shipments", a.shipments());
        n.put("legs", a.legs());
        n.put("inTransit", a.inTransit());
        n.put("unobserved", a.arrivalsUnobserved());
        hours(n, "transitHours", a.transit());
        return n;
    }

    static ObjectNode facilityJson(FacilityAggregate a) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("gln", a.gln());
        n.put("arrived", a.shipmentsArrived());
        n.put("departed", a.shipmentsDeparted());
        n.put("present", a.present());
        hours(n, "dwellHours", a.dwell());
        return n;
    }

    /** p50, p90 and p99 in hours (millisecond resolution); nothing when the sketch holds no values. */
    private static void hours(ObjectNode n, String field, DurationSketch sketch) {
        if (sketch.count() <= 0) {
            return;
        }
        ObjectNode q = n.putObject(field);
        for (int p : new int[] {50, 90, 99}) {
            q.put("p" + p, sketch.nearestRank(p).toMillis() / MILLIS_PER_HOUR);
        }
    }
}

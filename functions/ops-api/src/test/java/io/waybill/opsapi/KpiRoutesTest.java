package io.waybill.opsapi;

import io.waybill.domain.kpi.DurationSketch;
import io.waybill.domain.kpi.FacilityAggregate;
import io.waybill.domain.kpi.Lane;
import io.waybill.domain.kpi.LaneAggregate;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.waybill.opsapi.ContractCheckedCalls.assertProblem;
import static io.waybill.opsapi.ContractCheckedCalls.call;
import static io.waybill.opsapi.ContractCheckedCalls.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code /kpis/lanes} and {@code /kpis/facilities} over a fake read model holding aggregates built from durations
 * listed here; the expected percentiles are worked out by hand (nearest rank: the value at 1-based rank
 * ceil(p/100 × n) of the sorted values). With n ≤ 20 every value is its own t-digest centroid, so the sketch is exact
 * (DurationSketch's documented bound); with a retraction the bisection reads it to 1e-4 s, hence the tolerance.
 */
class KpiRoutesTest {
    private static final String DC = "0614141000005";
    private static final String STORE = "0614141000012";
    private static final String HUB = "0614141000029";

    private final Kpis kpis = new Kpis();
    private final OpsApiHandler handler = new OpsApiHandler(new OpsApi(List.of(new KpiRoutes(kpis))));

    /** Canned pages; records the last filters, token and limit. */
    static final class Kpis implements KpiReadModel {
        final List<LaneAggregate> lanes = new ArrayList<>();
        final List<FacilityAggregate> facilities = new ArrayList<>();
        String next;
        List<String> lastLaneFilter;
        String lastGln;
        String lastToken;
        int lastLimit;

        @Override
        public Page<LaneAggregate> lanes(String origin, String destination, String pageToken, int limit) {
            lastLaneFilter = java.util.Arrays.asList(origin, destination);
            lastToken = pageToken;
            lastLimit = limit;
            return new Page<>(lanes, next);
        }

        @Override
        public Page<FacilityAggregate> facilities(String gln, String pageToken, int limit) {
            lastGln = gln;
            lastToken = pageToken;
            lastLimit = limit;
            return new Page<>(facilities, next);
        }
    }

    private static DurationSketch sketch(Duration... values) {
        DurationSketch s = DurationSketch.empty();
        for (Duration d : values) {
            s.add(d);
        }
        return s;
    }

    @Test
    void laneTransitHoursAreTheNearestRankPercentilesOfItsTransits() {
        // transits 1 h, 2 h, ..., 20 h, added in a shuffled order (n = 20):
        // p50: rank ceil(0.50 × 20) = 10 -> 10 h; p90: ceil(0.90 × 20) = 18 -> 18 h; p99: ceil(19.8) = 20 -> 20 h
        DurationSketch transit = DurationSketch.empty();
        for (int h : new int[] {7, 20, 1, 13, 2, 19, 8, 3, 14, 9, 4, 15, 10, 5, 16, 11, 6, 17, 12, 18}) {
            transit.add(Duration.ofHours(h));
        }
        kpis.lanes.add(new LaneAggregate(new Lane(DC, STORE), 18, 22, 2, 0, transit));

        Reply r = get(handler, "/kpis/lanes", null);

        assertThat(r.status()).isEqualTo(200);
        var lane = r.body().get("items").get(0);
        assertThat(lane.get("origin").asText()).isEqualTo(DC);
        assertThat(lane.get("destination").asText()).isEqualTo(STORE);
        assertThat(lane.get("shipments").asLong()).isEqualTo(18);
        assertThat(lane.get("legs").asLong()).isEqualTo(22);
        assertThat(lane.get("inTransit").asLong()).isEqualTo(2);
        assertThat(lane.get("unobserved").asLong()).isZero();
        assertThat(lane.get("transitHours").get("p50").asDouble()).isEqualTo(10.0);
        assertThat(lane.get("transitHours").get("p90").asDouble()).isEqualTo(18.0);
        assertThat(lane.get("transitHours").get("p99").asDouble()).isEqualTo(20.0);
        assertThat(r.body().has("nextPageToken")).isFalse();
    }

    @Test
    void aRetractedTransitLeavesThePercentilesOfTheRest() {
        // 1 h .. 20 h added, then 20 h retracted (a late arrival corrected that leg): n = 19 values 1 h .. 19 h.
        // p50: ceil(9.5) = 10 -> 10 h; p90: ceil(17.1) = 18 -> 18 h; p99: ceil(18.81) = 19 -> 19 h
        DurationSketch transit = DurationSketch.empty();
        for (int h = 1; h <= 20; h++) {
            transit.add(Duration.ofHours(h));
        }
        transit.retract(Duration.ofHours(20));
        kpis.lanes.add(new LaneAggregate(new Lane(DC, STORE), 19, 19, 0, 0, transit));

        var hours = get(handler, "/kpis/lanes", null).body().get("items").get(0).get("transitHours");

        // half an hour either side: the net rank function steps by one value per hour here
        assertThat(hours.get("p50").asDouble()).isCloseTo(10.0, within(0.5));
        assertThat(hours.get("p90").asDouble()).isCloseTo(18.0, within(0.5));
        assertThat(hours.get("p99").asDouble()).isCloseTo(19.0, within(0.5));
    }

    @Test
    void aLaneWithNoArrivedLegHasNoTransitHours() {
        kpis.lanes.add(new LaneAggregate(new Lane(DC, Lane.UNKNOWN_GLN), 3, 3, 3, 0, DurationSketch.empty()));

        var lane = get(handler, "/kpis/lanes", null).body().get("items").get(0);

        assertThat(lane.get("destination").asText()).isEqualTo("?");
        assertThat(lane.get("inTransit").asLong()).isEqualTo(3);
        assertThat(lane.has("transitHours")).isFalse();
    }

    @Test
    void facilityDwellHoursAreTheNearestRankPercentilesOfItsVisits() {
        // dwells 30 min, 1 h, 1 h 30, 2 h, 6 h (n = 5):
        // p50: ceil(2.5) = 3 -> 1.5 h; p90: ceil(4.5) = 5 -> 6 h; p99: ceil(4.95) = 5 -> 6 h
        kpis.facilities.add(new FacilityAggregate(HUB, 6, 5, 1, sketch(Duration.ofHours(6), Duration.ofMinutes(30),
                Duration.ofMinutes(90), Duration.ofHours(1), Duration.ofHours(2))));
        kpis.facilities.add(new FacilityAggregate(STORE, 2, 0, 2, DurationSketch.empty()));

        var items = get(handler, "/kpis/facilities", null).body().get("items");

        assertThat(items.get(0).get("gln").asText()).isEqualTo(HUB);
        assertThat(items.get(0).get("arrived").asLong()).isEqualTo(6);
        assertThat(items.get(0).get("departed").asLong()).isEqualTo(5);
        assertThat(items.get(0).get("present").asLong()).isEqualTo(1);
        assertThat(items.get(0).get("dwellHours").get("p50").asDouble()).isEqualTo(1.5);
        assertThat(items.get(0).get("dwellHours").get("p90").asDouble()).isEqualTo(6.0);
        assertThat(items.get(0).get("dwellHours").get("p99").asDouble()).isEqualTo(6.0);
        assertThat(items.get(1).has("dwellHours")).isFalse();
    }

    @Test
    void filtersReachTheReadModelAndTheNextPageIsLinked() {
        kpis.next = "tok-2";
        Reply r = get(handler, "/kpis/lanes", "origin=" + DC + "&destination=%3F&limit=5&pageToken=tok-1");

        assertThat(kpis.lastLaneFilter).containsExactly(DC, "?");
        assertThat(kpis.lastToken).isEqualTo("tok-1");
        assertThat(kpis.lastLimit).isEqualTo(5);
        assertThat(r.body().get("nextPageToken").asText()).isEqualTo("tok-2");
        assertThat(r.headers().get("Link")).isEqualTo(
                "</kpis/lanes?origin=" + DC + "&destination=%3F&limit=5&pageToken=tok-2>; rel=\"next\"");

        get(handler, "/kpis/facilities", "gln=" + HUB);
        assertThat(kpis.lastGln).isEqualTo(HUB);
        assertThat(kpis.lastLimit).isEqualTo(25);
    }

    @ParameterizedTest
    @CsvSource({
            "/kpis/lanes, limit=0, limit",
            "/kpis/lanes, limit=101, limit",
            "/kpis/lanes, origin=, origin",
            "/kpis/lanes, destination=, destination",
            "/kpis/lanes, origin=" + "0123456789012345678901234567890123456789012345678901234567890123456789, origin",
            "/kpis/facilities, gln=, gln",
            "/kpis/facilities, limit=x, limit",
            "/kpis/facilities, pageToken=, pageToken",
    })
    void badParameterIsABadRequestNamingIt(String path, String query, String param) {
        assertProblem(get(handler, path, query), 400, "invalid-parameter", param);
    }

    @Test
    void otherKpiPathsAreNotRoutesAndWritesAreRefused() {
        assertProblem(get(handler, "/kpis", null), 404, "no-route", null);
        assertProblem(get(handler, "/kpis/shipments", null), 404, "no-route", null);
        assertProblem(get(handler, "/kpis/lanes/x", null), 404, "no-route", null);
        assertProblem(call(handler, "POST", "/kpis/lanes", null), 405, "method-not-allowed", null);
    }
}

package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureStatus;
import io.waybill.domain.coldchain.ProbeExposure;
import io.waybill.domain.coldchain.ProductClassCatalog;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.coldchain.TemperatureBand;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import io.waybill.opsapi.ShipmentEventReadModel.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.waybill.opsapi.ContractCheckedCalls.READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code /shipments/{sscc}/temperatures}, {@code /history} and the exposure of {@code /shipments/{sscc}}, through
 * {@link OpsApiHandler} with fakes; every response validated against the contract; expectations worked out by hand.
 */
class ShipmentDetailTest {
    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String A = "106141412345678908";
    private static final String B = "106141412345678915";
    private static final String OBSERVED = "waybill.temperature.observed.v1";

    private final Fakes.Shipments shipments = new Fakes.Shipments();
    private final Fakes.Incidents incidents = new Fakes.Incidents();
    private final Fakes.ShipmentEvents events = new Fakes.ShipmentEvents();
    private ShipmentExposureReadModel exposures;
    private ProductClassCatalog catalog = ProductClassCatalog.defaults();

    private Reply get(String path, String query) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        OpsApiHandler handler = new OpsApiHandler(new OpsApi(OpsApi.coreFamilies(shipments,
                new ShipmentDetailRoutes(shipments, events, exposures, catalog), incidents,
                new IncidentDesk(incidents, new Fakes.Ledger(), new Fakes.NoShipmentStates(), clock), null, "1",
                clock)));
        return ContractCheckedCalls.get(handler, path, query, READER);
    }

    private static Instant min(int m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    /** A shipment planned as chilled-biologics-2-8 (band 2..8 °C, max interpolation gap 15 min, the default). */
    private static ShipmentState planned(String sscc, Instant lastBreachAt) {
        return new ShipmentState(sscc, ShipmentStatus.IN_TRANSIT, T0, "e-status", null, null, null, null, null, null,
                null, lastBreachAt, null, null, null, T0, "e-last", OBSERVED, null, null, null, null,
                new ShipmentState.Plan("chilled-biologics-2-8", "0614141000005", "0614141000012", null, null,
                        List.of("TT-0042"), null, null, T0.minusSeconds(3600), "e-plan"));
    }

    private static ShipmentState unplanned(String sscc) {
        return new ShipmentState(sscc, ShipmentStatus.UNKNOWN, T0, "e-status", null, null, null, null, null, null,
                null, null, null, null, null, T0, "e-last", OBSERVED, null, null, null, null, null);
    }

    /**
     * A stored single-reading observation, shaped like events-samples/canonical/thermotrack/window-summary.json
     * (a window of one: start = end, count 1).
     */
    private static StoredEvent observation(String id, String producer, String deviceId, Instant at, double celsius) {
        String c = String.format(Locale.ROOT, "%s", celsius);
        String json = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"urn:waybill:thermotrack:" + producer
                + "\",\"type\":\"" + OBSERVED + "\",\"time\":\"" + at + "\",\"subject\":\"" + A + "\","
                + "\"devicetime\":\"" + at + "\",\"clockskewms\":0,\"clockskewed\":false,\"adapter\":\"thermotrack\","
                + "\"data\":{\"shipmentSscc\":\"" + A + "\",\"deviceId\":\"" + deviceId + "\",\"windowStart\":\"" + at
                + "\",\"windowEnd\":\"" + at + "\",\"minCelsius\":" + c + ",\"maxCelsius\":" + c + ",\"meanCelsius\":"
                + c + ",\"readingCount\":1},\"idscheme\":2}";
        return new StoredEvent(id, OBSERVED, at, at.plusSeconds(2), "urn:waybill:thermotrack:" + producer,
                "thermotrack", json);
    }

    private static StoredEvent departed(String id, Instant at) {
        String json = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"urn:waybill:rfid-portal:gate-3\","
                + "\"type\":\"waybill.shipment.departed.v1\",\"time\":\"" + at + "\",\"subject\":\"" + A + "\","
                + "\"data\":{\"shipmentSscc\":\"" + A + "\",\"locationGln\":\"0614141000005\"}}";
        return new StoredEvent(id, "waybill.shipment.departed.v1", at, null, "urn:waybill:rfid-portal:gate-3",
                "rfid-portal", json);
    }

    // ---- temperatures

    @Test
    void temperaturesShowEachProbesPointsGapsAndExcursionsAgainstTheBand() {
        shipments.bySscc.put(A, planned(A, min(12)));
        // TT-0042 (its own producer: probe "TT-0042"), band 2..8, gap limit 15 min:
        //   10:00 5.0 | 10:05 8.5 above | 10:10 9.5 above | 10:30 (20 min later: gap 10:10-10:30) 6.0
        //   -> gaps [10:10, 10:30]; excursions ABOVE 10:05-10:10 peak 9.5
        // edge-1 reporting its probe-a (another device: probe "edge-1/probe-a"):
        //   10:00 1.5 below | 10:10 1.0 below | 10:20 3.0
        //   -> no gap (10 min each); BELOW 10:00-10:10 peak 1.0
        events.add(A, observation("o1", "TT-0042", "TT-0042", min(0), 5.0));
        events.add(A, observation("o2", "TT-0042", "TT-0042", min(5), 8.5));
        events.add(A, observation("o3", "TT-0042", "TT-0042", min(10), 9.5));
        events.add(A, observation("o4", "TT-0042", "TT-0042", min(30), 6.0));
        events.add(A, observation("e1", "edge-1", "probe-a", min(0), 1.5));
        events.add(A, observation("e2", "edge-1", "probe-a", min(10), 1.0));
        events.add(A, observation("e3", "edge-1", "probe-a", min(20), 3.0));
        events.add(A, departed("d1", min(1)));

        Reply r = get("/shipments/" + A + "/temperatures", null);

        assertThat(r.status()).isEqualTo(200);
        JsonNode b = r.body();
        assertThat(b.get("sscc").asText()).isEqualTo(A);
        assertThat(b.get("productClass").asText()).isEqualTo("chilled-biologics-2-8");
        assertThat(b.get("band").get("minCelsius").asDouble()).isEqualTo(2.0);
        assertThat(b.get("band").get("maxCelsius").asDouble()).isEqualTo(8.0);
        assertThat(b.get("breachAt").asText()).isEqualTo("2026-03-02T10:12:00Z");
        assertThat(b.get("truncated").asBoolean()).isFalse();
        assertThat(events.lastFilter.type()).isEqualTo(OBSERVED);
        JsonNode probes = b.get("probes");
        assertThat(probes).hasSize(2);
        JsonNode tt = probes.get(0);
        assertThat(tt.get("probe").asText()).isEqualTo("TT-0042");
        assertThat(tt.get("points")).hasSize(4);
        assertThat(tt.get("points").get(2).get("at").asText()).isEqualTo("2026-03-02T10:10:00Z");
        assertThat(tt.get("points").get(2).get("celsius").asDouble()).isEqualTo(9.5);
        assertThat(tt.get("gaps")).hasSize(1);
        assertThat(tt.get("gaps").get(0).get("from").asText()).isEqualTo("2026-03-02T10:10:00Z");
        assertThat(tt.get("gaps").get(0).get("to").asText()).isEqualTo("2026-03-02T10:30:00Z");
        assertThat(tt.get("excursions")).hasSize(1);
        JsonNode x = tt.get("excursions").get(0);
        assertThat(x.get("from").asText()).isEqualTo("2026-03-02T10:05:00Z");
        assertThat(x.get("to").asText()).isEqualTo("2026-03-02T10:10:00Z");
        assertThat(x.get("side").asText()).isEqualTo("ABOVE");
        assertThat(x.get("peakCelsius").asDouble()).isEqualTo(9.5);
        JsonNode edge = probes.get(1);
        assertThat(edge.get("probe").asText()).isEqualTo("edge-1/probe-a");
        assertThat(edge.get("gaps")).isEmpty();
        assertThat(edge.get("excursions")).hasSize(1);
        assertThat(edge.get("excursions").get(0).get("side").asText()).isEqualTo("BELOW");
        assertThat(edge.get("excursions").get(0).get("peakCelsius").asDouble()).isEqualTo(1.0);
        assertThat(edge.get("excursions").get(0).get("to").asText()).isEqualTo("2026-03-02T10:10:00Z");
    }

    @Test
    void temperaturesPassTheTimeRangeAndCutAtTheCap() {
        shipments.bySscc.put(A, planned(A, null));
        // 5001 readings a minute apart from 10:00: one more than the cap of 5000
        for (int i = 0; i <= ShipmentDetailRoutes.MAX_POINTS; i++) {
            events.add(A, observation("o" + i, "TT-0042", "TT-0042", min(i), 5.0));
        }
        Reply r = get("/shipments/" + A + "/temperatures", "from=2026-03-02T10:00:00Z&to=2026-03-09T10:00:00Z");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("truncated").asBoolean()).isTrue();
        assertThat(r.body().get("probes").get(0).get("points")).hasSize(5000);
        // the first 5000 kept: the last is 10:00 + 4999 min
        assertThat(r.body().get("probes").get(0).get("points").get(4999).get("at").asText())
                .isEqualTo(min(4999).toString());
        assertThat(r.body().has("breachAt")).isFalse();
        assertThat(events.lastFilter.from()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(events.lastFilter.to()).isEqualTo(Instant.parse("2026-03-09T10:00:00Z"));

        // a window of exactly the 5000 readings from 10:01 on is complete
        r = get("/shipments/" + A + "/temperatures", "from=2026-03-02T10:01:00Z");
        assertThat(r.body().get("truncated").asBoolean()).isFalse();
        assertThat(r.body().get("probes").get(0).get("points")).hasSize(5000);
    }

    @Test
    void anUnplannedShipmentHasNoClassNoBandAndNoExcursions() {
        shipments.bySscc.put(B, unplanned(B));
        events.add(B, observation("o1", "TT-0042", "TT-0042", min(0), 30.0));
        Reply r = get("/shipments/" + B + "/temperatures", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().has("productClass")).isFalse();
        assertThat(r.body().has("band")).isFalse();
        assertThat(r.body().get("probes").get(0).get("excursions")).isEmpty();
    }

    @Test
    void theBandAndGapRuleAreThePlannedClassesOfTheConfiguredCatalog() {
        // tulips: 1..4 degC, gap limit 5 min
        catalog = ProductClassCatalog.defaults().overriddenBy(ProductClassCatalog.parse(
                "{\"productClasses\":[{\"name\":\"tulips\",\"lowCelsius\":1,\"highCelsius\":4,"
                        + "\"torBudget\":\"PT2H\",\"maxInterpolationGap\":\"PT5M\"}]}", "test"));
        ShipmentState s = planned(A, null);
        shipments.bySscc.put(A, new ShipmentState(A, s.status(), s.statusAt(), s.statusEventId(), null, null, null,
                null, null, null, null, null, null, null, null, s.lastEventAt(), s.lastEventId(), s.lastEventType(),
                null, null, null, null, new ShipmentState.Plan("tulips", "0614141000005", "0614141000012", null, null,
                List.of(), null, null, T0.minusSeconds(3600), "e-plan")));
        // 10:00 3.0, 10:06 5.0 (6 min > 5: a gap; 5.0 above 4: ABOVE 10:06-10:06), 10:10 2.0 (4 min: no gap)
        events.add(A, observation("o1", "TT-0042", "TT-0042", min(0), 3.0));
        events.add(A, observation("o2", "TT-0042", "TT-0042", min(6), 5.0));
        events.add(A, observation("o3", "TT-0042", "TT-0042", min(10), 2.0));
        JsonNode b = get("/shipments/" + A + "/temperatures", null).body();
        assertThat(b.get("band").get("minCelsius").asDouble()).isEqualTo(1.0);
        assertThat(b.get("band").get("maxCelsius").asDouble()).isEqualTo(4.0);
        JsonNode p = b.get("probes").get(0);
        assertThat(p.get("gaps")).hasSize(1);
        assertThat(p.get("gaps").get(0).get("to").asText()).isEqualTo("2026-03-02T10:06:00Z");
        assertThat(p.get("excursions")).hasSize(1);
        assertThat(p.get("excursions").get(0).get("peakCelsius").asDouble()).isEqualTo(5.0);
    }

    /**
     * TT-0042 every 5 min from 10:00: 5.0 °C to 10:55, then 9.0 °C from 11:00 to 11:50. Under chilled-biologics-2-8
     * (2..8 °C, 30 min out of range allowed, above 15 °C critical, MKT above 8 °C major) a reading holds until the
     * next one: the 10:55 reading (in range) holds to 11:00, the 9.0 at 11:00 to 11:05, and so on, so after the
     * reading at 11:00 + 5k min the time out of range is 5k min. Exactly the budget is no breach: k = 6 (11:30) is
     * 30 min, k = 7 (11:35) is 35 min > 30: the breach is at 11:35. Nothing breaches earlier: 9 °C < 15 °C, and the
     * mean at 11:35 is (60 min x 5 + 35 min x 9) / 95 min = 6.47 °C, the MKT a fraction above it, below 8 °C.
     */
    private void aUnitFailure() {
        for (int m = 0; m <= 110; m += 5) {
            events.add(A, observation("o" + m, "TT-0042", "TT-0042", min(m), m < 60 ? 5.0 : 9.0));
        }
    }

    private static ShipmentExposure standing(ExposureStatus status, Instant breachSince) {
        return ShipmentExposure.empty(A, "chilled-biologics-2-8").withStanding(new ShipmentExposure.Standing(status,
                breachSince, false, NOW, "TT-0042", 2100, 0));
    }

    @Test
    void theBreachIsTheReadingWithWhichTheDecisionsBudgetWasExceededNotTheDecisionsProcessingTime() {
        shipments.bySscc.put(A, planned(A, null));
        aUnitFailure();
        // the decision was made (processing time) a week later, when the trip was replayed
        exposures = sscc -> Optional.of(standing(ExposureStatus.BREACHED, NOW.plus(Duration.ofDays(7))));
        assertThat(get("/shipments/" + A + "/temperatures", null).body().get("breachAt").asText())
                .isEqualTo("2026-03-02T11:35:00Z");
        // a plot of the last hour only: the moment is still judged over the readings from the start of the trip
        assertThat(get("/shipments/" + A + "/temperatures", "from=2026-03-02T11:20:00Z").body().get("breachAt")
                .asText()).isEqualTo("2026-03-02T11:35:00Z");
    }

    @Test
    void withoutABreachingDecisionTheEdgesLastBreachOrNothingIsShown() {
        aUnitFailure();
        // the decision has not breached (e.g. not yet confirmed elsewhere): the readings alone do not mark a breach
        shipments.bySscc.put(A, planned(A, null));
        exposures = sscc -> Optional.of(standing(ExposureStatus.ATTENTION, null));
        assertThat(get("/shipments/" + A + "/temperatures", null).body().has("breachAt")).isFalse();
        // an edge-reported breach (the projection's lastBreachAt) is shown as it is
        shipments.bySscc.put(A, planned(A, min(61)));
        assertThat(get("/shipments/" + A + "/temperatures", null).body().get("breachAt").asText())
                .isEqualTo("2026-03-02T11:01:00Z");
        // the decision breached: its moment, not the edge's
        exposures = sscc -> Optional.of(standing(ExposureStatus.BREACHED, NOW));
        assertThat(get("/shipments/" + A + "/temperatures", null).body().get("breachAt").asText())
                .isEqualTo("2026-03-02T11:35:00Z");
    }

    /** A stored edge window summary of TT-0042 from start to end, with its extremes and mean. */
    private static StoredEvent window(String id, Instant start, Instant end, double min, double max, double mean) {
        String json = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"urn:waybill:thermotrack:TT-0042"
                + "\",\"type\":\"" + OBSERVED + "\",\"time\":\"" + end + "\",\"subject\":\"" + A + "\","
                + "\"devicetime\":\"" + end + "\",\"clockskewms\":0,\"clockskewed\":false,\"adapter\":\"thermotrack\","
                + "\"data\":{\"shipmentSscc\":\"" + A + "\",\"deviceId\":\"TT-0042\",\"windowStart\":\"" + start
                + "\",\"windowEnd\":\"" + end + "\",\"minCelsius\":" + min + ",\"maxCelsius\":" + max
                + ",\"meanCelsius\":" + mean + ",\"readingCount\":10},\"idscheme\":2}";
        return new StoredEvent(id, OBSERVED, end, end.plusSeconds(2), "urn:waybill:thermotrack:TT-0042",
                "thermotrack", json);
    }

    @Test
    void aWindowSummaryWhoseMaximumLeftTheBandIsAnExcursionWithItsExtremesPlotted() {
        shipments.bySscc.put(A, planned(A, null));
        // 10-min windows of TT-0042, band 2..8:
        //   10:00-10:10 min 4.0 max 6.0 mean 5.0   in
        //   10:10-10:20 min 5.0 max 9.5 mean 6.5   mean in the band, max above: ABOVE
        //   10:20-10:30 min 6.0 max 8.2 mean 7.0   max above: the run goes on, peak still 9.5
        //   10:30-10:40 min 1.5 max 5.0 mean 3.0   min below: a run BELOW, peak 1.5
        // -> ABOVE from the start of the 10:10 window to the end of the 10:20 one (10:10-10:30), peak 9.5;
        //    BELOW 10:30-10:40, peak 1.5; the windows touch end to start: no gap (0 min)
        events.add(A, window("w1", min(0), min(10), 4.0, 6.0, 5.0));
        events.add(A, window("w2", min(10), min(20), 5.0, 9.5, 6.5));
        events.add(A, window("w3", min(20), min(30), 6.0, 8.2, 7.0));
        events.add(A, window("w4", min(30), min(40), 1.5, 5.0, 3.0));
        JsonNode p = get("/shipments/" + A + "/temperatures", null).body().get("probes").get(0);
        assertThat(p.get("gaps")).isEmpty();
        assertThat(p.get("excursions")).hasSize(2);
        JsonNode above = p.get("excursions").get(0);
        assertThat(above.get("side").asText()).isEqualTo("ABOVE");
        assertThat(above.get("from").asText()).isEqualTo("2026-03-02T10:10:00Z");
        assertThat(above.get("to").asText()).isEqualTo("2026-03-02T10:30:00Z");
        assertThat(above.get("peakCelsius").asDouble()).isEqualTo(9.5);
        JsonNode below = p.get("excursions").get(1);
        assertThat(below.get("side").asText()).isEqualTo("BELOW");
        assertThat(below.get("from").asText()).isEqualTo("2026-03-02T10:30:00Z");
        assertThat(below.get("peakCelsius").asDouble()).isEqualTo(1.5);
        // each point: the window's end and mean, with its start and extremes
        JsonNode w2 = p.get("points").get(1);
        assertThat(w2.get("at").asText()).isEqualTo("2026-03-02T10:20:00Z");
        assertThat(w2.get("from").asText()).isEqualTo("2026-03-02T10:10:00Z");
        assertThat(w2.get("celsius").asDouble()).isEqualTo(6.5);
        assertThat(w2.get("minCelsius").asDouble()).isEqualTo(5.0);
        assertThat(w2.get("maxCelsius").asDouble()).isEqualTo(9.5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/shipments/12345/temperatures||sscc",
            "/shipments/106141412345678908/temperatures|from=yesterday|from",
            "/shipments/106141412345678908/temperatures|to=2026-13-01T00:00:00Z|to",
            "/shipments/106141412345678908/temperatures|from=2026-03-02T10:00:00Z&to=2026-03-02T09:00:00Z|to",
            "/shipments/106141412345678908/history|from=1|from",
            "/shipments/106141412345678908/history|type=|type",
            "/shipments/106141412345678908/history|limit=0|limit",
            "/shipments/106141412345678908/history|pageToken=forged|pageToken",
    })
    void badInputIsABadRequestNamingIt(String path, String query, String param) {
        shipments.bySscc.put(A, planned(A, null));
        Reply r = get(path, query);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(r.body().get("invalidParams").get(0).get("name").asText()).isEqualTo(param);
    }

    @Test
    void anUnknownShipmentIsNotFoundOnBothRoutesAndAnUnknownSubRouteIsNoRoute() {
        assertThat(get("/shipments/" + A + "/temperatures", null).status()).isEqualTo(404);
        assertThat(get("/shipments/" + A + "/history", null).status()).isEqualTo(404);
        shipments.bySscc.put(A, planned(A, null));
        Reply r = get("/shipments/" + A + "/nothing", null);
        assertThat(r.status()).isEqualTo(404);
    }

    // ---- history

    @Test
    void historyListsTheStoredEventsInTimeOrderWithTheirPayloadAndLinksTheNextPage() {
        shipments.bySscc.put(A, planned(A, null));
        events.add(A, observation("o2", "TT-0042", "TT-0042", min(5), 8.5));
        events.add(A, departed("d1", min(1)));
        events.add(A, observation("o1", "TT-0042", "TT-0042", min(0), 5.0));

        Reply r = get("/shipments/" + A + "/history", "limit=2");

        assertThat(r.status()).isEqualTo(200);
        JsonNode items = r.body().get("items");
        // by event time: o1 10:00, d1 10:01, (o2 10:05 on the next page)
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("eventId").asText()).isEqualTo("o1");
        assertThat(items.get(0).get("type").asText()).isEqualTo(OBSERVED);
        assertThat(items.get(0).get("eventTime").asText()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(items.get(0).get("recordedAt").asText()).isEqualTo("2026-03-02T10:00:02Z");
        assertThat(items.get(0).get("source").asText()).isEqualTo("urn:waybill:thermotrack:TT-0042");
        assertThat(items.get(0).get("deviceId").asText()).isEqualTo("TT-0042");
        assertThat(items.get(0).get("payload").get("meanCelsius").asDouble()).isEqualTo(5.0);
        assertThat(items.get(1).get("eventId").asText()).isEqualTo("d1");
        assertThat(items.get(1).has("recordedAt")).isFalse();
        assertThat(items.get(1).has("deviceId")).isFalse();
        assertThat(items.get(1).get("payload").get("locationGln").asText()).isEqualTo("0614141000005");
        assertThat(r.body().get("nextPageToken").asText()).isEqualTo("@2");
        assertThat(r.headers().get("Link")).isEqualTo("</shipments/" + A + "/history?limit=2&pageToken=%402>; rel=\"next\"");

        r = get("/shipments/" + A + "/history", "limit=2&pageToken=%402");
        assertThat(r.body().get("items")).hasSize(1);
        assertThat(r.body().get("items").get(0).get("eventId").asText()).isEqualTo("o2");
        assertThat(r.body().has("nextPageToken")).isFalse();
    }

    @Test
    void historyPassesTypeAndTimeFilters() {
        shipments.bySscc.put(A, planned(A, null));
        events.add(A, observation("o1", "TT-0042", "TT-0042", min(0), 5.0));
        events.add(A, departed("d1", min(1)));
        events.add(A, observation("o2", "TT-0042", "TT-0042", min(5), 8.5));
        Reply r = get("/shipments/" + A + "/history",
                "type=" + OBSERVED + "&from=2026-03-02T10:00:30Z&to=2026-03-02T10:05:00Z");
        assertThat(events.lastFilter).isEqualTo(new ShipmentEventReadModel.Filter(OBSERVED,
                Instant.parse("2026-03-02T10:00:30Z"), Instant.parse("2026-03-02T10:05:00Z")));
        assertThat(events.lastLimit).isEqualTo(25);
        // only o2 is an observation within 10:00:30..10:05:00 (bounds included)
        assertThat(r.body().get("items")).hasSize(1);
        assertThat(r.body().get("items").get(0).get("eventId").asText()).isEqualTo("o2");
    }

    // ---- exposure on GET /shipments/{sscc}

    /** Single readings of one probe applied in time order (band 2..8, 15 min gap: chilled-biologics-2-8). */
    private static ProbeExposure probe(String id, Object... minuteAndCelsius) {
        ProbeExposure p = ProbeExposure.empty(id);
        for (int i = 0; i < minuteAndCelsius.length; i += 2) {
            Instant at = min((Integer) minuteAndCelsius[i]);
            double c = (Double) minuteAndCelsius[i + 1];
            p = p.apply(new ExposureEvidence(id + "-" + i, A, id, ExposureEvidence.Kind.POINT, at, at, c, 0),
                    TemperatureBand.between(2, 8), Duration.ofMinutes(15));
        }
        return p;
    }

    private static ShipmentExposure exposureOf(ShipmentExposure.Standing standing) {
        // P: 10:00 5.0, 10:10 10.0, 10:20 4.0 -> 5.0 holds 10 min (in), 10.0 holds 10 min: 600 s above,
        //    (10 - 8) x 10 min = 20 degC.min above; 3 readings, 10:00..10:20, no unknown time.
        //    MKT of 10 min at 5 and 10 min at 10 degC (dH/R = 10000 K):
        //    10000 / -ln((e^(-10000/278.15) + e^(-10000/283.15)) / 2) - 273.15
        //    = 10000 / -ln((2.43400e-16 + 4.59235e-16) / 2) - 273.15 = 7.8685 degC (python3, math.exp/log)
        // Q: 10:00 3.0, 10:30 3.0 -> 30 min apart: 15 min held (in), 15 min = 900 s unknown; nothing out of range
        ShipmentExposure x = ShipmentExposure.empty(A, "chilled-biologics-2-8")
                .withProbe(probe("Q", 0, 3.0, 30, 3.0))
                .withProbe(probe("P", 0, 5.0, 10, 10.0, 20, 4.0));
        return standing == null ? x : x.withStanding(standing);
    }

    @Test
    void oneShipmentShowsTheRunningExposurePerProbeAndTheWorstProbe() {
        shipments.bySscc.put(A, planned(A, null));
        exposures = sscc -> sscc.equals(A) ? Optional.of(exposureOf(null)) : Optional.empty();

        Reply r = get("/shipments/" + A, null);

        assertThat(r.status()).isEqualTo(200);
        JsonNode x = r.body().get("exposure");
        assertThat(x.get("productClass").asText()).isEqualTo("chilled-biologics-2-8");
        assertThat(x.has("decision")).isFalse();
        // P has 600 s out of range, Q none
        assertThat(x.get("worstProbe").asText()).isEqualTo("P");
        JsonNode p = x.get("probes").get(0);
        assertThat(p.get("probe").asText()).isEqualTo("P");
        assertThat(p.get("readings").asInt()).isEqualTo(3);
        assertThat(p.get("from").asText()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(p.get("to").asText()).isEqualTo("2026-03-02T10:20:00Z");
        assertThat(p.get("aboveSeconds").asDouble()).isEqualTo(600.0);
        assertThat(p.get("belowSeconds").asDouble()).isEqualTo(0.0);
        assertThat(p.get("unknownSeconds").asDouble()).isEqualTo(0.0);
        assertThat(p.get("degreeMinutesAbove").asDouble()).isCloseTo(20.0, within(1e-9));
        assertThat(p.get("mktCelsius").asDouble()).isCloseTo(7.8685, within(1e-4));
        assertThat(p.get("minCelsius").asDouble()).isEqualTo(4.0);
        assertThat(p.get("maxCelsius").asDouble()).isEqualTo(10.0);
        JsonNode q = x.get("probes").get(1);
        assertThat(q.get("probe").asText()).isEqualTo("Q");
        assertThat(q.get("aboveSeconds").asDouble()).isEqualTo(0.0);
        assertThat(q.get("unknownSeconds").asDouble()).isEqualTo(900.0);

        // another shipment the store does not hold: no exposure
        shipments.bySscc.put(B, unplanned(B));
        assertThat(get("/shipments/" + B, null).body().has("exposure")).isFalse();
    }

    @Test
    void theDecisionsStandingAndWorstProbeAreShownWhenStored() {
        shipments.bySscc.put(A, planned(A, null));
        exposures = sscc -> Optional.of(exposureOf(new ShipmentExposure.Standing(ExposureStatus.BREACHED, min(15),
                true, min(21), "Q", 600, 900)));
        JsonNode x = get("/shipments/" + A, null).body().get("exposure");
        assertThat(x.get("worstProbe").asText()).isEqualTo("Q");
        assertThat(x.get("decision").get("status").asText()).isEqualTo("BREACHED");
        assertThat(x.get("decision").get("breachSince").asText()).isEqualTo("2026-03-02T10:15:00Z");
        assertThat(x.get("decision").get("decidedAt").asText()).isEqualTo("2026-03-02T10:21:00Z");
        assertThat(x.get("decision").get("pending").asBoolean()).isTrue();
    }
}

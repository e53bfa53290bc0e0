package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.aws.coldchain.ColdChainTables;
import io.waybill.aws.coldchain.DynamoDbEvidenceStore;
import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureStatus;
import io.waybill.domain.coldchain.ProbeExposure;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.coldchain.TemperatureBand;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.TemperatureObserved;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /shipments/{sscc}/temperatures}, {@code /history} and the exposure of {@code /shipments/{sscc}} through the
 * Lambda handler against the local DynamoDB emulator: the events appended through the event store's own ledger
 * ({@link DynamoDbEventLedger}, so read back through its {@code bySubject} index as stored), the running exposure
 * saved through the cold-chain evidence store. Expected values are worked out by hand from the seeded readings.
 */
@Timeout(120)
class ShipmentDetailOnEmulatorTest {
    private static final OpsTables TABLES = OpsTables.named("detail-test");
    private static final String EXPOSURE = "detail-test-exposure";
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String S = "106000000000000011";
    private static final String OTHER = "106000000000000028";
    private static final Map<String, String> READER = Map.of("sub", "s-1", "username", "ops", "scope", "ops.read");

    private static LocalAwsStack stack;
    private static OpsApiHandler handler;

    private static Instant min(int m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources resources = StackResources.using(stack.clients());
        TABLES.create(resources);
        resources.createTable(ColdChainTables.exposure(EXPOSURE));
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(stack.clients().dynamoDb())
                .build();
        new DynamoDbShipmentStateStore(enhanced, TABLES.shipments()).save(new ShipmentState(S,
                ShipmentStatus.IN_TRANSIT, T0, "e-s", null, null, null, null, null, null, null, null, null, null, null,
                T0, "e-s", "waybill.shipment.departed.v1", null, null, null, null,
                new ShipmentState.Plan("chilled-biologics-2-8", "0614141000005", "0614141000012", null, null,
                        List.of("TT-1"), null, null, T0.minusSeconds(3600), "e-plan")), null);

        DynamoDbEventLedger ledger = new DynamoDbEventLedger(enhanced, TABLES.events(), Clock.systemUTC());
        // S, probe TT-1 (band 2..8, gap limit 15 min): 10:00 5.0, 10:05 9.0, 10:10 9.5, 10:30 4.0; arrived at 10:01
        append(ledger, observation("o0", S, min(0), 5.0));
        append(ledger, arrived("a1", S, min(1)));
        append(ledger, observation("o5", S, min(5), 9.0));
        append(ledger, observation("o10", S, min(10), 9.5));
        append(ledger, observation("o30", S, min(30), 4.0));
        // another shipment's reading in the same window: never S's
        append(ledger, observation("x7", OTHER, min(7), 20.0));

        // the running exposure of S: probe P 10:00 5.0, 10:10 10.0, 10:20 4.0 against 2..8 -> 600 s above,
        // 20 degC.min above; the decision BREACHED since 10:15, decided 10:21, worst probe P
        ProbeExposure p = ProbeExposure.empty("P");
        double[][] readings = {{0, 5.0}, {10, 10.0}, {20, 4.0}};
        for (double[] r : readings) {
            Instant at = min((int) r[0]);
            p = p.apply(new ExposureEvidence("p-" + (int) r[0], S, "P", ExposureEvidence.Kind.POINT, at, at, r[1], 0),
                    TemperatureBand.between(2, 8), Duration.ofMinutes(15));
        }
        assertThat(new DynamoDbEvidenceStore(enhanced, EXPOSURE).saveExposure(
                ShipmentExposure.empty(S, "chilled-biologics-2-8").withProbe(p).withStanding(
                        new ShipmentExposure.Standing(ExposureStatus.BREACHED, min(15), false, min(21), "P", 600, 0)),
                0)).isTrue();

        handler = new OpsApiHandler(OpsApiFunction.create(new OpsApiSettings(TABLES.events(),
                TABLES.shipments(), TABLES.incidents(), null, "test", null, null, EXPOSURE, null),
                stack.clients().dynamoDb(), null, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static CanonicalEvent event(String id, String source, String type, Instant at, String sscc,
                                        EventData data) {
        return new CanonicalEvent(id, source, type, at, sscc, at, null, null, at.plusSeconds(1), 0, false,
                source.split(":")[2], null, data);
    }

    private static CanonicalEvent observation(String id, String sscc, Instant at, double celsius) {
        return event(id, "urn:waybill:thermotrack:TT-1", "waybill.temperature.observed.v1", at, sscc,
                new TemperatureObserved(sscc, "TT-1", at, at, celsius, celsius, celsius, 1, null));
    }

    private static CanonicalEvent arrived(String id, String sscc, Instant at) {
        return event(id, "urn:waybill:rfid-portal:gate-3", "waybill.shipment.arrived.v1", at, sscc,
                new ShipmentArrived(sscc, "0614141000012", null, null));
    }

    private static void append(DynamoDbEventLedger ledger, CanonicalEvent e) {
        RawRecord raw = new RawRecord("{}".getBytes(StandardCharsets.UTF_8),
                new RecordOrigin("raw", "shardId-000000000000", e.id(), e.subject()), e.time());
        assertThat(ledger.append(new NormalizationResult.Normalized(raw, e, CanonicalEventJson.toJsonString(e)),
                Instant.now())).isEqualTo(EventLedger.Append.APPENDED);
    }

    private static JsonNode get(String path, String query, Map<String, String> headersOut) {
        ContractCheckedCalls.Reply r = ContractCheckedCalls.get(handler, path, query, READER);
        if (headersOut != null) {
            headersOut.putAll(r.headers());
        }
        return r.expect(200);
    }

    @Test
    void temperaturesComeFromTheStoredObservationsWithGapAndExcursion() throws Exception {
        JsonNode b = get("/shipments/" + S + "/temperatures", "", null);
        assertThat(b.get("productClass").asText()).isEqualTo("chilled-biologics-2-8");
        assertThat(b.get("band").get("minCelsius").asDouble()).isEqualTo(2.0);
        assertThat(b.get("band").get("maxCelsius").asDouble()).isEqualTo(8.0);
        // the decision breached (its breachSince, 10:15, is processing time): the breach on the readings' time line is
        // the first reading with which TT-1's readings judge a breach under chilled-biologics-2-8 (30 min out of range
        // allowed, MKT above 8 degC major). At 10:10: 5.0 held 5 min, 9.0 held 5 min: 5 min out of range, MKT a
        // little above the mean of 7.0, below 8. At 10:30: 9.5 held 15 min (the gap limit) then 5 min unknown: 20 min
        // out of range (+5 unknown = 25 <= 30), but the mean is (5 x 5.0 + 5 x 9.0 + 15 x 9.5) / 25 = 8.5 degC and an
        // MKT is never below the mean: above 8 degC, a breach at 10:30
        assertThat(b.get("breachAt").asText()).isEqualTo("2026-03-02T10:30:00Z");
        assertThat(b.get("truncated").asBoolean()).isFalse();
        assertThat(b.get("probes")).hasSize(1);
        JsonNode tt = b.get("probes").get(0);
        assertThat(tt.get("probe").asText()).isEqualTo("TT-1");
        List<String> points = new ArrayList<>();
        tt.get("points").forEach(p -> points.add(p.get("at").asText().substring(11, 16) + "=" + p.get("celsius")));
        // OTHER's 20.0 at 10:07 is not here
        assertThat(points).containsExactly("10:00=5.0", "10:05=9.0", "10:10=9.5", "10:30=4.0");
        // 10:10 -> 10:30 is 20 min > 15: a gap
        assertThat(tt.get("gaps")).hasSize(1);
        assertThat(tt.get("gaps").get(0).get("from").asText()).isEqualTo("2026-03-02T10:10:00Z");
        assertThat(tt.get("gaps").get(0).get("to").asText()).isEqualTo("2026-03-02T10:30:00Z");
        // 9.0 and 9.5 above 8: one excursion 10:05-10:10, peak 9.5
        assertThat(tt.get("excursions")).hasSize(1);
        assertThat(tt.get("excursions").get(0).get("from").asText()).isEqualTo("2026-03-02T10:05:00Z");
        assertThat(tt.get("excursions").get(0).get("to").asText()).isEqualTo("2026-03-02T10:10:00Z");
        assertThat(tt.get("excursions").get(0).get("peakCelsius").asDouble()).isEqualTo(9.5);

        // 10:06..10:30 (bounds included): 10:10 9.5 and 10:30 4.0; the run is the one reading at 10:10
        JsonNode w = get("/shipments/" + S + "/temperatures", "from=2026-03-02T10:06:00Z&to=2026-03-02T10:30:00Z",
                null).get("probes").get(0);
        assertThat(w.get("points")).hasSize(2);
        assertThat(w.get("excursions").get(0).get("from").asText()).isEqualTo("2026-03-02T10:10:00Z");
        assertThat(w.get("excursions").get(0).get("to").asText()).isEqualTo("2026-03-02T10:10:00Z");
    }

    @Test
    void historyPagesTheStoredEventsInTimeOrderAndFilters() throws Exception {
        List<String> seen = new ArrayList<>();
        String query = "limit=2";
        int pages = 0;
        while (query != null) {
            Map<String, String> headers = new java.util.HashMap<>();
            JsonNode page = get("/shipments/" + S + "/history", query, headers);
            page.get("items").forEach(i -> seen.add(i.get("eventId").asText()));
            query = page.has("nextPageToken") ? "limit=2&pageToken=" + page.get("nextPageToken").asText() : null;
            assertThat(headers.containsKey("Link")).isEqualTo(query != null);
            pages++;
        }
        // S's five events by time, two a page: o0, a1 | o5, o10 | o30 (OTHER's x7 never)
        assertThat(seen).containsExactly("o0", "a1", "o5", "o10", "o30");
        assertThat(pages).isEqualTo(3);

        JsonNode first = get("/shipments/" + S + "/history", "limit=1", null).get("items").get(0);
        assertThat(first.get("type").asText()).isEqualTo("waybill.temperature.observed.v1");
        assertThat(first.get("eventTime").asText()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(first.has("recordedAt")).isTrue();
        assertThat(first.get("source").asText()).isEqualTo("urn:waybill:thermotrack:TT-1");
        assertThat(first.get("deviceId").asText()).isEqualTo("TT-1");
        assertThat(first.get("payload").get("meanCelsius").asDouble()).isEqualTo(5.0);

        JsonNode arrivedOnly = get("/shipments/" + S + "/history", "type=waybill.shipment.arrived.v1", null);
        assertThat(arrivedOnly.get("items")).hasSize(1);
        assertThat(arrivedOnly.get("items").get(0).get("eventId").asText()).isEqualTo("a1");
        assertThat(arrivedOnly.get("items").get(0).get("payload").get("atGln").asText())
                .isEqualTo("0614141000012");

        JsonNode window = get("/shipments/" + S + "/history", "from=2026-03-02T10:05:00Z&to=2026-03-02T10:10:00Z",
                null);
        List<String> ids = new ArrayList<>();
        window.get("items").forEach(i -> ids.add(i.get("eventId").asText()));
        assertThat(ids).containsExactly("o5", "o10");
    }

    @Test
    void oneShipmentCarriesTheStoredRunningExposure() throws Exception {
        JsonNode x = get("/shipments/" + S, "", null).get("exposure");
        assertThat(x.get("worstProbe").asText()).isEqualTo("P");
        assertThat(x.get("decision").get("status").asText()).isEqualTo("BREACHED");
        assertThat(x.get("decision").get("breachSince").asText()).isEqualTo("2026-03-02T10:15:00Z");
        JsonNode p = x.get("probes").get(0);
        assertThat(p.get("aboveSeconds").asDouble()).isEqualTo(600.0);
        assertThat(p.get("degreeMinutesAbove").asDouble()).isEqualTo(20.0);
        assertThat(p.get("readings").asInt()).isEqualTo(3);
    }
}

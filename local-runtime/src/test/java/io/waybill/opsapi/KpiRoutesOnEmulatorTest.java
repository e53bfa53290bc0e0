package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.aws.kpi.DynamoDbKpiAggregates;
import io.waybill.domain.kpi.Movement;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /kpis/lanes} and {@code /kpis/facilities} through the Lambda handler against the local DynamoDB emulator, the
 * aggregates written by the KPI aggregator's own fold ({@link DynamoDbKpiAggregates#fold}) from movements listed here.
 * The expected figures are worked out by hand from those movements (comments), not read back through the aggregates.
 */
@Timeout(120)
class KpiRoutesOnEmulatorTest {
    private static final String KPIS = "ops-api-kpi-test-aggregates";
    private static final String DC = "0614141000005";
    private static final String STORE = "0614141000012";
    private static final String HUB = "0614141000029";
    private static final String S1 = "106000000000000011";
    private static final String S2 = "106000000000000012";
    private static final String S3 = "106000000000000013";
    private static final Instant T = Instant.parse("2026-03-02T08:00:00Z");
    private static final Map<String, String> READER = Map.of("sub", "r-1", "scope", "waybill/ops.read");

    private static LocalAwsStack stack;
    private static OpsApiHandler handler;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources resources = StackResources.using(stack.clients());
        OpsTables tables = OpsTables.create(resources, "ops-api-kpi-test");
        resources.createTable(DynamoDbKpiAggregates.definition(KPIS));
        DynamoDbKpiAggregates aggregates = new DynamoDbKpiAggregates(stack.clients().dynamoDb(), KPIS);
        // S1: DC 08:00 -> STORE 10:00 (transit 2 h), STORE 13:00 (dwell 3 h) -> HUB 14:00 (transit 1 h), still there
        aggregates.fold(S1, List.of(move(S1, 0, "s1-d1", true, DC), move(S1, 120, "s1-a1", false, STORE),
                move(S1, 300, "s1-d2", true, STORE), move(S1, 360, "s1-a2", false, HUB)));
        // S2: DC 09:00 -> STORE 13:00 (transit 4 h), still there; the arrival folded in a second batch
        aggregates.fold(S2, List.of(move(S2, 60, "s2-d1", true, DC)));
        aggregates.fold(S2, List.of(move(S2, 300, "s2-a1", false, STORE)));
        // S3: DC 10:00, in transit (lane DC -> ?)
        aggregates.fold(S3, List.of(move(S3, 120, "s3-d1", true, DC)));
        handler = new OpsApiHandler(OpsApiFunction.create(tables.settings(null),
                new OpsApiStores(KPIS, null, null),
                stack.clients().dynamoDb(), null, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Movement move(String sscc, int minutes, String id, boolean departure, String gln) {
        return new Movement(sscc, T.plusSeconds(minutes * 60L), id, "urn:test:kpi", departure, gln);
    }

    private static JsonNode get(String path, String query, Map<String, String> headersOut) {
        ContractCheckedCalls.Reply r = ContractCheckedCalls.get(handler, path, query, READER);
        if (headersOut != null) {
            headersOut.putAll(r.headers());
        }
        return r.expect(200);
    }

    @Test
    void lanesArePagedInKeyOrderWithTheirCountsAndTransitHours() throws Exception {
        List<JsonNode> lanes = new ArrayList<>();
        String query = "limit=2";
        int pages = 0;
        while (query != null) {
            Map<String, String> headers = new java.util.HashMap<>();
            JsonNode page = get("/kpis/lanes", query, headers);
            page.get("items").forEach(lanes::add);
            pages++;
            query = page.has("nextPageToken") ? "limit=2&pageToken=" + page.get("nextPageToken").asText() : null;
            assertThat(headers.containsKey("Link")).isEqualTo(query != null);
        }
        assertThat(pages).isEqualTo(2);
        // sort keys "<origin>-><destination>": digits sort before '?', so DC->STORE, DC->?, STORE->HUB
        assertThat(lanes).extracting(l -> l.get("origin").asText() + ">" + l.get("destination").asText())
                .containsExactly(DC + ">" + STORE, DC + ">?", STORE + ">" + HUB);
        // DC -> STORE: S1 and S2, one leg each, transits {2 h, 4 h}: p50 rank ceil(1.0) = 1 -> 2 h,
        // p90 rank ceil(1.8) = 2 -> 4 h, p99 rank ceil(1.98) = 2 -> 4 h
        JsonNode dcStore = lanes.get(0);
        assertThat(dcStore.get("shipments").asLong()).isEqualTo(2);
        assertThat(dcStore.get("legs").asLong()).isEqualTo(2);
        assertThat(dcStore.get("inTransit").asLong()).isZero();
        assertThat(dcStore.get("unobserved").asLong()).isZero();
        assertThat(dcStore.get("transitHours").get("p50").asDouble()).isEqualTo(2.0);
        assertThat(dcStore.get("transitHours").get("p90").asDouble()).isEqualTo(4.0);
        assertThat(dcStore.get("transitHours").get("p99").asDouble()).isEqualTo(4.0);
        // DC -> ?: S3 in transit, no arrived leg, no transit hours
        assertThat(lanes.get(1).get("legs").asLong()).isEqualTo(1);
        assertThat(lanes.get(1).get("inTransit").asLong()).isEqualTo(1);
        assertThat(lanes.get(1).has("transitHours")).isFalse();
        // STORE -> HUB: S1's second leg, 1 h
        assertThat(lanes.get(2).get("transitHours").get("p50").asDouble()).isEqualTo(1.0);
    }

    @Test
    void filtersAreKeyConditions() throws Exception {
        JsonNode fromDc = get("/kpis/lanes", "origin=" + DC, null);
        assertThat(fromDc.get("items")).hasSize(2);
        JsonNode one = get("/kpis/lanes", "origin=" + DC + "&destination=" + STORE, null);
        assertThat(one.get("items")).hasSize(1);
        JsonNode toHub = get("/kpis/lanes", "destination=" + HUB, null);
        assertThat(toHub.get("items")).hasSize(1);
        assertThat(toHub.get("items").get(0).get("origin").asText()).isEqualTo(STORE);
    }

    @Test
    void facilitiesCountArrivalsDeparturesPresenceAndDwell() throws Exception {
        JsonNode items = get("/kpis/facilities", "", null).get("items");
        assertThat(items).extracting(f -> f.get("gln").asText()).containsExactly(DC, STORE, HUB);
        // DC: S1, S2, S3 departed; nobody arrived
        assertThat(items.get(0).get("arrived").asLong()).isZero();
        assertThat(items.get(0).get("departed").asLong()).isEqualTo(3);
        assertThat(items.get(0).has("dwellHours")).isFalse();
        // STORE: S1 and S2 arrived, S1 left after 3 h, S2 is still there
        assertThat(items.get(1).get("arrived").asLong()).isEqualTo(2);
        assertThat(items.get(1).get("departed").asLong()).isEqualTo(1);
        assertThat(items.get(1).get("present").asLong()).isEqualTo(1);
        assertThat(items.get(1).get("dwellHours").get("p50").asDouble()).isEqualTo(3.0);
        assertThat(items.get(1).get("dwellHours").get("p99").asDouble()).isEqualTo(3.0);
        // HUB: S1 arrived, present
        assertThat(items.get(2).get("present").asLong()).isEqualTo(1);
        JsonNode hub = get("/kpis/facilities", "gln=" + HUB, null).get("items");
        assertThat(hub).hasSize(1);
    }
}

package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.domain.incident.ShipmentIncident;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open incidents of {@code GET /shipments} and {@code GET /shipments/{sscc}} through the Lambda handler against
 * the local DynamoDB emulator: incidents written through the incident store (its GSIs byStatus and byShipment as the
 * table defines them), then acknowledged or resolved through it. Expected counts are written out from the seeding.
 */
@Timeout(120)
class ShipmentOpenIncidentsOnEmulatorTest {
    private static final OpsTables TABLES = OpsTables.named("open-inc-test");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String A = "106000000000000011";
    private static final String B = "106000000000000028";
    private static final String C = "106000000000000035";
    private static final Map<String, String> READER = Map.of("sub", "s-1", "username", "ops", "scope", "ops.read");

    private static LocalAwsStack stack;
    private static OpsApiHandler handler;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources resources = StackResources.using(stack.clients());
        TABLES.create(resources);
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(stack.clients().dynamoDb())
                .build();
        DynamoDbShipmentStateStore states = new DynamoDbShipmentStateStore(enhanced, TABLES.shipments());
        for (String sscc : List.of(A, B, C)) {
            states.save(new ShipmentState(sscc, ShipmentStatus.IN_TRANSIT, T0, "e-s", null, null, null, null, null,
                    null, null, null, null, null, null, T0, "e-s", "waybill.shipment.departed.v1", null, null, null,
                    null, null), null);
        }
        // A: a1 OPEN (10:01), a2 ACKNOWLEDGED (opened 10:02), a3 RESOLVED -> 2 open: a1, a2 (oldest first)
        // B: b1 RESOLVED -> none;  C: c1 OPEN -> 1
        DynamoDbIncidentStore incidents = new DynamoDbIncidentStore(enhanced, TABLES.incidents());
        open(incidents, "a1", A, 1);
        open(incidents, "a2", A, 2);
        open(incidents, "a3", A, 3);
        open(incidents, "b1", B, 4);
        open(incidents, "c1", C, 5);
        Instant later = T0.plus(Duration.ofHours(1));
        incidents.acknowledge("a2", later);
        incidents.resolve("a3", later, "released");
        incidents.resolve("b1", later, "released");

        handler = new OpsApiHandler(OpsApiFunction.create(new OpsApiSettings(TABLES.events(),
                TABLES.shipments(), TABLES.incidents(), null, "test", null, null, null, null),
                stack.clients().dynamoDb(), null, Clock.systemUTC()));
    }

    private static void open(DynamoDbIncidentStore store, String id, String sscc, int minute) {
        Instant at = T0.plus(Duration.ofMinutes(minute));
        assertThat(store.open(ShipmentIncident.open(id, sscc, "COLD_CHAIN_BREACH", "MAJOR", "test " + id, at, at, 0),
                "{}").opened()).isTrue();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static JsonNode get(String path, String query, int status) {
        return ContractCheckedCalls.get(handler, path, query, READER).expect(status);
    }

    private static Map<String, Integer> counts(JsonNode page) {
        Map<String, Integer> out = new TreeMap<>();
        page.get("items").forEach(i -> out.put(i.get("sscc").asText(), i.get("openIncidents").asInt()));
        return out;
    }

    @Test
    void theListCountsOpenAndAcknowledgedIncidentsPerShipment() throws Exception {
        assertThat(counts(get("/shipments", "", 200))).isEqualTo(Map.of(A, 2, B, 0, C, 1));
    }

    @Test
    void theFilterKeepsTheShipmentsWithOrWithoutOpenIncidentsAcrossPages() throws Exception {
        assertThat(counts(get("/shipments", "openIncidents=true", 200))).isEqualTo(Map.of(A, 2, C, 1));
        assertThat(counts(get("/shipments", "openIncidents=false", 200))).isEqualTo(Map.of(B, 0));
        // one a page: A and C over two pages, nothing else
        List<String> listed = new ArrayList<>();
        String query = "openIncidents=true&limit=1";
        for (int i = 0; i < 5 && query != null; i++) {
            JsonNode page = get("/shipments", query, 200);
            page.get("items").forEach(s -> listed.add(s.get("sscc").asText()));
            query = page.has("nextPageToken") ? "openIncidents=true&limit=1&pageToken="
                    + java.net.URLEncoder.encode(page.get("nextPageToken").asText(), java.nio.charset.StandardCharsets.UTF_8)
                    : null;
        }
        assertThat(listed).containsExactlyInAnyOrder(A, C);
    }

    @Test
    void oneShipmentListsItsOpenIncidentIdsOldestFirst() throws Exception {
        assertThat(get("/shipments/" + A, "", 200).get("openIncidentIds")).extracting(JsonNode::asText)
                .containsExactly("a1", "a2");
        assertThat(get("/shipments/" + B, "", 200).get("openIncidentIds")).isEmpty();
    }
}

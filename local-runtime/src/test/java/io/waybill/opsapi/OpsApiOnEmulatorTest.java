package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.aws.eventstore.EventItem;
import io.waybill.domain.incident.IncidentDesk;
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
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops API's Lambda handler against the local DynamoDB and SQS emulators, with the tables created from the
 * functions' own definitions: shipments listed and paged across DynamoDB pages, filtered by hold; an incident
 * acknowledged through the handler, with the ledger event carrying the token's actor; the dead-letter depth on
 * {@code /health}. Expected values are the seeded facts, written out here; every response is also validated against
 * the contract ({@link OpsApiContract}, from the ops API's test jar).
 */
@Timeout(120)
class OpsApiOnEmulatorTest {
    private static final OpsTables TABLES = OpsTables.named("ops-api-test");
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Seven shipments: 1060000000000000d1..7 (18 digits); the 2nd and 5th on quality hold. */
    private static final List<String> SSCCS = List.of("106000000000000001", "106000000000000002",
            "106000000000000003", "106000000000000004", "106000000000000005", "106000000000000006",
            "106000000000000007");
    private static final List<String> HELD = List.of("106000000000000002", "106000000000000005");
    private static final String INCIDENT = "cold-chain/106000000000000002/chilled";
    private static final Map<String, String> OPERATOR = Map.of("sub", "9d2c-sub", "username", "dana",
            "scope", "waybill/ops.read waybill/ops.write");

    private static LocalAwsStack stack;
    private static OpsApiHandler handler;
    private static DynamoDbEnhancedClient enhanced;
    private static String dlqUrl;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources resources = StackResources.using(stack.clients());
        TABLES.create(resources);
        dlqUrl = resources.createQueue("ops-api-test-dlq").url();
        for (int i = 0; i < 2; i++) {
            String body = "dead letter " + i;
            stack.clients().sqs().sendMessage(b -> b.queueUrl(dlqUrl).messageBody(body));
        }
        enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(stack.clients().dynamoDb()).build();
        DynamoDbShipmentStateStore shipments = new DynamoDbShipmentStateStore(enhanced, TABLES.shipments());
        for (String sscc : SSCCS) {
            boolean held = HELD.contains(sscc);
            shipments.save(new ShipmentState(sscc, ShipmentStatus.IN_TRANSIT, T0, "e-" + sscc, null, null, null, null,
                    held ? 9.0 : 4.0, T0, "t-" + sscc, held ? T0 : null, null, null, null, T0, "e-" + sscc,
                    "waybill.shipment.departed.v1", held ? T0 : null,
                    held ? "cold-chain/" + sscc + "/chilled" : null), null);
        }
        new DynamoDbIncidentStore(enhanced, TABLES.incidents()).open(ShipmentIncident.open(INCIDENT, HELD.get(0),
                "COLD_CHAIN_BREACH", "MAJOR", "9.0 C for 45 min", T0, T0, 80), "{}");
        handler = new OpsApiHandler(OpsApiFunction.create(TABLES.settings(dlqUrl), stack.clients().dynamoDb(),
                stack.clients().sqs(), Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static JsonNode call(String method, String path, String query, int expectedStatus,
                                 Map<String, String> headersOut) {
        ContractCheckedCalls.Reply r = ContractCheckedCalls.call(handler, method, path, query, OPERATOR, null);
        if (headersOut != null) {
            headersOut.putAll(r.headers());
        }
        return r.expect(expectedStatus);
    }

    @Test
    void shipmentsAreListedOnceEachAcrossPagesAndFilteredByHold() throws Exception {
        List<String> seen = new ArrayList<>();
        String query = "limit=3";
        int pages = 0;
        while (query != null) {
            Map<String, String> headers = new java.util.HashMap<>();
            JsonNode page = call("GET", "/shipments", query, 200, headers);
            page.get("items").forEach(i -> seen.add(i.get("sscc").asText()));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(3);
            String link = headers.get("Link");
            query = page.has("nextPageToken") ? "limit=3&pageToken=" + page.get("nextPageToken").asText() : null;
            assertThat(link != null).isEqualTo(query != null);
            pages++;
        }
        // 7 shipments, 3 a page: 3 pages (3 + 3 + 1)
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(SSCCS);

        JsonNode held = call("GET", "/shipments", "hold=true", 200, null);
        List<String> heldSsccs = new ArrayList<>();
        held.get("items").forEach(i -> heldSsccs.add(i.get("sscc").asText()));
        assertThat(heldSsccs).containsExactlyInAnyOrderElementsOf(HELD);

        // a token of the unfiltered list is refused for the filtered one
        JsonNode first = call("GET", "/shipments", "limit=3", 200, null);
        JsonNode refused = call("GET", "/shipments", "hold=true&pageToken=" + first.get("nextPageToken").asText(),
                400, null);
        assertThat(refused.get("invalidParams").get(0).get("name").asText()).isEqualTo("pageToken");
    }

    @Test
    void aListByStatusReadsTheStatusIndexInSsccOrderAcrossPages() throws Exception {
        List<String> seen = new ArrayList<>();
        String query = "status=IN_TRANSIT&limit=3";
        while (query != null) {
            JsonNode page = call("GET", "/shipments", query, 200, null);
            page.get("items").forEach(i -> seen.add(i.get("sscc").asText()));
            query = page.has("nextPageToken")
                    ? "status=IN_TRANSIT&limit=3&pageToken=" + page.get("nextPageToken").asText() : null;
        }
        // all seven are in transit; the index's sort key is the SSCC, so they come in SSCC order (a Scan would not)
        assertThat(seen).containsExactlyElementsOf(SSCCS);
        assertThat(call("GET", "/shipments", "status=ARRIVED", 200, null).get("items")).isEmpty();
    }

    @Test
    void acknowledgingAnIncidentRecordsTheTokensActorInTheLedger() throws Exception {
        String path = "/incidents/cold-chain%2F106000000000000002%2Fchilled";
        JsonNode open = call("GET", "/incidents", "status=OPEN", 200, null);
        assertThat(open.get("items").get(0).get("incidentId").asText()).isEqualTo(INCIDENT);

        JsonNode acked = call("POST", path + "/acknowledge", null, 200, null);
        assertThat(acked.get("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(call("GET", path, null, 200, null).get("status").asText()).isEqualTo("ACKNOWLEDGED");
        call("POST", path + "/acknowledge", null, 409, null);

        List<JsonNode> actions = new ArrayList<>();
        for (EventItem item : enhanced.table(TABLES.events(), TableSchema.fromBean(EventItem.class)).scan()
                .items()) {
            if (IncidentDesk.SOURCE.equals(item.getSource())) {
                actions.add(JSON.readTree(item.getEventJson()));
            }
        }
        assertThat(actions).hasSize(1);
        JsonNode data = actions.get(0).get("data");
        assertThat(data.get("actor").asText()).isEqualTo("dana");
        assertThat(data.get("action").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(data.get("incidentId").asText()).isEqualTo(INCIDENT);
    }

    @Test
    void healthReportsTheDeadLetterDepth() throws Exception {
        JsonNode health = call("GET", "/health", null, 200, null);
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("deadLetters").get("approximateDepth").asLong()).isEqualTo(2);
    }
}

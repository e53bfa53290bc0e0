package io.waybill.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops API as {@code ./waybill stack} serves it: the local pipeline deployed on the emulators, the
 * {@link LocalOpsApi} gateway in front of the handler, called over real HTTP with tokens of this home's
 * {@link LocalJwtAuthority}. The expected shipments, incident and dead-letter depth are the facts seeded here, written
 * out; the expected refusals are the document's scopes ({@code ops.read} everywhere, {@code ops.write} on the POST
 * routes) and API Gateway's refusal bodies.
 */
@Timeout(120)
class OpsApiServedLocallyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final String HELD = "106000000000000011";
    private static final String MOVING = "106000000000000012";
    private static final String INCIDENT = "cold-chain/" + HELD + "/chilled";
    /** The incident id as one path segment ('/' URL-encoded). */
    private static final String INCIDENT_SEGMENT = "cold-chain%2F" + HELD + "%2Fchilled";

    @TempDir
    static Path home;
    private static LocalAwsStack stack;
    private static LocalPipeline pipeline;
    private static OpsApiGateway api;
    private static LocalJwtAuthority authority;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        pipeline = LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("api" + Long.toHexString(System.nanoTime())))
                .shards(1).coldChain(ColdChainConfig.builder().build(), null).deploy();
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder()
                .dynamoDbClient(stack.clients().dynamoDb()).build();
        DynamoDbShipmentStateStore shipments = new DynamoDbShipmentStateStore(enhanced,
                pipeline.names().shipmentsTable());
        for (String sscc : List.of(HELD, MOVING)) {
            boolean held = HELD.equals(sscc);
            shipments.save(new ShipmentState(sscc, ShipmentStatus.IN_TRANSIT, T0, "e-" + sscc, null, null, null, null,
                    held ? 9.0 : 4.0, T0, "t-" + sscc, held ? T0 : null, null, null, null, T0, "e-" + sscc,
                    "waybill.shipment.departed.v1", held ? T0 : null, held ? INCIDENT : null), null);
        }
        new DynamoDbIncidentStore(enhanced, pipeline.names().incidentsTable()).open(ShipmentIncident.open(INCIDENT,
                HELD, "COLD_CHAIN_BREACH", "MAJOR", "9.0 C for 45 min", T0, T0, 80), "{}");
        for (int i = 0; i < 3; i++) {
            String body = "dead letter " + i;
            stack.clients().sqs().sendMessage(b -> b.queueUrl(pipeline.deadLetterQueueUrl()).messageBody(body));
        }
        api = LocalOpsApi.serve(pipeline, home, 0);
        authority = LocalJwtAuthority.openOrCreate(LocalJwtAuthority.folder(home));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static String token(boolean write) {
        return authority.issue("dana", write, Duration.ofMinutes(5), Instant.now());
    }

    private static HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.uri() + path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shipmentsAreListedOverHttpWithAReadToken() throws Exception {
        HttpResponse<String> r = send("GET", "/shipments", token(false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(r.headers().firstValue("apigw-requestid")).isPresent();
        JsonNode page = JSON.readTree(r.body());
        Map<String, Boolean> onHold = new java.util.TreeMap<>();
        page.get("items").forEach(i -> {
            assertThat(i.get("status").asText()).isEqualTo("IN_TRANSIT");
            onHold.put(i.get("sscc").asText(), i.get("hold").get("onHold").asBoolean());
        });
        // the two seeded shipments, only the first on hold; two items fit one page: no next page
        assertThat(onHold).isEqualTo(Map.of(HELD, true, MOVING, false));
        assertThat(page.has("nextPageToken")).isFalse();
    }

    @Test
    void healthReportsTheLocalVersionAndThePipelinesDeadLetterDepth() throws Exception {
        HttpResponse<String> r = send("GET", "/health", token(false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode health = JSON.readTree(r.body());
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("version").asText()).isEqualTo("local");
        assertThat(Instant.parse(health.get("time").asText())).isNotNull();
        assertThat(health.get("deadLetters").get("queueUrl").asText()).isEqualTo(pipeline.deadLetterQueueUrl());
        assertThat(health.get("deadLetters").get("approximateDepth").asInt()).isEqualTo(3); // three sent above
    }

    @Test
    void withoutATokenEveryRouteIsUnauthorized() throws Exception {
        for (String[] call : new String[][] {{"GET", "/shipments"}, {"GET", "/health"}, {"GET", "/no-such-route"},
                {"POST", "/incidents/" + INCIDENT_SEGMENT + "/acknowledge"}}) {
            HttpResponse<String> r = send(call[0], call[1], null);
            assertThat(r.statusCode()).as(call[0] + " " + call[1]).isEqualTo(401);
            assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"message\":\"Unauthorized\"}"));
            assertThat(r.headers().firstValue("www-authenticate")).isPresent();
        }
    }

    @Test
    void aTokenWithoutTheReadScopeIsForbiddenByTheGateway() throws Exception {
        long now = Instant.now().getEpochSecond();
        String noRead = TestTokens.sign(TestTokens.storedKey(LocalJwtAuthority.folder(home)), Map.of(
                "iss", LocalJwtAuthority.ISSUER, "aud", LocalJwtAuthority.AUDIENCE, "sub", "dana",
                "iat", now, "exp", now + 300, "scope", "profile"));
        HttpResponse<String> r = send("GET", "/shipments", noRead);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"message\":\"Forbidden\"}"));
        assertThat(r.headers().firstValue("www-authenticate").orElseThrow()).contains("ops.read");
    }

    @Test
    void acknowledgingNeedsTheWriteScope() throws Exception {
        String path = "/incidents/" + INCIDENT_SEGMENT + "/acknowledge";
        HttpResponse<String> refused = send("POST", path, token(false));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("ops.write");
        JsonNode still = JSON.readTree(send("GET", "/incidents/" + INCIDENT_SEGMENT, token(false)).body());
        assertThat(still.get("status").asText()).isEqualTo("OPEN");

        HttpResponse<String> done = send("POST", path, token(true));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        JsonNode incident = JSON.readTree(done.body());
        assertThat(incident.get("incidentId").asText()).isEqualTo(INCIDENT);
        assertThat(incident.get("status").asText()).isEqualTo("ACKNOWLEDGED");
    }
}

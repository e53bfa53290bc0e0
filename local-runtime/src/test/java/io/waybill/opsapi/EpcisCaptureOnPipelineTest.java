package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.local.api.LocalOpsApi;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GS1 EPCIS 2.0 capture through the ops API into the pipeline, on the emulators: a partner (the token's user
 * {@code northwind-3pl}, never the document) captures GS1's Example 9.6.1 (two ObjectEvents: a shipping and a
 * receiving read of SGTINs) and GS1's Example 9.6.3 (one AggregationEvent), then posts the error declaration of the
 * shipping read alone, twice. Worked out by hand from the example files and the import mapping table
 * (functions/domain/README.md): the event store gets exactly two {@code waybill.inventory.observed.v1} and one
 * {@code waybill.error.declared.v1} under {@code urn:waybill:epcis:northwind-3pl}; the AggregationEvent, which
 * Waybill does not map, is not lost but dead-lettered with its raw event; the second post of the declaration is a 409
 * and adds nothing; a query by {@code EQ_bizStep=receiving} finds GS1's two receiving events (Example 9.6.1's second
 * ObjectEvent and the AggregationEvent: the repository keeps what was captured, mapped or not) by their eventIDs.
 */
@Timeout(240)
class EpcisCaptureOnPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GS1 = Path.of("..", "functions", "domain", "src", "test", "resources", "epcis", "gs1");
    private static final String SOURCE = "urn:waybill:epcis:northwind-3pl";
    private static final Map<String, String> PARTNER = Map.of("sub", "p-77", "username", "northwind-3pl",
            "scope", "waybill/ops.read waybill/ops.write", "cognito:groups", "[ops-writers]");

    private static LocalAwsStack stack;
    private static LocalPipeline pipeline;
    private static OpsApiHandler handler;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        pipeline = LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("epcis" + Long.toHexString(System.nanoTime())))
                .shards(1).coldChain(ColdChainConfig.builder().build(), null).deploy();
        handler = LocalOpsApi.handler(pipeline);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static ContractCheckedCalls.Reply post(String path, String body) {
        return ContractCheckedCalls.call(handler, "POST", path, null, PARTNER, null,
                Map.of("content-type", "application/ld+json"), body);
    }

    @Test
    void capturedEventsEnterThePipelineOnceAndTheUnmappedOneIsDeadLettered() throws Exception {
        ContractCheckedCalls.Reply shipping = post("/epcis/capture",
                Files.readString(GS1.resolve("Example_9.6.1-ObjectEvent.jsonld")));
        assertThat(shipping.status()).as(shipping.text()).isEqualTo(202);
        JsonNode job = ContractCheckedCalls.get(handler, shipping.header("Location"), null, PARTNER).expect(200);
        assertThat(job.path("running").asBoolean()).isFalse();
        assertThat(job.path("success").asBoolean()).as(job.toString()).isTrue();
        assertThat(post("/epcis/capture", Files.readString(GS1.resolve("Example_9.6.3-AggregationEvent.jsonld")))
                .status()).isEqualTo(202);

        JsonNode declared = JSON.readTree(Files.readString(
                GS1.resolve("Example_9.6.1-ObjectEvent-with-error-declaration.jsonld"))).at("/epcisBody/eventList/0");
        ((ObjectNode) declared).put("@context", "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld");
        assertThat(post("/epcis/events", declared.toString()).status()).isEqualTo(201);
        assertThat(post("/epcis/events", declared.toString()).status()).isEqualTo(409);

        assertThat(pipeline.awaitIdle(Duration.ofSeconds(90))).isTrue();
        List<String> types = pipeline.storedEvents().stream()
                .filter(i -> SOURCE.equals(text(i, "source"))).map(i -> text(i, "type")).sorted().toList();
        assertThat(types).containsExactly("waybill.error.declared.v1", "waybill.inventory.observed.v1",
                "waybill.inventory.observed.v1");
        assertThat(pipeline.deadLetterCount()).as("the AggregationEvent, with its raw event").isEqualTo(1);
        JsonNode letter = JSON.readTree(pipeline.drainDeadLetters(false).get(0).body());
        assertThat(letter.path("reason").asText()).isEqualTo("UNKNOWN_CODE");
        JsonNode raw = JSON.readTree(java.util.Base64.getDecoder().decode(letter.path("payloadBase64").asText()));
        assertThat(raw.path("type").asText()).isEqualTo("AggregationEvent");
        assertThat(raw.path("wb_route").asText()).isEqualTo("epcis/northwind-3pl");
        assertThat(raw.path("parentID").asText()).isEqualTo("urn:epc:id:sscc:0614141.1234567890");

        JsonNode receiving = ContractCheckedCalls.get(handler, "/epcis/events", "EQ_bizStep=receiving", PARTNER)
                .expect(200).at("/epcisBody/queryResults/resultsBody/eventList");
        List<String> ids = new java.util.ArrayList<>();
        receiving.forEach(e -> ids.add(e.path("eventID").asText()));
        assertThat(ids).containsExactlyInAnyOrder(
                "ni:///sha-256;00e1e6eba3a7cc6125be4793a631f0af50f8322e0ab5f2c0bab994a11cec1d79?ver=CBV2.0",
                "ni:///sha-256;87b5f18a69993f0052046d4687dfacdf48f7c988cfabda2819688c86b4066a49?ver=CBV2.0");
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}

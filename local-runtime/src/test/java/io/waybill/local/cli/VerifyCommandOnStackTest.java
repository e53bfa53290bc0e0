package io.waybill.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.local.stack.BlockTicker;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./waybill verify EVENT_ID} on a real local stack: a SwiftLog proof of delivery with a handover (a custody
 * transfer, from {@code events-samples}) goes through the pipeline, is anchored on anvil, and the command checks it
 * against the chain. The transaction and block it reports are compared with what anvil itself says of the transaction
 * ({@code eth_getTransactionReceipt}, asked directly); the stored event altered in DynamoDB must then fail; an unknown
 * id is exit 2; the node gone, exit 3.
 */
@Timeout(240)
class VerifyCommandOnStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POD = "raw/swiftlog/proof-of-delivery.json";
    /** The sample's messageId, its canonical id (events-samples/canonical/swiftlog/proof-of-delivery.json). */
    private static final String EVENT_ID = "SL-20261127-001244";
    private static final String SOURCE = "urn:waybill:swiftlog:SWIFTLOG";

    @Test
    void anAnchoredCustodyTransferVerifiesAndFailsOnceAltered(@TempDir Path root) throws Exception {
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(ReplayCommand.STACK_NAMES)
                     .shards(1).anchoring(stack.ethereum()).deploy();
             BlockTicker blocks = BlockTicker.start(stack.ethereum(), BlockTicker.BLOCK_TIME)) {
            ProcessHandle self = ProcessHandle.current();
            new StackState(stack.endpoints(), pipeline.names().stream(), pipeline.deadLetterQueueUrl(), null, -1, null,
                    self.pid(), self.info().startInstant().orElse(null)).withAnchoring(StackAnchoring.of(pipeline))
                    .write(root);

            pipeline.publish(List.of(SampleCatalog.bytes(POD)), List.of("106141412345678908"));
            assertThat(pipeline.anchoring().awaitProofs(List.of(EVENT_ID), Duration.ofSeconds(90)))
                    .as("proof of %s within 90 s", EVENT_ID).hasSize(1);

            CliRun ok = CliRun.of(root, "verify", EVENT_ID);
            assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
            JsonNode proof = JSON.readTree(ok.out());
            assertThat(proof.get("eventId").asText()).isEqualTo(EVENT_ID);
            assertThat(proof.get("source").asText()).isEqualTo(SOURCE);
            assertThat(proof.get("leaf").get(0).asText()).isEqualTo("0x" + proof.get("eventHash").asText());
            assertThat(proof.get("check").get("verified").asBoolean()).isTrue();
            assertThat(proof.get("check").get("eventUnaltered").asBoolean()).isTrue();
            assertThat(proof.get("chainId").asLong()).isEqualTo(31337);
            // the node's own word on the transaction, asked directly
            JsonNode receipt = stack.ethereum().control().call("eth_getTransactionReceipt",
                    List.of(proof.get("tx").asText()));
            assertThat(receipt.get("status").asText()).isEqualTo("0x1");
            assertThat(Long.decode(receipt.get("blockNumber").asText())).isEqualTo(proof.get("block").asLong());
            assertThat(receipt.get("to").asText()).isEqualToIgnoringCase(proof.get("contract").asText());
            assertThat(ok.out()).contains("VERIFIED: event " + EVENT_ID);
            assertThat(CliRun.of(root, "verify", EVENT_ID, "--source", SOURCE).exit()).isZero();

            // one field of the stored event's data changed in the store
            Map<String, AttributeValue> key = Map.of("eventKey", AttributeValue.fromS(SOURCE + "#" + EVENT_ID));
            Map<String, AttributeValue> item = pipeline.clients().dynamoDb().getItem(r -> r
                    .tableName(pipeline.names().eventsTable()).key(key).consistentRead(true)).item();
            ObjectNode event = (ObjectNode) JSON.readTree(item.get("eventJson").s());
            assertThat(event.path("data").path("toPartyGln").asText()).isEqualTo("0614141000258");
            ((ObjectNode) event.get("data")).put("toPartyGln", "0614141000999");
            String altered = JSON.writeValueAsString(event);
            pipeline.clients().dynamoDb().updateItem(r -> r.tableName(pipeline.names().eventsTable()).key(key)
                    .updateExpression("SET eventJson = :j")
                    .expressionAttributeValues(Map.of(":j", AttributeValue.fromS(altered))));

            CliRun tampered = CliRun.of(root, "verify", EVENT_ID);
            assertThat(tampered.exit()).as(tampered.out() + tampered.err()).isEqualTo(1);
            JsonNode check = JSON.readTree(tampered.out()).get("check");
            assertThat(check.get("eventUnaltered").asBoolean()).isFalse();
            assertThat(check.get("verified").asBoolean()).isFalse();
            assertThat(check.get("proofLeadsToRoot").asBoolean()).as("the proof itself is intact").isTrue();
            assertThat(tampered.out()).contains("NOT VERIFIED");

            CliRun unknown = CliRun.of(root, "verify", "no-such-event-id");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).contains("no event no-such-event-id");
            assertThat(unknown.hasNoStackTrace()).isTrue();

            // the node gone: the stored proof, unchecked, and exit 3
            blocks.close();
            stack.anvilProcess().destroy();
            assertThat(stack.anvilProcess().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS).isAlive())
                    .isFalse();
            CliRun down = CliRun.of(root, "verify", EVENT_ID);
            assertThat(down.exit()).as(down.out() + down.err()).isEqualTo(3);
            assertThat(down.err()).contains("the chain did not answer");
            assertThat(down.hasNoStackTrace()).as(down.err()).isTrue();
        }
    }
}

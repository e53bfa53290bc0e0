package io.waybill.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A write the event store refuses for good, on the emulators: the departure's conditional put is grown past
 * DynamoDB's 400 KB item limit on its way out (an SDK interceptor on the handler's client), so dynalite answers it
 * with a real {@code ValidationException}. That record alone is dead-lettered ({@code DEPENDENCY_REJECTED}, its raw
 * payload kept byte for byte); the rest of its batch is stored, nothing is retried, and nothing reaches the on-failure
 * destination. Before the error classification, every SDK error was transient: the batch was retried until the
 * mapping gave up and the on-failure queue got only the batch's metadata.
 */
@Timeout(120)
class PermanentStoreRefusalTest {
    private static final String DEPARTED = "raw/swiftlog/departed.json";
    /** Five samples in one batch of one shard; the departure is the third. */
    private static final List<String> BATCH = List.of("raw/frostbyte/reading-kelvin.json", "raw/gps-tracker/ping.json",
            DEPARTED, "raw/swiftlog/arrived.json", "raw/thermotrack/window-summary.json");

    private static LocalAwsStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Grows every put of a departure event past 400 KB: the emulator itself then refuses it. */
    private static final class OversizedDeparture implements ExecutionInterceptor {
        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest put && put.item().containsKey("type")
                    && "waybill.shipment.departed.v1".equals(put.item().get("type").s())) {
                Map<String, AttributeValue> item = new HashMap<>(put.item());
                item.put("padding", AttributeValue.fromS("x".repeat(410_000)));
                return put.toBuilder().item(item).build();
            }
            return context.request();
        }
    }

    @Test
    void aRecordTheStoreRefusesForGoodIsDeadLetteredAndTheRestOfItsBatchIsStored() {
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("store-refusal")).shards(1)
                .handlerDynamoInterceptor(new OversizedDeparture()).deploy()) {
            List<byte[]> payloads = BATCH.stream().map(SampleCatalog::bytes).toList();
            pipeline.publish(payloads, BATCH);
            assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).isTrue();

            assertThat(pipeline.storedEvents()).as("the four others").hasSize(4);
            assertThat(pipeline.storedEvents()).extracting(i -> i.get("type").s())
                    .doesNotContain("waybill.shipment.departed.v1");
            assertThat(pipeline.mapping().stats().retries()).as("a permanent error is not retried").isZero();
            assertThat(pipeline.onFailureCount()).isZero();

            List<Message> letters = pipeline.drainDeadLetters(true);
            assertThat(letters).hasSize(1);
            DeadLetter letter = DeadLetterJson.fromJson(letters.get(0).body());
            assertThat(letter.reason()).isEqualTo(RejectionReason.DEPENDENCY_REJECTED);
            assertThat(letter.adapter()).isEqualTo("swiftlog");
            assertThat(letter.detail()).containsIgnoringCase("size");
            assertThat(new String(letter.payload(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(SampleCatalog.bytes(DEPARTED), StandardCharsets.UTF_8));
        }
    }
}

package io.waybill.local.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legacy-id window on dynalite, through the ingest handler Lambda runs and the real {@code DynamoDbEventLedger}:
 * the events table holds the FrostByte sample as id scheme 1 stored it, and the same raw message arrives again after
 * the upgrade. The handler's DynamoDB requests are counted as they leave the SDK ({@link WriteRequestCounter}).
 *
 * <p>The scheme-1 id {@value #LEGACY_ID} was worked out by hand with {@code sha256sum}; the derivation is written out
 * in {@code LegacyIdTransitionTest} (functions/domain).
 */
@Timeout(120)
class LegacyIdCutoverPipelineTest {
    private static final String LEGACY_ID = "e647f202-6d0c-899b-bfc6-3485d4344c3a";
    private static final String SOURCE = "urn:waybill:frostbyte:FB-77";
    private static final String SSCC = "106141412345678908";
    private static final Instant DEVICE_TIME = Instant.parse("2026-11-27T08:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger PIPELINES = new AtomicInteger();
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

    private static LocalPipeline deploy(Instant cutover) {
        return LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("legacy" + PIPELINES.incrementAndGet() + "x"
                        + Long.toHexString(System.nanoTime())))
                .shards(1).legacyIdCutover(cutover).deploy();
    }

    /** The item scheme 1 wrote: the canonical sample under its scheme-1 id, no idScheme, no contentHash. */
    private static void storeAsScheme1(LocalPipeline pipeline) {
        ObjectNode json = (ObjectNode) SampleCatalog.json("canonical/frostbyte/reading-kelvin.json").deepCopy();
        json.put("id", LEGACY_ID);
        json.remove("idscheme");
        json.remove("contenthash");
        stack.clients().dynamoDb().putItem(b -> b.tableName(pipeline.names().eventsTable()).item(Map.of(
                "eventKey", s(SOURCE + "#" + LEGACY_ID), "eventId", s(LEGACY_ID), "source", s(SOURCE),
                "type", s("waybill.temperature.observed.v1"), "subject", s(SSCC),
                "time", s("2026-11-27T08:00:00.000Z"), "adapter", s("frostbyte"), "eventJson", s(json.toString()))));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    /** The raw FrostByte message again, received 9 days after the first time (a partner resend). */
    private static void resend(LocalPipeline pipeline) {
        ObjectNode raw = (ObjectNode) SampleCatalog.json("raw/frostbyte/reading-kelvin.json").deepCopy();
        raw.put("wb_received_ms", raw.path("wb_received_ms").asLong() + Duration.ofDays(9).toMillis());
        pipeline.publish(List.of(raw.toString().getBytes(StandardCharsets.UTF_8)), List.of("FB-77"));
    }

    private static List<String> storedKeys(LocalPipeline pipeline) {
        return pipeline.storedEvents().stream().map(i -> i.get("eventKey").s()).sorted().toList();
    }

    @Test
    void aResendOfAScheme1FactIsAbsorbedWithOneConsistentReadAndNoEventWrite() {
        try (LocalPipeline pipeline = deploy(Instant.parse("2026-12-02T19:00:00Z"))) {
            storeAsScheme1(pipeline);
            pipeline.handlerWrites().reset();

            resend(pipeline);
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();

            String events = pipeline.names().eventsTable();
            assertThat(pipeline.tally().count(RecordOutcome.DUPLICATE_IN_STORE)).isEqualTo(1);
            assertThat(pipeline.tally().count(RecordOutcome.STORED)).isZero();
            assertThat(storedKeys(pipeline)).containsExactly(SOURCE + "#" + LEGACY_ID);
            assertThat(pipeline.storedEvents().get(0)).doesNotContainKeys("contentHash", "idScheme");
            assertThat(pipeline.handlerWrites().requests("GetItem", events)).isEqualTo(1);
            assertThat(pipeline.handlerWrites().requests("PutItem", events)).isZero();
            // The stored copy is what was folded: the projection names the legacy event.
            ShipmentState state = pipeline.shipments().get(SSCC);
            assertThat(state.temperatureCelsius()).isEqualTo(4.2);
            assertThat(state.temperatureEventId()).isEqualTo(SOURCE + "#" + LEGACY_ID);
        }
    }

    @Test
    void anEventFromTheCutoverOnIsWrittenWithoutAReadUnderItsScheme2Id() {
        // Cutover at the sample's device time: the record is "after" it, so scheme 1 cannot have stored it and no
        // read is made; the legacy item (put here to show what the window would have caught) is then duplicated.
        try (LocalPipeline pipeline = deploy(DEVICE_TIME)) {
            storeAsScheme1(pipeline);
            pipeline.handlerWrites().reset();

            resend(pipeline);
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();

            String events = pipeline.names().eventsTable();
            assertThat(pipeline.tally().count(RecordOutcome.STORED)).isEqualTo(1);
            assertThat(pipeline.handlerWrites().requests("GetItem", events)).isZero();
            assertThat(pipeline.handlerWrites().requests("PutItem", events)).isEqualTo(1);
            assertThat(storedKeys(pipeline)).containsExactly(SOURCE + "#" + LEGACY_ID, SOURCE + "#seq-77");
        }
    }
}

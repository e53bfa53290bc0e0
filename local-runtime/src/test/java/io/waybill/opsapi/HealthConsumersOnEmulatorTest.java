package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.aws.ops.DynamoDbConsumerWatermarks;
import io.waybill.aws.ops.DynamoDbSourceWatermarks;
import io.waybill.domain.ops.ConsumerWatermarks;
import io.waybill.domain.ops.SourceWatermarks;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /health}'s consumers through the Lambda handler against the local DynamoDB emulator: the watermarks advanced
 * by the consumers' store ({@link DynamoDbConsumerWatermarks}, newer wins, an older batch refused by its condition),
 * the lags worked out by hand from a fixed clock.
 */
@Timeout(120)
class HealthConsumersOnEmulatorTest {
    private static final String MARKS = "ops-api-health-test-watermarks";
    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    private static final Map<String, String> READER = Map.of("sub", "r-1", "scope", "waybill/ops.read");

    private static LocalAwsStack stack;
    private static OpsApiHandler handler;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources resources = StackResources.using(stack.clients());
        OpsTables tables = OpsTables.create(resources, "ops-api-health-test");
        resources.createTable(DynamoDbConsumerWatermarks.definition(MARKS));
        DynamoDbConsumerWatermarks marks = new DynamoDbConsumerWatermarks(stack.clients().dynamoDb(), MARKS);
        // ingest: a batch up to 11:59:00, then a redelivered older one up to 11:58:00 (refused: stays 11:59:00)
        marks.advance(ConsumerWatermarks.INGEST, Instant.parse("2026-03-02T11:59:00Z"),
                Instant.parse("2026-03-02T11:59:01Z"));
        marks.advance(ConsumerWatermarks.INGEST, Instant.parse("2026-03-02T11:58:00Z"),
                Instant.parse("2026-03-02T11:59:30Z"));
        // coldchain: stuck at 11:40:00
        marks.advance(ConsumerWatermarks.COLDCHAIN, Instant.parse("2026-03-02T11:40:00Z"),
                Instant.parse("2026-03-02T11:40:02Z"));
        // sources, in the same table: thermotrack up to 11:30:00, then an older batch (11:10:00, arrived later)
        // refused; swiftlog without a known arrival
        DynamoDbSourceWatermarks sources = new DynamoDbSourceWatermarks(stack.clients().dynamoDb(), MARKS);
        sources.advance(new SourceWatermarks.Mark("thermotrack", Instant.parse("2026-03-02T11:30:00Z"),
                Instant.parse("2026-03-02T11:30:04Z")));
        sources.advance(new SourceWatermarks.Mark("thermotrack", Instant.parse("2026-03-02T11:10:00Z"),
                Instant.parse("2026-03-02T11:59:00Z")));
        sources.advance(new SourceWatermarks.Mark("swiftlog", Instant.parse("2026-03-02T11:58:20Z"), null));
        handler = new OpsApiHandler(OpsApiFunction.create(tables.settings(null),
                new OpsApiStores(null, null, null, MARKS, Duration.ofSeconds(300)),
                stack.clients().dynamoDb(), null,
                Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void lagsAreNowMinusEachConsumersNewestArrivalAndAStuckOneDegradesHealthAndSourcesAreApart() throws Exception {
        JsonNode body = ContractCheckedCalls.get(handler, "/health", "", READER).expect(200);
        // coldchain: 12:00:00 - 11:40:00 = 1200 s > 300 s -> degraded; ingest: 12:00:00 - 11:59:00 = 60 s
        assertThat(body.get("status").asText()).isEqualTo("degraded");
        JsonNode consumers = body.get("consumers");
        assertThat(consumers).hasSize(2);
        assertThat(consumers.get(0).get("consumer").asText()).isEqualTo("coldchain");
        assertThat(consumers.get(0).get("lagSeconds").asLong()).isEqualTo(1200);
        assertThat(consumers.get(1).get("consumer").asText()).isEqualTo("ingest");
        assertThat(consumers.get(1).get("lagSeconds").asLong()).isEqualTo(60);
        assertThat(consumers.get(1).get("lastProcessedAt").asText()).isEqualTo("2026-03-02T11:59:01Z");
        // sources by name; swiftlog: 12:00:00 - 11:58:20 = 100 s; thermotrack: 12:00:00 - 11:30:00 = 1800 s,
        // both within the hour: not stale
        JsonNode sources = body.get("sources");
        assertThat(sources).hasSize(2);
        assertThat(sources.get(0).get("source").asText()).isEqualTo("swiftlog");
        assertThat(sources.get(0).get("silentSeconds").asLong()).isEqualTo(100);
        assertThat(sources.get(0).has("lastArrivalAt")).isFalse();
        assertThat(sources.get(1).get("source").asText()).isEqualTo("thermotrack");
        assertThat(sources.get(1).get("lastEventAt").asText()).isEqualTo("2026-03-02T11:30:00Z");
        assertThat(sources.get(1).get("lastArrivalAt").asText()).isEqualTo("2026-03-02T11:30:04Z");
        assertThat(sources.get(1).get("silentSeconds").asLong()).isEqualTo(1800);
        assertThat(sources.get(1).get("stale").asBoolean()).isFalse();
    }
}

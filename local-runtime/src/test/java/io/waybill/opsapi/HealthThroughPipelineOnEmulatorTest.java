package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /health} after the real local pipeline ran: the stream worker's path (the KCL consumer running the ingest
 * handler), the cold-chain function and the KPI aggregator each advanced their consumer watermark, and ingest
 * recorded the last event per source, all in the pipeline's watermarks table on the emulators. The expected sources
 * come from the samples' own canonical events (events-samples: what each raw record must become), folded here per
 * adapter; the lags from the raw items of the table and a fixed clock.
 */
@Timeout(240)
class HealthThroughPipelineOnEmulatorTest {
    private static final Map<String, String> READER = Map.of("sub", "r-1", "scope", "waybill/ops.read");

    private static LocalAwsStack stack;
    private static LocalPipeline pipeline;
    private static Instant before;
    private static Instant after;

    @BeforeAll
    static void run() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("health-pipeline")).shards(1)
                .consumer(LocalPipeline.Consumer.KCL)
                .coldChain(ColdChainConfig.builder().confirmAfter(Duration.ZERO).build(), null).deploy();
        List<byte[]> payloads = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (SampleCatalog.ValidCase sample : SampleCatalog.valid()) {
            payloads.add(sample.compactRaw());
            keys.add(sample.name());
        }
        before = Instant.now().minusSeconds(5); // the emulators run on this machine's clock
        pipeline.publish(payloads, keys);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(90))).as("KCL start-up plus ingest").isTrue();
        try {
            assertThat(pipeline.coldChainMapping().awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(pipeline.kpiAggregatorMapping().awaitIdle(Duration.ofSeconds(60))).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        after = Instant.now().plusSeconds(5);
        assertThat(pipeline.deadLetterCount()).isZero();
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

    /** The table's items as stored, read with the plain client (not the production adapter). */
    private static Map<String, Map<String, AttributeValue>> rawItems() {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        stack.clients().dynamoDb().scanPaginator(b -> b.tableName(pipeline.names().consumerWatermarksTable()))
                .items().forEach(i -> items.put(i.get("consumer").s(), i));
        return items;
    }

    private static JsonNode health(Instant now) {
        PipelineNames n = pipeline.names();
        OpsApiHandler handler = new OpsApiHandler(OpsApiFunction.create(new OpsApiSettings(n.eventsTable(),
                        n.shipmentsTable(), n.incidentsTable(), null, "test", null, null),
                new OpsApiStores(null, null, null, n.consumerWatermarksTable(), Duration.ofSeconds(300)),
                stack.clients().dynamoDb(), null, Clock.fixed(now, ZoneOffset.UTC)));
        return ContractCheckedCalls.get(handler, "/health", "", READER).expect(200);
    }

    @Test
    void everyStreamConsumerOfThePipelineReportsItsLagFromItsNewestArrival() throws Exception {
        Map<String, Map<String, AttributeValue>> items = rawItems();
        assertThat(items).containsKeys("ingest", "stream-worker", "coldchain", "kpi-aggregator");
        Instant now = after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(10);
        JsonNode body = health(now);
        // all lags are well under 300 s; the sources, all from November, are stale but do not degrade
        assertThat(body.get("status").asText()).isEqualTo("ok");
        Map<String, Long> lags = new TreeMap<>();
        body.get("consumers").forEach(c -> lags.put(c.get("consumer").asText(), c.get("lagSeconds").asLong()));
        assertThat(lags).containsOnlyKeys("coldchain", "ingest", "kpi-aggregator", "stream-worker");
        for (Map.Entry<String, Long> lag : lags.entrySet()) {
            Instant arrival = Instant.parse(items.get(lag.getKey()).get("lastArrival").s());
            assertThat(arrival).as(lag.getKey()).isBetween(before, after);
            // lag = now - stored arrival, in whole seconds (truncated)
            assertThat(lag.getValue()).as(lag.getKey()).isEqualTo(Duration.between(arrival, now).toSeconds());
        }
        // the stream worker checkpoints what the ingest handler inside it processed: the same raw records
        assertThat(items.get("stream-worker").get("lastArrival").s()).isEqualTo(items.get("ingest").get("lastArrival").s());
    }

    @Test
    void eachAdapterOfTheSamplesIsASourceWithItsNewestCanonicalEventTime() throws Exception {
        // reference: the samples' expected canonical events, newest "time" per "adapter"
        Map<String, Instant> expected = new TreeMap<>();
        for (SampleCatalog.ValidCase sample : SampleCatalog.valid()) {
            expected.merge(sample.canonical().get("adapter").asText(),
                    Instant.parse(sample.canonical().get("time").asText()), (a, b) -> a.isAfter(b) ? a : b);
        }
        assertThat(expected).containsEntry("swiftlog", Instant.parse("2026-11-27T10:05:00Z")) // proof of delivery
                .containsEntry("gps-tracker", Instant.parse("2026-11-27T10:00:00Z")); // geofence enter

        Instant now = Instant.parse("2026-12-01T10:05:00Z");
        JsonNode body = health(now);
        Map<String, JsonNode> sources = new HashMap<>();
        body.get("sources").forEach(s -> sources.put(s.get("source").asText(), s));
        assertThat(sources).containsOnlyKeys(expected.keySet());
        expected.forEach((adapter, time) -> {
            JsonNode s = sources.get(adapter);
            assertThat(Instant.parse(s.get("lastEventAt").asText())).as(adapter).isEqualTo(time);
            assertThat(Instant.parse(s.get("lastArrivalAt").asText())).as(adapter).isBetween(before, after);
            assertThat(s.get("silentSeconds").asLong()).as(adapter).isEqualTo(Duration.between(time, now).toSeconds());
        });
        // swiftlog: 2026-12-01T10:05 - 2026-11-27T10:05 = 4 days = 345600 s > 3600 s
        assertThat(sources.get("swiftlog").get("silentSeconds").asLong()).isEqualTo(345_600);
        assertThat(sources.get("swiftlog").get("stale").asBoolean()).isTrue();
        // source marks never show up as consumers
        body.get("consumers").forEach(c -> assertThat(c.get("consumer").asText()).doesNotStartWith("source#"));
    }
}

package io.waybill.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.TestAbortedException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.local.AwsClients;
import io.waybill.local.demo.ExpectedProjection;
import io.waybill.local.demo.GeneratedTraffic;
import io.waybill.local.demo.TrafficGenerator;
import io.waybill.local.pipeline.BatchTally;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.replay.DeadLetterReplay;
import io.waybill.samples.SampleCatalog;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The end-to-end scenarios of the ingest pipeline, written once and run on every back end: a subclass says which
 * ({@link #startBackEnd()}). Each scenario deploys the real pipeline ({@link LocalPipeline}: stream, both tables,
 * dead-letter queue, on-failure queue, the {@code IngestHandler} Lambda runs, behind a local Kinesis event source
 * mapping) under resource names of its own, so scenarios sharing a back end cannot see each other's data.
 *
 * <p>One back end is started per test class ({@code PER_CLASS} lifecycle, so that the {@code @BeforeAll} here can
 * call the subclass). A back end that cannot run here fails a JUnit assumption ({@code Assumptions.assumeTrue}) while
 * it is started in {@code @BeforeAll}; that assumption is then raised again before each scenario, so that every
 * scenario of the class is reported as skipped, with the reason, never as passed, and none is missing from the
 * report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class IngestPipelineScenarios {

    /** How long a pipeline may take to handle everything published (the slowest scenario needs a few seconds). */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Distinguishes this JVM's resources from those of an earlier run on a long-lived back end. */
    private static final String RUN = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
    private static final AtomicInteger SCENARIOS = new AtomicInteger();

    private AwsBackEnd backEnd;
    /** The assumption {@link #startBackEnd()} failed, if it did: every scenario is skipped with its message. */
    private TestAbortedException backEndUnavailable;
    private final List<LocalPipeline> deployed = new ArrayList<>();

    /**
     * Starts the back end the scenarios of this class run on. May fail a JUnit assumption (the back end cannot run
     * here): every scenario is then skipped with the assumption's message.
     *
     * @return the running back end; closed after the last scenario
     */
    protected abstract AwsBackEnd startBackEnd();

    @BeforeAll
    final void startTheBackEnd() {
        try {
            backEnd = startBackEnd();
        } catch (TestAbortedException e) {
            // Aborting here would abort the class container, which Surefire (3.5) reports as "Tests run: 0": the
            // scenarios would vanish from the report instead of showing as skipped. Each scenario aborts instead.
            backEndUnavailable = e;
        }
    }

    @BeforeEach
    final void skipIfTheBackEndIsUnavailable() {
        if (backEndUnavailable != null) {
            throw backEndUnavailable;
        }
    }

    @AfterAll
    final void stopTheBackEnd() {
        if (backEnd != null) {
            backEnd.close();
        }
    }

    @AfterEach
    final void stopThePipelines() {
        // Stops the event source mappings; the resources stay (their names are never reused).
        deployed.forEach(LocalPipeline::close);
        deployed.clear();
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    /**
     * At-least-once delivery with resends: every generated record is put 1 to 3 times, shuffled within its
     * shipment, across four shards. The event store holds each distinct event once, and every record put is
     * accounted for exactly once by the handler.
     */
    @Test
    void everyRecordDeliveredOneToThreeTimesIsStoredExactlyOnce() {
        GeneratedTraffic traffic = new TrafficGenerator(20_261_126L, 3, 60, 3, 0).generate();
        List<byte[]> payloads = payloads(traffic);
        assertThat(traffic.duplicateSends()).as("the traffic repeats records").isPositive();
        assertThat(ExpectedProjection.distinctEvents(payloads)).as("distinct events, counted independently")
                .isEqualTo(traffic.distinctEvents());

        LocalPipeline pipeline = deploy(freshNames(), b -> { });
        pipeline.publish(payloads, partitionKeys(traffic));
        awaitIdle(pipeline);

        List<Map<String, AttributeValue>> stored = pipeline.storedEvents();
        assertThat(stored).as("items in the event table").hasSize(traffic.distinctEvents());
        List<String> eventKeys = stored.stream().map(i -> i.get("eventKey").s()).toList();
        assertThat(eventKeys).as("event keys").doesNotHaveDuplicates();
        // CloudEvents identity: an id is unique within its source (a device's seq-16 and another's are two events).
        assertThat(stored.stream().map(i -> i.get("source").s() + " " + i.get("eventId").s()).toList())
                .as("source + event id").doesNotHaveDuplicates();
        assertThat(Set.copyOf(eventKeys)).as("the stored events are exactly the distinct events put")
                .isEqualTo(eventKeysOf(payloads));

        BatchTally tally = pipeline.tally();
        long deadLettered = tally.count(RecordOutcome.DEAD_LETTERED);
        assertThat(tally.count(RecordOutcome.STORED) + tally.duplicates() + deadLettered)
                .as("conservation: records put = stored + duplicates absorbed + dead-lettered (tally %s)",
                        describe(tally))
                .isEqualTo(payloads.size());
        // A record stored and then redelivered (its batch was retried after a projection conflict) finishes as a
        // duplicate: STORED can only be below the distinct count, never above, and resends are all absorbed.
        assertThat(tally.count(RecordOutcome.STORED)).isLessThanOrEqualTo(traffic.distinctEvents());
        assertThat(tally.duplicates()).isGreaterThanOrEqualTo(traffic.duplicateSends());
        assertThat(deadLettered).isZero();
        assertThat(pipeline.deadLetterCount()).as("messages in the dead-letter queue").isZero();
    }

    /**
     * Reordering and duplication do not change the outcome: the projection built from shuffled, duplicated traffic
     * over four shards equals both the in-memory fold of the distinct events in event-time order and the
     * projection a second pipeline builds from the distinct events put in event-time order on one shard.
     */
    @Test
    void reorderedAndDuplicatedDeliveryEndsInTheSameProjectionsAsInOrderDelivery() {
        GeneratedTraffic traffic = new TrafficGenerator(424_242L, 3, 60, 3, 0).generate();
        List<byte[]> payloads = payloads(traffic);
        Map<String, ShipmentState> expected = ExpectedProjection.inEventTimeOrder(payloads);
        assertThat(expected.keySet()).as("shipments of the traffic").containsExactlyInAnyOrderElementsOf(traffic.shipments());

        LocalPipeline shuffled = deploy(freshNames(), b -> { });
        shuffled.publish(payloads, partitionKeys(traffic));

        List<byte[]> inOrder = distinctInEventTimeOrder(payloads);
        LocalPipeline ordered = deploy(freshNames(), b -> b.shards(1));
        ordered.publish(inOrder, Collections.nCopies(inOrder.size(), "in-order"));

        awaitIdle(shuffled);
        awaitIdle(ordered);
        assertThat(ordered.shipments()).as("projections after in-order delivery on one shard").isEqualTo(expected);
        assertThat(shuffled.shipments()).as("projections after reordered, duplicated delivery on four shards")
                .isEqualTo(expected);
        assertThat(shuffled.storedEvents()).hasSize(inOrder.size());
    }

    /**
     * A malformed record in the middle of a batch goes to the dead-letter queue with everything needed to
     * understand and replay it, and does not hold back the valid records around it.
     */
    @Test
    void poisonRecordIsDeadLetteredWithItsContextAndTheRestOfItsBatchIsStored() {
        SampleCatalog.MalformedCase poison = malformedCase("wrong-check-digit.json");
        List<byte[]> valid = SampleCatalog.valid().stream().map(SampleCatalog.ValidCase::compactRaw).toList();
        List<byte[]> payloads = new ArrayList<>(valid);
        int poisonAt = valid.size() / 2;
        payloads.add(poisonAt, poison.raw());
        String partitionKey = "dock-door-batch";

        // One partition key: one shard. A 1 s batching window: the whole put arrives as one batch.
        LocalPipeline pipeline = deploy(freshNames(), b -> b.mapping(m -> m.maximumBatchingWindow(Duration.ofSeconds(1))));
        Instant before = Instant.now();
        pipeline.publish(payloads, Collections.nCopies(payloads.size(), partitionKey));
        awaitIdle(pipeline);
        Instant after = Instant.now();

        assertThat(pipeline.mapping().stats().invocations()).as("invocations: the records formed one batch").isEqualTo(1);
        assertThat(pipeline.mapping().stats().retries()).as("a poison record is not retried").isZero();
        BatchTally tally = pipeline.tally();
        assertThat(tally.count(RecordOutcome.DEAD_LETTERED)).isEqualTo(1);
        assertThat(tally.rejections()).containsExactlyEntriesOf(Map.of(RejectionReason.valueOf(poison.expectedReason()), 1L));

        List<Map<String, AttributeValue>> stored = pipeline.storedEvents();
        assertThat(stored).as("every valid record of the batch is stored").hasSize(ExpectedProjection.distinctEvents(valid));
        assertThat(stored.stream().map(i -> i.get("eventKey").s()).toList())
                .containsExactlyInAnyOrderElementsOf(eventKeysOf(valid));

        List<Message> letters = pipeline.drainDeadLetters(false);
        assertThat(letters).hasSize(1);
        Message message = letters.get(0);
        JsonNode body = json(message.body());
        assertThat(Base64.getDecoder().decode(body.path("payloadBase64").asText()))
                .as("payloadBase64 decodes to the exact bytes put").isEqualTo(poison.raw());
        assertThat(body.path("payloadBytes").asInt()).isEqualTo(poison.raw().length);
        assertThat(body.path("reason").asText()).as("reason, as malformed/cases.json says").isEqualTo(poison.expectedReason());
        assertThat(body.path("detail").asText()).isNotBlank();
        assertThat(message.messageAttributes().get("reason").stringValue()).isEqualTo(poison.expectedReason());

        DeadLetter letter = DeadLetterJson.fromJson(message.body());
        assertThat(letter.payload()).isEqualTo(poison.raw());
        assertThat(letter.origin().stream()).endsWith(":stream/" + pipeline.names().stream());
        assertThat(letter.origin().partitionKey()).isEqualTo(partitionKey);
        assertThat(letter.arrivedAt()).as("arrivedAt (stream arrival)").isNotNull()
                .isBetween(before.minusSeconds(30), after.plusSeconds(30));
        assertThat(letter.deadLetteredAt()).isAfterOrEqualTo(letter.arrivedAt().minusSeconds(30));

        // shardId + sequenceNumber name the record in the stream: read it back from there.
        String shardId = letter.origin().shardId();
        Record inStream = recordAt(pipeline, shardId, letter.origin().sequenceNumber());
        assertThat(inStream.data().asByteArray()).as("the record at the dead letter's shard and sequence number")
                .isEqualTo(poison.raw());
        assertThat(inStream.partitionKey()).isEqualTo(partitionKey);

        // The valid records around it came from the same shard, before and after it.
        BigInteger poisonSequence = new BigInteger(letter.origin().sequenceNumber());
        assertThat(stored).allSatisfy(i -> assertThat(i.get("shardId").s()).isEqualTo(shardId));
        List<BigInteger> sequences = stored.stream().map(i -> new BigInteger(i.get("sequenceNumber").s())).toList();
        assertThat(sequences).filteredOn(s -> s.compareTo(poisonSequence) < 0).hasSize(poisonAt);
        assertThat(sequences).filteredOn(s -> s.compareTo(poisonSequence) > 0).hasSize(valid.size() - poisonAt);
    }

    /**
     * A valid record rejected by a misconfigured deployment (a 1 KiB size limit) is dead-lettered; after the fix
     * the replay puts it back on the stream and it is stored once. Replaying before the fix changes nothing, and
     * replaying twice stores nothing twice.
     */
    @Test
    void replayAfterAFixStoresTheDeadLetteredRecordOnce() {
        NormalizerConfig broken = NormalizerConfig.builder().maxRecordBytes(1024).build();
        byte[] oversized = coldChainReadingPaddedTo(1536, "cc9-replay-oversized");
        CanonicalEvent oversizedEvent = normalized(oversized, NormalizerConfig.defaults());
        List<byte[]> small = SampleCatalog.valid().stream().map(SampleCatalog.ValidCase::compactRaw)
                .filter(p -> p.length < 1024).limit(3).toList();
        assertThat(small).hasSize(3);
        List<byte[]> payloads = new ArrayList<>(small);
        payloads.add(oversized);
        // One shard: no concurrent projection updates, so every count below is exact.
        List<String> keys = Collections.nCopies(payloads.size(), "CC-0009");
        PipelineNames names = freshNames();

        LocalPipeline before = deploy(names, b -> b.normalizer(broken));
        before.publish(payloads, keys);
        awaitIdle(before);
        assertThat(before.storedEvents()).hasSize(3);
        List<Message> letters = before.drainDeadLetters(false);
        assertThat(letters).hasSize(1);
        assertThat(DeadLetterJson.fromJson(letters.get(0).body()).reason()).isEqualTo(RejectionReason.OVERSIZED);

        AwsClients clients = backEnd.clients();
        // A replay with the code still broken re-drives nothing and keeps the dead letter.
        DeadLetterReplay.Result tooEarly = new DeadLetterReplay(clients.sqs(), clients.kinesis(),
                new RecordNormalizer(AdapterRegistry.standard(), broken, Clock.systemUTC()))
                .replay(before.deadLetterQueueUrl(), names.stream(), false, false);
        assertThat(tooEarly.replayed()).isZero();
        assertThat(tooEarly.stillFailing()).containsExactlyEntriesOf(Map.of(RejectionReason.OVERSIZED, 1));
        assertThat(before.deadLetterCount()).isEqualTo(1);
        before.close();
        deployed.remove(before);

        // The fix: same names (creation is idempotent), default configuration. The new mapping starts at
        // TRIM_HORIZON and re-reads the whole stream: the three stored events are absorbed, and the record that was
        // rejected passes now.
        LocalPipeline fixed = deploy(names, b -> { });
        awaitIdle(fixed);
        assertThat(fixed.tally().count(RecordOutcome.DUPLICATE_IN_STORE)).as("already stored, absorbed").isEqualTo(3);
        assertThat(fixed.storedEvents()).as("no event stored twice after the re-read").hasSize(4);

        DeadLetterReplay replay = new DeadLetterReplay(clients.sqs(), clients.kinesis(), RecordNormalizer.standard());
        DeadLetterReplay.Result first = replay.replay(fixed.deadLetterQueueUrl(), names.stream(), false, false);
        assertThat(first.examined()).isEqualTo(1);
        assertThat(first.replayed()).isEqualTo(1);
        assertThat(first.stillFailing()).isEmpty();
        assertThat(first.unreadable()).isZero();
        awaitIdle(fixed);
        List<Map<String, AttributeValue>> stored = fixed.storedEvents();
        assertThat(stored).as("each event once").hasSize(4);
        assertThat(stored.stream().map(i -> i.get("eventKey").s())).contains(oversizedEvent.eventKey());
        assertThat(fixed.tally().count(RecordOutcome.DUPLICATE_IN_STORE)).as("the replayed record was absorbed")
                .isEqualTo(4);
        assertThat(fixed.deadLetterCount()).as("dead-letter queue after the replay").isZero();
        assertThat(fixed.tally().count(RecordOutcome.DEAD_LETTERED)).isZero();

        DeadLetterReplay.Result second = replay.replay(fixed.deadLetterQueueUrl(), names.stream(), false, false);
        assertThat(second.examined()).as("second replay: nothing left to examine").isZero();
        assertThat(second.replayed()).isZero();
        awaitIdle(fixed);
        assertThat(fixed.storedEvents()).hasSize(4);
        assertThat(fixed.tally().count(RecordOutcome.STORED)).as("stored by the fixed deployment").isEqualTo(1);
        assertThat(fixed.tally().finished()).as("records the fixed deployment finished: 4 re-read + 1 replayed")
                .isEqualTo(5);
    }

    /**
     * A dependency that stays down (the shipments table is gone) makes every retry of a batch fail. Once its
     * retries run out the batch is reported on the on-failure destination, which names it in the stream where it
     * still is, and the events appended before the projection failed are stored, each once.
     */
    @Test
    void exhaustedRetriesLeaveTheBatchOnTheOnFailureDestinationAndLoseNothingStored() {
        List<byte[]> payloads = SampleCatalog.valid().stream().map(SampleCatalog.ValidCase::compactRaw).toList();
        LocalPipeline pipeline = deploy(freshNames(), b -> b.mapping(m -> m.maximumRetryAttempts(1)
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .maximumBatchingWindow(Duration.ofMillis(500))));
        backEnd.clients().dynamoDb().deleteTable(b -> b.tableName(pipeline.names().shipmentsTable()));

        pipeline.publish(payloads, Collections.nCopies(payloads.size(), "one-shard"));
        awaitIdle(pipeline);

        assertThat(pipeline.onFailureCount()).as("on-failure records").isGreaterThanOrEqualTo(1);
        assertThat(pipeline.mapping().stats().batchesSentToOnFailureDestination()).isGreaterThanOrEqualTo(1);
        assertThat(pipeline.mapping().stats().retries()).as("the batch was retried before it was given up")
                .isGreaterThanOrEqualTo(1);

        List<Map<String, AttributeValue>> stored = pipeline.storedEvents();
        assertThat(stored).as("events stored once each").hasSize(ExpectedProjection.distinctEvents(payloads));
        assertThat(stored.stream().map(i -> i.get("eventKey").s()).toList()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(eventKeysOf(payloads));
        assertThat(pipeline.mapping().stats().recordsDelivered()).as("records delivered: the batch, then its retry")
                .isGreaterThanOrEqualTo(2L * payloads.size());
        assertThat(pipeline.tally().finished()).as("records the handler finished: none, every attempt failed")
                .isZero();
        assertThat(pipeline.deadLetterCount()).as("a transient failure is not a dead letter").isZero();

        // The on-failure record carries metadata only; the batch is re-read from the stream with it.
        JsonNode onFailure = json(receiveOne(pipeline, pipeline.names().onFailureQueue()).body());
        assertThat(onFailure.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        JsonNode batch = onFailure.path("KinesisBatchInfo");
        assertThat(batch.path("streamArn").asText()).endsWith(":stream/" + pipeline.names().stream());
        Record first = recordAt(pipeline, batch.path("shardId").asText(), batch.path("startSequenceNumber").asText());
        assertThat(payloads).as("the first record of the discarded batch, read back from the stream")
                .anySatisfy(p -> assertThat(p).isEqualTo(first.data().asByteArray()));
        assertThat(batch.path("batchSize").asInt()).isBetween(1, payloads.size());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private PipelineNames freshNames() {
        return PipelineNames.withPrefix("wb-it-" + RUN + "-" + SCENARIOS.incrementAndGet());
    }

    private LocalPipeline deploy(PipelineNames names, Consumer<LocalPipeline.Builder> customize) {
        LocalPipeline.Builder builder = LocalPipeline.builder(backEnd.clients()).names(names);
        customize.accept(builder);
        LocalPipeline pipeline = builder.deploy();
        deployed.add(pipeline);
        return pipeline;
    }

    private void awaitIdle(LocalPipeline pipeline) {
        assertThat(pipeline.awaitIdle(DRAIN_TIMEOUT))
                .as("%s on %s handled everything put within %s (mapping %s)", pipeline.names().stream(),
                        backEnd.name(), DRAIN_TIMEOUT, pipeline.mapping().stats())
                .isTrue();
    }

    private static List<byte[]> payloads(GeneratedTraffic traffic) {
        return traffic.records().stream().map(GeneratedTraffic.TrafficRecord::payload).toList();
    }

    private static List<String> partitionKeys(GeneratedTraffic traffic) {
        return traffic.records().stream().map(GeneratedTraffic.TrafficRecord::partitionKey).toList();
    }

    private static Set<String> eventKeysOf(List<byte[]> payloads) {
        Set<String> keys = new HashSet<>();
        for (byte[] p : payloads) {
            if (RecordNormalizer.standard().normalize(RawRecord.of(p, "expected")) instanceof NormalizationResult.Normalized n) {
                keys.add(n.event().eventKey());
            }
        }
        return keys;
    }

    /** One payload per distinct event, in event-time order (the order a perfect network would deliver). */
    private static List<byte[]> distinctInEventTimeOrder(List<byte[]> payloads) {
        record Keyed(CanonicalEvent event, byte[] payload) {
        }
        RecordNormalizer normalizer = RecordNormalizer.standard();
        Set<String> seen = new HashSet<>();
        List<Keyed> events = new ArrayList<>();
        for (byte[] p : payloads) {
            if (normalizer.normalize(RawRecord.of(p, "in order")) instanceof NormalizationResult.Normalized n
                    && seen.add(n.event().eventKey())) {
                events.add(new Keyed(n.event(), p));
            }
        }
        events.sort(Comparator.comparing((Keyed k) -> k.event().time()).thenComparing(k -> k.event().id()));
        return events.stream().map(Keyed::payload).toList();
    }

    private static CanonicalEvent normalized(byte[] payload, NormalizerConfig config) {
        NormalizationResult result = new RecordNormalizer(AdapterRegistry.standard(), config, Clock.systemUTC())
                .normalize(RawRecord.of(payload, "test"));
        assertThat(result).as("the record is valid").isInstanceOf(NormalizationResult.Normalized.class);
        return ((NormalizationResult.Normalized) result).event();
    }

    /** The ColdChainCo reading sample with its own message id, padded by a field adapters ignore. */
    private static byte[] coldChainReadingPaddedTo(int size, String msgId) {
        ObjectNode reading = (ObjectNode) SampleCatalog.json("raw/coldchainco/reading.json");
        reading.put("msgId", msgId);
        byte[] bare = reading.toString().getBytes(StandardCharsets.UTF_8);
        reading.put("diagnostics", "x".repeat(Math.max(0, size - bare.length - 20)));
        byte[] padded = reading.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(padded.length).as("padded record size").isGreaterThan(1024);
        return padded;
    }

    private static SampleCatalog.MalformedCase malformedCase(String file) {
        return SampleCatalog.malformed().stream().filter(c -> c.file().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("no malformed case " + file + " in malformed/cases.json"));
    }

    /** The record at a shard and sequence number, read from the stream (GetShardIterator AT_SEQUENCE_NUMBER). */
    private Record recordAt(LocalPipeline pipeline, String shardId, String sequenceNumber) {
        var kinesis = backEnd.clients().kinesis();
        String iterator = kinesis.getShardIterator(b -> b.streamName(pipeline.names().stream()).shardId(shardId)
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(sequenceNumber))
                .shardIterator();
        GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(iterator).limit(1));
        assertThat(response.records()).as("record %s of %s", sequenceNumber, shardId).isNotEmpty();
        Record record = response.records().get(0);
        assertThat(record.sequenceNumber()).isEqualTo(sequenceNumber);
        return record;
    }

    private Message receiveOne(LocalPipeline pipeline, String queueName) {
        var sqs = backEnd.clients().sqs();
        String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
        List<Message> messages = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(url)
                .maxNumberOfMessages(1).waitTimeSeconds(1).visibilityTimeout(0).build()).messages();
        assertThat(messages).as("a message in %s", queueName).isNotEmpty();
        return messages.get(0);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static String describe(BatchTally tally) {
        return String.format(Locale.ROOT, "stored=%d duplicatesInBatch=%d duplicatesInStore=%d deadLettered=%d retry=%d",
                tally.count(RecordOutcome.STORED), tally.count(RecordOutcome.DUPLICATE_IN_BATCH),
                tally.count(RecordOutcome.DUPLICATE_IN_STORE), tally.count(RecordOutcome.DEAD_LETTERED),
                tally.count(RecordOutcome.RETRY));
    }
}

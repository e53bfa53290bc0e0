package io.waybill.local.replay;

import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest path end to end on the emulators: the event source mapping gives up on batches (its records got older
 * than {@code MaximumRecordAge} while it was behind: the local mapping discards them to the on-failure queue as
 * Lambda does), the consumer is healthy again, and the replay re-reads each range from the stream and puts it back
 * on the raw stream, where ingest stores every record exactly once.
 *
 * <p>The fixture: 5 sample records are stored by a healthy deployment first; then 17 samples and 3 resends are put
 * while nothing consumes, and a deployment with a 3 s maximum record age starts after they are 3 s old: it gives
 * up on all 25 records of the stream (the 5 already stored included), in ranges of both shards. It keeps running:
 * a re-driven record is fresh, well under the maximum age.
 */
@Timeout(120)
class IngestReplayTest extends ReplayStackTestBase {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration MAX_AGE = Duration.ofSeconds(3);
    private static final AtomicInteger PIPELINES = new AtomicInteger();

    private LocalPipeline pipeline;

    @AfterEach
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** The pipeline (names fresh), with every record of its stream in failed batch ranges. */
    private record Fixture(PipelineNames names, ReplayResources resources, int recordsPut, Set<String> expectedKeys,
                           Map<String, Map<String, AttributeValue>> storedBeforeTheFault) {
    }

    private Fixture pipelineWithFailedBatches() throws InterruptedException {
        List<byte[]> samples = SampleCatalog.valid().stream().map(SampleCatalog.ValidCase::compactRaw).toList();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(i);
        }
        int firstPhase = order.size();
        for (int i = 0; i < samples.size(); i++) {
            order.add(i);
        }
        for (int i = 0; i < 3; i++) {
            order.add(i);
        }
        List<byte[]> payloads = order.stream().map(samples::get).toList();
        List<String> keys = order.stream().map(i -> "producer-" + i).toList();
        PipelineNames names = PipelineNames.withPrefix("rp" + PIPELINES.incrementAndGet() + "x"
                + Long.toHexString(System.nanoTime()));

        try (LocalPipeline healthy = LocalPipeline.builder(stack.clients()).names(names).shards(2).deploy()) {
            healthy.publish(payloads.subList(0, firstPhase), keys.subList(0, firstPhase));
            assertThat(healthy.awaitIdle(WAIT)).isTrue();
        }
        Map<String, Map<String, AttributeValue>> storedFirst = eventsByKey(names);
        assertThat(storedFirst).hasSize(firstPhase);

        LocalPipeline.publish(stack.clients().kinesis(), names.stream(), payloads.subList(firstPhase, payloads.size()),
                keys.subList(firstPhase, keys.size()));
        Thread.sleep(MAX_AGE.toMillis() + 300);
        pipeline = LocalPipeline.builder(stack.clients()).names(names).shards(2)
                .mapping(m -> m.maximumRecordAge(MAX_AGE)).deploy();
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();
        assertThat(pipeline.tally().finished()).as("records the behind-hand deployment handled").isZero();
        assertThat(pipeline.onFailureCount()).as("on-failure records, at least one per shard").isGreaterThanOrEqualTo(2);
        assertThat(eventsByKey(names)).isEqualTo(storedFirst);

        // What each record is, by the normaliser (not the replay under test): 17 distinct events.
        Set<String> expected = new LinkedHashSet<>();
        for (byte[] p : samples) {
            NormalizationResult r = RecordNormalizer.standard().normalize(RawRecord.of(p, "expected"));
            assertThat(r).isInstanceOf(NormalizationResult.Normalized.class);
            expected.add(((NormalizationResult.Normalized) r).event().eventKey());
        }
        assertThat(expected).hasSize(samples.size());
        String sqsUrl = stack.clients().sqs().getQueueUrl(q -> q.queueName(names.onFailureQueue())).queueUrl();
        ReplayResources resources = new ReplayResources("test", names.stream(), pipeline.deadLetterQueueUrl(), sqsUrl,
                null, null);
        return new Fixture(names, resources, payloads.size(), expected, storedFirst);
    }

    private static ReplayRun.Report replay(Fixture f, boolean dryRun) {
        return ReplayRun.of(stack.clients().sqs(), stack.clients().kinesis(), RecordNormalizer.standard(),
                DeadLetterDecoder.JSON, 0).run(f.resources(), new ReplayRun.Options(ReplayRun.Source.ALL,
                DeadLetterReplay.Selection.passingNow(), dryRun));
    }

    @Test
    void failedBatchesReplayedAfterTheFaultStoreEveryRecordExactlyOnce() throws Exception {
        Fixture f = pipelineWithFailedBatches();

        ReplayRun.Report report = replay(f, false);
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();

        FailedBatchReplay.Result ingest = report.failedBatches().get(0);
        assertThat(ingest.ranges()).isNotEmpty()
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(FailedBatchReplay.Status.REDRIVEN));
        assertThat(ingest.recordsRedriven()).as("every record of the stream was in a failed range").isEqualTo(25);
        assertThat(report.complete()).isTrue();
        assertThat(report.deadLetters().examined()).isZero();

        Map<String, Map<String, AttributeValue>> stored = eventsByKey(f.names());
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(f.expectedKeys());
        f.storedBeforeTheFault().forEach((k, item) -> assertThat(stored.get(k)).as("absorbed, not rewritten: " + k)
                .isEqualTo(item));
        assertThat(pipeline.tally().finished()).as("each re-driven record handled once").isEqualTo(25);
        assertThat(pipeline.tally().count(RecordOutcome.STORED)).as("the 17 events less the 5 stored before")
                .isEqualTo(12);
        assertThat(pipeline.tally().count(RecordOutcome.DEAD_LETTERED)).isZero();
        assertThat(pipeline.onFailureCount()).as("every on-failure message deleted, none new").isZero();
        assertThat(pipeline.shipments()).isNotEmpty();
    }

    @Test
    void dryRunSaysWhatItWouldDoAndChangesNothing() throws Exception {
        Fixture f = pipelineWithFailedBatches();
        long queued = pipeline.onFailureCount();
        int onStream = recordsIn(f.names().stream()).size();
        Map<String, Map<String, AttributeValue>> events = eventsByKey(f.names());
        Map<String, ShipmentState> shipments = pipeline.shipments();

        ReplayRun.Report report = replay(f, true);
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();

        FailedBatchReplay.Result ingest = report.failedBatches().get(0);
        assertThat(ingest.ranges()).hasSize((int) queued)
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(FailedBatchReplay.Status.WOULD_REDRIVE));
        assertThat(ingest.recordsRead()).isEqualTo(25);
        assertThat(ingest.ranges()).allSatisfy(o -> assertThat(o.read()).isEqualTo(o.batch().batchSize()));
        assertThat(ingest.recordsRedriven()).isZero();
        assertThat(pipeline.onFailureCount()).isEqualTo(queued);
        assertThat(pipeline.deadLetterCount()).isZero();
        assertThat(recordsIn(f.names().stream())).hasSize(onStream);
        assertThat(eventsByKey(f.names())).isEqualTo(events);
        assertThat(pipeline.shipments()).isEqualTo(shipments);
        assertThat(pipeline.tally().finished()).isZero();
        // the messages are visible again at once: a real replay right after finds them all
        assertThat(bodies(f.resources().ingestFailedBatchesUrl()))
                .hasSize((int) queued);
    }

    /**
     * A replay that crashed after putting the records but before deleting the messages runs again: every record is
     * re-driven a second time, and neither the event store nor the projection changes.
     */
    @Test
    void replayingTheSameRangesAgainChangesNeitherTheStoreNorTheProjection() throws Exception {
        Fixture f = pipelineWithFailedBatches();
        List<String> messages = bodies(f.resources().ingestFailedBatchesUrl());

        replay(f, false);
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();
        Map<String, Map<String, AttributeValue>> events = eventsByKey(f.names());
        Map<String, ShipmentState> shipments = pipeline.shipments();
        long stored = pipeline.tally().count(RecordOutcome.STORED);
        assertThat(events.keySet()).containsExactlyInAnyOrderElementsOf(f.expectedKeys());

        // As if the first run had crashed before its deletes: the same on-failure records again.
        messages.forEach(b -> stack.clients().sqs().sendMessage(m -> m.queueUrl(f.resources().ingestFailedBatchesUrl())
                .messageBody(b)));
        ReplayRun.Report second = replay(f, false);
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();

        assertThat(second.failedBatches().get(0).recordsRedriven()).as("re-driven again").isEqualTo(25);
        assertThat(pipeline.tally().finished()).as("two replays of 25").isEqualTo(50);
        assertThat(pipeline.tally().count(RecordOutcome.STORED)).as("nothing stored the second time").isEqualTo(stored);
        assertThat(eventsByKey(f.names())).isEqualTo(events);
        assertThat(pipeline.shipments()).isEqualTo(shipments);
        assertThat(pipeline.onFailureCount()).isZero();
    }

    private static Map<String, Map<String, AttributeValue>> eventsByKey(PipelineNames names) {
        Map<String, Map<String, AttributeValue>> out = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = stack.clients().dynamoDb().scan(b -> b.tableName(names.eventsTable()).consistentRead(true)
                    .exclusiveStartKey(from));
            page.items().forEach(i -> assertThat(out.put(i.get("eventKey").s(), i)).isNull());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }
}

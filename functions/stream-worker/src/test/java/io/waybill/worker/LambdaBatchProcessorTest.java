package io.waybill.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The batch/checkpoint logic with a fake handler, a recording checkpointer and a list as on-failure destination. */
class LambdaBatchProcessorTest {

    private static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/events";
    private static final String SHARD = "shardId-000000000001";

    private final List<String> checkpoints = new CopyOnWriteArrayList<>();
    private final List<String> onFailure = new CopyOnWriteArrayList<>();

    /** Fake handler: records the sequence numbers of each invocation and answers with the given function. */
    private static final class FakeHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
        final List<List<String>> invocations = new ArrayList<>();
        final Function<List<String>, StreamsEventResponse> answer;

        FakeHandler(Function<List<String>, StreamsEventResponse> answer) {
            this.answer = answer;
        }

        @Override
        public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
            List<String> seqs = event.getRecords().stream().map(r -> r.getKinesis().getSequenceNumber()).toList();
            invocations.add(seqs);
            assertThat(context.getAwsRequestId()).isNotBlank();
            assertThat(event.getRecords()).allSatisfy(r -> {
                assertThat(r.getEventSourceARN()).isEqualTo(STREAM_ARN);
                assertThat(r.getEventID()).isEqualTo(SHARD + ":" + r.getKinesis().getSequenceNumber());
                assertThat(r.getAwsRegion()).isEqualTo("us-east-1");
            });
            return answer.apply(seqs);
        }
    }

    private LambdaBatchProcessor processor(FakeHandler handler, int maxAttempts) {
        return new LambdaBatchProcessor(handler, STREAM_ARN, "waybill-worker", maxAttempts, Duration.ofMillis(1),
                Duration.ofMillis(5), onFailure::add);
    }

    private static List<StreamRecord> records(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> new StreamRecord(seq(i), "pk",
                ("payload-" + i).getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-26T06:00:00Z"), "NONE"))
                .toList();
    }

    private static String seq(int i) {
        return String.format("4959%020d", i);
    }

    private static StreamsEventResponse failFrom(String sequence) {
        return StreamsEventResponse.builder()
                .withBatchItemFailures(List.of(new StreamsEventResponse.BatchItemFailure(sequence))).build();
    }

    @Test
    void successfulBatchIsInvokedOnceAndCheckpointedAtItsLastRecord() {
        FakeHandler handler = new FakeHandler(s -> StreamsEventResponse.builder()
                .withBatchItemFailures(Collections.emptyList()).build());
        BatchReport report = processor(handler, 3).process(SHARD, records(5), checkpoints::add);

        assertThat(handler.invocations).hasSize(1);
        assertThat(checkpoints).containsExactly(seq(5));
        assertThat(report.complete()).isTrue();
        assertThat(report.succeeded()).isEqualTo(5);
        assertThat(report.checkpointedAt()).contains(seq(5));
    }

    @Test
    void partialFailureReDrivesTheSuffixFromTheLowestFailedSequenceThenCheckpointsTheBatchOnce() {
        // First invocation: records 3 and 4 fail (lowest: 3). Second: the suffix 3..5, record 4 fails. Third: 4..5 ok.
        int[] call = {0};
        FakeHandler handler = new FakeHandler(seqs -> switch (call[0]++) {
            case 0 -> StreamsEventResponse.builder().withBatchItemFailures(List.of(
                    new StreamsEventResponse.BatchItemFailure(seq(4)),
                    new StreamsEventResponse.BatchItemFailure(seq(3)))).build();
            case 1 -> failFrom(seq(4));
            default -> null; // null response = success
        });
        BatchReport report = processor(handler, 3).process(SHARD, records(5), checkpoints::add);

        assertThat(handler.invocations).containsExactly(
                List.of(seq(1), seq(2), seq(3), seq(4), seq(5)),
                List.of(seq(3), seq(4), seq(5)),
                List.of(seq(4), seq(5)));
        assertThat(checkpoints).as("one checkpoint, after the whole batch").containsExactly(seq(5));
        assertThat(onFailure).isEmpty();
        assertThat(report.succeeded()).isEqualTo(5);
        assertThat(report.retries()).isEqualTo(2);
    }

    @Test
    void handlerExceptionRetriesTheUnfinishedSuffix() {
        int[] call = {0};
        FakeHandler handler = new FakeHandler(seqs -> {
            if (call[0]++ == 0) {
                return failFrom(seq(2));
            }
            if (call[0] == 2) {
                throw new IllegalStateException("DynamoDB throttled");
            }
            return null;
        });
        BatchReport report = processor(handler, 3).process(SHARD, records(3), checkpoints::add);

        assertThat(handler.invocations).containsExactly(List.of(seq(1), seq(2), seq(3)), List.of(seq(2), seq(3)),
                List.of(seq(2), seq(3)));
        assertThat(checkpoints).containsExactly(seq(3));
        assertThat(report.sentToOnFailure()).isZero();
    }

    @Test
    void poisonBatchGoesToTheOnFailureDestinationAfterMaxAttemptsAndIsCheckpointedPast() throws Exception {
        // Records 1-2 succeed; from record 3 on the handler always reports record 3 as failed.
        FakeHandler handler = new FakeHandler(seqs -> failFrom(seq(3)));
        BatchReport report = processor(handler, 4).process(SHARD, records(5), checkpoints::add);

        assertThat(handler.invocations).as("1 invocation of the batch + the suffix until 4 attempts of record 3")
                .hasSize(4);
        assertThat(handler.invocations.get(0)).hasSize(5);
        assertThat(handler.invocations.subList(1, 4)).allSatisfy(s -> assertThat(s).containsExactly(seq(3), seq(4),
                seq(5)));
        assertThat(checkpoints).as("checkpointed past the poison batch").containsExactly(seq(5));
        assertThat(report.succeeded()).isEqualTo(2);
        assertThat(report.sentToOnFailure()).isEqualTo(3);
        assertThat(report.complete()).isTrue();

        assertThat(onFailure).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(onFailure.get(0));
        assertThat(json.path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(json.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(4);
        assertThat(json.path("requestContext").path("functionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:waybill-worker");
        JsonNode info = json.path("KinesisBatchInfo");
        assertThat(info.path("shardId").asText()).isEqualTo(SHARD);
        assertThat(info.path("startSequenceNumber").asText()).isEqualTo(seq(3));
        assertThat(info.path("endSequenceNumber").asText()).isEqualTo(seq(5));
        assertThat(info.path("batchSize").asInt()).isEqualTo(3);
        assertThat(info.path("streamArn").asText()).isEqualTo(STREAM_ARN);
        assertThat(onFailure.get(0)).as("metadata only, never the data").doesNotContain("payload-");
    }

    @Test
    void onFailureDestinationDownHoldsTheShardUntilTheRecordIsWritten() {
        // The destination refuses the first 5 sends (e.g. SQS throttled or the role's KMS grant missing for a while).
        int[] refusals = {5};
        List<String> sent = new ArrayList<>();
        FakeHandler handler = new FakeHandler(seqs -> failFrom(seq(1)));
        LambdaBatchProcessor processor = new LambdaBatchProcessor(handler, STREAM_ARN, "waybill-worker", 2,
                Duration.ofMillis(1), Duration.ofMillis(2), json -> {
                    assertThat(checkpoints).as("no checkpoint before the on-failure record is written").isEmpty();
                    if (refusals[0]-- > 0) {
                        throw new IllegalStateException("destination unavailable");
                    }
                    sent.add(json);
                });
        BatchReport report = processor.process(SHARD, records(3), checkpoints::add);

        assertThat(sent).as("written once, on the 6th try").hasSize(1);
        assertThat(checkpoints).containsExactly(seq(3));
        assertThat(report.sentToOnFailure()).isEqualTo(3);
        assertThat(report.complete()).isTrue();
    }

    @Test
    void onFailureDestinationThatNeverAcceptsIsNeverCheckpointedPast() {
        LambdaBatchProcessor[] self = new LambdaBatchProcessor[1];
        int[] tries = {0};
        FakeHandler handler = new FakeHandler(seqs -> failFrom(seq(2)));
        self[0] = new LambdaBatchProcessor(handler, STREAM_ARN, "waybill-worker", 1, Duration.ofMillis(1),
                Duration.ofMillis(2), json -> {
                    if (++tries[0] == 20) {
                        self[0].stop(); // the worker shuts down (SIGTERM, lease lost) while the destination is down
                    }
                    throw new IllegalStateException("AccessDenied");
                });
        BatchReport report = self[0].process(SHARD, records(3), checkpoints::add);

        assertThat(tries[0]).isEqualTo(20);
        assertThat(checkpoints).as("records 2-3 have no trace anywhere: the shard must not move past them").isEmpty();
        assertThat(report.complete()).isFalse();
        assertThat(report.sentToOnFailure()).isZero();
        assertThat(self[0].recordsSentToOnFailure()).isZero();
    }

    @Test
    void maxAttemptsIsConfigurable() {
        FakeHandler handler = new FakeHandler(seqs -> {
            throw new IllegalStateException("always");
        });
        processor(handler, 1).process(SHARD, records(2), checkpoints::add);
        assertThat(handler.invocations).hasSize(1);
        assertThat(onFailure).hasSize(1);
        assertThat(checkpoints).containsExactly(seq(2));
    }

    @Test
    void unknownItemIdentifierFailsTheWholeSuffix() {
        int[] call = {0};
        FakeHandler handler = new FakeHandler(seqs -> call[0]++ == 0 ? failFrom("not-a-sequence") : null);
        processor(handler, 3).process(SHARD, records(3), checkpoints::add);
        assertThat(handler.invocations).containsExactly(List.of(seq(1), seq(2), seq(3)),
                List.of(seq(1), seq(2), seq(3)));
        assertThat(checkpoints).containsExactly(seq(3));
    }

    @Test
    void stoppedWhileRetryingReturnsUnfinishedWithoutCheckpoint() {
        LambdaBatchProcessor[] self = new LambdaBatchProcessor[1];
        FakeHandler handler = new FakeHandler(seqs -> {
            self[0].stop(); // e.g. SIGTERM while the batch fails
            return failFrom(seq(2));
        });
        self[0] = processor(handler, 10);
        BatchReport report = self[0].process(SHARD, records(3), checkpoints::add);

        assertThat(report.complete()).isFalse();
        assertThat(checkpoints).as("nothing checkpointed: the next lease holder gets the batch again").isEmpty();
        assertThat(onFailure).isEmpty();
    }

    @Test
    void failedCheckpointIsReportedNotThrown() {
        FakeHandler handler = new FakeHandler(seqs -> null);
        BatchReport report = processor(handler, 3).process(SHARD, records(2), seq -> {
            throw new BatchCheckpointer.CheckpointFailedException("lease lost", null);
        });
        assertThat(report.complete()).isTrue();
        assertThat(report.checkpointedAt()).isEmpty();
    }

    /** The consumer marks the processor advanced: consumer, lastArrival, processedAt. */
    private final List<String> marks = new CopyOnWriteArrayList<>();

    private LambdaBatchProcessor markingProcessor(FakeHandler handler, boolean marksFail) {
        io.waybill.domain.ops.ConsumerWatermarks watermarks = new io.waybill.domain.ops.ConsumerWatermarks() {
            @Override
            public void advance(String consumer, Instant lastArrival, Instant processedAt) {
                if (marksFail) {
                    throw new IllegalStateException("watermarks table throttled");
                }
                marks.add(consumer + " " + lastArrival + " " + processedAt);
            }

            @Override
            public List<Watermark> all() {
                throw new UnsupportedOperationException();
            }
        };
        return new LambdaBatchProcessor(handler, STREAM_ARN, "waybill-worker", 1, Duration.ofMillis(1),
                Duration.ofMillis(5), onFailure::add, watermarks,
                java.time.Clock.fixed(Instant.parse("2026-11-26T06:00:09Z"), java.time.ZoneOffset.UTC));
    }

    private static List<StreamRecord> arrivals(String... at) {
        return IntStream.range(0, at.length).mapToObj(i -> new StreamRecord(seq(i + 1), "pk",
                ("payload-" + i).getBytes(StandardCharsets.UTF_8), at[i] == null ? null : Instant.parse(at[i]), "NONE"))
                .toList();
    }

    @Test
    void aCheckpointedBatchMarksTheStreamWorkerAtItsNewestArrivalOnce() {
        FakeHandler handler = new FakeHandler(s -> null);
        // arrivals 06:00:01, 06:00:03, (unknown), 06:00:02: the newest is 06:00:03, not the last record's
        markingProcessor(handler, false).process(SHARD, arrivals("2026-11-26T06:00:01Z", "2026-11-26T06:00:03Z", null,
                "2026-11-26T06:00:02Z"), checkpoints::add);
        assertThat(marks).containsExactly("stream-worker 2026-11-26T06:00:03Z 2026-11-26T06:00:09Z");
    }

    @Test
    void aBatchNotCheckpointedMarksNothingAndAFailedMarkDoesNotHoldTheShard() {
        FakeHandler handler = new FakeHandler(s -> null);
        markingProcessor(handler, false).process(SHARD, arrivals("2026-11-26T06:00:01Z"), seq -> {
            throw new IllegalStateException("lease lost");
        });
        assertThat(marks).isEmpty();

        BatchReport report = markingProcessor(handler, true).process(SHARD, arrivals("2026-11-26T06:00:01Z"),
                checkpoints::add);
        assertThat(report.complete()).isTrue();
        assertThat(checkpoints).containsExactly(seq(1));
    }
}

package io.waybill.local.replay;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.local.AwsClients;
import io.waybill.local.AwsEndpoints;
import io.waybill.local.esm.EventSourceMappingConfig;
import io.waybill.local.esm.KinesisEventSourceMapping;
import io.waybill.local.esm.RecordingHandler;
import io.waybill.local.replay.FailedBatchReplay.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-reading and re-driving failed batch ranges on the emulators (kinesis-mock, ElasticMQ). The on-failure records
 * are either written by the local event source mapping when it gives up, or written here by hand in the shape AWS
 * documents. kinesis-mock never trims a stream (its retention, like AWS's, is at least 24 h), so the ways AWS says a
 * range has expired are injected with an SDK {@link ExecutionInterceptor} on the replay's Kinesis client.
 */
@Timeout(120)
class FailedBatchReplayTest extends ReplayStackTestBase {
    private static final Duration WAIT = Duration.ofSeconds(30);

    // ------------------------------------------------------------------------------------------------ the records gone

    /**
     * AWS refuses an iterator at a sequence number older than the stream's retention with an
     * {@code InvalidArgumentException}: the range is LOST, its message stays, nothing is put.
     */
    @Test
    void rangeNoLongerInTheStreamIsReportedLostAndItsMessageKept() {
        Range range = rangeOf(5);
        ExecutionInterceptor trimmed = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetShardIteratorRequest r
                        && r.shardIteratorType() == ShardIteratorType.AT_SEQUENCE_NUMBER) {
                    throw InvalidArgumentException.builder().statusCode(400).message("expired")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidArgumentException")
                                    .errorMessage("StartingSequenceNumber " + r.startingSequenceNumber()
                                            + " used in GetShardIterator on shard " + r.shardId() + " in stream "
                                            + r.streamName() + " under account 000000000000 is invalid because it is"
                                            + " older than the stream's retention period.").build())
                            .build();
                }
            }
        };

        FailedBatchReplay.Result r = withKinesis(trimmed, k -> new FailedBatchReplay(sqs, k, 0)
                .replay("ingest", range.queueUrl(), Set.of(range.stream()), false));

        assertThat(r.ranges()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.LOST);
            assertThat(o.read()).isZero();
            assertThat(o.redriven()).isZero();
            assertThat(o.detail()).startsWith("GetShardIterator AT_SEQUENCE_NUMBER " + range.sequences().get(0)
                    + ": InvalidArgumentException (StartingSequenceNumber");
            assertThat(o.batch().range()).isEqualTo("shardId-000000000000 " + range.sequences().get(0) + ".."
                    + range.sequences().get(4));
        });
        assertThat(r.complete()).isFalse();
        assertThat(bodies(range.queueUrl())).as("the on-failure message is kept").containsExactly(range.body());
        assertThat(recordsIn(range.stream())).as("nothing was put").hasSize(5);
    }

    /**
     * Where AWS grants the iterator but the range's first records have been trimmed (the read starts later), the range
     * is LOST too; its readable rest is re-driven (it is about to expire as well) and the message stays.
     */
    @Test
    void rangeWhoseFirstRecordsWereTrimmedIsLostAndItsReadableRestReDriven() {
        Range range = rangeOf(5);
        ExecutionInterceptor trimmedStart = new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.response() instanceof GetRecordsResponse g && !g.records().isEmpty()) {
                    return g.toBuilder().records(g.records().stream()
                            .filter(x -> !x.sequenceNumber().equals(range.sequences().get(0))
                                    && !x.sequenceNumber().equals(range.sequences().get(1))).toList()).build();
                }
                return context.response();
            }
        };

        FailedBatchReplay.Result r = withKinesis(trimmedStart, k -> new FailedBatchReplay(sqs, k, 0)
                .replay("ingest", range.queueUrl(), Set.of(range.stream()), false));

        assertThat(r.ranges()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.LOST);
            assertThat(o.read()).isEqualTo(3);
            assertThat(o.redriven()).isEqualTo(3);
            assertThat(o.detail()).startsWith("the range's first records are gone: the first readable is "
                    + range.sequences().get(2));
        });
        assertThat(bodies(range.queueUrl())).containsExactly(range.body());
        List<Record> after = recordsIn(range.stream());
        assertThat(after).hasSize(8);
        assertThat(after.subList(5, 8)).extracting(x -> x.data().asUtf8String(), Record::partitionKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("r-2", "pk-2"),
                        org.assertj.core.groups.Tuple.tuple("r-3", "pk-3"),
                        org.assertj.core.groups.Tuple.tuple("r-4", "pk-4"));
    }

    /** An iterator older than 5 minutes is no loss: the reader renews it and the range is re-driven whole. */
    @Test
    void expiredIteratorIsRenewedAndTheRangeReDrivenWhole() {
        Range range = rangeOf(4);
        AtomicInteger expired = new AtomicInteger();
        ExecutionInterceptor expiresOnce = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetRecordsRequest && expired.getAndIncrement() == 0) {
                    throw ExpiredIteratorException.builder().statusCode(400).message("Iterator expired")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ExpiredIteratorException")
                                    .errorMessage("Iterator expired. The iterator was created at time X while right"
                                            + " now it is Y which is further in the future than the tolerated delay"
                                            + " of 300000 milliseconds.").build())
                            .build();
                }
            }
        };

        FailedBatchReplay.Result r = withKinesis(expiresOnce, k -> new FailedBatchReplay(sqs, k, 0)
                .replay("ingest", range.queueUrl(), Set.of(range.stream()), false));

        assertThat(expired.get()).as("GetRecords calls, the expired one included").isEqualTo(2);
        assertThat(r.ranges()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.REDRIVEN);
            assertThat(o.redriven()).isEqualTo(4);
        });
        assertThat(r.complete()).isTrue();
        assertThat(bodies(range.queueUrl())).as("deleted once every record was put").isEmpty();
        assertThat(recordsIn(range.stream()).subList(4, 8)).extracting(x -> x.data().asUtf8String())
                .containsExactly("r-0", "r-1", "r-2", "r-3");
    }

    /** A message naming a stream this consumer does not read is kept, and nothing is read or written. */
    @Test
    void onFailureRecordNamingAnotherStreamIsKeptAndNothingIsWritten() {
        Range range = rangeOf(2);

        FailedBatchReplay.Result r = new FailedBatchReplay(sqs, kinesis, 0)
                .replay("ingest", range.queueUrl(), Set.of("waybill-telemetry"), false);

        assertThat(r.ranges()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Status.FOREIGN_STREAM);
            assertThat(o.detail()).isEqualTo("stream " + range.stream() + " is not waybill-telemetry");
        });
        assertThat(r.complete()).isFalse();
        assertThat(bodies(range.queueUrl())).containsExactly(range.body());
        assertThat(recordsIn(range.stream())).hasSize(2);
    }

    // ------------------------------------------------------------------------------------------------ cold chain

    /**
     * The cold-chain consumer reads its own stream (the canonical stream after issue 10). A batch its mapping gave up
     * on while its store was down is re-driven onto the stream it came from, not onto the raw stream, and after the
     * fault every record reaches the consumer once more; the message is then deleted.
     */
    @Test
    void coldChainFailedBatchesAreReDrivenOntoTheStreamTheyCameFrom() throws Exception {
        String raw = newStream(1);
        String canonical = newStream(2);
        String onFailure = resources.createQueue("cc-failed-" + suffix()).url();
        List<String> payloads = IntStream.range(0, 12).mapToObj(i -> "event-" + i).toList();
        AtomicBoolean storeDown = new AtomicBoolean(true);
        RecordingHandler consumer = new RecordingHandler((invocation, n) -> {
            if (storeDown.get()) {
                throw new IllegalStateException("exposure table unavailable");
            }
            return StreamsEventResponse.builder().build();
        });
        try (KinesisEventSourceMapping mapping = KinesisEventSourceMapping.start(kinesis, sqs, canonical,
                EventSourceMappingConfig.builder().pollInterval(Duration.ofMillis(50)).batchSize(5)
                        .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).maximumRetryAttempts(1)
                        .functionName("coldchain-test").onFailureDestinationQueueUrl(onFailure).build(), consumer)) {
            put(canonical, payloads, i -> "SSCC-" + (i % 3));
            assertThat(mapping.awaitIdle(WAIT)).isTrue();
            assertThat(bodies(onFailure)).as("on-failure records").isNotEmpty();
            storeDown.set(false);
            int before = consumer.deliveredPayloads().size();

            ReplayResources res = new ReplayResources("test", raw, resources.createQueue("dlq-" + suffix()).url(),
                    resources.createQueue("ingest-failed-" + suffix()).url(), onFailure, canonical);
            ReplayRun.Report report = ReplayRun.of(sqs, kinesis, io.waybill.domain.normalize.RecordNormalizer.standard(),
                    DeadLetterDecoder.JSON, 0).run(res, new ReplayRun.Options(ReplayRun.Source.FAILED_BATCHES,
                    DeadLetterReplay.Selection.passingNow(), false));
            assertThat(mapping.awaitIdle(WAIT)).isTrue();

            FailedBatchReplay.Result cold = report.failedBatches().get(1);
            assertThat(cold.consumer()).isEqualTo(ReplayRun.COLD_CHAIN);
            assertThat(cold.ranges()).allSatisfy(o -> assertThat(o.status()).isEqualTo(Status.REDRIVEN));
            assertThat(cold.recordsRedriven()).isEqualTo(12);
            assertThat(report.complete()).isTrue();
            List<String> after = consumer.deliveredPayloads().subList(before, consumer.deliveredPayloads().size());
            assertThat(after).containsExactlyInAnyOrderElementsOf(payloads);
            assertThat(bodies(onFailure)).isEmpty();
            assertThat(recordsIn(raw)).as("nothing went to the raw stream").isEmpty();
            // Each record is on its stream twice now, the original and the re-driven copy, under its own key (ranges
            // come back in the order the queue returns them: only the order within a range is kept).
            Map<String, Long> copies = recordsIn(canonical).stream().collect(java.util.stream.Collectors.groupingBy(
                    r -> r.partitionKey() + "/" + r.data().asUtf8String(), java.util.stream.Collectors.counting()));
            assertThat(copies).hasSize(12).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(2L));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Records put on a fresh one-shard stream and an on-failure record naming them, alone in a fresh queue. */
    private record Range(String stream, String queueUrl, List<String> sequences, String body) {
    }

    private static Range rangeOf(int records) {
        String stream = newStream(1);
        List<String> payloads = IntStream.range(0, records).mapToObj(i -> "r-" + i).toList();
        List<String> sequences = put(stream, payloads, i -> "pk-" + i).stream()
                .map(PutRecordsResultEntry::sequenceNumber).toList();
        String arn = kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamARN();
        // The shape of AWS's on-failure record (events-samples/lambda/kinesis-on-failure-record.json).
        String body = "{\"requestContext\":{\"requestId\":\"" + UUID.randomUUID() + "\",\"functionArn\":"
                + "\"arn:aws:lambda:us-east-1:000000000000:function:ingest\",\"condition\":\"RecordAgeExceeded\","
                + "\"approximateInvokeCount\":0},\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\"},"
                + "\"version\":\"1.0\",\"timestamp\":\"2026-12-01T10:00:00.000Z\",\"KinesisBatchInfo\":{"
                + "\"shardId\":\"shardId-000000000000\",\"startSequenceNumber\":\"" + sequences.get(0) + "\","
                + "\"endSequenceNumber\":\"" + sequences.get(records - 1) + "\","
                + "\"approximateArrivalOfFirstRecord\":\"2026-12-01T09:59:58.000Z\","
                + "\"approximateArrivalOfLastRecord\":\"2026-12-01T09:59:59.000Z\",\"batchSize\":" + records + ","
                + "\"streamArn\":\"" + arn + "\"}}";
        String queue = resources.createQueue("failed-" + suffix()).url();
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        return new Range(stream, queue, sequences, body);
    }

    private static <T> T withKinesis(ExecutionInterceptor interceptor, Function<KinesisClient, T> use) {
        AwsEndpoints e = stack.endpoints();
        try (SdkHttpClient http = AwsClients.newHttpClient();
             KinesisClient k = KinesisClient.builder().endpointOverride(e.kinesis()).region(e.region())
                     .credentialsProvider(e.credentialsProvider()).httpClient(http)
                     .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor)).build()) {
            return use.apply(k);
        }
    }

    private static List<PutRecordsResultEntry> put(String stream, List<String> payloads,
                                                   java.util.function.IntFunction<String> key) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey(key.apply(i))
                    .data(SdkBytes.fromString(payloads.get(i), StandardCharsets.UTF_8)).build());
        }
        var response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
        assertThat(response.failedRecordCount()).isZero();
        return response.records();
    }
}

package io.waybill.aws.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;

import io.waybill.aws.eventstore.EventStoreTables;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.local.replay.DeadLetterReplay;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.ingest.IngestConfig;
import io.waybill.ingest.IngestFunction;
import io.waybill.ingest.IngestHandler;
import io.waybill.ingest.IngestTelemetry;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;

/**
 * The dead letters' claim check on ElasticMQ and s3rver, driven through the ingest handler Lambda runs. Expected
 * keys, sizes and digests are worked out here from the input the test builds (SHA-256 by the JDK), never by the
 * store under test.
 */
@Timeout(120)
class ClaimCheckOnEmulatorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHARD = "shardId-000000000000";
    private static final String SEQUENCE = "49590000000000000000000000000000000000000000000000000001";
    /** 2025-03-04T05:06:07Z, the record's arrival on the stream: the key's date. */
    private static final long ARRIVAL_MS = 1_741_064_767_000L;

    private static LocalAwsStack stack;
    private static String prefix;
    private String queueUrl;
    private String bucket;

    @BeforeAll
    static void startStack() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        prefix = "claim-" + UUID.randomUUID().toString().substring(0, 8);
        StackResources resources = StackResources.using(stack.clients());
        resources.createTable(EventStoreTables.events(prefix + "-events"));
        resources.createTable(EventStoreTables.shipments(prefix + "-shipments"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @BeforeEach
    void queueAndBucket() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        queueUrl = StackResources.using(stack.clients()).createQueue(prefix + "-dlq-" + run).url();
        bucket = prefix + "-payloads-" + run;
        StackResources.createBucket(stack.clients().s3(), bucket);
    }

    private IngestHandler handler(String claimCheckBucket) {
        IngestConfig config = IngestConfig.builder().eventsTable(prefix + "-events")
                .shipmentsTable(prefix + "-shipments").deadLetterQueueUrl(queueUrl)
                .deadLetterBucket(claimCheckBucket).build();
        return new IngestHandler(IngestFunction.create(config, stack.clients().dynamoDb(), stack.clients().sqs(),
                stack.clients().kinesis(), stack.clients().s3(), IngestTelemetry.logOnly()));
    }

    private static KinesisEvent event(byte[] data) {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setData(ByteBuffer.wrap(data));
        kinesis.setPartitionKey("CC-0009");
        kinesis.setSequenceNumber(SEQUENCE);
        kinesis.setApproximateArrivalTimestamp(new Date(ARRIVAL_MS));
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID(SHARD + ":" + SEQUENCE);
        record.setEventSourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/waybill-telemetry");
        KinesisEvent event = new KinesisEvent();
        event.setRecords(List.of(record));
        return event;
    }

    /** 300,000 bytes: over the normaliser's 128 KiB (OVERSIZED), and its base64 (400,000) over SQS's 256 KiB. */
    private static byte[] oversizedRecord() {
        byte[] prefixBytes = "{\"wb_route\":\"coldchainco/CC-0009\",\"pad\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[300_000];
        System.arraycopy(prefixBytes, 0, data, 0, prefixBytes.length);
        for (int i = prefixBytes.length; i < data.length - 2; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        data[data.length - 2] = '"';
        data[data.length - 1] = '}';
        return data;
    }

    private List<Message> messages() {
        return stack.clients().sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .messageAttributeNames("All").visibilityTimeout(0)).messages();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void oversizedDeadLetterKeepsItsPayloadInTheBucketAndAPointerInTheQueue() throws Exception {
        byte[] input = oversizedRecord();

        StreamsEventResponse response = handler(bucket).handleRequest(event(input), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        String key = "dead-letters/OVERSIZED/2025-03-04/" + SHARD + "/" + SEQUENCE;
        assertThat(stack.clients().s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray())
                .isEqualTo(input);
        Message m = messages().get(0);
        assertThat(m.body().length()).isLessThan(4_096);
        JsonNode body = JSON.readTree(m.body());
        assertThat(body.has("payloadBase64")).isFalse();
        assertThat(body.path("reason").asText()).isEqualTo("OVERSIZED");
        assertThat(body.path("origin").path("sequenceNumber").asText()).isEqualTo(SEQUENCE);
        assertThat(body.path("claimCheck").path("bucket").asText()).isEqualTo(bucket);
        assertThat(body.path("claimCheck").path("key").asText()).isEqualTo(key);
        assertThat(body.path("claimCheck").path("bytes").asLong()).isEqualTo(300_000L);
        assertThat(body.path("claimCheck").path("sha256").asText()).isEqualTo(sha256(input));
        assertThat(m.messageAttributes().get("reason").stringValue()).isEqualTo("OVERSIZED");
    }

    @Test
    void aSmallDeadLetterStaysInlineAndWritesNoObject() throws Exception {
        byte[] input = "{not json".getBytes(StandardCharsets.UTF_8);

        handler(bucket).handleRequest(event(input), null);

        JsonNode body = JSON.readTree(messages().get(0).body());
        assertThat(body.has("claimCheck")).isFalse();
        assertThat(Base64.getDecoder().decode(body.path("payloadBase64").asText())).isEqualTo(input);
        assertThat(stack.clients().s3().listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void theS3ClientIsMadeForTheFirstOversizedLetterOnlyAndOnce() {
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        IngestConfig config = IngestConfig.builder().eventsTable(prefix + "-events")
                .shipmentsTable(prefix + "-shipments").deadLetterQueueUrl(queueUrl).deadLetterBucket(bucket).build();
        IngestHandler handler = new IngestHandler(IngestFunction.create(config, stack.clients().dynamoDb(),
                stack.clients().sqs(), stack.clients().kinesis(), () -> {
                    made.incrementAndGet();
                    return stack.clients().s3();
                }, IngestTelemetry.logOnly()));

        handler.handleRequest(event("{not json".getBytes(StandardCharsets.UTF_8)), null);
        assertThat(made).as("a small letter needs no S3 client (nor does a cold start)").hasValue(0);
        handler.handleRequest(event(oversizedRecord()), null);
        handler.handleRequest(event(oversizedRecord()), null);
        assertThat(made).as("made once, kept").hasValue(1);
        assertThat(messages()).hasSize(3);
    }

    @Test
    void aRedeliveredOversizedLetterWritesTheSameObject() {
        byte[] input = oversizedRecord();
        IngestHandler handler = handler(bucket);

        handler.handleRequest(event(input), null);
        handler.handleRequest(event(input), null); // the batch again, as after a crash before the checkpoint

        List<S3Object> objects = stack.clients().s3().listObjectsV2(b -> b.bucket(bucket)).contents();
        assertThat(objects).extracting(S3Object::key)
                .containsExactly("dead-letters/OVERSIZED/2025-03-04/" + SHARD + "/" + SEQUENCE);
        assertThat(messages()).hasSize(2).extracting(Message::body)
                .allSatisfy(b -> assertThat(b).contains("\"key\":\"dead-letters/OVERSIZED/2025-03-04/"));
    }

    @Test
    void aMissingBucketHoldsTheBatchInsteadOfLosingTheRecord() {
        StreamsEventResponse response = handler(bucket + "-missing").handleRequest(event(oversizedRecord()), null);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(SEQUENCE);
        assertThat(messages()).isEmpty();
    }

    @Test
    void aClaimCheckedLetterDecodesToTheSameLetterAsItsInlineForm() throws Exception {
        byte[] input = oversizedRecord();
        handler(bucket).handleRequest(event(input), null);
        String pointer = messages().get(0).body();

        DeadLetter letter = new S3ClaimCheckStore(stack.clients().s3(), bucket).decode(pointer);

        assertThat(letter.payload()).isEqualTo(input);
        assertThat(letter.reason().name()).isEqualTo("OVERSIZED");
        assertThat(letter.origin().shardId()).isEqualTo(SHARD);
        assertThat(letter.origin().sequenceNumber()).isEqualTo(SEQUENCE);
        assertThat(letter.origin().partitionKey()).isEqualTo("CC-0009");
        assertThat(letter.arrivedAt().toEpochMilli()).isEqualTo(ARRIVAL_MS);
    }

    @Test
    void aReplayOfAClaimCheckedLetterPutsTheWholeRecordBackOnTheStream() {
        byte[] input = oversizedRecord();
        handler(bucket).handleRequest(event(input), null);
        String stream = prefix + "-replay-" + UUID.randomUUID().toString().substring(0, 8);
        StackResources.using(stack.clients()).createStream(stream, 1);
        DeadLetterReplay replay = new DeadLetterReplay(stack.clients().sqs(), stack.clients().kinesis(),
                RecordNormalizer.standard(), new S3ClaimCheckStore(stack.clients().s3(), bucket)::decode, 0);

        // OVERSIZED is rejected again by today's code: a replay of it is asked for by reason, with --all-reasons.
        DeadLetterReplay.Result result = replay.replay(queueUrl, stream,
                new DeadLetterReplay.Selection(Set.of(RejectionReason.OVERSIZED), true), false);

        assertThat(result.replayed()).isEqualTo(1);
        assertThat(result.unreadable()).isZero();
        String iterator = stack.clients().kinesis().getShardIterator(b -> b.streamName(stream)
                .shardId(SHARD).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = stack.clients().kinesis().getRecords(b -> b.shardIterator(iterator)).records();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.data().asByteArray()).isEqualTo(input);
            assertThat(r.partitionKey()).isEqualTo("CC-0009");
        });
        assertThat(messages()).isEmpty();
    }

    @Test
    void aClaimCheckWhoseObjectChangedIsRefused() throws Exception {
        handler(bucket).handleRequest(event(oversizedRecord()), null);
        String pointer = messages().get(0).body();
        String key = JSON.readTree(pointer).path("claimCheck").path("key").asText();
        stack.clients().s3().putObject(b -> b.bucket(bucket).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromString("something else"));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new S3ClaimCheckStore(stack.clients().s3(), bucket).decode(pointer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHA-256");
    }
}

package io.waybill.aws.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.aws.eventstore.EventStoreTables;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.ingestion.PermanentDependencyException;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;

/**
 * The classification against errors the emulators really produce (one per service at least): what each one answers
 * is the wire error AWS documents for the same request, and each must come out permanent for the record, with the
 * service's code. The limits (2048-byte partition key, 400 KB item, 256 KiB message) are DynamoDB's and SQS's
 * documented ones, written out here.
 */
@Timeout(120)
class DependencyFailuresOnEmulatorsTest {

    private static LocalAwsStack stack;
    private static String eventsTable;

    @BeforeAll
    static void startStack() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        eventsTable = "failures-events-" + UUID.randomUUID().toString().substring(0, 8);
        StackResources.using(stack.clients()).createTable(EventStoreTables.events(eventsTable));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static DynamoDbEventLedger ledger(String table) {
        return new DynamoDbEventLedger(DynamoDbEnhancedClient.builder().dynamoDbClient(stack.clients().dynamoDb())
                .build(), table, Clock.systemUTC());
    }

    /** An event whose key ({@code source#id}) is {@code keyBytes} long, with {@code json} as its stored body. */
    private static NormalizationResult.Normalized crafted(int keyBytes, String json) {
        String id = "e-1";
        String source = "urn:" + "x".repeat(keyBytes - "urn:".length() - "#".length() - id.length());
        CanonicalEvent event = new CanonicalEvent(id, source, "waybill.shipment.arrived.v1",
                Instant.parse("2025-03-04T05:06:07.000Z"), "00340000000000000017", null, null, null,
                Instant.parse("2025-03-04T05:06:08.000Z"), 0, false, "test", null,
                new ShipmentArrived("00340000000000000017", "4012345000009", null, null));
        assertThat(event.eventKey().getBytes(StandardCharsets.UTF_8)).hasSize(keyBytes);
        RawRecord raw = new RawRecord("{}".getBytes(StandardCharsets.UTF_8),
                new RecordOrigin("raw", "shardId-000000000000", "1", "pk"), Instant.parse("2025-03-04T05:06:08Z"));
        return new NormalizationResult.Normalized(raw, event, json);
    }

    @Test
    void dynamoDbRejectsAPartitionKeyOverTwoKilobytesAsPermanent() {
        assertThatThrownBy(() -> ledger(eventsTable).append(crafted(2049, "{}"), Instant.now()))
                .isInstanceOfSatisfying(PermanentDependencyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ValidationException"));
        // control: the same event with a 2048-byte key, DynamoDB's limit, is stored
        assertThat(ledger(eventsTable).append(crafted(2048, "{}"), Instant.now())).isEqualTo(EventLedger.Append.APPENDED);
    }

    @Test
    void dynamoDbRejectsAnItemOver400KilobytesAsPermanent() {
        String json = "{\"pad\":\"" + "a".repeat(410 * 1024) + "\"}";
        assertThatThrownBy(() -> ledger(eventsTable).append(crafted(40, json), Instant.now()))
                .isInstanceOfSatisfying(PermanentDependencyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void aMissingTableIsPermanent() {
        assertThatThrownBy(() -> ledger("no-such-table").append(crafted(40, "{}"), Instant.now()))
                .isInstanceOfSatisfying(PermanentDependencyException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException"));
    }

    @Test
    void sqsRejectsAMessageOverItsMaximumSizeAsPermanent() {
        String url = StackResources.using(stack.clients()).createQueue("failures-" + UUID.randomUUID()
                .toString().substring(0, 8)).url();
        SdkException e = catchSdk(() -> stack.clients().sqs().sendMessage(b -> b.queueUrl(url)
                .messageBody("a".repeat(262_145))));
        // AWS answers InvalidParameterValue ("Message must be shorter than 262144 bytes"); ElasticMQ InvalidAttributeValue
        assertThat(DependencyFailures.errorCode(e)).isEqualTo("InvalidAttributeValue");
        assertThat(DependencyFailures.verdict(e)).isEqualTo(DependencyFailures.Verdict.PERMANENT);
        // control: 262,144 bytes, the classic maximum, is accepted
        stack.clients().sqs().sendMessage(b -> b.queueUrl(url).messageBody("a".repeat(262_144)));
    }

    @Test
    void aMissingQueueIsPermanent() {
        String url = stack.endpoints().sqs() + "/000000000000/no-such-queue";
        SdkException e = catchSdk(() -> stack.clients().sqs().sendMessage(b -> b.queueUrl(url).messageBody("x")));
        assertThat(DependencyFailures.classify("dead-letter queue", e))
                .isInstanceOfSatisfying(PermanentDependencyException.class, p ->
                        assertThat(p.errorCode()).isIn("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"));
    }

    @Test
    void aMissingBucketIsPermanent() {
        SdkException e = catchSdk(() -> stack.clients().s3().putObject(b -> b.bucket("no-such-bucket").key("k"),
                RequestBody.fromString("x")));
        assertThat(DependencyFailures.classify("claim-check bucket", e))
                .isInstanceOfSatisfying(PermanentDependencyException.class,
                        p -> assertThat(p.errorCode()).isEqualTo("NoSuchBucket"));
    }

    @Test
    void aMissingStreamIsPermanent() {
        SdkException e = catchSdk(() -> stack.clients().kinesis().putRecord(b -> b.streamName("no-such-stream")
                .partitionKey("k").data(SdkBytes.fromUtf8String("x"))));
        assertThat(DependencyFailures.classify("canonical stream", e))
                .isInstanceOfSatisfying(PermanentDependencyException.class,
                        p -> assertThat(p.errorCode()).isEqualTo("ResourceNotFoundException"));
    }

    @Test
    void aServiceThatIsNotListeningIsTransient() {
        var endpoints = stack.endpoints();
        var closed = new io.waybill.local.AwsEndpoints(endpoints.region(), endpoints.accessKeyId(),
                endpoints.secretAccessKey(), endpoints.kinesis(), java.net.URI.create("http://127.0.0.1:1"),
                endpoints.sqs(), endpoints.s3());
        try (var http = io.waybill.local.AwsClients.newHttpClient();
             var dynamo = io.waybill.local.AwsClients.dynamoDbClient(closed, http)) {
            SdkException e = catchSdk(dynamo::listTables);
            assertThat(DependencyFailures.classify("event store", e)).isInstanceOf(TransientDependencyException.class);
        }
    }

    private static SdkException catchSdk(Runnable call) {
        try {
            call.run();
        } catch (SdkException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }
}

package io.waybill.aws.deadletter;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterDesk;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-letter desk on the DynamoDB and S3 emulators: a retried record writes one item and keeps its first state;
 * a payload over the inline limit goes to the claim-check bucket and reads back byte for byte; a claim excludes a
 * second one until its lease runs out; a mark is conditional on PENDING. Expected keys and digests are computed here
 * from the bytes the test builds.
 */
@Timeout(120)
class DeadLetterDeskOnEmulatorsTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static LocalAwsStack stack;
    private static DynamoDbDeadLetterDesk desk;
    private static String bucket;
    private static String table;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        String prefix = "desk" + Long.toHexString(System.nanoTime());
        table = prefix + "-dead-letters";
        StackResources.using(stack.clients()).createTable(DeadLetterDeskTables.desk(table));
        bucket = prefix + "-payloads";
        StackResources.createBucket(stack.clients().s3(), bucket);
        // an inline limit of 1 KiB: the 2 KiB payload below is claim-checked
        desk = new DynamoDbDeadLetterDesk(stack.clients().dynamoDb(), table,
                new S3ClaimCheckStore(stack.clients().s3(), bucket), 1024);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static DeadLetter letter(byte[] payload, String sequence) {
        return new DeadLetter(payload, RejectionReason.SCHEMA_VIOLATION, "a field was wrong", "thermotrack",
                new RecordOrigin("raw", "shardId-000000000000", sequence, "TT-1"), T, T.plusSeconds(1));
    }

    @Test
    void aRetriedRecordIsOneItemAndKeepsItsFirstState() {
        DeadLetter l = letter("{\"a\":1}".getBytes(), "100");
        String id = desk.record(l);
        assertThat(desk.markReplayed(id, "dana", T)).isTrue();
        assertThat(desk.record(l)).isEqualTo(id);
        assertThat(desk.find(id).orElseThrow().status()).as("the retry did not reset it").isEqualTo(
                DeadLetterDesk.Status.REPLAYED);
        assertThat(desk.markReplayed(id, "erin", T)).as("marked once").isFalse();
        assertThat(desk.find(id).orElseThrow().replayedBy()).isEqualTo("dana");
    }

    @Test
    void aLargePayloadIsClaimCheckedAndReadBackExactly() throws Exception {
        byte[] payload = new byte[2048];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        String id = desk.record(letter(payload, "200"));
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = stack.clients().dynamoDb()
                .getItem(b -> b.tableName(table).key(Map.of("id",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().s(id).build()))).item();
        assertThat(item).doesNotContainKey("payload").containsKey("claimCheck");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        assertThat(item.get("claimCheck").m().get("sha256").s()).isEqualTo(sha);
        // key: dead-letters/<reason>/<arrival day>/<shard>/<sequence>
        assertThat(item.get("claimCheck").m().get("key").s())
                .isEqualTo("dead-letters/SCHEMA_VIOLATION/2026-12-01/shardId-000000000000/200");
        assertThat(Arrays.equals(desk.find(id).orElseThrow().letter().payload(), payload)).isTrue();
    }

    @Test
    void aClaimExcludesAnotherUntilItsLeaseRunsOut() {
        String id = desk.record(letter("{\"b\":2}".getBytes(), "300"));
        Duration lease = Duration.ofMinutes(2);
        assertThat(desk.claim(id, "first", T, lease)).isTrue();
        assertThat(desk.claim(id, "second", T.plusSeconds(60), lease)).as("inside the lease").isFalse();
        assertThat(desk.claim(id, "second", T.plusSeconds(121), lease)).as("after the lease").isTrue();
        desk.release(id, "first");
        assertThat(desk.claim(id, "third", T.plusSeconds(122), lease)).as("first's release left second's claim")
                .isFalse();
        desk.release(id, "second");
        assertThat(desk.claim(id, "third", T.plusSeconds(122), lease)).isTrue();
        assertThat(desk.markReplayed(id, "third", T.plusSeconds(123))).isTrue();
        assertThat(desk.claim(id, "fourth", T.plusSeconds(600), lease)).as("replayed: never claimed again").isFalse();
    }
}

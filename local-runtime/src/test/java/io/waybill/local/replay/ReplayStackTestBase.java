package io.waybill.local.replay;

import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import io.waybill.local.stack.StreamContents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The replay, archive and backfill tests' emulators: one {@link LocalAwsStack} per test class, its clients, and what the tests read back
 * (every record of a stream, every message of a queue).
 */
public abstract class ReplayStackTestBase {
    protected static LocalAwsStack stack;
    protected static KinesisClient kinesis;
    protected static SqsClient sqs;
    protected static StackResources resources;
    protected static S3Client s3;

    @BeforeAll
    static void startStack() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        kinesis = stack.clients().kinesis();
        sqs = stack.clients().sqs();
        resources = StackResources.using(stack.clients());
        s3 = stack.clients().s3();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    protected static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh stream, ACTIVE. */
    protected static String newStream(int shards) {
        String name = "replay-" + suffix();
        resources.createStream(name, shards);
        return name;
    }

    /** Every record of every shard, shard by shard, in order. */
    protected static List<Record> recordsIn(String stream) {
        return StreamContents.all(kinesis, stream);
    }

    /** Every object of the bucket under {@code prefix}, key to its bytes as stored, in key order. */
    protected static java.util.SortedMap<String, byte[]> objectsIn(String bucket, String prefix) {
        java.util.SortedMap<String, byte[]> out = new java.util.TreeMap<>();
        for (var o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            out.put(o.key(), s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray());
        }
        return out;
    }

    /** The bodies of every message in the queue (they become visible again at once). */
    protected static List<String> bodies(String queueUrl) {
        List<Message> all = new ArrayList<>();
        new QueueSweep(sqs, 30, 0).sweep(queueUrl, batch -> {
            all.addAll(batch);
            return Set.of();
        });
        return all.stream().map(Message::body).toList();
    }
}

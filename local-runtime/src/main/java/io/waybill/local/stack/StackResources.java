package io.waybill.local.stack;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import io.waybill.local.AwsClients;

/**
 * Idempotent creation of the resources the data path needs: Kinesis streams, SQS queues, DynamoDB tables. Every
 * method uses only standard API calls (CreateStream/DescribeStreamSummary, CreateQueue/GetQueueAttributes,
 * CreateTable/DescribeTable), so it works unchanged against the local emulators, LocalStack or a real account.
 * Creating something that already exists is not an error: the existing resource is waited for and returned.
 *
 * <p>Waits poll every 50 ms (doubling up to 1 s) rather than with the SDK waiters, whose fixed 10-20 s delays
 * would dominate a local run.
 */
public final class StackResources {

    /** Default time a created resource has to become ACTIVE. */
    public static final Duration DEFAULT_ACTIVE_TIMEOUT = Duration.ofSeconds(60);

    private final KinesisClient kinesis;
    private final SqsClient sqs;
    private final DynamoDbClient dynamoDb;
    private final Duration activeTimeout;

    /**
     * @param kinesis       Kinesis client
     * @param sqs           SQS client
     * @param dynamoDb      DynamoDB client
     * @param activeTimeout how long a resource has to become ACTIVE
     */
    public StackResources(KinesisClient kinesis, SqsClient sqs, DynamoDbClient dynamoDb, Duration activeTimeout) {
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.activeTimeout = Objects.requireNonNull(activeTimeout, "activeTimeout");
    }

    /**
     * @param clients clients to use (not closed by this object)
     * @return resources helper with {@link #DEFAULT_ACTIVE_TIMEOUT}
     */
    public static StackResources using(AwsClients clients) {
        return new StackResources(clients.kinesis(), clients.sqs(), clients.dynamoDb(), DEFAULT_ACTIVE_TIMEOUT);
    }

    /** A queue's URL and ARN. @param url queue URL @param arn queue ARN */
    public record Queue(String url, String arn) {
    }

    /**
     * Creates a provisioned stream if it does not exist and waits until it is ACTIVE.
     *
     * @param name       stream name
     * @param shardCount number of shards (ignored if the stream exists)
     * @return the stream ARN
     */
    public String createStream(String name, int shardCount) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("shardCount must be >= 1: " + shardCount);
        }
        try {
            kinesis.createStream(b -> b.streamName(name).shardCount(shardCount));
        } catch (software.amazon.awssdk.services.kinesis.model.ResourceInUseException e) {
            // exists already (or is being created/updated): wait for ACTIVE below
        }
        StreamDescriptionSummary summary = awaitState("stream " + name,
                () -> {
                    try {
                        return kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
                    } catch (software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException e) {
                        return null; // eventual consistency right after CreateStream
                    }
                },
                s -> s.streamStatus() == StreamStatus.ACTIVE);
        return summary.streamARN();
    }

    /**
     * Creates a standard queue if it does not exist (CreateQueue is idempotent for equal attributes).
     *
     * @param name queue name
     * @return its URL and ARN
     */
    public Queue createQueue(String name) {
        return createQueue(name, Map.of());
    }

    /**
     * Creates a queue with attributes if it does not exist.
     *
     * @param name       queue name ({@code .fifo} suffix for FIFO, with {@code FifoQueue=true} in attributes)
     * @param attributes queue attributes
     * @return its URL and ARN
     */
    public Queue createQueue(String name, Map<QueueAttributeName, String> attributes) {
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new Queue(url, arn);
    }

    /**
     * Creates an S3 bucket if it does not exist (s3rver answers {@code BucketAlreadyExists} even to its owner, so
     * existence is asked first).
     *
     * @param s3   the client
     * @param name bucket name (lower case, 3-63 characters)
     */
    public static void createBucket(software.amazon.awssdk.services.s3.S3Client s3, String name) {
        try {
            s3.headBucket(b -> b.bucket(name));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(name));
        }
    }

    /**
     * Creates a table if it does not exist and waits until it is ACTIVE.
     *
     * @param request the table definition (ignored if the table exists)
     * @return the table ARN
     */
    public String createTable(CreateTableRequest request) {
        String name = request.tableName();
        try {
            dynamoDb.createTable(request);
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException e) {
            // exists already: wait for ACTIVE below
        }
        TableDescription table = awaitState("table " + name,
                () -> {
                    try {
                        return dynamoDb.describeTable(b -> b.tableName(name)).table();
                    } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
                        return null;
                    }
                },
                t -> t.tableStatus() == TableStatus.ACTIVE);
        return table.tableArn();
    }

    private <T> T awaitState(String what, Supplier<T> describe, java.util.function.Predicate<T> ready) {
        long deadline = System.nanoTime() + activeTimeout.toNanos();
        long delayMs = 50;
        T last = null;
        while (true) {
            last = describe.get();
            if (last != null && ready.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not ACTIVE after " + activeTimeout + ": " + last);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
            delayMs = Math.min(1_000, delayMs * 2);
        }
    }
}

package io.waybill.worker;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.waybill.ingest.IngestConfig;
import io.waybill.ingest.IngestFunction;
import io.waybill.ingest.IngestHandler;
import io.waybill.ingest.IngestTelemetry;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * {@code java -jar waybill-stream-worker.jar}: reads {@link StreamWorkerConfig} and the ingest handler's own
 * configuration ({@link IngestConfig}) from the environment, builds the same {@link IngestHandler} Lambda runs (its
 * DynamoDB and SQS clients pointed at {@code WAYBILL_DYNAMODB_ENDPOINT} / {@code WAYBILL_SQS_ENDPOINT} when set),
 * starts the {@link StreamWorker} and runs until SIGTERM (ECS stop), which triggers KCL's graceful shutdown (leases
 * released, nothing unfinished checkpointed) before the process exits.
 */
public final class StreamWorkerMain {

    private static final Logger LOG = LoggerFactory.getLogger(StreamWorkerMain.class);

    private StreamWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        StreamWorkerConfig config;
        IngestConfig ingest;
        try {
            config = StreamWorkerConfig.fromEnvironment();
            ingest = IngestConfig.fromEnvironment();
        } catch (RuntimeException e) {
            LOG.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Region region = Region.of(config.region());
        DynamoDbClientBuilder dynamo = DynamoDbClient.builder().region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        SqsClientBuilder sqsBuilder = SqsClient.builder().region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        config.dynamoDbEndpoint().or(ingest::endpointOverride).ifPresent(dynamo::endpointOverride);
        config.sqsEndpoint().or(ingest::endpointOverride).ifPresent(sqsBuilder::endpointOverride);
        SqsClient sqs = sqsBuilder.build();
        software.amazon.awssdk.services.kinesis.KinesisClientBuilder kinesis =
                software.amazon.awssdk.services.kinesis.KinesisClient.builder().region(region)
                        .httpClientBuilder(UrlConnectionHttpClient.builder());
        config.kinesisEndpoint().or(ingest::endpointOverride).ifPresent(kinesis::endpointOverride);
        software.amazon.awssdk.services.s3.S3ClientBuilder s3 = software.amazon.awssdk.services.s3.S3Client.builder()
                .region(region).httpClientBuilder(UrlConnectionHttpClient.builder());
        ingest.endpointOverride().ifPresent(e -> s3.endpointOverride(e).forcePathStyle(true));
        DynamoDbClient dynamoDb = dynamo.build();
        IngestHandler handler = new IngestHandler(IngestFunction.create(ingest, dynamoDb, sqs, kinesis.build(),
                s3.build(), IngestTelemetry.logOnly()));
        // The ingest handler marks "ingest" (WAYBILL_CONSUMER_WATERMARKS_TABLE); the worker marks its own checkpoints.
        io.waybill.domain.ops.ConsumerWatermarks watermarks = ingest.consumerWatermarksTable()
                .<io.waybill.domain.ops.ConsumerWatermarks>map(
                        t -> new io.waybill.aws.ops.DynamoDbConsumerWatermarks(dynamoDb, t)).orElse(null);
        OnFailureDestination onFailure = config.onFailureQueueUrl()
                .<OnFailureDestination>map(url -> new SqsOnFailureDestination(sqs, url))
                .orElse(OnFailureDestination.NONE);

        StreamWorker worker = StreamWorker.start(config, handler, onFailure, watermarks);
        AtomicBoolean terminating = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            terminating.set(true);
            LOG.info("SIGTERM: graceful shutdown of worker {}", config.workerId());
            worker.shutdown(StreamWorker.GRACEFUL_SHUTDOWN_TIMEOUT);
        }, "shutdown"));
        worker.awaitTermination();
        if (!terminating.get()) {
            // The scheduler ended on its own (e.g. KCL gave up initializing). KCL keeps a non-daemon, never shut down
            // thread pool (LeaseAssignmentManager), so the JVM would not exit by itself.
            LOG.error("KCL scheduler ended: exiting");
            System.exit(1);
        }
        // SIGTERM: the JVM is already exiting; the shutdown hook finishes the graceful shutdown.
    }
}

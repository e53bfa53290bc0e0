package io.waybill.ingest;

import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.device.ProducerVerification;
import io.waybill.aws.stream.KinesisCanonicalEventPublisher;
import io.waybill.domain.ingestion.BatchIngestion;
import io.waybill.domain.ingestion.CanonicalEventPublisher;
import io.waybill.domain.ingestion.LegacyIdWindow;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.aws.deadletter.DeskedDeadLetterSink;
import io.waybill.aws.deadletter.DynamoDbDeadLetterDesk;
import io.waybill.aws.deadletter.S3ClaimCheckStore;
import io.waybill.aws.deadletter.SqsDeadLetterSink;
import io.waybill.aws.deadletter.SqsSettlementNotices;
import io.waybill.domain.ingestion.DeadLetterSink;
import io.waybill.domain.ingestion.SettlingDeadLetterSink;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

import io.waybill.aws.ops.DynamoDbConsumerWatermarks;
import io.waybill.domain.ops.ConsumerWatermarks;
import io.waybill.domain.ops.SourceWatermarks;
import io.waybill.aws.ops.DynamoDbSourceWatermarks;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The ingest function's wiring: configuration, clients and domain service, built once per execution environment.
 *
 * @param ingestion the domain service the handler calls
 * @param telemetry where per-batch logs and EMF metrics go
 * @param clock     processing-time clock
 * @param watermarks where ingest advances its consumer mark after each batch, or null
 * @param sources    where ingest advances each source's last event after each batch, or null
 */
public record IngestFunction(BatchIngestion ingestion, IngestTelemetry telemetry, Clock clock,
                             ConsumerWatermarks watermarks, SourceWatermarks sources) {

    /** Without source marks. */
    public IngestFunction(BatchIngestion ingestion, IngestTelemetry telemetry, Clock clock,
                          ConsumerWatermarks watermarks) {
        this(ingestion, telemetry, clock, watermarks, null);
    }

    /** This function advancing each source's last event in {@code sources} after each batch. */
    public IngestFunction withSources(SourceWatermarks sources) {
        return new IngestFunction(ingestion, telemetry, clock, watermarks, sources);
    }

    /** Without consumer watermarks. */
    public IngestFunction(BatchIngestion ingestion, IngestTelemetry telemetry, Clock clock) {
        this(ingestion, telemetry, clock, null);
    }

    /** Lambda: everything from the environment; the URLConnection HTTP client keeps the cold start small. */
    public static IngestFunction fromEnvironment() {
        IngestConfig config = IngestConfig.fromEnvironment();
        DynamoDbClientBuilder dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        SqsClientBuilder sqs = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        KinesisClientBuilder kinesis = KinesisClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        S3ClientBuilder s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        config.region().map(Region::of).ifPresent(r -> {
            dynamo.region(r);
            sqs.region(r);
            kinesis.region(r);
            s3.region(r);
        });
        config.endpointOverride().ifPresent(e -> {
            dynamo.endpointOverride(e);
            sqs.endpointOverride(e);
            kinesis.endpointOverride(e);
            s3.endpointOverride(e).forcePathStyle(true); // one edge endpoint (LocalStack): no bucket subdomains
        });
        // The S3 client is built on the first oversized dead letter, not at cold start.
        return create(config, dynamo.build(), sqs.build(), kinesis.build(), s3::build,
                new IngestTelemetry(MetricsFactory.getMetricsInstance()));
    }

    /** One small pool per execution environment (daemon threads: they never keep a JVM alive). */
    private static Executor writers(int concurrency) {
        if (concurrency == 1) {
            return null;
        }
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "ingest-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Any environment: given clients (the local runtime points them at the emulators).
     *
     * @param s3 the claim-check bucket's client; used only when {@link IngestConfig#deadLetterBucket()} is set
     */
    public static IngestFunction create(IngestConfig config, DynamoDbClient dynamo, SqsClient sqs,
                                        KinesisClient kinesis, S3Client s3, IngestTelemetry telemetry) {
        return create(config, dynamo, sqs, kinesis, () -> s3, telemetry);
    }

    /** @param s3 makes the claim-check bucket's client when the first oversized dead letter needs it */
    public static IngestFunction create(IngestConfig config, DynamoDbClient dynamo, SqsClient sqs,
                                        KinesisClient kinesis, Supplier<S3Client> s3, IngestTelemetry telemetry) {
        Clock clock = Clock.systemUTC();
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        RecordNormalizer normalizer = new RecordNormalizer(AdapterRegistry.standard(), config.normalizer(), clock);
        DynamoDbEventLedger ledger = new DynamoDbEventLedger(enhanced, config.eventsTable(), clock);
        ProducerVerification producers = config.deviceRegistryTable()
                .map(table -> new ProducerVerification(
                        new DynamoDbDeviceRegistry(dynamo, table, config.deviceCache(), clock),
                        config.replayWindow(), config.unassignedPolicy()))
                .orElse(ProducerVerification.NONE);
        S3ClaimCheckStore claimChecks = config.deadLetterBucket().map(bucket -> new S3ClaimCheckStore(s3, bucket))
                .orElse(null);
        DeadLetterSink queued = new SqsDeadLetterSink(sqs, config.deadLetterQueueUrl(), claimChecks,
                config.deadLetterInlineLimitBytes());
        // With a desk table, each letter is recorded on the dead-letter desk (the ops API's index) before the queue.
        DeadLetterSink letters = config.deadLetterTable().<DeadLetterSink>map(table -> new DeskedDeadLetterSink(
                new DynamoDbDeadLetterDesk(dynamo, table, claimChecks, DynamoDbDeadLetterDesk.DEFAULT_INLINE_LIMIT_BYTES),
                queued)).orElse(queued);
        // A dead-lettered edge message is settled once its letter is kept: the edge acknowledgement function confirms it.
        DeadLetterSink sink = config.edgeSettlementQueueUrl()
                .<DeadLetterSink>map(url -> new SettlingDeadLetterSink(letters, new SqsSettlementNotices(sqs, url)))
                .orElse(letters);
        BatchIngestion ingestion = new BatchIngestion(normalizer, ledger,
                new DynamoDbShipmentStateStore(enhanced, config.shipmentsTable()),
                sink,
                config.canonicalStreamName().<CanonicalEventPublisher>map(
                        s -> new KinesisCanonicalEventPublisher(kinesis, s)).orElse(CanonicalEventPublisher.NONE),
                clock, writers(config.writeConcurrency()), LegacyIdWindow.of(config.legacyIdCutover(), ledger), producers);
        // The sources' last events live in the consumer watermarks table too (a key space of their own).
        return new IngestFunction(ingestion, telemetry, clock, config.consumerWatermarksTable()
                .<ConsumerWatermarks>map(t -> new DynamoDbConsumerWatermarks(dynamo, t)).orElse(null),
                config.consumerWatermarksTable().<SourceWatermarks>map(t -> new DynamoDbSourceWatermarks(dynamo, t))
                        .orElse(null));
    }
}

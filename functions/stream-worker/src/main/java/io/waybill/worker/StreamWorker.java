package io.waybill.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseAssignmentStrategy;
import software.amazon.kinesis.leases.LeaseManagementConfig;

/**
 * The long-lived KCL 3 worker: a {@link Scheduler} (shard leases and checkpoints in the DynamoDB table named after
 * the application) whose record processors hand every batch to one {@link LambdaBatchProcessor}, i.e. to the same
 * Lambda handler class, with Lambda's partial-batch semantics.
 *
 * <p><b>Takeover.</b> Every worker renews its leases every third of {@code leaseFailover}; a lease not renewed for
 * {@code leaseFailover} is expired, and the leader (a DynamoDB lock held for {@code leaderLease}) assigns it to a
 * live worker at its next assignment run ({@code leaseAssignmentInterval}). A worker counts as live while it reports
 * its worker metrics ({@code workerMetricsReport}; stale after two missed reports). The new owner resumes from the
 * lease's last checkpoint: the batch the dead worker was in the middle of is delivered again and its already stored
 * events are absorbed as duplicates by the event store's conditional put. So a killed worker's shards move within
 * about failover + assignment interval (+ the leader lock if the leader died); with the {@code local} timing profile
 * that is a few seconds, with production defaults up to about 30 s (2.5 min if the leader died).
 *
 * <p><b>Start-up.</b> Right after the scheduler starts, KCL's own shard-sync task is run once eagerly to create the
 * leases (conditional creates, safe with several workers): otherwise, on an empty lease table, each KCL worker waits a
 * random 1-30 s before syncing. Metrics are off ({@code MetricsLevel.NONE}, see {@link KclSupport}); worker CPU
 * metrics are disabled (lease balancing by lease count/throughput only; CPU metrics are not available on every
 * platform, e.g. locally).
 */
public final class StreamWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamWorker.class);
    /** How long {@link #close()} waits for KCL's graceful shutdown before forcing it. */
    public static final Duration GRACEFUL_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration EAGER_LEASE_SYNC_TIMEOUT = Duration.ofSeconds(30);

    private final StreamWorkerConfig config;
    private final LambdaBatchProcessor processor;
    private final Deque<AutoCloseable> owned;
    private final Set<String> leased = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long startNanos = System.nanoTime();
    private volatile Scheduler scheduler;
    private volatile Thread schedulerThread;

    private StreamWorker(StreamWorkerConfig config, LambdaBatchProcessor processor, Deque<AutoCloseable> owned) {
        this.config = config;
        this.processor = processor;
        this.owned = owned;
    }

    /**
     * Builds the clients (Netty, endpoint overrides from the configuration, default credentials chain), creates the
     * lease table if configured, and starts the scheduler on its own (non-daemon) thread.
     *
     * @param config    the configuration
     * @param handler   the Lambda handler to run per batch
     * @param onFailure where given-up batches go
     * @return the running worker
     */
    public static StreamWorker start(StreamWorkerConfig config,
                                     RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                     OnFailureDestination onFailure) {
        return start(config, handler, onFailure, null);
    }

    /** As above, each checkpointed batch advancing the worker's consumer watermark (null: none recorded). */
    public static StreamWorker start(StreamWorkerConfig config,
                                     RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                     OnFailureDestination onFailure,
                                     io.waybill.domain.ops.ConsumerWatermarks watermarks) {
        Objects.requireNonNull(config, "config");
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        try {
            SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder().maxConcurrency(64)
                    .connectionTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(30)).build();
            owned.push(http);
            Region region = Region.of(config.region());
            ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
                    .apiCallTimeout(Duration.ofSeconds(60)).build();
            KinesisAsyncClientBuilder kb = KinesisAsyncClient.builder().region(region).httpClient(http)
                    .credentialsProvider(DefaultCredentialsProvider.builder().build()).overrideConfiguration(overrides);
            config.kinesisEndpoint().ifPresent(kb::endpointOverride);
            KinesisAsyncClient kinesis = kb.build();
            owned.push(kinesis);
            DynamoDbAsyncClientBuilder db = DynamoDbAsyncClient.builder().region(region).httpClient(http)
                    .credentialsProvider(DefaultCredentialsProvider.builder().build()).overrideConfiguration(overrides);
            config.dynamoDbEndpoint().ifPresent(db::endpointOverride);
            DynamoDbAsyncClient dynamoDb = db.build();
            owned.push(dynamoDb);
            // Required by KCL's ConfigsBuilder; never called (metrics are off).
            CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder().region(region).httpClient(http)
                    .credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
            owned.push(cloudWatch);

            String streamArn = kinesis.describeStreamSummary(b -> b.streamName(config.streamName())).join()
                    .streamDescriptionSummary().streamARN();
            if (config.createLeaseTable()) {
                LeaseTable.create(dynamoDb, config.applicationName());
            }
            LambdaBatchProcessor processor = new LambdaBatchProcessor(handler, streamArn, config.applicationName(),
                    config.maxAttempts(), config.retryBackoff(), config.retryBackoffMax(), onFailure, watermarks,
                    java.time.Clock.systemUTC());
            StreamWorker worker = new StreamWorker(config, processor, owned);
            worker.startScheduler(kinesis, dynamoDb, cloudWatch);
            return worker;
        } catch (RuntimeException | Error e) {
            KclSupport.closeAll(owned);
            throw e;
        }
    }

    private void startScheduler(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamoDb,
                                CloudWatchAsyncClient cloudWatch) {
        ConfigsBuilder configs = KclSupport.configs(config.streamName(),
                config.startingPosition() == StreamWorkerConfig.StartingPosition.LATEST, config.applicationName(),
                kinesis, dynamoDb, cloudWatch, config.workerId(), () -> new WorkerShardProcessor(this));
        LeaseManagementConfig leases = KclSupport.leases(configs, config.leaseFailover(),
                        config.leaseAssignmentInterval())
                .dynamoDbLockBasedLeaderLeaseDurationInMillis(config.leaderLease().toMillis())
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(config.leaderHeartbeat().toMillis())
                .leaseAssignmentStrategy(LeaseAssignmentStrategy.valueOf(config.leaseAssignmentStrategy()));
        leases.workerUtilizationAwareAssignmentConfig()
                .workerMetricsReporterFreqInMillis(config.workerMetricsReport().toMillis());
        scheduler = KclSupport.scheduler(configs, configs.coordinatorConfig(), leases, configs.processorConfig(),
                KclSupport.polling(config.streamName(), kinesis, config.batchSize(), config.pollInterval()));
        schedulerThread = new Thread(scheduler, "kcl-scheduler");
        schedulerThread.start();
        KclSupport.startLeaseSync(configs, leases, closed::get, EAGER_LEASE_SYNC_TIMEOUT, "kcl-eager-lease-sync",
                () -> LOG.debug("leases synced {} ms after start", millisSinceStart()));
        LOG.info("stream worker started: {}", config);
    }

    // ------------------------------------------------------------------ API

    public StreamWorkerConfig config() {
        return config;
    }

    public String workerId() {
        return config.workerId();
    }

    /** @return the shards this worker holds a lease on (initialized and not lost), sorted */
    public List<String> leasedShards() {
        return List.copyOf(new TreeSet<>(leased));
    }

    /** Waits until the scheduler thread ended (after a shutdown). */
    public void awaitTermination() throws InterruptedException {
        schedulerThread.join();
    }

    /**
     * ECS stop / SIGTERM: KCL's graceful shutdown (processors told to stop, a batch being retried returns
     * unfinished and is not checkpointed, leases released), forced after {@code timeout}; then the clients close.
     * Idempotent.
     *
     * @param timeout how long to wait for the graceful shutdown
     */
    public void shutdown(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        processor.stop();
        boolean graceful = KclSupport.shutdown(scheduler, schedulerThread, timeout);
        KclSupport.closeAll(owned);
        LOG.info("stream worker stopped in {} ms (graceful={}): worker={} {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), graceful, config.workerId(),
                processor.statsLine());
    }

    @Override
    public void close() {
        shutdown(GRACEFUL_SHUTDOWN_TIMEOUT);
    }

    // ------------------------------------------------------------------ for WorkerShardProcessor

    LambdaBatchProcessor processor() {
        return processor;
    }

    void leaseTaken(String shardId) {
        leased.add(shardId);
    }

    void leaseGone(String shardId) {
        leased.remove(shardId);
    }

    long millisSinceStart() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}

package io.waybill.worker;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
import software.amazon.kinesis.coordinator.DeletedStreamListProvider;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.streamInfo.StreamIdCache;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.lifecycle.TaskResult;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ProcessorConfig;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * KCL 3.5 plumbing shared by the {@link StreamWorker} and the local runtime's {@code KclEventSourceMapping}: the
 * scheduler's set-up (one stream, polling, metrics off, no de-aggregation as with Lambda, quick dispatch), the eager
 * lease sync and the shutdown. {@link LeaseTable} creates the lease table.
 */
public final class KclSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KclSupport.class);
    private static final long RETRY_MILLIS = 250;
    /** How often the scheduler loop looks for new leases and dispatches shard consumers (KCL default 1 s). */
    public static final long DISPATCH_POLL_INTERVAL_MILLIS = 250L;
    /** How often a child shard checks whether its parent is done (KCL default 10 s). */
    public static final long PARENT_SHARD_POLL_INTERVAL_MILLIS = 1_000L;

    private KclSupport() {
    }

    /**
     * KCL's configuration for one stream.
     *
     * @param streamName      the stream
     * @param latest          start new shards at LATEST (otherwise TRIM_HORIZON); only for shards without checkpoint
     * @param applicationName KCL application name = lease table name
     * @param kinesis         Kinesis client (KCL polls with it)
     * @param dynamoDb        DynamoDB client (lease table)
     * @param cloudWatch      CloudWatch client (required by KCL; never called, metrics are off)
     * @param workerId        this worker's identifier (lease owner)
     * @param processors      makes the record processor of each lease
     * @return the configuration
     */
    public static ConfigsBuilder configs(String streamName, boolean latest, String applicationName,
                                         KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamoDb,
                                         CloudWatchAsyncClient cloudWatch, String workerId,
                                         ShardRecordProcessorFactory processors) {
        InitialPositionInStreamExtended initial = InitialPositionInStreamExtended.newInitialPosition(
                latest ? InitialPositionInStream.LATEST : InitialPositionInStream.TRIM_HORIZON);
        return new ConfigsBuilder(new SingleStreamTracker(streamName, initial), applicationName, kinesis, dynamoDb,
                cloudWatch, workerId, processors);
    }

    /**
     * @param configs    from {@link #configs}
     * @param failover   lease failover time (a lease not renewed for that long is taken over)
     * @param assignment lease assignment interval
     * @return the lease management configuration, worker (CPU) metrics disabled: lease balancing by lease count and
     *         throughput only, CPU metrics are not available on every platform (e.g. locally)
     */
    public static LeaseManagementConfig leases(ConfigsBuilder configs, Duration failover, Duration assignment) {
        LeaseManagementConfig leases = configs.leaseManagementConfig()
                .failoverTimeMillis(failover.toMillis())
                .leaseAssignmentIntervalMillis(assignment.toMillis());
        leases.workerUtilizationAwareAssignmentConfig().disableWorkerMetrics(true);
        return leases;
    }

    /**
     * @param streamName   the stream
     * @param kinesis      Kinesis client
     * @param batchSize    GetRecords {@code Limit}
     * @param pollInterval time between GetRecords calls of a shard (at least KCL's minimum, 200 ms)
     * @return polling retrieval, as Lambda's standard mapping
     */
    public static PollingConfig polling(String streamName, KinesisAsyncClient kinesis, int batchSize,
                                        Duration pollInterval) {
        return new PollingConfig(streamName, kinesis)
                .maxRecords(batchSize)
                .idleTimeBetweenReadsInMillis(Math.max(PollingConfig.MIN_IDLE_MILLIS_BETWEEN_READS,
                        pollInterval.toMillis()));
    }

    /**
     * The scheduler: the coordinator dispatching every {@value #DISPATCH_POLL_INTERVAL_MILLIS} ms and checking
     * parent shards every {@value #PARENT_SHARD_POLL_INTERVAL_MILLIS} ms, no de-aggregation, metrics off.
     *
     * @param configs     from {@link #configs}
     * @param coordinator {@code configs.coordinatorConfig()}, possibly with more settings
     * @param leases      from {@link #leases}, possibly with more settings
     * @param processor   {@code configs.processorConfig()}, possibly with more settings
     * @param polling     from {@link #polling}
     * @return the scheduler, not started
     */
    public static Scheduler scheduler(ConfigsBuilder configs, CoordinatorConfig coordinator,
                                      LeaseManagementConfig leases, ProcessorConfig processor,
                                      PollingConfig polling) {
        return new Scheduler(
                configs.checkpointConfig(),
                coordinator
                        .shardConsumerDispatchPollIntervalMillis(DISPATCH_POLL_INTERVAL_MILLIS)
                        .parentShardPollIntervalMillis(PARENT_SHARD_POLL_INTERVAL_MILLIS),
                leases,
                configs.lifecycleConfig().aggregatorUtil(noDeaggregation()),
                configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory()),
                processor,
                configs.retrievalConfig().retrievalSpecificConfig(polling));
    }

    /**
     * Starts {@link #syncLeases} on a daemon thread of its own, for the scheduler's stream.
     *
     * @param configs    from {@link #configs} (its stream tracker names the stream)
     * @param leases     the scheduler's lease management configuration
     * @param stopping   tells when to give up early
     * @param timeout    how long to keep trying
     * @param threadName the thread's name
     * @param onSynced   run on that thread once the leases are synced
     */
    public static void startLeaseSync(ConfigsBuilder configs, LeaseManagementConfig leases, BooleanSupplier stopping,
                                      Duration timeout, String threadName, Runnable onSynced) {
        StreamConfig streamConfig = configs.streamTracker().streamConfigList().get(0);
        Thread sync = new Thread(() -> {
            if (syncLeases(leases, streamConfig, stopping, timeout)) {
                onSynced.run();
            }
        }, threadName);
        sync.setDaemon(true);
        sync.start();
    }

    /**
     * KCL's graceful shutdown (record processors told to stop, leases released), forced after {@code timeout}; then
     * waits up to {@code timeout} for the scheduler thread to end.
     *
     * @param scheduler       the scheduler
     * @param schedulerThread the thread running it
     * @param timeout         how long to wait for the graceful shutdown, then for the thread
     * @return whether the graceful shutdown completed
     */
    public static boolean shutdown(Scheduler scheduler, Thread schedulerThread, Duration timeout) {
        boolean graceful = false;
        try {
            CompletableFuture<Boolean> done = scheduler.startGracefulShutdown();
            graceful = Boolean.TRUE.equals(done.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("KCL graceful shutdown did not complete ({}): forcing it", e.toString());
        }
        if (!graceful) {
            scheduler.shutdown();
        }
        try {
            schedulerThread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return graceful;
    }

    /** Closes (and removes) every element, last pushed first; failures are logged at DEBUG and ignored. */
    public static void closeAll(Deque<AutoCloseable> closeables) {
        for (AutoCloseable c = closeables.poll(); c != null; c = closeables.poll()) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("close failed: {}", e.toString());
            }
        }
    }

    /**
     * Runs KCL's own shard sync (a {@code ShardSyncTaskManager} task: the code KCL's leader runs to create the
     * leases) right after the scheduler started, instead of letting the scheduler wait for it. On an empty lease
     * table every KCL worker first waits a random 1-30 s before syncing ({@code Scheduler.shouldInitiateLeaseSync},
     * to spread the bootstrap of a fleet), re-checking the table every 3 s: once this sync created the leases, that
     * wait ends at its next check. The task needs KCL's JVM-wide {@code StreamIdCache}, which the scheduler
     * initializes during its start-up, polled every 250 ms until {@code timeout}. Lease creation is conditional
     * (create if not exists): safe when other workers sync too. If it never succeeds, the scheduler syncs itself,
     * the slow way. Blocks: call it on a thread of its own.
     *
     * @param leases       the scheduler's lease management configuration
     * @param streamConfig the stream's configuration (from the scheduler's stream tracker)
     * @param stopping     tells when to give up early (the consumer is closing)
     * @param timeout      how long to keep trying
     * @return whether the leases were synced
     */
    @SuppressWarnings("deprecation") // the 3-argument factory method is the one usable without KCL internals
    public static boolean syncLeases(LeaseManagementConfig leases, StreamConfig streamConfig, BooleanSupplier stopping,
                                     Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (!stopping.getAsBoolean() && System.nanoTime() - deadline < 0) {
            if (streamIdCacheReady()) {
                try {
                    TaskResult result = leases.leaseManagementFactory(new DynamoDBLeaseSerializer(), false)
                            .createShardSyncTaskManager(new NullMetricsFactory(), streamConfig,
                                    new DeletedStreamListProvider())
                            .callShardSyncTask();
                    if (result.getException() == null) {
                        return true;
                    }
                    last = result.getException();
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (!stopping.getAsBoolean()) {
            LOG.warn("eager KCL lease sync failed ({}): the scheduler syncs after its start-up wait",
                    String.valueOf(last));
        }
        return false;
    }

    /**
     * @return whether a scheduler initialized KCL's JVM-wide {@code StreamIdCache} (read-only probe of a KCL
     *         internal class; without it the shard sync task fails and logs an ERROR with a stack trace)
     */
    public static boolean streamIdCacheReady() {
        try {
            StreamIdCache.getInstance();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** @return an {@link AggregatorUtil} that leaves KPL-aggregated records as they are, as Lambda does */
    public static AggregatorUtil noDeaggregation() {
        return new NoDeaggregation();
    }

    private static final class NoDeaggregation extends AggregatorUtil {
        @Override
        public List<KinesisClientRecord> deaggregate(List<KinesisClientRecord> records, BigInteger startingHashKey,
                                                     BigInteger endingHashKey) {
            return records;
        }
    }
}

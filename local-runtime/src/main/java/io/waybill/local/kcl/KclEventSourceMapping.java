package io.waybill.local.kcl;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import io.waybill.local.AwsClients;
import io.waybill.local.AwsEndpoints;
import io.waybill.local.esm.EventSourceMappingConfig;
import io.waybill.local.esm.EventSourceMappingStats;
import io.waybill.local.esm.KinesisEventSourceMapping;
import io.waybill.local.esm.LambdaBatchInvoker;
import io.waybill.local.esm.StreamEventSourceMapping;
import io.waybill.local.esm.StartingPosition;
import io.waybill.worker.KclSupport;
import io.waybill.worker.LeaseTable;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * A Kinesis event source mapping that consumes through the <b>Kinesis Client Library</b> (KCL 3, a
 * {@link Scheduler} with DynamoDB leases and checkpoints) and invokes the same
 * {@link RequestHandler RequestHandler&lt;KinesisEvent, StreamsEventResponse&gt;} Lambda runs, with Lambda's
 * batching, partial-batch-response, retry and on-failure semantics, applied by the same {@link LambdaBatchInvoker} as
 * the GetRecords-based {@link KinesisEventSourceMapping}. Same contract ({@link StreamEventSourceMapping}): start it,
 * {@link #awaitIdle(Duration)}, read {@link #stats()}, close it.
 *
 * <p><b>When to use which.</b> This class is for <em>long-running</em> local consumers (e.g. {@code ./waybill
 * stack}) where what KCL adds matters: shard leases in a DynamoDB table named after the application (several
 * consumer processes share the shards; a restarted consumer resumes from its checkpoints, which survive as long as
 * the DynamoDB emulator's data does), resharding followed parent-before-child. The default local consumer, used by
 * the demo, the tests and {@code ./waybill stack} unless {@code --consumer kcl}, is still the GetRecords-based
 * {@link KinesisEventSourceMapping}, for two reasons:
 * <ol>
 *   <li><b>Start-up delay.</b> KCL's start-up is paced by hard-coded waits. Out of the box, on an empty lease
 *       table, every worker first waits a random 1-30 s before creating the leases
 *       ({@code Scheduler.shouldInitiateLeaseSync}, re-checking every 3 s), then the leader's shard sync sleeps
 *       {@code shardSyncIntervalMillis} (60 s) after creating them, which blocks the scheduler's initialization;
 *       measured on kinesis-local + dynalite: 91 s from start to the end of KCL's initialization, no record delivered
 *       within 90 s. This class cuts that to about 4-5 s to the first record (measured 3.9-4.8 s): it creates the
 *       leases itself, right after the scheduler started, with KCL's own shard-sync task (see
 *       {@code KclSupport.syncLeases}),
 *       sets {@code shardSyncIntervalMillis} to {@value #SHARD_SYNC_IDLE_MILLIS} ms and the lease assignment interval
 *       to {@value #LEASE_ASSIGNMENT_INTERVAL_MILLIS} ms. What is left (the scheduler's fixed 3 s lease-table check,
 *       lease discovery, the first poll) cannot be configured away. The GetRecords mapping delivers the first record
 *       within its first poll (250 ms) of starting: that matters for tests, demos and one-shot CLI runs.</li>
 *   <li><b>Checkpoints cannot re-read inside a batch.</b> A KCL checkpoint means "everything up to this sequence
 *       number is done"; KCL then carries on with the next records and offers no way to have the records after a
 *       checkpoint delivered again, short of giving up the lease. Lambda's partial batch response needs exactly that
 *       ("checkpoint before the lowest failed sequence number and re-deliver from it"). So here partial failures are
 *       re-driven <em>in process</em>, inside {@code processRecords}, which only returns (and checkpoints) once the
 *       whole KCL batch is done. The GetRecords mapping does the same with each batch it read.</li>
 * </ol>
 *
 * <p><b>How a batch is processed.</b> KCL polls each leased shard ({@link PollingConfig}, GetRecords {@code Limit}
 * = {@code batchSize}, one call per {@code pollInterval}, at least KCL's 200 ms) and calls the shard's
 * {@code processRecords} with the records in order. {@code processRecords} hands them to the mapping's
 * {@link LambdaBatchInvoker#deliver}, which builds the {@link KinesisEvent} exactly as Lambda does and applies
 * Lambda's rules on that thread until every record is done (partial batch response: re-invoke from the lowest failed
 * sequence number; handler error: retry the batch, bisect if configured; {@code maximumRetryAttempts} with the
 * configured backoff; {@code maximumRecordAge}; then the on-failure record to the SQS destination and move on), then
 * checkpoints the batch's last sequence number. So: one KCL batch is at most one Lambda batch, and every finished
 * batch is checkpointed; a batch interrupted by {@link #close()} is not, and KCL delivers it again from the last
 * checkpoint to whoever holds the lease next. On {@code shardEnded} the shard is checkpointed as ended. KPL-aggregated
 * records are <em>not</em> de-aggregated (Lambda does not either): the handler gets the Kinesis records as stored.
 *
 * <p><b>Emulators.</b> KCL 3.5.1 works on kinesis-local (kinesis-mock) + dynalite when
 * <ul>
 *   <li>its lease table exists before the {@link Scheduler} starts: this class creates it ({@link #createLeaseTable}:
 *       named after the application, PAY_PER_REQUEST, hash key {@code leaseKey}, GSI
 *       {@code LeaseOwnerToLeaseKeyIndex} on {@code leaseOwner}+{@code leaseKey}, KEYS_ONLY). KCL 3.5 keeps its
 *       coordinator state and worker metrics in that same table for a new application (no extra tables); lease
 *       table deletion protection and point-in-time recovery stay off (dynalite has neither);</li>
 *   <li>retrieval is polling ({@code RetrievalConfig.retrievalSpecificConfig(new PollingConfig(...))}), as
 *       Lambda's standard mapping; enhanced fan-out (RegisterStreamConsumer + SubscribeToShard over HTTP/2) was not
 *       tried on kinesis-mock;</li>
 *   <li>metrics are off ({@link MetricsLevel#NONE}, {@link NullMetricsFactory}): CloudWatch is not emulated. KCL
 *       still requires a {@link CloudWatchAsyncClient}; the one built here has an HTTP client that fails every call
 *       at once ({@code NoCloudWatch}) and a loopback endpoint, so a stray call could never reach AWS;</li>
 *   <li>KCL 3.5.1 uses no TTL, transactions (only when migrating a KCL 3.0-3.4 application's separate tables) or
 *       PITR here, which dynalite lacks; worker metrics (CPU utilization for lease balancing) are disabled.</li>
 * </ul>
 *
 * <p><b>KCL quirks worth knowing.</b> KCL keeps JVM-wide state: {@code StreamIdCache} is a static singleton
 * initialized by the first scheduler of the JVM, and {@code LeaseAssignmentManager} has a static, never shut down,
 * non-daemon thread pool: once a KCL scheduler assigned leases, the JVM does not exit by itself when {@code main}
 * returns ({@code ./waybill} calls {@code System.exit}). KCL logs one WARN at start-up ("Not able to assign all
 * expiredOrUnAssignedLeases", its assignment ran before the worker's first metrics report): harmless.
 *
 * <p><b>Limits.</b> As for {@link KinesisEventSourceMapping} ({@code parallelizationFactor} 1, no tumbling windows,
 * no {@code AT_TIMESTAMP}); in addition {@code maximumBatchingWindow} is not applied (a batch is what one KCL
 * GetRecords returned), {@code pollInterval} is KCL's {@code idleTimeBetweenReadsInMillis} (at least 200 ms, also
 * between non-empty reads: at most {@code batchSize} records per shard per interval), and {@code startingPosition}
 * only applies to shards without a checkpoint in the lease table. Delivery is at least once, as with Lambda: a batch
 * still being retried when its lease moves to another worker may be processed by both.
 *
 * <pre>{@code
 * try (KclEventSourceMapping esm = KclEventSourceMapping.start(stack.endpoints(), "events", "waybill-ingest",
 *         EventSourceMappingConfig.builder().batchSize(100).build(), new IngestHandler())) {
 *     esm.awaitLeases(Duration.ofSeconds(30));
 *     producer.put(...);
 *     esm.awaitIdle(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class KclEventSourceMapping implements StreamEventSourceMapping {

    private static final Logger LOG = LoggerFactory.getLogger(KclEventSourceMapping.class);

    /** Name of the lease table's global secondary index KCL 3 requires (on {@code leaseOwner} + {@code leaseKey}). */
    public static final String LEASE_OWNER_INDEX = LeaseTable.LEASE_OWNER_INDEX;
    /** Lease table hash key. */
    public static final String LEASE_KEY = LeaseTable.LEASE_KEY;
    /** Lease owner attribute (GSI hash key). */
    public static final String LEASE_OWNER = LeaseTable.LEASE_OWNER;

    /**
     * Lease failover time used locally: 10 s (KCL's default). A lease not renewed for that long is taken over by
     * another worker; leases are renewed every third of it.
     */
    static final long FAILOVER_TIME_MILLIS = 10_000L;
    /** KCL's lease assignment interval (default 2 x failover time). */
    static final long LEASE_ASSIGNMENT_INTERVAL_MILLIS = 2_000L;
    /**
     * KCL's {@code shardSyncIntervalMillis}: despite its name, how long a shard sync task sleeps after it created
     * leases (default 60 s, during which the scheduler's initialization is blocked when it synced itself).
     */
    static final long SHARD_SYNC_IDLE_MILLIS = 100L;
    /** How long the eager lease sync (see {@code KclSupport.syncLeases}) keeps trying. */
    static final Duration EAGER_LEASE_SYNC_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@link #close()} waits for KCL's graceful shutdown before forcing it, in seconds. */
    static final long GRACEFUL_SHUTDOWN_TIMEOUT_SECONDS = 20;
    private static final Duration GRACEFUL_SHUTDOWN_TIMEOUT = Duration.ofSeconds(GRACEFUL_SHUTDOWN_TIMEOUT_SECONDS);
    private static final Duration AWAIT_CHECK = Duration.ofMillis(50);
    private static final int EVENT_LOOP_THREADS = 2;
    /** Loopback endpoint of the CloudWatch client KCL insists on (never called: metrics are off). */
    private static final URI NO_CLOUDWATCH = URI.create("http://127.0.0.1:9");

    private final String streamName;
    private final String applicationName;
    private final String workerIdentifier;
    private final EventSourceMappingConfig config;
    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final KinesisAsyncClient kinesis;
    private final StreamDescriptionSummary streamSummary;
    /** Lambda's batch semantics for every lease of this worker (it holds the mapping's counters). */
    private final LambdaBatchInvoker invoker;
    private final Deque<AutoCloseable> owned;
    private final long startNanos = System.nanoTime();
    private final AtomicLong firstRecordsNanos = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Processors holding a lease (initialized, not yet finished), by shard id. */
    private final Map<String, KclShardProcessor> live = new ConcurrentHashMap<>();
    /** Shards whose end was reached and checkpointed by this worker. */
    private final Set<String> endedShards = ConcurrentHashMap.newKeySet();

    private volatile Scheduler scheduler;
    /** Where finished batches advance {@link #watermarkConsumer}'s mark; null: nowhere. */
    private volatile io.waybill.domain.ops.ConsumerWatermarks watermarks;
    private volatile String watermarkConsumer;
    private volatile Thread schedulerThread;
    /** Set when KCL gave up initializing (after {@code maxInitializationAttempts}). */
    private volatile Throwable initializationFailure;

    private KclEventSourceMapping(KinesisAsyncClient kinesis, SqsClient sqs, String streamName,
                                  String applicationName, EventSourceMappingConfig config,
                                  RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                  StreamDescriptionSummary streamSummary, Deque<AutoCloseable> owned) {
        this.kinesis = kinesis;
        this.streamName = streamName;
        this.applicationName = applicationName;
        this.workerIdentifier = applicationName + "-" + UUID.randomUUID();
        this.config = config;
        this.handler = handler;
        this.streamSummary = streamSummary;
        this.invoker = new LambdaBatchInvoker(streamSummary.streamARN(), config, handler, sqs);
        this.owned = owned;
    }

    // ------------------------------------------------------------------ start

    /**
     * Starts a KCL consumer on the emulators (or LocalStack) at {@code endpoints}, with its own asynchronous clients
     * (Netty, endpoint override, static credentials) closed by {@link #close()}.
     *
     * @param endpoints       where Kinesis, DynamoDB and SQS answer
     * @param streamName      stream to consume
     * @param applicationName KCL application name = lease table name (checkpoints are kept per application)
     * @param config          mapping configuration ({@code maximumBatchingWindow} is ignored, see class doc)
     * @param handler         the Lambda handler to invoke
     * @return the running mapping; close it to stop
     */
    public static KclEventSourceMapping start(AwsEndpoints endpoints, String streamName, String applicationName,
                                              EventSourceMappingConfig config,
                                              RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(config, "config");
        Deque<AutoCloseable> owned = new ArrayDeque<>(); // closed last-in first-out
        KinesisAsyncClient kinesis;
        DynamoDbAsyncClient dynamoDb;
        SqsClient sqs = null;
        try {
            // Own event loop, shut down without Netty's default 2 s quiet period when the mapping closes.
            SdkEventLoopGroup eventLoop = SdkEventLoopGroup.builder().numberOfThreads(EVENT_LOOP_THREADS).build();
            owned.push(() -> eventLoop.eventLoopGroup().shutdownGracefully(0, 1, TimeUnit.SECONDS)
                    .awaitUninterruptibly(2, TimeUnit.SECONDS));
            SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
                    .eventLoopGroup(eventLoop)
                    .maxConcurrency(AwsClients.DEFAULT_MAX_CONNECTIONS)
                    .connectionTimeout(AwsClients.DEFAULT_CONNECTION_TIMEOUT)
                    .readTimeout(AwsClients.DEFAULT_SOCKET_TIMEOUT)
                    .build();
            owned.push(http);
            kinesis = owned(owned, KinesisAsyncClient.builder()
                    .endpointOverride(endpoints.kinesis()).region(endpoints.region())
                    .credentialsProvider(endpoints.credentialsProvider()).httpClient(http)
                    .overrideConfiguration(overrides()).build());
            dynamoDb = owned(owned, DynamoDbAsyncClient.builder()
                    .endpointOverride(endpoints.dynamodb()).region(endpoints.region())
                    .credentialsProvider(endpoints.credentialsProvider()).httpClient(http)
                    .overrideConfiguration(overrides()).build());
            if (config.onFailureDestinationQueueUrl().isPresent()) {
                SdkHttpClient syncHttp = owned(owned, AwsClients.newHttpClient());
                sqs = owned(owned, AwsClients.sqsClient(endpoints, syncHttp));
            }
        } catch (RuntimeException | Error e) {
            KclSupport.closeAll(owned);
            throw e;
        }
        return start(kinesis, dynamoDb, sqs, streamName, applicationName, config, handler, owned);
    }

    private static <T extends AutoCloseable> T owned(Deque<AutoCloseable> owned, T closeable) {
        owned.push(closeable);
        return closeable;
    }

    /**
     * Starts a KCL consumer with the caller's clients (not closed by the mapping).
     *
     * @param kinesis         Kinesis async client (KCL polls with it)
     * @param dynamoDb        DynamoDB async client (lease table)
     * @param sqs             SQS client for the on-failure destination; may be {@code null} when none is configured
     * @param streamName      stream to consume
     * @param applicationName KCL application name = lease table name
     * @param config          mapping configuration
     * @param handler         the Lambda handler to invoke
     * @return the running mapping; close it to stop
     */
    public static KclEventSourceMapping start(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamoDb,
                                              SqsClient sqs, String streamName, String applicationName,
                                              EventSourceMappingConfig config,
                                              RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
        return start(kinesis, dynamoDb, sqs, streamName, applicationName, config, handler, new ArrayDeque<>());
    }

    private static KclEventSourceMapping start(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamoDb,
                                               SqsClient sqs, String streamName, String applicationName,
                                               EventSourceMappingConfig config,
                                               RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                               Deque<AutoCloseable> owned) {
        Objects.requireNonNull(kinesis, "kinesis");
        Objects.requireNonNull(dynamoDb, "dynamoDb");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        if (applicationName == null || applicationName.isBlank()) {
            throw new IllegalArgumentException("applicationName must not be blank");
        }
        if (config.onFailureDestinationQueueUrl().isPresent() && sqs == null) {
            throw new IllegalArgumentException("an SqsClient is required for the on-failure destination");
        }
        try {
            StreamDescriptionSummary summary = join(kinesis.describeStreamSummary(b -> b.streamName(streamName)))
                    .streamDescriptionSummary();
            createLeaseTable(dynamoDb, applicationName);
            CloudWatchAsyncClient cloudWatch = owned(owned, CloudWatchAsyncClient.builder()
                    .endpointOverride(NO_CLOUDWATCH)
                    .region(kinesis.serviceClientConfiguration().region())
                    .credentialsProvider(kinesis.serviceClientConfiguration().credentialsProvider())
                    .httpClient(new NoCloudWatch()).build());
            KclEventSourceMapping mapping = new KclEventSourceMapping(kinesis, sqs, streamName, applicationName,
                    config, handler, summary, owned);
            mapping.startScheduler(dynamoDb, cloudWatch);
            return mapping;
        } catch (RuntimeException | Error e) {
            KclSupport.closeAll(owned);
            throw e;
        }
    }

    private void startScheduler(DynamoDbAsyncClient dynamoDb, CloudWatchAsyncClient cloudWatch) {
        ConfigsBuilder configs = KclSupport.configs(streamName, config.startingPosition() == StartingPosition.LATEST,
                applicationName, kinesis, dynamoDb, cloudWatch, workerIdentifier, () -> new KclShardProcessor(this));
        LeaseManagementConfig leases = KclSupport.leases(configs, Duration.ofMillis(FAILOVER_TIME_MILLIS),
                Duration.ofMillis(LEASE_ASSIGNMENT_INTERVAL_MILLIS)).shardSyncIntervalMillis(SHARD_SYNC_IDLE_MILLIS);
        scheduler = KclSupport.scheduler(configs,
                configs.coordinatorConfig().workerStateChangeListener(new WorkerStateChangeListener() {
                    @Override
                    public void onWorkerStateChange(WorkerState newState) {
                        LOG.debug("KCL worker {}: {} after {} ms", workerIdentifier, newState, millisSinceStart());
                    }

                    @Override
                    public void onAllInitializationAttemptsFailed(Throwable e) {
                        initializationFailure = e;
                    }
                }),
                leases,
                configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true),
                KclSupport.polling(streamName, kinesis, config.batchSize(), config.pollInterval()));
        schedulerThread = new Thread(scheduler, "kcl-" + applicationName);
        schedulerThread.setDaemon(true);
        schedulerThread.start();
        // The eager lease sync: one implementation, shared with the deployable stream worker
        // (functions/stream-worker), see KclSupport.syncLeases.
        KclSupport.startLeaseSync(configs, leases, stopping::get, EAGER_LEASE_SYNC_TIMEOUT,
                "kcl-lease-sync-" + applicationName,
                () -> LOG.debug("KCL leases synced {} ms after start", millisSinceStart()));
        LOG.info("KCL event source mapping started: stream={} application={} worker={} function={} handler={} "
                        + "batchSize={} startingPosition={} maximumRetryAttempts={} reportBatchItemFailures={} "
                        + "onFailure={}", streamName, applicationName, workerIdentifier, config.functionName(),
                handler.getClass().getName(), config.batchSize(), config.startingPosition(),
                config.maximumRetryAttempts(), config.reportBatchItemFailures(),
                config.onFailureDestinationQueueUrl().orElse("none"));
    }

    /**
     * Creates KCL 3's lease table if it does not exist and waits until it is {@code ACTIVE}: table
     * {@code tableName}, PAY_PER_REQUEST, hash key {@value #LEASE_KEY} (S), global secondary index
     * {@value #LEASE_OWNER_INDEX} on {@value #LEASE_OWNER} (hash) + {@value #LEASE_KEY} (range), KEYS_ONLY. KCL would
     * create the table itself, then add the index with UpdateTable and wait for it; on dynalite that path does not
     * work, so the table is created complete beforehand.
     *
     * @param dynamoDb  DynamoDB client
     * @param tableName lease table name (the KCL application name)
     */
    public static void createLeaseTable(DynamoDbAsyncClient dynamoDb, String tableName) {
        // One implementation, shared with the deployable stream worker (functions/stream-worker).
        LeaseTable.create(dynamoDb, tableName);
    }

    // ------------------------------------------------------------------ public API

    /** @return the stream name */
    @Override
    public String streamName() {
        return streamName;
    }

    /** @return the stream ARN ({@code eventSourceARN} of every record) */
    @Override
    public String streamArn() {
        return streamSummary.streamARN();
    }

    /** @return the KCL application name, which is also the lease table name */
    public String applicationName() {
        return applicationName;
    }

    /** @return this worker's identifier (the {@code leaseOwner} of its leases) */
    public String workerIdentifier() {
        return workerIdentifier;
    }

    /** @return the configuration */
    @Override
    public EventSourceMappingConfig config() {
        return config;
    }

    /** @return the shards this worker currently holds a lease on (and has initialized), sorted */
    public List<String> leasedShardIds() {
        return live.keySet().stream().sorted().toList();
    }

    /**
     * @return time from {@link #start} to the first records KCL handed to this mapping, if any arrived yet (KCL's
     *         start-up cost plus the first poll)
     */
    public Optional<Duration> timeToFirstRecords() {
        long t = firstRecordsNanos.get();
        return t == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(t - startNanos));
    }

    /**
     * Waits until this worker holds a lease on every open shard of the stream and has started processing it (KCL's
     * start-up, about 4 s on the emulators). Needed before putting records with {@code startingPosition} LATEST.
     *
     * @param timeout maximum wait
     * @return {@code true} once every open shard is leased, {@code false} on timeout
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if KCL gave up initializing
     */
    public boolean awaitLeases(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> open = openShardIds();
        while (!live.keySet().containsAll(open)) {
            checkInitialized();
            if (System.nanoTime() - deadline >= 0 || closed.get()) {
                return false;
            }
            Thread.sleep(AWAIT_CHECK.toMillis());
        }
        return true;
    }

    /**
     * Waits until everything put on the stream before this call has been processed: for every open shard, KCL
     * delivered the result of a GetRecords call that <em>started</em> after this call, it was empty with
     * {@code MillisBehindLatest == 0}, and no batch is being processed. Includes KCL's start-up when called early.
     *
     * @param timeout maximum wait
     * @return {@code true} if idle, {@code false} on timeout (e.g. a batch still being retried, or leases not taken)
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if KCL gave up initializing
     */
    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        Instant since = Instant.now();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> open = openShardIds();
        while (true) {
            boolean idle = open.stream().allMatch(shard -> endedShards.contains(shard)
                    || (live.containsKey(shard) && live.get(shard).idleSince(since)));
            if (idle) {
                return true;
            }
            checkInitialized();
            if (System.nanoTime() - deadline >= 0 || closed.get()) {
                return false;
            }
            Thread.sleep(AWAIT_CHECK.toMillis());
        }
    }

    /**
     * @return the counters summed over every lease this worker held (same meaning as for
     *         {@link KinesisEventSourceMapping#stats()}); {@code millisBehindLatest} per currently leased shard, as
     *         reported by KCL's last GetRecords
     */
    @Override
    public EventSourceMappingStats stats() {
        Map<String, Long> lag = new TreeMap<>();
        live.values().forEach(p -> lag.put(p.shardId(), p.millisBehindLatest()));
        return invoker.stats(lag);
    }

    /**
     * Stops consuming: KCL's graceful shutdown (each lease's processor is told to stop, the batch in progress is
     * abandoned without checkpoint, leases are released), forced after {@value #GRACEFUL_SHUTDOWN_TIMEOUT_SECONDS} s;
     * then the clients this mapping built are closed. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping.set(true);
        invoker.stop(); // a batch being retried returns unfinished (not checkpointed) instead of holding KCL up
        long t0 = System.nanoTime();
        boolean graceful = KclSupport.shutdown(scheduler, schedulerThread, GRACEFUL_SHUTDOWN_TIMEOUT);
        live.values().forEach(KclShardProcessor::forceFinish);
        long t1 = System.nanoTime();
        KclSupport.closeAll(owned);
        LOG.debug("KCL scheduler stopped in {} ms (graceful={}), clients closed in {} ms",
                TimeUnit.NANOSECONDS.toMillis(t1 - t0), graceful,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
        EventSourceMappingStats s = stats();
        LOG.info("KCL event source mapping stopped in {} ms: stream={} application={} invocations={} "
                        + "recordsDelivered={} retries={} handlerErrors={} partialBatchFailures={} "
                        + "batchesSentToOnFailureDestination={} batchesDiscarded={}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), streamName, applicationName, s.invocations(),
                s.recordsDelivered(), s.retries(), s.handlerErrors(), s.partialBatchFailures(),
                s.batchesSentToOnFailureDestination(), s.batchesDiscarded());
    }

    /**
     * This worker advancing {@code consumer}'s watermark (the stream worker's, {@code /health}'s lag) to the newest
     * arrival of each batch it finished, best effort ({@link io.waybill.aws.ops.ConsumerMarks}). Set it before
     * records are put on the stream: a batch finished earlier is not marked.
     *
     * @return this mapping
     */
    public KclEventSourceMapping recordingWatermark(io.waybill.domain.ops.ConsumerWatermarks watermarks,
                                                    String consumer) {
        this.watermarks = java.util.Objects.requireNonNull(watermarks, "watermarks");
        this.watermarkConsumer = java.util.Objects.requireNonNull(consumer, "consumer");
        return this;
    }

    // ------------------------------------------------------------------ for KclShardProcessor

    /** A batch finished (delivered and checkpointed as far as the lease allowed); {@code newestArrival} may be null. */
    void batchDone(Instant newestArrival) {
        io.waybill.domain.ops.ConsumerWatermarks w = watermarks;
        if (w != null && newestArrival != null) {
            io.waybill.aws.ops.ConsumerMarks.advance(w, watermarkConsumer, newestArrival, Instant.now());
        }
    }

    LambdaBatchInvoker invoker() {
        return invoker;
    }

    boolean stopping() {
        return stopping.get();
    }

    long millisSinceStart() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    void firstRecordsArrived() {
        if (firstRecordsNanos.get() == 0 && firstRecordsNanos.compareAndSet(0, System.nanoTime())) {
            LOG.info("KCL event source mapping: first records {} ms after start (stream={} application={})",
                    millisSinceStart(), streamName, applicationName);
        }
    }

    void register(KclShardProcessor processor) {
        live.put(processor.shardId(), processor);
    }

    void retire(KclShardProcessor processor, boolean shardEnded) {
        live.remove(processor.shardId(), processor);
        if (shardEnded) {
            endedShards.add(processor.shardId());
        }
    }

    // ------------------------------------------------------------------ helpers

    private void checkInitialized() {
        Throwable failure = initializationFailure;
        if (failure != null) {
            throw new IllegalStateException("KCL scheduler gave up initializing (application " + applicationName
                    + ", stream " + streamName + "): " + failure, failure);
        }
    }

    private List<String> openShardIds() {
        List<String> ids = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            ListShardsResponse response = join(token == null
                    ? kinesis.listShards(b -> b.streamName(streamName))
                    : kinesis.listShards(b -> b.nextToken(token)));
            response.shards().stream()
                    .filter(s -> s.sequenceNumberRange() == null
                            || s.sequenceNumberRange().endingSequenceNumber() == null)
                    .map(Shard::shardId).forEach(ids::add);
            next = response.nextToken();
        } while (next != null);
        return ids;
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder().apiCallTimeout(AwsClients.DEFAULT_API_CALL_TIMEOUT).build();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * The HTTP client of the CloudWatch client KCL requires: CloudWatch is not emulated and KCL's metrics are off, so
     * it is never called; if it were, the call fails at once, without network (and without an event loop to stop).
     */
    private static final class NoCloudWatch implements SdkAsyncHttpClient {
        @Override
        public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException(
                    "CloudWatch is not emulated locally (KCL metrics are off): " + request.request().getUri()));
        }

        @Override
        public String clientName() {
            return "NoCloudWatch";
        }

        @Override
        public void close() {
        }
    }
}

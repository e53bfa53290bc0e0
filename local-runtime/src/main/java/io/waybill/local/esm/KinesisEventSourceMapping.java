package io.waybill.local.esm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local equivalent of Lambda's Kinesis event source mapping, reading with plain GetShardIterator/GetRecords: it
 * reads every shard of a stream and hands each batch to a {@link LambdaBatchInvoker}, which invokes the same
 * {@link RequestHandler RequestHandler&lt;KinesisEvent, StreamsEventResponse&gt;} class Lambda runs, with the event
 * built exactly as Lambda builds it and Lambda's checkpoint, retry and discard rules:
 * <ul>
 *   <li>one worker thread per shard, one invocation at a time per shard, records in shard order; batches of at most
 *       {@code batchSize}, gathered for up to {@code maximumBatchingWindow};</li>
 *   <li>a null response, or one with a null or empty {@code batchItemFailures}, is a success: the whole batch is
 *       checkpointed;</li>
 *   <li>with {@code reportBatchItemFailures} on, listed failures make the mapping checkpoint the records before the
 *       <em>lowest</em> failed sequence number and re-deliver from it; a failure whose {@code itemIdentifier} is null,
 *       empty or not a sequence number of the batch fails the whole batch. With it off, the list is ignored and the
 *       batch counts as a success (Lambda's behaviour, and a classic way to lose records);</li>
 *   <li>a handler exception (or an invocation running past the function timeout) fails the whole batch; with
 *       {@code bisectBatchOnFunctionError} the failed batch is split in two halves tried one after the other
 *       (splits do not consume retries);</li>
 *   <li>after {@code maximumRetryAttempts} retries of the same first record, or when a record is older than
 *       {@code maximumRecordAge}, the batch is skipped and an on-failure record (metadata only, Lambda's JSON shape)
 *       is sent to the SQS {@code onFailureDestinationQueueUrl} if one is configured;</li>
 *   <li>retries wait {@code retryBackoffBase}, doubling up to {@code retryBackoffMax}; a retry re-delivers what is
 *       left of the failed batch (the invoker runs a batch's whole retry loop before the next batch is read).</li>
 * </ul>
 *
 * <p><b>This mapping or {@code io.waybill.local.kcl.KclEventSourceMapping}.</b> Both implement
 * {@link StreamEventSourceMapping} and share the {@link LambdaBatchInvoker}, so the handler sees the same events and
 * the same retry rules; they differ in how the stream is read. This one is the default (tests, demo, CLI): it holds
 * no state outside the JVM and delivers within its first poll (at most {@code pollInterval}, 250 ms) of starting.
 * The Kinesis Client Library (3.5.1) brings leases and checkpoints in a DynamoDB lease table, at a start-up cost:
 * out of the box, on the emulators, its first record took more than 90 s (a random 1-30 s wait on an empty lease
 * table, then a 60 s {@code shardSyncIntervalMillis} sleep after the shard sync); the KCL mapping's eager shard sync
 * and short timers bring that to 3.9-4.8 s. KCL 3.5.1 needs only its lease table, created beforehand: for a new
 * application it keeps its coordinator state and worker metrics in that same table. Its checkpoint model ("done up to
 * this sequence number, carry on") cannot re-deliver from a failed sequence number <em>inside</em> the batch it
 * handed over, which Lambda's partial batch response needs: the KCL mapping therefore runs a KCL batch's whole retry
 * loop in process (the invoker) before it checkpoints. Lambda itself does not run KCL.
 *
 * <p><b>Limits.</b> The shard set is read once at start (ListShards): resharding is not followed and parent shards
 * are not drained before their children. {@code parallelizationFactor} is 1. Tumbling windows, enhanced fan-out and
 * {@code AT_TIMESTAMP} are not supported. Checkpoints live in memory: a new mapping starts again from
 * {@code startingPosition}.
 *
 * <pre>{@code
 * try (KinesisEventSourceMapping esm = KinesisEventSourceMapping.start(kinesis, sqs, "events",
 *         EventSourceMappingConfig.builder().batchSize(50).build(), new IngestHandler())) {
 *     producer.put(...);
 *     esm.awaitIdle(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class KinesisEventSourceMapping implements StreamEventSourceMapping {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisEventSourceMapping.class);
    private static final Duration AWAIT_IDLE_CHECK = Duration.ofMillis(20);
    private static final Duration JOIN_MARGIN = Duration.ofSeconds(10);

    private final String streamName;
    private final String streamArn;
    private final EventSourceMappingConfig config;
    private final List<ShardWorker> workers;
    private final List<Thread> threads;
    private final LambdaBatchInvoker invoker;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private KinesisEventSourceMapping(KinesisClient kinesis, SqsClient sqs, String streamName,
                                      EventSourceMappingConfig config,
                                      RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
        this.streamName = streamName;
        this.config = config;
        StreamDescriptionSummary summary =
                kinesis.describeStreamSummary(b -> b.streamName(streamName)).streamDescriptionSummary();
        this.streamArn = summary.streamARN();
        this.invoker = new LambdaBatchInvoker(streamArn, config, handler, sqs);
        ShardWorker.Settings settings = new ShardWorker.Settings(kinesis, streamName, config, invoker, stopSignal);
        List<ShardWorker> list = new ArrayList<>();
        for (String shardId : listShards(kinesis, streamName)) {
            list.add(new ShardWorker(settings, shardId));
        }
        this.workers = Collections.unmodifiableList(list);
        List<Thread> ts = new ArrayList<>();
        for (ShardWorker w : workers) {
            Thread t = new Thread(w, "esm-" + streamName + "-" + w.shardId());
            t.setDaemon(true);
            ts.add(t);
        }
        this.threads = Collections.unmodifiableList(ts);
    }

    /**
     * Creates the mapping and starts one worker per shard.
     *
     * @param kinesis    Kinesis client (not closed by the mapping)
     * @param sqs        SQS client for the on-failure destination; may be {@code null} when none is configured
     * @param streamName stream to read
     * @param config     mapping configuration
     * @param handler    the Lambda handler to invoke
     * @return the running mapping; close it to stop
     */
    public static KinesisEventSourceMapping start(KinesisClient kinesis, SqsClient sqs, String streamName,
                                                  EventSourceMappingConfig config,
                                                  RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
        Objects.requireNonNull(kinesis, "kinesis");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        if (config.onFailureDestinationQueueUrl().isPresent() && sqs == null) {
            throw new IllegalArgumentException("an SqsClient is required for the on-failure destination");
        }
        KinesisEventSourceMapping mapping = new KinesisEventSourceMapping(kinesis, sqs, streamName, config, handler);
        mapping.threads.forEach(Thread::start);
        LOG.info("event source mapping started: stream={} shards={} function={} handler={} batchSize={} "
                        + "startingPosition={} maximumRetryAttempts={} reportBatchItemFailures={} bisect={} "
                        + "onFailure={}", streamName, mapping.shardIds(), config.functionName(),
                handler.getClass().getName(), config.batchSize(), config.startingPosition(),
                config.maximumRetryAttempts(), config.reportBatchItemFailures(), config.bisectBatchOnFunctionError(),
                config.onFailureDestinationQueueUrl().orElse("none"));
        return mapping;
    }

    private static List<String> listShards(KinesisClient kinesis, String streamName) {
        List<String> ids = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            ListShardsResponse response = token == null
                    ? kinesis.listShards(b -> b.streamName(streamName))
                    : kinesis.listShards(b -> b.nextToken(token));
            response.shards().stream().map(Shard::shardId).forEach(ids::add);
            next = response.nextToken();
        } while (next != null);
        if (ids.isEmpty()) {
            throw new IllegalStateException("stream " + streamName + " has no shards");
        }
        return ids;
    }

    /** @return the stream name */
    @Override
    public String streamName() {
        return streamName;
    }

    /** @return the stream ARN ({@code eventSourceARN} of every record) */
    @Override
    public String streamArn() {
        return streamArn;
    }

    /** @return the shards read, one worker each */
    public List<String> shardIds() {
        return workers.stream().map(ShardWorker::shardId).toList();
    }

    /** @return the configuration */
    @Override
    public EventSourceMappingConfig config() {
        return config;
    }

    /** @return a snapshot of the counters and per-shard iterator lag */
    @Override
    public EventSourceMappingStats stats() {
        Map<String, Long> lag = new TreeMap<>();
        workers.forEach(w -> lag.put(w.shardId(), w.millisBehindLatest()));
        return invoker.stats(lag);
    }

    /**
     * Waits until everything put on the stream before this call has been processed: every shard has, since this
     * call, completed a GetRecords that returned no records with {@code MillisBehindLatest == 0}, while nothing was
     * buffered or being invoked. A shard that ended (closed after resharding) counts as idle.
     *
     * @param timeout maximum wait
     * @return {@code true} if idle, {@code false} on timeout (e.g. a batch still being retried)
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long since = System.nanoTime();
        long deadline = since + timeout.toNanos();
        while (true) {
            if (workers.stream().allMatch(w -> w.idleSince(since))) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0 || closed.get()) {
                return false;
            }
            Thread.sleep(AWAIT_IDLE_CHECK.toMillis());
        }
    }

    /**
     * Stops reading: workers finish the invocation in flight (waiting up to the function timeout plus 10 s, then
     * they are interrupted) and exit. Unprocessed buffered records are dropped (they are still in the stream).
     * Idempotent; does not close the clients.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopSignal.countDown();
        invoker.stop();
        long deadline = System.nanoTime() + config.functionTimeout().plus(JOIN_MARGIN).toNanos();
        for (Thread t : threads) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
                if (t.isAlive()) {
                    LOG.warn("worker {} still running after {}: interrupting", t.getName(),
                            config.functionTimeout().plus(JOIN_MARGIN));
                    t.interrupt();
                    t.join(1_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                threads.forEach(Thread::interrupt);
                break;
            }
        }
        EventSourceMappingStats s = stats();
        LOG.info("event source mapping stopped: stream={} invocations={} recordsDelivered={} retries={} "
                        + "handlerErrors={} partialBatchFailures={} ignoredPartialBatchFailures={} "
                        + "batchesSentToOnFailureDestination={} batchesDiscarded={}", streamName, s.invocations(),
                s.recordsDelivered(), s.retries(), s.handlerErrors(), s.partialBatchFailures(),
                s.ignoredPartialBatchFailures(), s.batchesSentToOnFailureDestination(), s.batchesDiscarded());
    }
}

package io.waybill.local.esm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import io.waybill.worker.KinesisBatch;
import io.waybill.worker.LambdaInvocationContext;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda's Kinesis batch semantics, independent of how the records were read: given records of one shard, in shard
 * order, it invokes the same {@link RequestHandler RequestHandler&lt;KinesisEvent, StreamsEventResponse&gt;} class
 * Lambda runs, with the {@link KinesisEvent} built exactly as Lambda builds it ({@link KinesisBatch}) and a
 * {@link LambdaInvocationContext}, and applies Lambda's rules until every record is done:
 * <ul>
 *   <li>batches of at most {@code batchSize} records;</li>
 *   <li>a null response, or one with a null or empty {@code batchItemFailures}, is a success;</li>
 *   <li>with {@code reportBatchItemFailures} on, listed failures mark the records before the <em>lowest</em> failed
 *       sequence number done and re-deliver from it; a failure whose {@code itemIdentifier} is null, empty or not a
 *       sequence number of the batch fails the whole batch. With it off the list is ignored and the batch counts as
 *       a success (and {@link EventSourceMappingStats#ignoredPartialBatchFailures()} goes up);</li>
 *   <li>a handler exception, or an invocation running past {@code functionTimeout}, fails the whole batch; with
 *       {@code bisectBatchOnFunctionError} the failed batch is split in two halves tried one after the other (splits
 *       do not consume retries);</li>
 *   <li>after {@code maximumRetryAttempts} retries of the same first record, or for records older than
 *       {@code maximumRecordAge} (before invoking), the batch is skipped and an on-failure record (metadata only,
 *       Lambda's JSON shape, see {@link OnFailureRecord}) is sent to the SQS {@code onFailureDestinationQueueUrl} if
 *       one is configured;</li>
 *   <li>retries wait {@code retryBackoffBase}, doubling up to {@code retryBackoffMax}.</li>
 * </ul>
 * The other settings of the configuration (polling, batching window, starting position) belong to whoever reads the
 * records: {@link KinesisEventSourceMapping} (GetRecords) and {@code io.waybill.local.kcl.KclEventSourceMapping}
 * (Kinesis Client Library) both hand what they read to an invoker and checkpoint what it {@linkplain
 * BatchResult#finished() finished}.
 *
 * <p><b>Threads.</b> {@link #deliver} runs the whole retry loop on the calling thread and returns when every record
 * is done or the invoker is {@linkplain #stop() stopped}. It keeps no state between calls but the counters: calls for
 * different shards may run concurrently; calls for one shard must not (records of a shard are delivered in order,
 * one invocation at a time, as Lambda does with {@code parallelizationFactor} 1).
 *
 * <pre>{@code
 * LambdaBatchInvoker invoker = new LambdaBatchInvoker(streamArn, config, new IngestHandler(), sqs);
 * BatchResult result = invoker.deliver("shardId-000000000000", getRecordsResponse.records());
 * checkpointUpTo(records.get(result.finished() - 1));
 * }</pre>
 */
public final class LambdaBatchInvoker {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaBatchInvoker.class);
    private static final Duration ERROR_BACKOFF = Duration.ofMillis(500);
    private static final int ON_FAILURE_SEND_ATTEMPTS = 3;

    private final String streamName;
    private final String streamArn;
    private final String functionArn;
    private final KinesisBatch events;
    private final EventSourceMappingConfig config;
    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final SqsClient sqs;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    /** Shards whose ignored {@code batchItemFailures} were already warned about (once per shard). */
    private final Set<String> warnedIgnoredFailures = ConcurrentHashMap.newKeySet();

    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong recordsDelivered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final AtomicLong partialBatchFailures = new AtomicLong();
    private final AtomicLong ignoredPartialBatchFailures = new AtomicLong();
    private final AtomicLong batchesSentToOnFailureDestination = new AtomicLong();
    private final AtomicLong batchesDiscarded = new AtomicLong();
    private final AtomicLong recordsDiscarded = new AtomicLong();

    /**
     * @param streamArn ARN of the stream the records come from ({@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}):
     *                  the events' {@code eventSourceARN} and {@code awsRegion}; the account also makes the function
     *                  ARN and the default {@code invokeIdentityArn} ({@code role/<functionName>-role})
     * @param config    mapping configuration (immutable)
     * @param handler   the Lambda handler to invoke
     * @param sqs       SQS client for the on-failure destination; may be {@code null} when none is configured
     * @throws IllegalArgumentException if the ARN is not a Kinesis stream ARN, or a destination is configured
     *                                  without an SQS client
     */
    public LambdaBatchInvoker(String streamArn, EventSourceMappingConfig config,
                              RequestHandler<KinesisEvent, StreamsEventResponse> handler, SqsClient sqs) {
        this.streamArn = Objects.requireNonNull(streamArn, "streamArn");
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        if (config.onFailureDestinationQueueUrl().isPresent() && sqs == null) {
            throw new IllegalArgumentException("an SqsClient is required for the on-failure destination");
        }
        this.sqs = sqs;
        String[] parts = KinesisBatch.arnParts(streamArn);
        if (!parts[5].startsWith("stream/")) {
            throw new IllegalArgumentException("not a Kinesis stream ARN: " + streamArn);
        }
        String region = parts[3];
        String account = parts[4];
        this.streamName = parts[5].substring("stream/".length());
        this.functionArn = KinesisBatch.functionArn(region, account, config.functionName());
        this.events = new KinesisBatch(streamArn, region, config.executionRoleArn()
                .orElse(KinesisBatch.defaultRoleArn(account, config.functionName())));
    }

    /** @return the configuration */
    public EventSourceMappingConfig config() {
        return config;
    }

    /** @return the stream ARN ({@code eventSourceARN} of every record) */
    public String streamArn() {
        return streamArn;
    }

    /** @return the stream name, from the ARN */
    public String streamName() {
        return streamName;
    }

    /** @return the function ARN the contexts report ({@code invokedFunctionArn}) */
    public String functionArn() {
        return functionArn;
    }

    /**
     * Delivers records of one shard to the handler with Lambda's batch semantics (see the class documentation) and
     * returns once every record is done, succeeded or discarded, or the invoker was stopped. Sends the on-failure
     * records itself; the caller only checkpoints the first {@link BatchResult#finished()} records.
     *
     * @param shardId shard the records come from (the events' {@code eventID} prefix)
     * @param records records of that shard, in shard (ascending sequence number) order; normally one GetRecords
     *                result of at most {@code batchSize} records, larger lists are invoked in batches of
     *                {@code batchSize}
     * @return what was done with the records
     */
    public BatchResult deliver(String shardId, List<Record> records) {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(records, "records");
        Delivery delivery = new Delivery(shardId, List.copyOf(records));
        try {
            delivery.run();
        } catch (StopRequested e) {
            // stopping: what is not finished stays unfinished
        }
        return delivery.result();
    }

    /**
     * @param millisBehindLatest per shard id, the reader's last {@code MillisBehindLatest}
     * @return a snapshot of the counters, with the given lag
     */
    public EventSourceMappingStats stats(Map<String, Long> millisBehindLatest) {
        return new EventSourceMappingStats(invocations.get(), recordsDelivered.get(), retries.get(),
                handlerErrors.get(), partialBatchFailures.get(), ignoredPartialBatchFailures.get(),
                batchesSentToOnFailureDestination.get(), batchesDiscarded.get(), recordsDiscarded.get(),
                millisBehindLatest);
    }

    /**
     * Stops: a {@link #deliver} in progress returns at its next wait (retry backoff, on-failure send retry) or after
     * the invocation in flight, with the records not yet finished left unfinished; later calls return at once.
     * Idempotent.
     */
    public void stop() {
        stopSignal.countDown();
    }

    /** @return whether {@link #stop()} was called */
    public boolean stopped() {
        return stopSignal.getCount() == 0;
    }

    // ---------------------------------------------------------------- one deliver call

    private enum Kind { SUCCESS, PARTIAL, FUNCTION_ERROR, INVALID_RESPONSE }

    private record Outcome(Kind kind, int failedIndex) {
        static final Outcome SUCCESS = new Outcome(Kind.SUCCESS, -1);
        static final Outcome FUNCTION_ERROR = new Outcome(Kind.FUNCTION_ERROR, -1);
        static final Outcome INVALID_RESPONSE = new Outcome(Kind.INVALID_RESPONSE, -1);
    }

    /**
     * The retry loop over the records of one {@link #deliver} call, confined to the calling thread. The first
     * {@link #done} records are finished; "re-delivering from sequence number S" means invoking again with the
     * batch starting at S.
     */
    private final class Delivery {
        private final String shardId;
        private final List<Record> records;
        /** Sizes of the pending halves of bisected batches, first to invoke first. */
        private final Deque<Integer> segments = new ArrayDeque<>();
        private final List<BatchResult.Discard> discards = new ArrayList<>();
        private int done;
        private int succeeded;
        private int discarded;
        private int invocationCount;
        private int retryCount;
        /** Failed invocations that included the first unfinished record. */
        private int headFailures;
        private int consecutiveFailures;
        private String lastRequestId;
        private boolean lastInvocationThrew;

        Delivery(String shardId, List<Record> records) {
            this.shardId = shardId;
            this.records = records;
        }

        BatchResult result() {
            return new BatchResult(shardId, records.size(), succeeded, discarded, invocationCount, retryCount,
                    discards, done < records.size());
        }

        void run() {
            while (done < records.size()) {
                if (stopped()) {
                    throw new StopRequested();
                }
                processNextBatch();
            }
        }

        private void processNextBatch() {
            int n = Math.min(records.size() - done, config.batchSize());
            if (!segments.isEmpty()) {
                n = Math.min(n, segments.peekFirst());
            }
            List<Record> batch = records.subList(done, done + n);

            if (!config.maximumRecordAge().equals(EventSourceMappingConfig.INFINITE_RECORD_AGE)) {
                Instant cutoff = Instant.now().minus(config.maximumRecordAge());
                int expired = 0;
                while (expired < n && batch.get(expired).approximateArrivalTimestamp().isBefore(cutoff)) {
                    expired++;
                }
                if (expired > 0) {
                    discard(expired, OnFailureRecord.RECORD_AGE_EXCEEDED);
                    return;
                }
            }

            Outcome outcome = invoke(batch);
            switch (outcome.kind()) {
                case SUCCESS -> {
                    finish(n);
                    succeeded += n;
                    headFailures = 0;
                    consecutiveFailures = 0;
                }
                case PARTIAL -> {
                    int failedAt = outcome.failedIndex();
                    if (failedAt > 0) {
                        finish(failedAt);
                        succeeded += failedAt;
                        headFailures = 1;
                    } else {
                        headFailures++;
                    }
                    afterFailure(n - failedAt);
                }
                case FUNCTION_ERROR -> {
                    if (config.bisectBatchOnFunctionError() && n > 1) {
                        bisect(n);
                        retried();
                        backoff();
                    } else {
                        headFailures++;
                        afterFailure(n);
                    }
                }
                case INVALID_RESPONSE -> {
                    headFailures++;
                    afterFailure(n);
                }
                default -> throw new IllegalStateException(outcome.toString());
            }
        }

        /** The first {@code remaining} unfinished records failed: retry them, or discard them if retries ran out. */
        private void afterFailure(int remaining) {
            int max = config.maximumRetryAttempts();
            if (max != EventSourceMappingConfig.INFINITE_RETRIES && headFailures > max) {
                discard(remaining, OnFailureRecord.RETRY_ATTEMPTS_EXHAUSTED);
                return;
            }
            retried();
            backoff();
        }

        private void retried() {
            retries.incrementAndGet();
            retryCount++;
            consecutiveFailures++;
        }

        private Outcome invoke(List<Record> batch) {
            KinesisEvent event = events.event(shardId, batch, r -> KinesisBatch.kinesisRecord(r.sequenceNumber(),
                    r.partitionKey(), r.data().asByteArray(), r.approximateArrivalTimestamp(),
                    r.encryptionTypeAsString()));
            LambdaInvocationContext context = LambdaInvocationContext.builder(config.functionName(), functionArn)
                    .memoryLimitMb(config.memoryLimitMb()).timeout(config.functionTimeout()).build();
            lastRequestId = context.getAwsRequestId();
            invocations.incrementAndGet();
            invocationCount++;
            recordsDelivered.addAndGet(batch.size());
            long t0 = System.nanoTime();
            StreamsEventResponse response;
            try {
                response = handler.handleRequest(event, context);
            } catch (Throwable t) { // NOPMD - Lambda's runtime reports any throwable as a function error
                lastInvocationThrew = true;
                handlerErrors.incrementAndGet();
                LOG.warn("handler failed: requestId={} stream={} shard={} firstSequence={} records={} error={}",
                        lastRequestId, streamName, shardId, batch.get(0).sequenceNumber(), batch.size(),
                        t.toString());
                LOG.debug("handler failure detail: requestId={}", lastRequestId, t);
                if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                    throw vme;
                }
                return Outcome.FUNCTION_ERROR;
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            if (elapsedMs > config.functionTimeout().toMillis()) {
                lastInvocationThrew = true;
                handlerErrors.incrementAndGet();
                LOG.warn("Task timed out after {} ms (timeout {}): requestId={} stream={} shard={}", elapsedMs,
                        config.functionTimeout(), lastRequestId, streamName, shardId);
                return Outcome.FUNCTION_ERROR;
            }
            lastInvocationThrew = false;
            return interpret(response, batch);
        }

        /** Lambda's rules for a Kinesis partial batch response. */
        private Outcome interpret(StreamsEventResponse response, List<Record> batch) {
            if (!KinesisBatch.reportsFailures(response)) {
                return Outcome.SUCCESS;
            }
            if (!config.reportBatchItemFailures()) {
                ignoredPartialBatchFailures.incrementAndGet();
                if (warnedIgnoredFailures.add(shardId)) {
                    LOG.warn("handler reported {} batchItemFailures but reportBatchItemFailures is off: the batch "
                                    + "counts as a success and those records will not be retried (stream={} "
                                    + "shard={})", response.getBatchItemFailures().size(), streamName, shardId);
                }
                return Outcome.SUCCESS;
            }
            KinesisBatch.LowestFailure failure = KinesisBatch.lowestFailure(response, batch, Record::sequenceNumber);
            if (failure.unknown()) {
                LOG.warn("batchItemFailures lists itemIdentifier '{}', which is not a sequence number of the "
                        + "batch: whole batch failed (requestId={} shard={})", failure.unknownId(), lastRequestId,
                        shardId);
                return Outcome.INVALID_RESPONSE;
            }
            partialBatchFailures.incrementAndGet();
            return new Outcome(Kind.PARTIAL, failure.index());
        }

        // ------------------------------------------------------------ finish, bisect, discard

        /** Marks the first {@code n} unfinished records done (processed or discarded). */
        private void finish(int n) {
            done += n;
            int left = n;
            while (left > 0 && !segments.isEmpty()) {
                int head = segments.pollFirst();
                if (head > left) {
                    segments.addFirst(head - left);
                    left = 0;
                } else {
                    left -= head;
                }
            }
        }

        /** Replaces the failed batch of {@code n} records by its two halves, first half first. */
        private void bisect(int n) {
            if (!segments.isEmpty()) {
                segments.pollFirst(); // the failed batch was exactly this segment
            }
            int first = (n + 1) / 2;
            segments.addFirst(n - first);
            segments.addFirst(first);
            LOG.info("bisecting failed batch: shard={} records={} -> {} + {}", shardId, n, first, n - first);
        }

        private void discard(int count, String condition) {
            List<Record> batch = records.subList(done, done + count);
            boolean neverInvoked = OnFailureRecord.RECORD_AGE_EXCEEDED.equals(condition) && headFailures == 0;
            String json = OnFailureRecord.json(neverInvoked || lastRequestId == null
                            ? UUID.randomUUID().toString() : lastRequestId,
                    functionArn, condition, Math.max(headFailures, 0),
                    lastInvocationThrew && !neverInvoked ? "Unhandled" : null,
                    shardId, streamArn, batch, Instant.now());
            batchesDiscarded.incrementAndGet();
            recordsDiscarded.addAndGet(count);
            String destination = config.onFailureDestinationQueueUrl().orElse(null);
            LOG.warn("discarding batch: condition={} stream={} shard={} startSequence={} endSequence={} records={} "
                            + "invokeCount={} destination={}", condition, streamName, shardId,
                    batch.get(0).sequenceNumber(), batch.get(count - 1).sequenceNumber(), count, headFailures,
                    destination == null ? "none" : destination);
            boolean sent = destination != null && sendToDestination(destination, json);
            discards.add(new BatchResult.Discard(condition, batch.get(0).sequenceNumber(),
                    batch.get(count - 1).sequenceNumber(), count, Math.max(headFailures, 0), sent));
            finish(count);
            discarded += count;
            headFailures = 0;
            consecutiveFailures = 0;
        }

        private boolean sendToDestination(String queueUrl, String json) {
            for (int attempt = 1; ; attempt++) {
                try {
                    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(json));
                    batchesSentToOnFailureDestination.incrementAndGet();
                    return true;
                } catch (SdkException e) {
                    if (attempt >= ON_FAILURE_SEND_ATTEMPTS || stopped()) {
                        LOG.error("cannot send on-failure record to {}: {} (record: {})", queueUrl, e.toString(),
                                json);
                        return false;
                    }
                    pause(ERROR_BACKOFF);
                }
            }
        }

        private void backoff() {
            long base = config.retryBackoffBase().toMillis();
            long max = config.retryBackoffMax().toMillis();
            int exponent = Math.min(Math.max(consecutiveFailures - 1, 0), 30);
            long delay = Math.min(max, base * (1L << exponent));
            if (delay > 0) {
                pause(Duration.ofMillis(delay));
            }
        }
    }

    // ---------------------------------------------------------------- timing

    /** Sleeps, waking at once when the invoker stops. */
    private void pause(Duration duration) {
        StopRequested.pause(stopSignal, duration);
    }
}

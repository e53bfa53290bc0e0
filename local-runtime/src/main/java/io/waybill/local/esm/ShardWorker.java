package io.waybill.local.esm;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Reads one shard and drives the handler with Lambda's semantics (see {@link KinesisEventSourceMapping}). All state
 * but the few volatile fields read by {@code awaitIdle} and {@code stats} belongs to the worker's own thread.
 *
 * <p>Records read but not yet checkpointed stay in {@link #buffer}, in shard order. "Checkpointing" n records means
 * dropping them from the head of the buffer; re-delivering "from sequence number S" means invoking again with the
 * buffer starting at S, which is what re-reading with an AT_SEQUENCE_NUMBER iterator would return.
 */
final class ShardWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardWorker.class);
    private static final Duration ERROR_BACKOFF = Duration.ofMillis(500);

    /** What every worker of a mapping shares. */
    record Settings(KinesisClient kinesis, SqsClient sqs, String streamName, String streamArn, String region,
                    String functionArn, String invokeIdentityArn, EventSourceMappingConfig config,
                    RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                    KinesisEventSourceMapping.Counters counters, CountDownLatch stopSignal) {
    }

    private enum Kind { SUCCESS, PARTIAL, FUNCTION_ERROR, INVALID_RESPONSE }

    private record Outcome(Kind kind, int failedIndex) {
        static final Outcome SUCCESS = new Outcome(Kind.SUCCESS, -1);
        static final Outcome FUNCTION_ERROR = new Outcome(Kind.FUNCTION_ERROR, -1);
        static final Outcome INVALID_RESPONSE = new Outcome(Kind.INVALID_RESPONSE, -1);
    }

    private final Settings s;
    private final EventSourceMappingConfig config;
    private final String shardId;

    // Worker-thread state.
    private final List<Record> buffer = new ArrayList<>();
    /** Sizes of the pending halves of bisected batches, first to invoke first. */
    private final Deque<Integer> segments = new ArrayDeque<>();
    private String iterator;
    private String lastFetchedSequence;
    private long windowStartNanos;
    /** Failed invocations that included the record now at the head of the buffer. */
    private int headFailures;
    private int consecutiveFailures;
    private String lastRequestId;
    private boolean lastInvocationThrew;
    private boolean warnedIgnoredFailures;

    // Published to other threads.
    private volatile long millisBehindLatest = -1;
    private volatile long lastIdlePollStartNanos;
    private volatile boolean idlePollSeen;
    private volatile boolean busy;
    private volatile boolean ended;
    private volatile boolean crashed;

    ShardWorker(Settings settings, String shardId) {
        this.s = settings;
        this.config = settings.config();
        this.shardId = shardId;
    }

    String shardId() {
        return shardId;
    }

    long millisBehindLatest() {
        return millisBehindLatest;
    }

    /**
     * @return whether, since {@code sinceNanos}, a GetRecords started and came back empty and caught up with nothing
     *         buffered or in flight (or the shard ended)
     */
    boolean idleSince(long sinceNanos) {
        if (crashed) {
            return false;
        }
        if (ended) {
            return true;
        }
        return !busy && idlePollSeen && lastIdlePollStartNanos - sinceNanos >= 0;
    }

    @Override
    public void run() {
        try {
            iterator = initialIterator();
            while (!stopped()) {
                if (buffer.size() < config.batchSize() && iterator != null && !poll()) {
                    continue;
                }
                if (buffer.isEmpty()) {
                    if (iterator == null) {
                        ended = true;
                        LOG.info("shard ended: stream={} shard={}", s.streamName(), shardId);
                        return;
                    }
                    pause(config.pollInterval());
                    continue;
                }
                long windowLeft = config.maximumBatchingWindow().toNanos() - (System.nanoTime() - windowStartNanos);
                if (buffer.size() < config.batchSize() && iterator != null && windowLeft > 0) {
                    pause(Duration.ofNanos(Math.min(windowLeft, config.pollInterval().toNanos())));
                    continue;
                }
                processNextBatch();
            }
        } catch (StopRequested e) {
            // closing
        } catch (RuntimeException | Error e) {
            crashed = true;
            LOG.error("event source mapping worker crashed: stream={} shard={}", s.streamName(), shardId, e);
        } finally {
            busy = false;
        }
    }

    // ---------------------------------------------------------------- reading

    private String initialIterator() {
        ShardIteratorType type = config.startingPosition() == StartingPosition.LATEST
                ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON;
        return getIterator(GetShardIteratorRequest.builder().streamName(s.streamName()).shardId(shardId)
                .shardIteratorType(type).build());
    }

    private String getIterator(GetShardIteratorRequest request) {
        while (true) {
            try {
                return s.kinesis().getShardIterator(request).shardIterator();
            } catch (SdkException e) {
                if (stopped()) {
                    throw new StopRequested();
                }
                LOG.warn("GetShardIterator failed: stream={} shard={} error={}", s.streamName(), shardId,
                        e.toString());
                pause(ERROR_BACKOFF);
            }
        }
    }

    /** One GetRecords call. @return false if it failed (already backed off) */
    private boolean poll() {
        long start = System.nanoTime();
        int limit = config.batchSize() - buffer.size();
        GetRecordsResponse response;
        try {
            String it = iterator;
            response = s.kinesis().getRecords(b -> b.shardIterator(it).limit(limit));
        } catch (ExpiredIteratorException e) {
            iterator = lastFetchedSequence == null ? initialIterator()
                    : getIterator(GetShardIteratorRequest.builder().streamName(s.streamName()).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .startingSequenceNumber(lastFetchedSequence).build());
            return false;
        } catch (ProvisionedThroughputExceededException e) {
            pause(config.pollInterval());
            return false;
        } catch (SdkException e) {
            if (stopped()) {
                throw new StopRequested();
            }
            LOG.warn("GetRecords failed: stream={} shard={} error={}", s.streamName(), shardId, e.toString());
            pause(ERROR_BACKOFF);
            return false;
        }
        iterator = response.nextShardIterator();
        long lag = response.millisBehindLatest() == null ? 0 : response.millisBehindLatest();
        millisBehindLatest = lag;
        List<Record> records = response.records();
        if (!records.isEmpty()) {
            if (buffer.isEmpty()) {
                windowStartNanos = System.nanoTime();
            }
            buffer.addAll(records);
            lastFetchedSequence = records.get(records.size() - 1).sequenceNumber();
            busy = true;
        } else if (buffer.isEmpty() && lag == 0) {
            lastIdlePollStartNanos = start;
            idlePollSeen = true;
        }
        return true;
    }

    // ---------------------------------------------------------------- invoking

    private void processNextBatch() {
        int n = Math.min(buffer.size(), config.batchSize());
        if (!segments.isEmpty()) {
            n = Math.min(n, segments.peekFirst());
        }
        List<Record> batch = List.copyOf(buffer.subList(0, n));

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
                checkpoint(n);
                headFailures = 0;
                consecutiveFailures = 0;
            }
            case PARTIAL -> {
                int failedAt = outcome.failedIndex();
                if (failedAt > 0) {
                    checkpoint(failedAt);
                    headFailures = 1;
                } else {
                    headFailures++;
                }
                afterFailure(n - failedAt);
            }
            case FUNCTION_ERROR -> {
                if (config.bisectBatchOnFunctionError() && n > 1) {
                    bisect(n);
                    s.counters().retries.incrementAndGet();
                    consecutiveFailures++;
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

    /** The first {@code remaining} buffered records failed: retry them, or discard them if retries ran out. */
    private void afterFailure(int remaining) {
        int max = config.maximumRetryAttempts();
        if (max != EventSourceMappingConfig.INFINITE_RETRIES && headFailures > max) {
            discard(remaining, OnFailureRecord.RETRY_ATTEMPTS_EXHAUSTED);
            return;
        }
        s.counters().retries.incrementAndGet();
        consecutiveFailures++;
        backoff();
    }

    private Outcome invoke(List<Record> batch) {
        KinesisEvent event = toEvent(batch);
        LocalLambdaContext context = new LocalLambdaContext(config.functionName(), s.functionArn(),
                config.memoryLimitMb(), config.functionTimeout());
        lastRequestId = context.getAwsRequestId();
        s.counters().invocations.incrementAndGet();
        s.counters().recordsDelivered.addAndGet(batch.size());
        long t0 = System.nanoTime();
        StreamsEventResponse response;
        try {
            response = s.handler().handleRequest(event, context);
        } catch (Throwable t) { // NOPMD - Lambda's runtime reports any throwable as a function error
            lastInvocationThrew = true;
            s.counters().handlerErrors.incrementAndGet();
            LOG.warn("handler failed: requestId={} stream={} shard={} firstSequence={} records={} error={}",
                    lastRequestId, s.streamName(), shardId, batch.get(0).sequenceNumber(), batch.size(),
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
            s.counters().handlerErrors.incrementAndGet();
            LOG.warn("Task timed out after {} ms (timeout {}): requestId={} stream={} shard={}", elapsedMs,
                    config.functionTimeout(), lastRequestId, s.streamName(), shardId);
            return Outcome.FUNCTION_ERROR;
        }
        lastInvocationThrew = false;
        return interpret(response, batch);
    }

    /** Lambda's rules for a Kinesis partial batch response. */
    private Outcome interpret(StreamsEventResponse response, List<Record> batch) {
        if (response == null || response.getBatchItemFailures() == null
                || response.getBatchItemFailures().isEmpty()) {
            return Outcome.SUCCESS;
        }
        if (!config.reportBatchItemFailures()) {
            s.counters().ignoredPartialBatchFailures.incrementAndGet();
            if (!warnedIgnoredFailures) {
                warnedIgnoredFailures = true;
                LOG.warn("handler reported {} batchItemFailures but reportBatchItemFailures is off: the batch "
                                + "counts as a success and those records will not be retried (stream={} shard={})",
                        response.getBatchItemFailures().size(), s.streamName(), shardId);
            }
            return Outcome.SUCCESS;
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            positions.put(batch.get(i).sequenceNumber(), i);
        }
        int lowest = Integer.MAX_VALUE;
        for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            String id = failure == null ? null : failure.getItemIdentifier();
            Integer position = id == null || id.isEmpty() ? null : positions.get(id);
            if (position == null) {
                LOG.warn("batchItemFailures lists itemIdentifier '{}', which is not a sequence number of the batch:"
                        + " whole batch failed (requestId={} shard={})", id, lastRequestId, shardId);
                return Outcome.INVALID_RESPONSE;
            }
            // Records of a shard are in ascending sequence-number order: lowest position = lowest sequence number.
            lowest = Math.min(lowest, position);
        }
        s.counters().partialBatchFailures.incrementAndGet();
        return new Outcome(Kind.PARTIAL, lowest);
    }

    private KinesisEvent toEvent(List<Record> batch) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>(batch.size());
        for (Record r : batch) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setKinesisSchemaVersion("1.0");
            kinesis.setPartitionKey(r.partitionKey());
            kinesis.setSequenceNumber(r.sequenceNumber());
            // A fresh, writable heap buffer per delivery: what Lambda's deserializer gives, and a retry is not
            // affected by a handler that consumed the previous delivery's buffer.
            kinesis.setData(ByteBuffer.wrap(r.data().asByteArray()));
            if (r.approximateArrivalTimestamp() != null) {
                kinesis.setApproximateArrivalTimestamp(Date.from(r.approximateArrivalTimestamp()));
            }
            kinesis.setEncryptionType(r.encryptionTypeAsString());

            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setEventSource("aws:kinesis");
            record.setEventVersion("1.0");
            record.setEventID(shardId + ":" + r.sequenceNumber());
            record.setEventName("aws:kinesis:record");
            record.setInvokeIdentityArn(s.invokeIdentityArn());
            record.setAwsRegion(s.region());
            record.setEventSourceARN(s.streamArn());
            record.setKinesis(kinesis);
            records.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }

    // ---------------------------------------------------------------- checkpoint, bisect, discard

    /** Drops the first {@code n} buffered records: they are done (processed or discarded). */
    private void checkpoint(int n) {
        buffer.subList(0, n).clear();
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
        if (buffer.isEmpty()) {
            busy = false;
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
        List<Record> discarded = List.copyOf(buffer.subList(0, count));
        boolean neverInvoked = OnFailureRecord.RECORD_AGE_EXCEEDED.equals(condition) && headFailures == 0;
        String json = OnFailureRecord.json(neverInvoked || lastRequestId == null
                        ? UUID.randomUUID().toString() : lastRequestId,
                s.functionArn(), condition, Math.max(headFailures, 0),
                lastInvocationThrew && !neverInvoked ? "Unhandled" : null,
                shardId, s.streamArn(), discarded, Instant.now());
        s.counters().batchesDiscarded.incrementAndGet();
        s.counters().recordsDiscarded.addAndGet(count);
        String destination = config.onFailureDestinationQueueUrl().orElse(null);
        LOG.warn("discarding batch: condition={} stream={} shard={} startSequence={} endSequence={} records={} "
                        + "invokeCount={} destination={}", condition, s.streamName(), shardId,
                discarded.get(0).sequenceNumber(), discarded.get(count - 1).sequenceNumber(), count, headFailures,
                destination == null ? "none" : destination);
        if (destination != null) {
            sendToDestination(destination, json);
        }
        checkpoint(count);
        headFailures = 0;
        consecutiveFailures = 0;
    }

    private void sendToDestination(String queueUrl, String json) {
        for (int attempt = 1; ; attempt++) {
            try {
                s.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody(json));
                s.counters().batchesSentToOnFailureDestination.incrementAndGet();
                return;
            } catch (SdkException e) {
                if (attempt >= 3 || stopped()) {
                    LOG.error("cannot send on-failure record to {}: {} (record: {})", queueUrl, e.toString(), json);
                    return;
                }
                pause(ERROR_BACKOFF);
            }
        }
    }

    // ---------------------------------------------------------------- timing

    private void backoff() {
        long base = config.retryBackoffBase().toMillis();
        long max = config.retryBackoffMax().toMillis();
        int exponent = Math.min(Math.max(consecutiveFailures - 1, 0), 30);
        long delay = Math.min(max, base * (1L << exponent));
        if (delay > 0) {
            pause(Duration.ofMillis(delay));
        }
    }

    private boolean stopped() {
        return s.stopSignal().getCount() == 0;
    }

    /** Sleeps, waking at once when the mapping closes. */
    private void pause(Duration duration) {
        try {
            if (s.stopSignal().await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StopRequested();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequested();
        }
    }

    /** Unwinds the worker loop when the mapping closes. */
    private static final class StopRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopRequested() {
            super(null, null, false, false);
        }
    }
}

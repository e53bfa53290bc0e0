package io.waybill.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.waybill.aws.ops.ConsumerMarks;
import io.waybill.domain.ops.ConsumerWatermarks;

/**
 * "One KCL batch -> the Lambda handler, with Lambda's semantics", independent of KCL (KCL's
 * {@code RecordProcessorCheckpointer} hides behind {@link BatchCheckpointer}). For one batch of one shard, in shard
 * order, {@link #process}:
 * <ol>
 *   <li>invokes the handler ({@code RequestHandler<KinesisEvent, StreamsEventResponse>}, the class Lambda runs) with
 *       the {@link KinesisEvent} built as Lambda builds it (eventID {@code shardId:sequenceNumber},
 *       eventSourceARN, region, ...);</li>
 *   <li>partial batch response: the records before the <em>lowest</em> failed sequence number are done; the suffix
 *       from it is re-driven in process after a backoff ({@code retryBackoff}, doubling up to
 *       {@code retryBackoffMax}). A handler exception, or a failure whose {@code itemIdentifier} is not a sequence
 *       number of the invocation, fails the whole unfinished suffix;</li>
 *   <li>after {@code maxAttempts} invocations that all failed on the same first record, the unfinished suffix is
 *       given up: an on-failure record (metadata only, Lambda's JSON shape, condition
 *       {@code RetryAttemptsExhausted}) goes to the {@link OnFailureDestination} and the shard moves on, so a
 *       poison batch cannot stall it. Moving on needs that record written: while the destination refuses it, the
 *       send is retried with the backoff and the shard is held (never checkpointed past records of which no trace
 *       remains);</li>
 *   <li>only then, with the whole batch done, checkpoints the batch's last sequence number (once).</li>
 * </ol>
 * If {@link #stop()} is called while a batch is being retried, {@code process} returns at the next backoff without
 * checkpointing: whoever holds the lease next gets the batch again (at least once, as with Lambda; the event store's
 * conditional put absorbs the repeat).
 *
 * <p>Thread-safe: calls for different shards may run concurrently (KCL calls one shard's processor from one thread
 * at a time). Only the counters are shared.
 */
public final class LambdaBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaBatchProcessor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lambda's on-failure condition when the retries ran out. */
    public static final String RETRY_ATTEMPTS_EXHAUSTED = "RetryAttemptsExhausted";

    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final String streamArn;
    private final String functionName;
    private final String functionArn;
    private final KinesisBatch events;
    private final int maxAttempts;
    private final Duration backoff;
    private final Duration backoffMax;
    private final OnFailureDestination onFailure;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    /** Where each checkpointed batch advances {@link ConsumerWatermarks#STREAM_WORKER}; null: nowhere. */
    private final ConsumerWatermarks watermarks;
    private final Clock clock;

    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final AtomicLong partialFailures = new AtomicLong();
    private final AtomicLong recordsSucceeded = new AtomicLong();
    private final AtomicLong recordsSentToOnFailure = new AtomicLong();
    private final AtomicLong batchesCheckpointed = new AtomicLong();
    private final AtomicLong onFailureSendErrors = new AtomicLong();

    /**
     * @param handler      the Lambda handler
     * @param streamArn    the stream's ARN ({@code eventSourceARN}; its region and account make the function ARN)
     * @param functionName name reported to the handler's context (e.g. the KCL application name)
     * @param maxAttempts  invocations of the same first record before the unfinished suffix is given up (>= 1)
     * @param backoff      first wait before a re-drive
     * @param backoffMax   longest wait
     * @param onFailure    where given-up batches' metadata goes
     */
    public LambdaBatchProcessor(RequestHandler<KinesisEvent, StreamsEventResponse> handler, String streamArn,
                                String functionName, int maxAttempts, Duration backoff, Duration backoffMax,
                                OnFailureDestination onFailure) {
        this(handler, streamArn, functionName, maxAttempts, backoff, backoffMax, onFailure, null, Clock.systemUTC());
    }

    /**
     * As above, each checkpointed batch also advancing the worker's consumer watermark
     * ({@value ConsumerWatermarks#STREAM_WORKER}) to the batch's newest stream arrival, best effort
     * ({@link ConsumerMarks}: a failed write is logged, the shard moves on).
     *
     * @param watermarks the consumer watermarks, or null (nothing recorded)
     * @param clock      when a batch was processed
     */
    public LambdaBatchProcessor(RequestHandler<KinesisEvent, StreamsEventResponse> handler, String streamArn,
                                String functionName, int maxAttempts, Duration backoff, Duration backoffMax,
                                OnFailureDestination onFailure, ConsumerWatermarks watermarks, Clock clock) {
        this.watermarks = watermarks;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.streamArn = Objects.requireNonNull(streamArn, "streamArn");
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.backoffMax = Objects.requireNonNull(backoffMax, "backoffMax");
        String[] parts = KinesisBatch.arnParts(streamArn);
        this.functionArn = KinesisBatch.functionArn(parts[3], parts[4], functionName);
        this.events = new KinesisBatch(streamArn, parts[3], KinesisBatch.defaultRoleArn(parts[4], functionName));
    }

    /** Stops: a batch being retried returns unfinished (not checkpointed) at its next backoff. Idempotent. */
    public void stop() {
        stopSignal.countDown();
    }

    public boolean stopped() {
        return stopSignal.getCount() == 0;
    }

    /**
     * Processes one batch of one shard (see the class documentation) and checkpoints it when done.
     *
     * @param shardId      shard the records come from
     * @param records      the batch, in shard order
     * @param checkpointer checkpoints the shard
     * @return what was done
     */
    public BatchReport process(String shardId, List<StreamRecord> records, BatchCheckpointer checkpointer) {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(checkpointer, "checkpointer");
        List<StreamRecord> batch = List.copyOf(records);
        if (batch.isEmpty()) {
            return new BatchReport(shardId, 0, 0, 0, 0, 0, Optional.empty(), true);
        }
        int done = 0;
        int succeeded = 0;
        int given = 0;
        int invoked = 0;
        int retried = 0;
        int headAttempts = 0;
        String lastRequestId = null;
        boolean lastThrew = false;
        while (done < batch.size()) {
            if (stopped()) {
                return new BatchReport(shardId, batch.size(), succeeded, given, invoked, retried, Optional.empty(),
                        false);
            }
            List<StreamRecord> suffix = batch.subList(done, batch.size());
            LambdaInvocationContext context = LambdaInvocationContext.forWorker(functionName, functionArn);
            lastRequestId = context.getAwsRequestId();
            invoked++;
            if (invoked > 1) {
                retried++;
                retries.incrementAndGet();
            }
            invocations.incrementAndGet();
            int failedAt; // index in suffix of the first record to re-drive; -1 = all done
            try {
                StreamsEventResponse response = handler.handleRequest(events.event(shardId, suffix), context);
                lastThrew = false;
                failedAt = lowestFailure(response, suffix, shardId, lastRequestId);
            } catch (RuntimeException | StackOverflowError e) {
                lastThrew = true;
                handlerErrors.incrementAndGet();
                LOG.warn("handler failed: requestId={} shard={} firstSequence={} records={} error={}",
                        lastRequestId, shardId, suffix.get(0).sequenceNumber(), suffix.size(), e.toString());
                failedAt = 0;
            }
            if (failedAt < 0) {
                succeeded += suffix.size();
                done = batch.size();
                break;
            }
            if (failedAt > 0) {
                succeeded += failedAt;
                done += failedAt;
                headAttempts = 1; // the new first record failed once
            } else {
                headAttempts++;
            }
            if (headAttempts >= maxAttempts) {
                List<StreamRecord> rest = batch.subList(done, batch.size());
                if (!giveUp(shardId, rest, headAttempts, lastRequestId, lastThrew)) {
                    // The on-failure record is the only trace of the given-up records: without it, checkpointing
                    // past them would lose them once the stream trims them. Hold the shard instead.
                    return new BatchReport(shardId, batch.size(), succeeded, given, invoked, retried,
                            Optional.empty(), false);
                }
                given += rest.size();
                done = batch.size();
                break;
            }
            if (!pause(headAttempts)) {
                return new BatchReport(shardId, batch.size(), succeeded, given, invoked, retried, Optional.empty(),
                        false);
            }
        }
        recordsSucceeded.addAndGet(succeeded);
        String last = batch.get(batch.size() - 1).sequenceNumber();
        Optional<String> checkpointed = Optional.empty();
        try {
            checkpointer.checkpoint(last);
            checkpointed = Optional.of(last);
            batchesCheckpointed.incrementAndGet();
            batch.stream().map(StreamRecord::approximateArrival).filter(Objects::nonNull).max(Instant::compareTo)
                    .ifPresent(a -> ConsumerMarks.advance(watermarks, ConsumerWatermarks.STREAM_WORKER, a,
                            clock.instant()));
        } catch (RuntimeException e) {
            LOG.warn("checkpoint {} on shard {} not written ({}): the batch will be delivered again", last, shardId,
                    e.toString());
        }
        return new BatchReport(shardId, batch.size(), succeeded, given, invoked, retried, checkpointed, true);
    }

    /** @return the index (in {@code invoked}) of the lowest failed record, or -1 if the invocation succeeded */
    private int lowestFailure(StreamsEventResponse response, List<StreamRecord> invoked, String shardId,
                              String requestId) {
        KinesisBatch.LowestFailure failure = KinesisBatch.lowestFailure(response, invoked,
                StreamRecord::sequenceNumber);
        if (failure.none()) {
            return -1;
        }
        if (failure.unknown()) {
            LOG.warn("batchItemFailures lists '{}', not a sequence number of the invocation: whole batch failed "
                    + "(requestId={} shard={})", failure.unknownId(), requestId, shardId);
            return 0;
        }
        partialFailures.incrementAndGet();
        return failure.index();
    }

    /**
     * Sends the given-up suffix's on-failure record, retrying with the batch backoff for as long as it takes: the
     * shard does not move past records whose on-failure record was not written (the iterator-age alarm tells that it
     * is held).
     *
     * @return {@code true} once sent; {@code false} if stopped first (nothing is checkpointed, the next lease holder
     *         gets the batch again)
     */
    private boolean giveUp(String shardId, List<StreamRecord> rest, int attempts, String requestId, boolean threw) {
        String json = onFailureRecord(shardId, rest, attempts, requestId, threw);
        LOG.error("giving up batch after {} attempts: shard={} startSequence={} endSequence={} records={}: "
                        + "sending it to the on-failure destination and checkpointing past it", attempts, shardId,
                rest.get(0).sequenceNumber(), rest.get(rest.size() - 1).sequenceNumber(), rest.size());
        for (int attempt = 1; ; attempt++) {
            try {
                onFailure.send(json);
                recordsSentToOnFailure.addAndGet(rest.size());
                return true;
            } catch (RuntimeException e) {
                onFailureSendErrors.incrementAndGet();
                LOG.error("on-failure record not sent (attempt {}, {}); holding shard {} at {} until it is: {}",
                        attempt, e.toString(), shardId, rest.get(0).sequenceNumber(), json);
                if (!pause(attempt)) {
                    return false;
                }
            }
        }
    }

    /** Lambda's on-failure record for a Kinesis batch (metadata only, never the data). */
    String onFailureRecord(String shardId, List<StreamRecord> rest, int attempts, String requestId, boolean threw) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode request = root.putObject("requestContext");
        request.put("requestId", requestId);
        request.put("functionArn", functionArn);
        request.put("condition", RETRY_ATTEMPTS_EXHAUSTED);
        request.put("approximateInvokeCount", attempts);
        ObjectNode response = root.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        if (threw) {
            response.put("functionError", "Unhandled");
        }
        root.put("version", "1.0");
        root.put("timestamp", Instant.now().toString());
        ObjectNode info = root.putObject("KinesisBatchInfo");
        info.put("shardId", shardId);
        info.put("startSequenceNumber", rest.get(0).sequenceNumber());
        info.put("endSequenceNumber", rest.get(rest.size() - 1).sequenceNumber());
        Instant first = rest.get(0).approximateArrival();
        Instant last = rest.get(rest.size() - 1).approximateArrival();
        info.put("approximateArrivalOfFirstRecord", first == null ? null : first.toString());
        info.put("approximateArrivalOfLastRecord", last == null ? null : last.toString());
        info.put("batchSize", rest.size());
        info.put("streamArn", streamArn);
        return root.toString();
    }

    /** @return {@code false} if stopped while waiting */
    private boolean pause(int attempt) {
        long base = backoff.toMillis();
        long delay = Math.min(backoffMax.toMillis(), base * (1L << Math.min(Math.max(attempt - 1, 0), 30)));
        try {
            return !stopSignal.await(delay, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return a one-line summary of the counters since start */
    public String statsLine() {
        return "invocations=" + invocations.get() + " retries=" + retries.get() + " handlerErrors="
                + handlerErrors.get() + " partialBatchFailures=" + partialFailures.get() + " recordsSucceeded="
                + recordsSucceeded.get() + " recordsSentToOnFailure=" + recordsSentToOnFailure.get()
                + " batchesCheckpointed=" + batchesCheckpointed.get() + " onFailureSendErrors=" + onFailureSendErrors.get();
    }

    public long invocations() {
        return invocations.get();
    }

    public long recordsSucceeded() {
        return recordsSucceeded.get();
    }

    public long recordsSentToOnFailure() {
        return recordsSentToOnFailure.get();
    }
}

package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.KinesisEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.sqs.IQueue;

/**
 * A Lambda consumer of one of the stage's streams ({@link IngestService} on the telemetry stream,
 * {@link ColdChainService} on the canonical event stream): the event source mapping on the function's SnapStart alias,
 * with the settings every consumer shares. Its handler returns a {@code StreamsEventResponse} naming the first record
 * to redeliver: ReportBatchItemFailures must be on, or its partial failures would be ignored and whole batches retried
 * (STYLE.md, "Pitfalls seen in peers").
 *
 * <p><b>Nothing is skipped while it is still on the stream.</b> A batch that fails is retried without a limit on the
 * number of attempts ({@value #RETRY_ATTEMPTS}); it is given up (its metadata to the on-failure queue) only once its
 * records are {@link #maxRecordAge(Duration)} old: the stream's retention less {@link #RETENTION_SAFETY_MARGIN}. With
 * a fixed record age shorter than the retention a dependency outage longer than that age lost records that were still
 * on the stream; with one longer than the retention Kinesis trims records the mapping is still retrying, and the
 * on-failure message points at records that no longer exist. The margin leaves the batch on the stream for an hour
 * after it is given up, to be read again from its sequence numbers ({@code ./waybill replay}). The age is derived from
 * the stream's own retention, so the two cannot drift. A consumer falling behind pages long before that
 * ({@code iteratorAgeAlarmMinutes}, {@link OperationalAlarms}).
 */
final class StreamConsumer {
    /** Mirrors the local event source mapping (local-runtime EventSourceMappingConfig): 100 records a batch. */
    static final int BATCH_SIZE = 100;
    /** Wait up to a second to fill a batch: fewer, fuller invocations at telemetry rates. */
    static final Duration MAX_BATCHING_WINDOW = Duration.seconds(1);
    /** Lambda's "infinite": a failing batch is retried (bisected on each function error) until its record age. */
    static final int RETRY_ATTEMPTS = -1;
    /** How long before the stream trims a record the mapping gives it up. */
    static final Duration RETENTION_SAFETY_MARGIN = Duration.hours(1);
    /** Lambda's largest {@code MaximumRecordAgeInSeconds}: a week (a stream may keep records up to a year). */
    static final Duration LAMBDA_MAX_RECORD_AGE = Duration.days(7);

    private StreamConsumer() {
    }

    /**
     * The age at which a record of a stream kept {@code retention} is given up: the retention less
     * {@link #RETENTION_SAFETY_MARGIN}, at most {@link #LAMBDA_MAX_RECORD_AGE}.
     */
    static Duration maxRecordAge(Duration retention) {
        long seconds = Math.min(retention.toSeconds().longValue() - RETENTION_SAFETY_MARGIN.toSeconds().longValue(),
                LAMBDA_MAX_RECORD_AGE.toSeconds().longValue());
        return Duration.seconds(seconds);
    }

    /**
     * Maps {@code source} to {@code alias} from the trim horizon, {@code parallelizationFactor} batches per shard at a
     * time, retried until {@link #maxRecordAge(Duration)}; batches given up go to {@code failedBatches}.
     */
    static void attach(Alias alias, EncryptedStream source, IQueue failedBatches, int parallelizationFactor) {
        alias.addEventSource(KinesisEventSource.Builder.create(source.stream())
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(BATCH_SIZE)
                .maxBatchingWindow(MAX_BATCHING_WINDOW)
                .reportBatchItemFailures(true)
                .bisectBatchOnError(true)
                .retryAttempts(RETRY_ATTEMPTS)
                .maxRecordAge(maxRecordAge(source.retention()))
                .parallelizationFactor(parallelizationFactor)
                .onFailure(new SqsDlq(failedBatches))
                .build());
    }
}

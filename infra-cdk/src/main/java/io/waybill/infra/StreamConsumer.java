package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.KinesisEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.sqs.IQueue;

/**
 * A consumer of the telemetry stream ({@link IngestService}, {@link ColdChainService}): the event source mapping on
 * the function's SnapStart alias, with the settings every consumer shares. Its handler returns a
 * {@code StreamsEventResponse} naming the first record to redeliver: ReportBatchItemFailures must be on, or its
 * partial failures would be ignored and whole batches retried (STYLE.md, "Pitfalls seen in peers").
 */
final class StreamConsumer {
    /** Mirrors the local event source mapping (local-runtime EventSourceMappingConfig): 100 records a batch. */
    static final int BATCH_SIZE = 100;
    /** Wait up to a second to fill a batch: fewer, fuller invocations at telemetry rates. */
    static final Duration MAX_BATCHING_WINDOW = Duration.seconds(1);
    /** As locally: a poison batch is retried 5 times (bisected on each failure), then goes to the on-failure queue. */
    static final int RETRY_ATTEMPTS = 5;
    /** Records older than a day are sent to the on-failure queue instead of blocking the shard. */
    static final Duration MAX_RECORD_AGE = Duration.hours(24);

    private StreamConsumer() {
    }

    /**
     * Maps {@code stream} to {@code alias} from the trim horizon, {@code parallelizationFactor} batches per shard at a
     * time; batches that exhaust their retries or their record age go to {@code failedBatches}.
     */
    static void attach(Alias alias, TelemetryStream stream, IQueue failedBatches, int parallelizationFactor) {
        alias.addEventSource(KinesisEventSource.Builder.create(stream.stream())
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(BATCH_SIZE)
                .maxBatchingWindow(MAX_BATCHING_WINDOW)
                .reportBatchItemFailures(true)
                .bisectBatchOnError(true)
                .retryAttempts(RETRY_ATTEMPTS)
                .maxRecordAge(MAX_RECORD_AGE)
                .parallelizationFactor(parallelizationFactor)
                .onFailure(new SqsDlq(failedBatches))
                .build());
    }
}

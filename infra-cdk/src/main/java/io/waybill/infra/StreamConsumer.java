package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.DlqDestinationConfig;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.lambda.IEventSourceDlq;
import software.amazon.awscdk.services.lambda.IEventSourceMapping;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.sqs.IQueue;

import java.util.List;

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
 *
 * <p><b>Grants.</b> The mapping is the one CDK's {@code KinesisEventSource} builds (same construct id, so the same
 * logical id: a replaced mapping would start again from the trim horizon), but its grants are written here: the
 * Kinesis actions Lambda's documentation lists for a stream event source, {@code sqs:SendMessage} on the on-failure
 * queue, and the two keys only through Kinesis and SQS ({@link KeyUse}); CDK's {@code grantRead} and {@code SqsDlq}
 * would add {@code kinesis:ListStreams}/{@code DescribeStreamConsumer}, {@code sqs:GetQueueAttributes}/{@code GetQueueUrl}
 * and key grants without a {@code kms:ViaService} condition.
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

    /** What Lambda's documentation lists for a Kinesis event source's execution role. */
    static final List<String> STREAM_READ_ACTIONS = List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:SubscribeToShard");

    /**
     * Maps {@code source} to {@code alias} from the trim horizon, {@code parallelizationFactor} batches per shard at a
     * time, retried until {@link #maxRecordAge(Duration)}; batches given up go to {@code failedBatches}, encrypted with
     * {@code failedBatchesKey}.
     */
    static void attach(Alias alias, EncryptedStream source, IQueue failedBatches, IKey failedBatchesKey,
                       int parallelizationFactor) {
        alias.addEventSourceMapping("KinesisEventSource:" + Names.nodeUniqueId(source.stream().getNode()),
                EventSourceMappingOptions.builder()
                        .eventSourceArn(source.stream().getStreamArn())
                        .startingPosition(StartingPosition.TRIM_HORIZON)
                        .batchSize(BATCH_SIZE)
                        .maxBatchingWindow(MAX_BATCHING_WINDOW)
                        .reportBatchItemFailures(true)
                        .bisectBatchOnError(true)
                        .retryAttempts(RETRY_ATTEMPTS)
                        .maxRecordAge(maxRecordAge(source.retention()))
                        .parallelizationFactor(parallelizationFactor)
                        .onFailure(new OnFailureQueue(failedBatches))
                        .build());
        alias.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(STREAM_READ_ACTIONS)
                .resources(List.of(source.stream().getStreamArn()))
                .build());
        KeyUse.allow(alias, source.key(), KeyUse.KINESIS, "kms:Decrypt");
        alias.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(failedBatches.getQueueArn()))
                .build());
        // SQS server-side encryption: a producer needs GenerateDataKey and Decrypt (to reuse a cached data key).
        KeyUse.allow(alias, failedBatchesKey, KeyUse.SQS, "kms:GenerateDataKey", "kms:Decrypt");
    }

    /** The on-failure destination {@code SqsDlq} would render, without its grants ({@link #attach} writes them). */
    private static final class OnFailureQueue implements IEventSourceDlq {
        private final IQueue queue;

        OnFailureQueue(IQueue queue) {
            this.queue = queue;
        }

        @Override
        public DlqDestinationConfig bind(IEventSourceMapping target, IFunction targetHandler) {
            return DlqDestinationConfig.builder().destination(queue.getQueueArn()).build();
        }
    }
}

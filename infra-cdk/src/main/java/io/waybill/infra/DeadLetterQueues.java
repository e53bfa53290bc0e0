package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.List;

/**
 * Where records that could not be processed wait for a person (and {@code ./waybill replay-dlq}):
 * <ul>
 * <li>{@link #ingestDeadLetters()}: records the ingest function rejected as permanently bad (its
 * {@code WAYBILL_DEAD_LETTER_QUEUE_URL});</li>
 * <li>{@link #failedBatches()}: the event source mapping's on-failure destination, metadata of batches that
 * exhausted their retries or their record age;</li>
 * <li>{@link #iotRuleErrors()}: the IoT rule's error action, messages the rule could not put on the stream;</li>
 * <li>{@link #coldChainFailedBatches()}: the cold-chain mapping's on-failure destination (as
 * {@link #failedBatches()} for ingest);</li>
 * <li>{@link #kpiAggregatorFailedBatches()}: the KPI aggregator mapping's on-failure destination;</li>
 * <li>{@link #edgeAcknowledgementFailedBatches()}: the edge acknowledgement mapping's on-failure destination;</li>
 * <li>{@link #edgeSettlementsFailed()}: settlement notices the edge settlement function failed to confirm
 * {@value #SETTLEMENT_MAX_RECEIVES} times (the redrive queue of {@link #edgeSettlements()}).</li>
 * </ul>
 * All seven: one customer-managed key, TLS only, the 14-day maximum retention, and a maximum message size of
 * {@value #MAX_MESSAGE_SIZE_BYTES} bytes: SQS's classic 256 KiB, which the ingest function's inline limit matches
 * (AWS raised the default to 1 MiB in 2025; pinning it keeps the function's limit and the queue's one value).
 *
 * <p>Beside them, not a dead-letter queue itself and so not in {@link #all()}: {@link #edgeSettlements()}, where ingest
 * announces each dead-lettered edge message once its letter is kept (issue 12), read by the edge settlement function
 * ({@link EdgeAcknowledgement}); same key, TLS only, its failures to {@link #edgeSettlementsFailed()}.
 */
public final class DeadLetterQueues extends Construct {
    /** SQS' maximum retention: two weeks to notice, fix and re-drive. */
    public static final Duration RETENTION = Duration.days(14);
    /** The queues' {@code MaximumMessageSize}: a larger dead letter goes to {@link DeadLetterPayloads} (claim check). */
    public static final int MAX_MESSAGE_SIZE_BYTES = 262_144;
    /** Receives of a settlement notice before it goes to {@link #edgeSettlementsFailed()}. */
    public static final int SETTLEMENT_MAX_RECEIVES = 5;
    /**
     * How long a received settlement notice stays hidden: six times the settlement function's timeout, as AWS
     * recommends for an SQS event source (a batch still running is not handed out a second time).
     */
    public static final Duration SETTLEMENT_VISIBILITY_TIMEOUT =
            Duration.seconds(6 * EdgeAcknowledgement.SETTLEMENT_TIMEOUT_SECONDS);

    private final Key key;
    private final Queue ingestDeadLetters;
    private final Queue failedBatches;
    private final Queue iotRuleErrors;
    private final Queue coldChainFailedBatches;
    private final Queue kpiAggregatorFailedBatches;
    private final Queue edgeAcknowledgementFailedBatches;
    private final Queue edgeSettlementsFailed;
    private final Queue edgeSettlements;

    public DeadLetterQueues(Construct scope, String id, StageConfig config) {
        super(scope, id);
        // Deleted with the queues it encrypts (after KMS' 30-day pending window).
        this.key = CustomerKey.of(this, config, "dead-letter queues", "dead-letters", RemovalPolicy.DESTROY);
        this.ingestDeadLetters = queue("IngestDeadLetters", config.resourceName("ingest-dead-letters"));
        this.failedBatches = queue("IngestFailedBatches", config.resourceName("ingest-failed-batches"));
        this.iotRuleErrors = queue("IotRuleErrors", config.resourceName("iot-rule-errors"));
        this.coldChainFailedBatches = queue("ColdChainFailedBatches", config.resourceName("coldchain-failed-batches"));
        this.kpiAggregatorFailedBatches = queue("KpiAggregatorFailedBatches",
                config.resourceName("kpi-aggregator-failed-batches"));
        this.edgeAcknowledgementFailedBatches = queue("EdgeAcknowledgementFailedBatches",
                config.resourceName("edge-acknowledgement-failed-batches"));
        this.edgeSettlementsFailed = queue("EdgeSettlementsFailed", config.resourceName("edge-settlements-failed"));
        this.edgeSettlements = Queue.Builder.create(this, "EdgeSettlements")
                .queueName(config.resourceName("edge-settlements"))
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(key)
                .enforceSsl(true)
                .retentionPeriod(RETENTION)
                .visibilityTimeout(SETTLEMENT_VISIBILITY_TIMEOUT)
                .deadLetterQueue(software.amazon.awscdk.services.sqs.DeadLetterQueue.builder()
                        .queue(edgeSettlementsFailed).maxReceiveCount(SETTLEMENT_MAX_RECEIVES).build())
                .build();
    }

    private Queue queue(String id, String name) {
        return Queue.Builder.create(this, id)
                .queueName(name)
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(key)
                .enforceSsl(true)
                .retentionPeriod(RETENTION)
                .maxMessageSizeBytes(MAX_MESSAGE_SIZE_BYTES)
                .build();
    }

    public Queue ingestDeadLetters() {
        return ingestDeadLetters;
    }

    public Queue failedBatches() {
        return failedBatches;
    }

    public Queue iotRuleErrors() {
        return iotRuleErrors;
    }

    public Queue coldChainFailedBatches() {
        return coldChainFailedBatches;
    }

    public Queue kpiAggregatorFailedBatches() {
        return kpiAggregatorFailedBatches;
    }

    public Queue edgeAcknowledgementFailedBatches() {
        return edgeAcknowledgementFailedBatches;
    }

    public Queue edgeSettlementsFailed() {
        return edgeSettlementsFailed;
    }

    /** Settlement notices of dead-lettered edge messages (not a dead-letter queue: not in {@link #all()}). */
    public Queue edgeSettlements() {
        return edgeSettlements;
    }

    public List<Queue> all() {
        return List.of(ingestDeadLetters, failedBatches, iotRuleErrors, coldChainFailedBatches,
                kpiAggregatorFailedBatches, edgeAcknowledgementFailedBatches, edgeSettlementsFailed);
    }

    public Key key() {
        return key;
    }
}

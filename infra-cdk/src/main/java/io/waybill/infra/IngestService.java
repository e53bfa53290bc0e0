package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The ingest function (module {@code functions/ingest}, its shaded {@code -lambda.jar}) and the event source mapping
 * that feeds it the telemetry stream. The mapping is on the alias {@value #ALIAS_NAME} of the current version, so
 * SnapStart (which applies to published versions only) is what serves it. It publishes what it stored onto the
 * {@link CanonicalEventStream} ({@value #ENV_CANONICAL_STREAM_NAME}) and puts dead-letter payloads too large for SQS
 * into {@link DeadLetterPayloads} ({@value #ENV_DEAD_LETTER_BUCKET}).
 */
public final class IngestService extends Construct {
    public static final String HANDLER = "io.waybill.ingest.IngestHandler::handleRequest";
    public static final String ALIAS_NAME = "live";

    /*
     * Memory and timeout: measured locally (./waybill demo / bench) a 100-record batch takes handler -> stored
     * p50 ~0.4 s, p99 ~2.8 s under load. 1024 MB (on arm64 that is also more CPU for the JSON Schema check and
     * the SDK) and a 60 s timeout leave a wide margin over that p99. Both are starting points: re-measure on AWS
     * (Duration and IteratorAge in CloudWatch, Lambda Power Tuning) and adjust.
     */
    public static final int MEMORY_MB = 1024;
    public static final Duration TIMEOUT = Duration.seconds(60);

    /** Powertools EMF metrics (IngestTelemetry): service dimension and namespace. */
    public static final String METRICS_SERVICE = "ingest";
    public static final String METRICS_NAMESPACE = "Waybill";
    /** IngestConfig's default, set explicitly so the deployed value is visible on the function. */
    public static final int WRITE_CONCURRENCY = 4;
    /** The canonical event stream the function publishes stored events (and confirmed duplicates) to. */
    public static final String ENV_CANONICAL_STREAM_NAME = "WAYBILL_CANONICAL_STREAM_NAME";
    /** When id scheme 2 was deployed on a stage with scheme-1 data ({@link StageConfig#legacyIdCutover()}). */
    public static final String ENV_LEGACY_ID_CUTOVER = "WAYBILL_LEGACY_ID_CUTOVER";
    /** The claim-check bucket of dead letters larger than SQS accepts. */
    public static final String ENV_DEAD_LETTER_BUCKET = "WAYBILL_DEAD_LETTER_BUCKET";
    /** The largest dead letter sent whole: the queue's maximum message size. */
    public static final String ENV_DEAD_LETTER_INLINE_LIMIT_BYTES = "WAYBILL_DEAD_LETTER_INLINE_LIMIT_BYTES";
    /** The device registry table ingest checks devices against ({@link DeviceRegistry}). */
    public static final String ENV_DEVICE_REGISTRY_TABLE = "WAYBILL_DEVICE_REGISTRY_TABLE";
    /** {@code reject} or {@code flag}: an event about a shipment its device is not assigned to. */
    public static final String ENV_UNASSIGNED_POLICY = "WAYBILL_UNASSIGNED_POLICY";
    /** Where ingest announces each dead-lettered edge message once its letter is kept ({@link EdgeAcknowledgement}). */
    public static final String ENV_EDGE_SETTLEMENT_QUEUE_URL = "WAYBILL_EDGE_SETTLEMENT_QUEUE_URL";
    /** The dead-letter desk ({@link DeadLetterDesk}): each letter is recorded there before the queue. */
    public static final String ENV_DEAD_LETTER_TABLE = "WAYBILL_DEAD_LETTER_TABLE";
    /** The signature sequence reordering window; set only when the stage configures one. */
    public static final String ENV_REPLAY_WINDOW = "WAYBILL_REPLAY_WINDOW";
    /** Log retention of the function's log group. */
    public static final RetentionDays LOG_RETENTION = JavaFunction.LOG_RETENTION;

    private final Function function;
    private final Alias alias;
    private final Role role;

    public IngestService(Construct scope, String id, StageConfig config, Path ingestJar, TelemetryStream stream,
                         EventStore store, DeadLetterQueues queues, CanonicalEventStream canonical,
                         DeadLetterPayloads payloads, DeviceRegistry devices, DeadLetterDesk desk) {
        super(scope, id);
        String functionName = config.resourceName("ingest");
        // An own role with inline, resource-scoped statements instead of AWSLambdaBasicExecutionRole (a managed
        // policy granting logs:* on every log group).
        JavaFunction ingest = JavaFunction.in(this, functionName)
                .roleDescription("Waybill " + config.stage() + " ingest function")
                .description("Kinesis -> normalise -> event store + shipment projection, bad input to the DLQ")
                .handler(HANDLER)
                .code(ingestJar, "functions/ingest")
                .memoryMb(MEMORY_MB)
                .timeout(TIMEOUT)
                .snapStartAlias(ALIAS_NAME)
                .activeTracing()
                .environment(withStageOptions(config, Map.ofEntries(
                        Map.entry("WAYBILL_EVENTS_TABLE", store.events().getTableName()),
                        Map.entry("WAYBILL_SHIPMENTS_TABLE", store.shipments().getTableName()),
                        Map.entry("WAYBILL_DEAD_LETTER_QUEUE_URL", queues.ingestDeadLetters().getQueueUrl()),
                        Map.entry("WAYBILL_WRITE_CONCURRENCY", String.valueOf(WRITE_CONCURRENCY)),
                        Map.entry(ENV_CANONICAL_STREAM_NAME, canonical.stream().getStreamName()),
                        Map.entry(ENV_DEAD_LETTER_BUCKET, payloads.bucket().getBucketName()),
                        Map.entry(ENV_DEAD_LETTER_INLINE_LIMIT_BYTES,
                                String.valueOf(DeadLetterQueues.MAX_MESSAGE_SIZE_BYTES)),
                        Map.entry(ENV_DEVICE_REGISTRY_TABLE, devices.table().getTableName()),
                        Map.entry(ENV_UNASSIGNED_POLICY, config.unassignedPolicy()),
                        Map.entry(ENV_EDGE_SETTLEMENT_QUEUE_URL, queues.edgeSettlements().getQueueUrl()),
                        Map.entry(ENV_DEAD_LETTER_TABLE, desk.table().getTableName()),
                        Map.entry("POWERTOOLS_SERVICE_NAME", METRICS_SERVICE),
                        Map.entry("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE))))
                .build();
        this.role = ingest.role();
        this.function = ingest.function();
        this.alias = ingest.alias();

        store.grantLedgerWrites(role);
        // Rejected records: SqsDeadLetterSink sends one message per record; SqsSettlementNotices one notice per
        // dead-lettered edge message (same key).
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(queues.ingestDeadLetters().getQueueArn()))
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(queues.edgeSettlements().getQueueArn()))
                .build());
        KeyUse.allow(role, queues.key(), KeyUse.SQS, "kms:GenerateDataKey", "kms:Decrypt");

        // The canonical stream: PutRecords, the one call KinesisCanonicalEventPublisher makes, and the one key action
        // a Kinesis producer needs (not CDK's grantWrite: PutRecord, ListShards, kms:Encrypt, ReEncrypt*,
        // GenerateDataKey*, without a kms:ViaService condition).
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("kinesis:PutRecords"))
                .resources(List.of(canonical.stream().getStreamArn()))
                .build());
        KeyUse.allow(role, canonical.key(), KeyUse.KINESIS, "kms:GenerateDataKey");
        payloads.grantPut(role);
        desk.grantRecord(role);
        // Device checks: profiles and assignments read, only the signature sequences advanced.
        devices.grantIngest(role);

        StreamConsumer.attach(alias, stream, queues.failedBatches(), queues.key(), config.parallelizationFactor());
    }

    /**
     * The environment, with {@value #ENV_LEGACY_ID_CUTOVER} when the stage has scheme-1 data and
     * {@value #ENV_REPLAY_WINDOW} when the stage sets one (else the function's default applies).
     */
    private static Map<String, String> withStageOptions(StageConfig config, Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        config.legacyIdCutover().ifPresent(cutover -> all.put(ENV_LEGACY_ID_CUTOVER, cutover.toString()));
        config.replayWindow().ifPresent(window -> all.put(ENV_REPLAY_WINDOW, window.toString()));
        return all;
    }

    public Function function() {
        return function;
    }

    public Alias alias() {
        return alias;
    }

    public Role role() {
        return role;
    }
}

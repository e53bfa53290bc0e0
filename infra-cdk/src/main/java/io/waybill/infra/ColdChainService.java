package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The cold-chain decision function (module {@code functions/coldchain}, {@code ColdChainHandler}) and its event source
 * mapping on the {@link CanonicalEventStream}: it decides on the canonical events ingest stored, never on raw records
 * ingest rejected, with the one clock correction every consumer shares. Per batch it turns canonical readings into
 * temperature evidence, decides each shipment's exposure against its product class and, on a breach that has held for
 * {@link StageConfig#breachConfirmSeconds()}, puts the shipment on quality hold, opens an incident and appends a
 * compliance record (a breach whose evidence stops is confirmed by {@link BreachConfirmer}), and puts the recorded
 * decision event back on the canonical stream, as stored, for the anchorer and partner egress. As for ingest, the mapping is on the alias
 * {@value #ALIAS_NAME} of the current version so SnapStart serves it.
 */
public final class ColdChainService extends Construct {
    public static final String HANDLER = "io.waybill.coldchain.ColdChainHandler::handleRequest";
    public static final String ALIAS_NAME = IngestService.ALIAS_NAME;

    /*
     * Sized like ingest (same stream, same batch size, the same SDK and JSON work per record plus one Query per
     * shipment in the batch): 1024 MB on arm64 and a 60 s timeout. A starting point: re-measure on AWS (Duration,
     * IteratorAge, the function's own StreamToDecidedLatency metric) and adjust.
     */
    public static final int MEMORY_MB = 1024;
    public static final Duration TIMEOUT = Duration.seconds(60);

    /**
     * The ingest mapping's settings ({@link StreamConsumer}: 100 records, a second to fill a batch, bisected retries
     * until the record age its stream's retention allows) but one batch per shard at a time, whatever
     * {@code parallelizationFactor} says for ingest: the decision reads the shipment's evidence and standing and then
     * writes them, so two decisions on one shipment must not race. The canonical stream is partitioned by shipment and
     * Lambda keeps one partition key's records in order at any factor, so a higher factor would be safe in principle;
     * it stays 1 until a measured iterator age asks for more.
     */
    public static final int PARALLELIZATION_FACTOR = 1;

    /** Powertools EMF metrics (ColdChainTelemetry): the {@code Service} dimension and the namespace. */
    public static final String METRICS_SERVICE = "coldchain";
    public static final String METRICS_NAMESPACE = IngestService.METRICS_NAMESPACE;
    /** ColdChainConfig's default, set explicitly so the deployed value is visible on the function. */
    public static final int ATTENTION_SEVERITY = 25;
    /** The cold-chain functions' product class catalog variable ({@code ColdChainSettings.ENV_PRODUCT_CLASSES}). */
    public static final String PRODUCT_CLASSES_VARIABLE = "WAYBILL_PRODUCT_CLASSES";
    /** The canonical stream decision events are published to ({@code ColdChainSettings.ENV_CANONICAL_STREAM_NAME}). */
    public static final String CANONICAL_STREAM_VARIABLE = IngestService.ENV_CANONICAL_STREAM_NAME;

    private final Function function;
    private final Alias alias;
    private final Role role;

    public ColdChainService(Construct scope, String id, StageConfig config, Path coldChainJar,
                            CanonicalEventStream stream, EventStore eventStore, ColdChainStore store,
                            IncidentNotifications notifications, DeadLetterQueues queues) {
        super(scope, id);
        String functionName = config.resourceName("coldchain");
        // An own role with inline, resource-scoped statements (no AWSLambdaBasicExecutionRole), as for ingest.
        JavaFunction coldChain = JavaFunction.in(this, functionName)
                .roleDescription("Waybill " + config.stage() + " cold-chain decision function")
                .description("Canonical event stream -> temperature evidence -> exposure decision: hold, incident, "
                        + "compliance record")
                .handler(HANDLER)
                .code(coldChainJar, "functions/coldchain")
                .memoryMb(MEMORY_MB)
                .timeout(TIMEOUT)
                .snapStartAlias(ALIAS_NAME)
                .activeTracing()
                .environment(decisionEnvironment(config, eventStore, store, notifications, stream, METRICS_SERVICE))
                .build();
        this.role = coldChain.role();
        this.function = coldChain.function();
        this.alias = coldChain.alias();
        grantDecisionTables(role, eventStore, store, notifications);
        grantDecisionPublish(role, stream);

        StreamConsumer.attach(alias, stream, queues.coldChainFailedBatches(), queues.key(), PARALLELIZATION_FACTOR);
    }

    /**
     * The environment of every function that decides and acts on breaches (this one and {@link BreachConfirmer}):
     * the stage's tables, the incident topic, the default product class and, when the stage names a catalog file
     * ({@link StageConfig#productClassesJson()}), the catalog as {@code WAYBILL_PRODUCT_CLASSES} (the same classes the
     * edge component's deployment gets, {@link EdgeComponent}), attention severity and confirmation delay,
     * Powertools' namespace and the given {@code Service} dimension. Names: {@code io.waybill.coldchain.ColdChainSettings}
     * (a test compares).
     */
    static Map<String, String> decisionEnvironment(StageConfig config, EventStore eventStore, ColdChainStore store,
                                                   IncidentNotifications notifications, CanonicalEventStream stream,
                                                   String metricsService) {
        Map<String, String> env = new java.util.LinkedHashMap<>(Map.ofEntries(
                Map.entry("WAYBILL_INCIDENT_TOPIC_ARN", notifications.topic().getTopicArn()),
                Map.entry("WAYBILL_EVENTS_TABLE", eventStore.events().getTableName()),
                Map.entry("WAYBILL_SHIPMENTS_TABLE", eventStore.shipments().getTableName()),
                Map.entry("WAYBILL_EXPOSURE_TABLE", store.exposure().getTableName()),
                Map.entry("WAYBILL_INCIDENTS_TABLE", store.incidents().getTableName()),
                Map.entry("WAYBILL_COMPLIANCE_TABLE", store.compliance().getTableName()),
                Map.entry(CANONICAL_STREAM_VARIABLE, stream.stream().getStreamName()),
                Map.entry("WAYBILL_PRODUCT_CLASS", config.productClass()),
                Map.entry("WAYBILL_ATTENTION_SEVERITY", String.valueOf(ATTENTION_SEVERITY)),
                Map.entry("WAYBILL_CONFIRM_AFTER_SECONDS", String.valueOf(config.breachConfirmSeconds())),
                Map.entry("POWERTOOLS_SERVICE_NAME", metricsService),
                Map.entry("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE)));
        config.productClassesJson().ifPresent(json -> env.put(PRODUCT_CLASSES_VARIABLE, json));
        return Map.copyOf(env);
    }

    /**
     * The table grants of every function that acts on a breach (this one and {@link BreachConfirmer}): decision
     * events and the quality hold go through ingest's ledger and shipment adapters (the same grant as ingest's),
     * evidence, standing, incidents and compliance records through the cold-chain stores; and publishing every new
     * or escalated incident to the incident topic.
     */
    static void grantDecisionTables(IGrantable function, EventStore eventStore, ColdChainStore store,
                                    IncidentNotifications notifications) {
        eventStore.grantLedgerWrites(function);
        store.grantDecisionWrites(function);
        notifications.grantPublish(function);
    }

    /**
     * Publishing decision events onto the canonical stream (this function and {@link BreachConfirmer}): PutRecords,
     * the one call {@code KinesisCanonicalEventPublisher} makes, and the one key action a Kinesis producer needs, as
     * for ingest.
     */
    static void grantDecisionPublish(Role role, CanonicalEventStream stream) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("kinesis:PutRecords"))
                .resources(List.of(stream.stream().getStreamArn()))
                .build());
        KeyUse.allow(role, stream.key(), KeyUse.KINESIS, "kms:GenerateDataKey");
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

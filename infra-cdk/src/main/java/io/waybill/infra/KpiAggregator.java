package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The incremental KPIs (issue 12): the KPI aggregates table ({@code waybill-<stage>-kpi-aggregates}, keys {@code pk}
 * and {@code sk}, its own customer-managed key) and the function that keeps it, {@code KpiAggregatorHandler}
 * ({@code functions/kpi}), a consumer of the {@link CanonicalEventStream} like the cold-chain function
 * ({@link StreamConsumer}: ReportBatchItemFailures on, retried until the record age, batches given up to
 * {@code waybill-<stage>-kpi-aggregator-failed-batches}). Per shipment it folds departures and arrivals into the
 * shipment's item and applies the difference to its lanes' and facilities' items, with conditional single-item
 * writes only; the {@link KpiPublisher} then reads O(lanes + facilities) items per run instead of scanning the event
 * store.
 *
 * <p>Least privilege: the aggregator may only GetItem, PutItem and UpdateItem the aggregates table (no Scan, no
 * Query, no Delete) and use its key through DynamoDB; the publisher may only Query and GetItem it and decrypt.
 */
public final class KpiAggregator extends Construct {
    public static final String HANDLER = "io.waybill.kpi.KpiAggregatorHandler::handleRequest";
    public static final String ALIAS_NAME = IngestService.ALIAS_NAME;
    /** Small work per record (a GetItem and a few conditional puts per shipment in the batch). */
    public static final int MEMORY_MB = 512;
    public static final Duration TIMEOUT = Duration.seconds(60);
    /**
     * One batch per shard at a time: the shipment's fold is safe under concurrency (conditional writes), but lanes are
     * shared, and fewer concurrent folds mean fewer conditional-write retries on a busy lane.
     */
    public static final int PARALLELIZATION_FACTOR = 1;
    public static final String METRICS_SERVICE = "kpi-aggregator";
    /** The aggregator's reads and writes: what {@code DynamoDbKpiAggregates.fold} calls. */
    static final List<String> AGGREGATOR_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:PutItem",
            "dynamodb:UpdateItem");
    /** The publisher's reads: {@code lanes()}/{@code facilities()} (Query) and {@code totals()}/{@code movements()}. */
    static final List<String> PUBLISHER_ACTIONS = List.of("dynamodb:Query", "dynamodb:GetItem");

    private final Key key;
    private final Table aggregates;
    private final Function function;
    private final software.amazon.awscdk.services.lambda.Alias alias;
    private final software.amazon.awscdk.services.iam.Role role;

    public KpiAggregator(Construct scope, String id, StageConfig config, Path kpiJar, CanonicalEventStream stream,
                         DeadLetterQueues queues) {
        super(scope, id);
        this.key = LedgerTable.key(this, config, "KPI aggregates", "kpi-aggregates");
        this.aggregates = LedgerTable.in(this, "Aggregates", config, key).named("kpi-aggregates")
                .partitionKey("pk").sortKey("sk").build();
        JavaFunction aggregator = JavaFunction.in(this, config.resourceName("kpi-aggregator"))
                .roleDescription("Waybill " + config.stage() + " KPI aggregator function")
                .description("Canonical event stream -> per-shipment movements -> lane and facility KPI aggregates")
                .handler(HANDLER)
                .code(kpiJar, "functions/kpi")
                .memoryMb(MEMORY_MB)
                .timeout(TIMEOUT)
                .snapStartAlias(ALIAS_NAME)
                .environment(Map.of(
                        "WAYBILL_KPI_AGGREGATES_TABLE", aggregates.getTableName(),
                        "POWERTOOLS_SERVICE_NAME", METRICS_SERVICE,
                        "POWERTOOLS_METRICS_NAMESPACE", KpiPublisher.METRICS_NAMESPACE))
                .build();
        this.function = aggregator.function();
        this.alias = aggregator.alias();
        this.role = aggregator.role();
        allow(aggregator.role(), AGGREGATOR_ACTIONS);
        KeyUse.allow(aggregator.role(), key, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
        StreamConsumer.attach(aggregator.alias(), stream, queues.kpiAggregatorFailedBatches(), queues.key(),
                PARALLELIZATION_FACTOR);
    }

    /** The publisher's reads of the aggregates. */
    void grantAggregateReads(IGrantable publisher) {
        allow(publisher, PUBLISHER_ACTIONS);
        KeyUse.allow(publisher, key, KeyUse.DYNAMODB, "kms:Decrypt");
    }

    private void allow(IGrantable grantee, List<String> actions) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(aggregates.getTableArn()))
                .build());
    }

    public Table aggregates() {
        return aggregates;
    }

    public Function function() {
        return function;
    }

    public software.amazon.awscdk.services.lambda.Alias alias() {
        return alias;
    }

    public software.amazon.awscdk.services.iam.Role role() {
        return role;
    }

    public Key key() {
        return key;
    }
}

package io.waybill.infra;

import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

import java.util.List;

/**
 * The stream consumers' watermarks ({@code io.waybill.aws.ops.DynamoDbConsumerWatermarks}): one item per consumer,
 * key {@value #PARTITION_KEY}. Ingest, the cold-chain function and the KPI aggregator each advance theirs after a batch
 * (one conditional PutItem); ingest also advances the last event per source, items keyed {@code source#<adapter>}
 * in the same table (PutItem too); the ops API reads them all (Scans of a handful of items) for {@code /health}. The
 * stream worker (KCL, not deployed by this app yet) would need the same grant as a consumer.
 */
public final class ConsumerWatermarkTable extends Construct {
    /** The environment variable the consumers and the ops API read the table name from. */
    public static final String ENV_TABLE = "WAYBILL_CONSUMER_WATERMARKS_TABLE";
    /** The item bean's key ({@code DynamoDbConsumerWatermarks.CONSUMER}; the infra test compares them). */
    public static final String PARTITION_KEY = "consumer";
    /** A consumer's write: the conditional put of {@code advance}. */
    static final List<String> CONSUMER_ACTIONS = List.of("dynamodb:PutItem");
    /** The ops API's read: {@code all()}. */
    static final List<String> READER_ACTIONS = List.of("dynamodb:Scan");

    private final Key key;
    private final Table table;

    public ConsumerWatermarkTable(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.key = LedgerTable.key(this, config, "consumer watermarks", "consumer-watermarks");
        this.table = LedgerTable.in(this, "Table", config, key).named("consumer-watermarks")
                .partitionKey(PARTITION_KEY).build();
    }

    /** The consumer function advances its mark: the table name in its environment, PutItem, the key to write. */
    void recordsFor(Function consumer) {
        consumer.addEnvironment(ENV_TABLE, table.getTableName());
        allow(consumer, CONSUMER_ACTIONS);
        KeyUse.allow(consumer, key, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
    }

    /** The ops API reads every mark. */
    void readBy(IGrantable reader) {
        allow(reader, READER_ACTIONS);
        KeyUse.allow(reader, key, KeyUse.DYNAMODB, "kms:Decrypt");
    }

    private void allow(IGrantable grantee, List<String> actions) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(table.getTableArn()))
                .build());
    }

    public Table table() {
        return table;
    }
}

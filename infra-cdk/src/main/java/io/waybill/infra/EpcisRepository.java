package io.waybill.infra;

import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

import java.util.List;

/**
 * The stage's GS1 EPCIS 2.0 repository (issue 16), served by the ops API's EPCIS routes (capture and query, deployed
 * from its contract like every route): one table {@code waybill-<stage>-epcis}, keys {@value #PARTITION_KEY}/
 * {@value #SORT_KEY}, the index {@value #QUERY_INDEX} ({@value #QUERY_PARTITION_KEY}/{@value #QUERY_SORT_KEY}, every
 * attribute projected: a query answers from the index alone) and items expiring at {@value #TTL_ATTRIBUTE} (capture
 * jobs and query subscriptions; captured events carry none). A {@link LedgerTable} with its own customer-managed key,
 * retained per the stage's data policy. Every stage has it: the routes are part of the ops API whatever the stage.
 */
public final class EpcisRepository extends Construct {
    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    public static final String QUERY_INDEX = "query";
    public static final String QUERY_PARTITION_KEY = "qpk";
    public static final String QUERY_SORT_KEY = "qsk";
    public static final String TTL_ATTRIBUTE = "expiresAt";
    /** What the ops API reads it by. */
    public static final String ENV_TABLE = "WAYBILL_EPCIS_TABLE";
    /**
     * The ops API on the table: captures (conditional PutItem, BatchWriteItem), capture jobs (GetItem, UpdateItem),
     * queries (Query, also on the index).
     */
    static final List<String> OPS_TABLE_ACTIONS = List.of("dynamodb:BatchWriteItem", "dynamodb:GetItem",
            "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem");
    static final List<String> OPS_INDEX_ACTIONS = List.of("dynamodb:Query");

    private final Key key;
    private final Table table;

    public EpcisRepository(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.key = LedgerTable.key(this, config, "EPCIS events and capture jobs", "epcis");
        this.table = LedgerTable.in(this, "Events", config, key).named("epcis")
                .partitionKey(PARTITION_KEY).sortKey(SORT_KEY)
                .timeToLive(TTL_ATTRIBUTE)
                .index(QUERY_INDEX, QUERY_PARTITION_KEY, QUERY_SORT_KEY, ProjectionType.ALL)
                .build();
    }

    /** The ops API's EPCIS routes: {@value #ENV_TABLE}'s actions on the table and Query on its index, nothing else. */
    void grantOpsApi(IGrantable opsApi) {
        opsApi.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(OPS_TABLE_ACTIONS)
                .resources(List.of(table.getTableArn()))
                .build());
        opsApi.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(OPS_INDEX_ACTIONS)
                .resources(List.of(table.getTableArn() + "/index/" + QUERY_INDEX))
                .build());
        KeyUse.allow(opsApi, key, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
    }

    public Key key() {
        return key;
    }

    public Table table() {
        return table;
    }
}

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
    // The table contract is the adapter's (io.waybill.aws.epcis.EpcisTables): keys, index, TTL and env var.
    public static final String PARTITION_KEY = io.waybill.aws.epcis.EpcisTables.PK;
    public static final String SORT_KEY = io.waybill.aws.epcis.EpcisTables.SK;
    public static final String QUERY_INDEX = io.waybill.aws.epcis.EpcisTables.QUERY_INDEX;
    public static final String QUERY_PARTITION_KEY = io.waybill.aws.epcis.EpcisTables.QPK;
    public static final String QUERY_SORT_KEY = io.waybill.aws.epcis.EpcisTables.QSK;
    public static final String TTL_ATTRIBUTE = io.waybill.aws.epcis.EpcisTables.EXPIRES_AT;
    /** What the ops API reads it by. */
    public static final String ENV_TABLE = io.waybill.aws.epcis.EpcisTables.ENV_TABLE;
    /**
     * The ops API on the table: what its adapter declares it sends ({@code EpcisTableAccess}, checked against the
     * requests recorded on the emulator): captures (conditional PutItem, BatchWriteItem of index entries and of a
     * capture the stream refused), capture jobs (GetItem, PutItem), queries (Query, BatchGetItem of the matched events).
     */
    static final List<String> OPS_TABLE_ACTIONS = io.waybill.aws.epcis.EpcisTableAccess.OPS_API;
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

package io.waybill.infra;

import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The device registry, {@code waybill-<stage>-devices}: one table, string keys {@value #PARTITION_KEY} and
 * {@value #SORT_KEY}, holding per device its profile ({@code device#<thing>} / {@code profile}: adapter, status, scope,
 * public keys), its shipment assignments ({@code device#<thing>} / {@code assign#<sscc>#<from>}) and the last accepted
 * signature sequence per key ({@code seq#<thing>} / {@code <kid>}). On-demand, point-in-time recovery, its own
 * customer-managed key ({@code alias/waybill-<stage>-device-registry}); identity data, so retained and
 * deletion-protected like the ledger unless the stage says {@code retainData=false}.
 *
 * <p>Who may touch it: ingest reads profiles and assignments and advances only the {@value #SEQUENCE_PREFIX} items
 * ({@link #grantIngest}: {@code UpdateItem} only under {@code dynamodb:LeadingKeys} {@value #SEQUENCE_LEADING_KEYS});
 * the fleet provisioning hook reads a profile ({@link #grantProfileRead}). Operators write profiles and assignments
 * with their own credentials ({@code ./waybill devices ... --stage}); no role of the stack can.
 */
public final class DeviceRegistry extends Construct {
    public static final String TABLE_SUFFIX = "devices";
    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    /** The partition key prefix of the signature sequence items, the only items ingest writes. */
    public static final String SEQUENCE_PREFIX = "seq#";
    /** The {@code dynamodb:LeadingKeys} pattern of ingest's UpdateItem: sequence items only. */
    public static final String SEQUENCE_LEADING_KEYS = SEQUENCE_PREFIX + "*";
    /** What ingest reads: a profile (GetItem), many profiles (BatchGetItem), a device's assignments (Query). */
    public static final List<String> INGEST_READS = List.of("dynamodb:GetItem", "dynamodb:BatchGetItem",
            "dynamodb:Query");

    private final Key key;
    /** What the ops API may do on the registry. */
    public static final List<String> OPS_READS = List.of("dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem");
    private final Table table;

    public DeviceRegistry(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.key = LedgerTable.key(this, config, "device registry", "device-registry");
        this.table = LedgerTable.in(this, "Table", config, key).named(TABLE_SUFFIX)
                .partitionKey(PARTITION_KEY)
                .sortKey(SORT_KEY)
                .build();
    }

    /**
     * Ingest: reads of profiles and assignments; {@code UpdateItem} (the conditional sequence advance) only on items
     * whose partition key starts with {@value #SEQUENCE_PREFIX}, so a compromised ingest cannot re-activate a revoked
     * device, change its adapter or keys, or assign it to a shipment. No PutItem, DeleteItem or BatchWriteItem.
     */
    void grantIngest(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(INGEST_READS)
                .resources(List.of(table.getTableArn()))
                .build());
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("dynamodb:UpdateItem"))
                .resources(List.of(table.getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike",
                        Map.of("dynamodb:LeadingKeys", List.of(SEQUENCE_LEADING_KEYS))))
                .build());
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
    }

    /** The pre-provisioning hook: one profile by key, nothing else; {@code kms:Decrypt} to read it. */
    void grantProfileRead(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("dynamodb:GetItem"))
                .resources(List.of(table.getTableArn()))
                .build());
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt");
    }

    /**
     * The ops API: a paged Scan (the device list), Query of one device's partitions, BatchGetItem of a page's last-seen
     * items; no writes. {@code kms:Decrypt} to read.
     */
    void grantOpsReads(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(OPS_READS)
                .resources(List.of(table.getTableArn()))
                .build());
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt");
    }

    public Table table() {
        return table;
    }

    public Key key() {
        return key;
    }
}

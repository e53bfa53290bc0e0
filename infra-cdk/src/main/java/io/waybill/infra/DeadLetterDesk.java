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
 * The dead-letter desk ({@code waybill-<stage>-dead-letters}): one item per dead letter, the ops API's index of the
 * ingest dead-letter queue, which can be neither browsed nor addressed by id. The ingest function records each letter
 * here before it sends it to the queue ({@code WAYBILL_DEAD_LETTER_TABLE}); the ops API lists, reads and replays them
 * ({@code /dead-letters}). A {@link LedgerTable} (on demand, point-in-time recovery, its own customer-managed key
 * {@code alias/waybill-<stage>-dead-letter-desk}, retained unless the stage says otherwise); key
 * {@value #PARTITION_KEY}, GSI {@value #BY_REASON_INDEX} (reason, deadLetteredAt) for the list by reason. A payload
 * too large for an item stays in {@link DeadLetterPayloads} (the same claim-check object the queue's pointer names).
 */
public final class DeadLetterDesk extends Construct {
    /** The partition key (io.waybill.aws.deadletter.DynamoDbDeadLetterDesk#ID). */
    public static final String PARTITION_KEY = "id";
    /** The index by reason, sorted by dead-letter time. */
    public static final String BY_REASON_INDEX = "byReason";

    private final Key key;
    private final Table table;
    private final DeadLetterPayloads payloads;

    public DeadLetterDesk(Construct scope, String id, StageConfig config, DeadLetterPayloads payloads) {
        super(scope, id);
        this.payloads = payloads;
        this.key = LedgerTable.key(this, config, "dead-letter desk", "dead-letter-desk");
        this.table = LedgerTable.in(this, "Table", config, key).named("dead-letters")
                .partitionKey(PARTITION_KEY)
                .index(BY_REASON_INDEX, "reason", "deadLetteredAt", ProjectionType.ALL)
                .build();
    }

    /** What the ingest function's desk does: one conditional PutItem per letter. */
    void grantRecord(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("dynamodb:PutItem"))
                .resources(List.of(table.getTableArn()))
                .build());
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
    }

    /**
     * What the ops API's dead-letter routes do: list (Scan; Query by reason), read one (GetItem, and a claim-checked
     * payload's object), claim and mark a replay (UpdateItem).
     */
    void grantReplay(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Scan"))
                .resources(List.of(table.getTableArn()))
                .build());
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("dynamodb:Query"))
                .resources(List.of(table.getTableArn() + "/index/" + BY_REASON_INDEX))
                .build());
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:GetObject"))
                .resources(List.of(payloads.bucket().arnForObjects("dead-letters/*")))
                .build());
        KeyUse.allow(function, payloads.key(), KeyUse.S3, "kms:Decrypt");
    }

    public Table table() {
        return table;
    }

    public Key key() {
        return key;
    }
}

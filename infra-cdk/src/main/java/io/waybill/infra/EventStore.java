package io.waybill.infra;

import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.StarPrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

import java.util.List;

/**
 * The event store (append-only ledger, one item per event, its own dedupe marker) and the shipment projection.
 * Keys are the ones the ingest function's item beans declare ({@code io.waybill.aws.eventstore.EventItem},
 * {@code ShipmentItem}; a test compares them). On-demand capacity, point-in-time recovery, one customer-managed key.
 * The tables are a ledger: retained on stack deletion and deletion-protected unless the stage says
 * {@code retainData=false}.
 *
 * <p><b>The events table is append-only by policy.</b> Its resource-based policy denies {@link #LEDGER_DENIED_ACTIONS}
 * to every principal, so no identity policy (a role's grant, an administrator's {@code dynamodb:*}) can change or
 * delete a stored event; an explicit deny in a resource policy wins over any allow. Only item-level writes are denied:
 * table management ({@code DescribeTable}, {@code UpdateTable}, {@code PutResourcePolicy},
 * {@code DeleteResourcePolicy}, backups) stays with the account, so the stack can still update the table and an
 * administrator can still change the policy (and the account's root may always delete it: DynamoDB's own guard
 * against a lock-out). The shipments projection is mutable state and gets no such policy.
 */
public final class EventStore extends Construct {
    /** Events table partition key: CloudEvents {@code source#id}. */
    public static final String EVENT_KEY = "eventKey";
    /** GSI of a shipment's history in event-time order. */
    public static final String BY_SUBJECT_INDEX = "bySubject";
    public static final String SUBJECT = "subject";
    public static final String TIME = "time";
    /** Shipments table partition key: the shipment's SSCC. */
    public static final String SHIPMENT_SSCC = "shipmentSscc";
    /** Shipments GSI (status, shipmentSscc): the ops API's list of one status is a Query, not a Scan. */
    public static final String BY_STATUS_INDEX = "byStatus";
    /** The shipment's status attribute, the partition key of {@link #BY_STATUS_INDEX}. */
    public static final String STATUS = "status";

    /**
     * Denied on the events table to every principal. {@code BatchWriteItem} too: its delete requests are authorised as
     * {@code BatchWriteItem}, not as {@code DeleteItem}, so the batch cannot be allowed without allowing deletes; no
     * writer batch-writes events (ingest and the cold-chain functions put one event at a time, conditionally).
     */
    public static final List<String> LEDGER_DENIED_ACTIONS = List.of("dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete");

    private final Key key;
    private final Table events;
    private final Table shipments;

    public EventStore(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.key = LedgerTable.key(this, config, "event store tables", "event-store");
        LedgerTable events = LedgerTable.in(this, "Events", config, key).named("events");
        this.events = events.partitionKey(EVENT_KEY)
                .index(BY_SUBJECT_INDEX, SUBJECT, TIME, ProjectionType.ALL)
                .resourcePolicy(appendOnly(events.tableArn()))
                .build();
        this.shipments = LedgerTable.in(this, "Shipments", config, key).named("shipments")
                .partitionKey(SHIPMENT_SSCC)
                .index(BY_STATUS_INDEX, STATUS, SHIPMENT_SSCC, ProjectionType.ALL)
                .build();
    }

    /** The events table's resource policy: {@link #LEDGER_DENIED_ACTIONS} denied to every principal. */
    private static PolicyDocument appendOnly(String tableArn) {
        return PolicyDocument.Builder.create()
                .statements(List.of(PolicyStatement.Builder.create()
                        .sid("LedgerIsAppendOnly")
                        .effect(Effect.DENY)
                        .principals(List.of(new StarPrincipal()))
                        .actions(LEDGER_DENIED_ACTIONS)
                        .resources(List.of(tableArn))
                        .build()))
                .build();
    }

    /**
     * What the ingest function does and nothing more: conditional puts of events, get and versioned put of
     * shipment state (DynamoDbEventLedger, DynamoDbShipmentStateStore). The cold-chain function records its
     * decisions through the same two adapters and gets the same grant. GetItem on the events table: the ledger reads
     * a stored event by its key when a failed conditional put did not return it (an emulator without
     * {@code ReturnValuesOnConditionCheckFailure}) and in the legacy-id window; without it the read would be refused
     * as access denied, a permanent error, and dead-letter a record that is only a duplicate.
     */
    void grantLedgerWrites(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("dynamodb:GetItem", "dynamodb:PutItem"))
                .resources(List.of(events.getTableArn()))
                .build());
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("dynamodb:GetItem", "dynamodb:PutItem"))
                .resources(List.of(shipments.getTableArn()))
                .build());
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
    }

    /**
     * The ops API's shipment list: a paginated {@code Scan} of the shipment projection
     * ({@code DynamoDbShipmentReadModel}); one shipment and the incident actions come with {@link #grantLedgerWrites}.
     */
    void grantShipmentScan(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("dynamodb:Scan"))
                .resources(List.of(shipments.getTableArn()))
                .build());
    }

    /**
     * The ops API's shipment history and temperatures: {@code Query} of {@value #BY_SUBJECT_INDEX} only (a shipment's
     * events by time), decrypted with the store's key.
     */
    void grantHistoryQuery(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("dynamodb:Query"))
                .resources(List.of(events.getTableArn() + "/index/" + BY_SUBJECT_INDEX))
                .build());
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt");
    }

    public Table events() {
        return events;
    }

    public Table shipments() {
        return shipments;
    }

    public Key key() {
        return key;
    }
}

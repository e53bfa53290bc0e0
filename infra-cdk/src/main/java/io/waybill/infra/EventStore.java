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
 * The event store (append-only ledger, one item per event, its own dedupe marker) and the shipment projection.
 * Keys are the ones the ingest function's item beans declare ({@code io.waybill.aws.eventstore.EventItem},
 * {@code ShipmentItem}; a test compares them). On-demand capacity, point-in-time recovery, one customer-managed key.
 * The tables are a ledger: retained on stack deletion and deletion-protected unless the stage says
 * {@code retainData=false}.
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

    private final Key key;
    private final Table events;
    private final Table shipments;

    public EventStore(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.key = LedgerTable.key(this, config, "event store tables", "event-store");
        this.events = LedgerTable.in(this, "Events", config, key).named("events")
                .partitionKey(EVENT_KEY)
                .index(BY_SUBJECT_INDEX, SUBJECT, TIME, ProjectionType.ALL)
                .build();
        this.shipments = LedgerTable.in(this, "Shipments", config, key).named("shipments")
                .partitionKey(SHIPMENT_SSCC)
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
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"))
                .resources(List.of(key.getKeyArn()))
                .build());
    }

    /**
     * The KPI publisher: a paginated Scan of the events table ({@code EventStoreScan}), nothing else: no write, not
     * the shipments table, not the GSI; {@code kms:Decrypt} to read the items.
     */
    void grantEventScan(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("dynamodb:Scan"))
                .resources(List.of(events.getTableArn()))
                .build());
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("kms:Decrypt"))
                .resources(List.of(key.getKeyArn()))
                .build());
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

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
 * The cold-chain function's own tables: exposure (temperature evidence and each shipment's standing), incidents
 * (shipment exceptions) and compliance (append-only decision records). Keys are the ones the cold-chain item beans
 * declare ({@code io.waybill.aws.coldchain.EvidenceItem}, {@code IncidentItem}, {@code ComplianceItem}; a test
 * compares them with {@code ColdChainTables}); the exposure table's sparse index {@value #BY_PENDING_BREACH_INDEX} is
 * the breach confirmer's work list. On-demand capacity, point-in-time recovery, one customer-managed key
 * of their own. Incidents and compliance records are evidence for a quality audit: like the event store, retained on
 * stack deletion and deletion-protected unless the stage says {@code retainData=false}.
 */
public final class ColdChainStore extends Construct {
    /** Exposure and compliance partition key: the shipment's SSCC. */
    public static final String SHIPMENT_SSCC = "shipmentSscc";
    /** Exposure sort key: {@code E#<evidence id>} or {@code STANDING}. */
    public static final String RECORD_KEY = "recordKey";
    /**
     * Exposure GSI, sparse: only a shipment's standing with a breach verdict awaiting confirmation carries
     * {@value #PENDING_BREACH}, so the index holds exactly the breaches the confirmer still has to act on. Keys only:
     * the confirmer reads the standing itself by its key.
     */
    public static final String BY_PENDING_BREACH_INDEX = "byPendingBreach";
    public static final String PENDING_BREACH = "pendingBreach";
    /** Incidents partition key: the deterministic incident id. */
    public static final String INCIDENT_ID = "incidentId";
    /** Incidents GSI: a shipment's incidents in the order they were opened. */
    public static final String BY_SHIPMENT_INDEX = "byShipment";
    /** Incidents GSI: incidents of a status, oldest first (the incident-backlog function reads it). */
    public static final String BY_STATUS_INDEX = "byStatus";
    public static final String STATUS = "status";
    public static final String OPENED_AT = "openedAt";
    /** Compliance sort key: the record's id. */
    public static final String RECORD_ID = "recordId";

    private final Key key;
    private final Table exposure;
    private final Table incidents;
    private final Table compliance;

    public ColdChainStore(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.key = LedgerTable.key(this, config, "cold-chain tables", "cold-chain-store");
        this.exposure = LedgerTable.in(this, "Exposure", config, key).named("exposure")
                .partitionKey(SHIPMENT_SSCC).sortKey(RECORD_KEY)
                .index(BY_PENDING_BREACH_INDEX, PENDING_BREACH, SHIPMENT_SSCC, ProjectionType.KEYS_ONLY)
                .build();
        this.incidents = LedgerTable.in(this, "Incidents", config, key).named("incidents")
                .partitionKey(INCIDENT_ID)
                .index(BY_SHIPMENT_INDEX, SHIPMENT_SSCC, OPENED_AT, ProjectionType.ALL)
                .index(BY_STATUS_INDEX, STATUS, OPENED_AT, ProjectionType.ALL)
                .build();
        this.compliance = LedgerTable.in(this, "Compliance", config, key).named("compliance")
                .partitionKey(SHIPMENT_SSCC).sortKey(RECORD_ID)
                .build();
    }

    /**
     * What the decision function does and nothing more (DynamoDbEvidenceStore, DynamoDbIncidentStore,
     * DynamoDbComplianceStore as ColdChainLoop uses them): exposure {@code BatchWriteItem} of evidence, {@code Query}
     * of a shipment's evidence, get and put of its standing; incidents conditional put, get, conditional update, and
     * {@code Query} of a shipment's incidents on {@value #BY_SHIPMENT_INDEX} (its excursion episodes); compliance
     * conditional put and query.
     */
    void grantDecisionWrites(IGrantable function) {
        allow(function, List.of(exposure.getTableArn()),
                "dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query");
        allow(function, List.of(incidents.getTableArn()), "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem");
        allow(function, List.of(incidents.getTableArn() + "/index/" + BY_SHIPMENT_INDEX), "dynamodb:Query");
        allow(function, List.of(compliance.getTableArn()), "dynamodb:PutItem", "dynamodb:Query");
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
    }

    /** The incident-backlog function: one Query per status on {@value #BY_STATUS_INDEX}, nothing else. */
    void grantBacklogReads(IGrantable function) {
        allow(function, List.of(byStatusIndexArn()), "dynamodb:Query");
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt");
    }

    /**
     * The KPI publisher: a Scan of the incidents table ({@code DynamoDbIncidentStore.all()}), a Scan of the exposure
     * table for the standings and a Query of each decided shipment's evidence ({@code ShipmentExposures}); read only,
     * {@code kms:Decrypt} with this store's key. Compliance is not read.
     */
    void grantKpiReads(IGrantable function) {
        allow(function, List.of(incidents.getTableArn()), "dynamodb:Scan");
        allow(function, List.of(exposure.getTableArn()), "dynamodb:Scan", "dynamodb:Query");
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt");
    }

    /**
     * The breach confirmer's work list: {@code Query} of {@value #BY_PENDING_BREACH_INDEX}, nothing more (what it then
     * does to each shipment is the decision function's grant, {@link #grantDecisionWrites}).
     */
    void grantPendingBreachQuery(IGrantable function) {
        allow(function, List.of(byPendingBreachIndexArn()), "dynamodb:Query");
    }

    /**
     * The ops API (DynamoDbIncidentReadModel, DynamoDbIncidentStore as IncidentDesk uses them): {@code Scan},
     * consistent {@code GetItem} and the conditional {@code UpdateItem} of an incident action on the incidents table,
     * {@code Query} of {@value #BY_STATUS_INDEX} (the status filter, the open incidents a shipment list counts) and of
     * {@value #BY_SHIPMENT_INDEX} (one shipment's open incidents); nothing on exposure or compliance.
     */
    void grantIncidentDesk(IGrantable function) {
        allow(function, List.of(incidents.getTableArn()), "dynamodb:Scan", "dynamodb:GetItem", "dynamodb:UpdateItem");
        allow(function, List.of(byStatusIndexArn()), "dynamodb:Query");
        allow(function, List.of(incidents.getTableArn() + "/index/" + BY_SHIPMENT_INDEX), "dynamodb:Query");
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
    }

    /**
     * The ops API's exposure of one shipment (DynamoDbEvidenceStore.exposure): consistent {@code GetItem} of the
     * standing item on the exposure table, read only; {@code kms:Decrypt} with this store's key.
     */
    void grantExposureRead(IGrantable function) {
        allow(function, List.of(exposure.getTableArn()), "dynamodb:GetItem");
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt");
    }

    /** {@code <incidents table ARN>/index/byStatus}. */
    String byStatusIndexArn() {
        return incidents.getTableArn() + "/index/" + BY_STATUS_INDEX;
    }

    /** {@code <exposure table ARN>/index/byPendingBreach}. */
    /** The ops API: one shipment's standing by key (its sequence ledgers: a device's gaps); nothing else. */
    void grantStandingRead(IGrantable function) {
        allow(function, List.of(exposure.getTableArn()), "dynamodb:GetItem");
        KeyUse.allow(function, key, KeyUse.DYNAMODB, "kms:Decrypt");
    }

    String byPendingBreachIndexArn() {
        return exposure.getTableArn() + "/index/" + BY_PENDING_BREACH_INDEX;
    }

    private static void allow(IGrantable function, List<String> resources, String... actions) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of(actions))
                .resources(resources)
                .build());
    }

    public Table exposure() {
        return exposure;
    }

    public Table incidents() {
        return incidents;
    }

    public Table compliance() {
        return compliance;
    }

    public Key key() {
        return key;
    }
}

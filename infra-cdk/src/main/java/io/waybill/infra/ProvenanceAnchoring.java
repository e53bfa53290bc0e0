package io.waybill.infra;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.kms.KeySpec;
import software.amazon.awscdk.services.kms.KeyUsage;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.managedblockchain.CfnNode;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Provenance anchoring (issue 14), only on a stage whose {@link AnchoringConfig} says {@code chain: rpc} or
 * {@code amb}:
 * <ul>
 * <li>the <b>anchor ledger</b> ({@code waybill-<stage>-anchor-ledger}, keys {@code pk}/{@code sk}, the indexes of
 * {@link #ANCHOR_LEDGER_INDEXES}): queued events, batches, the nonce and each signed transaction stored before it is
 * broadcast; and the <b>proofs</b> table ({@code waybill-<stage>-proofs}, key {@code eventId}): one proof per anchored
 * event. Both {@link LedgerTable}s with their own customer-managed key, retained like every other ledger.</li>
 * <li>the <b>intake</b> function ({@value #INTAKE_HANDLER}) on the canonical event stream, mapped like the KPI
 * aggregator ({@link StreamConsumer}: ReportBatchItemFailures, bisect, retried until the record age, batches given up
 * to {@code waybill-<stage>-anchor-intake-failed-batches}): it selects the provenance-worthy events and queues them in
 * the ledger. It can neither sign nor reach the chain.</li>
 * <li>the <b>anchoring run</b> ({@value #RUN_HANDLER}) every minute, at most one at a time (reserved concurrency 1: one
 * writer per signing key, so two runs never pick the same nonce): it closes batches, signs and sends the anchor
 * transaction, waits for confirmations, rebroadcasts or replaces a stuck one, writes the proofs.</li>
 * <li>the <b>signing key</b>: a KMS {@code ECC_SECG_P256K1} key for {@code SIGN_VERIFY}, retained (its address is the
 * registry's authorised anchorer: a new key is a new anchorer). Only the run's role may {@code kms:Sign} and
 * {@code kms:GetPublicKey} with it: its identity policy allows it, the key policy allows it by name and denies
 * {@code kms:Sign} to every other principal.</li>
 * <li>with {@code chain: amb}, the <b>node</b> ({@code AWS::ManagedBlockchain::Node} on {@value
 * AnchoringConfig#AMB_NETWORK_ID}); the run (and the ops API) call its endpoint with SigV4 (service
 * {@code managedblockchain}), allowed {@code managedblockchain:POST} on that node only.</li>
 * </ul>
 */
public final class ProvenanceAnchoring extends Construct {
    public static final String INTAKE_HANDLER = "io.waybill.anchor.AnchorIntakeHandler::handleRequest";
    public static final String RUN_HANDLER = "io.waybill.anchor.AnchorScheduleHandler::handleRequest";
    public static final String ALIAS_NAME = IngestService.ALIAS_NAME;
    public static final String JAR_MODULE = "functions/anchor";

    /* ---- The anchor ledger's key design: the engine owns it; change it here, the tests follow the constants. ---- */
    public static final String LEDGER_PARTITION_KEY = "pk";
    public static final String LEDGER_SORT_KEY = "sk";
    public static final String PROOFS_PARTITION_KEY = "eventId";

    /** A global secondary index of the anchor ledger, on string keys. */
    public record LedgerIndex(String name, String partitionKey, String sortKey, ProjectionType projection) {
    }

    /**
     * The anchor ledger's indexes, in order, as {@code io.waybill.aws.provenance.DynamoDbAnchorLedger#definition}
     * declares them for the emulators: {@code queue-index}, sparse, the events waiting for a batch (partition
     * {@code queue}, set only while an event waits; sort {@code queueOrder}, epoch ms and event id), so a run reads the
     * oldest waiting events without a scan; {@code open-index}, sparse, the batches not yet confirmed (partition
     * {@code open}, sort {@code sealedAt}).
     */
    public static final List<LedgerIndex> ANCHOR_LEDGER_INDEXES = List.of(
            new LedgerIndex("queue-index", "queue", "queueOrder", ProjectionType.ALL),
            new LedgerIndex("open-index", "open", "sealedAt", ProjectionType.ALL));
    /* ---------------------------------------------------------------------------------------------------------- */

    /** Selecting and queueing a few events a record: the KPI aggregator's sizing. */
    public static final int INTAKE_MEMORY_MB = 512;
    public static final Duration INTAKE_TIMEOUT = Duration.seconds(60);
    /** Events are queued with conditional writes; ordering per shard keeps a shipment's events in order. */
    public static final int INTAKE_PARALLELIZATION_FACTOR = 1;
    /** Web3j, a Merkle tree of up to batchMaxEvents leaves, KMS and DynamoDB in one run. */
    public static final int RUN_MEMORY_MB = 1024;
    /** A run ends within its minute, before the next one is due. */
    public static final Duration RUN_TIMEOUT = Duration.seconds(60);
    /** One writer per key: one nonce sequence, never two runs sending for the same account. */
    public static final int RUN_RESERVED_CONCURRENCY = 1;
    public static final int RUN_SCHEDULE_MINUTES = 1;
    public static final String INTAKE_METRICS_SERVICE = "anchor-intake";
    public static final String RUN_METRICS_SERVICE = "anchor-schedule";
    public static final String METRICS_NAMESPACE = IngestService.METRICS_NAMESPACE;

    /** The intake's ledger calls: queue an event once (conditional put), read it back. */
    static final List<String> INTAKE_LEDGER_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:PutItem",
            "dynamodb:UpdateItem");
    /** The run's ledger calls: read the queue (index Query), batches, nonce and transactions. */
    static final List<String> RUN_LEDGER_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:PutItem",
            "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchWriteItem");
    /** The run writes (and re-reads) the proofs. */
    static final List<String> RUN_PROOF_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:PutItem",
            "dynamodb:BatchWriteItem");
    /** The ops API reads one proof by event id. */
    static final List<String> PROOF_READ_ACTIONS = List.of("dynamodb:GetItem");
    /** What the run may do with the signing key, and all anyone may. */
    static final List<String> SIGNER_ACTIONS = List.of("kms:Sign", "kms:GetPublicKey");
    /** JSON-RPC over HTTP to an AMB Access Ethereum node (SigV4, service managedblockchain). */
    static final List<String> NODE_RPC_ACTIONS = List.of("managedblockchain:POST");

    public static final String ENV_LEDGER_TABLE = "WAYBILL_ANCHOR_LEDGER_TABLE";
    public static final String ENV_PROOFS_TABLE = "WAYBILL_PROOFS_TABLE";
    public static final String ENV_KMS_KEY_ID = "WAYBILL_ANCHOR_KMS_KEY_ID";
    public static final String ENV_RPC_URL = "WAYBILL_CHAIN_RPC_URL";
    public static final String ENV_RPC_AUTH = "WAYBILL_CHAIN_RPC_AUTH";
    public static final String ENV_CHAIN_ID = "WAYBILL_CHAIN_ID";
    public static final String ENV_REGISTRY = "WAYBILL_ANCHOR_REGISTRY";
    public static final String ENV_SELECT = "WAYBILL_ANCHOR_SELECT";
    public static final String ENV_BATCH_MAX_EVENTS = "WAYBILL_ANCHOR_BATCH_MAX_EVENTS";
    public static final String ENV_BATCH_MAX_WAIT = "WAYBILL_ANCHOR_BATCH_MAX_WAIT";
    public static final String ENV_CONFIRMATIONS = "WAYBILL_ANCHOR_CONFIRMATIONS";
    public static final String ENV_STUCK_AFTER = "WAYBILL_ANCHOR_STUCK_AFTER";
    public static final String ENV_FEE_BUMP_PERCENT = "WAYBILL_ANCHOR_FEE_BUMP_PERCENT";

    private final AnchoringConfig anchoring;
    private final Key tableKey;
    private final Table ledger;
    private final Table proofs;
    private final Key signerKey;
    private final Queue intakeFailedBatches;
    private final CfnNode node;
    private final String rpcUrl;
    private final Function intake;
    private final Alias intakeAlias;
    private final Role intakeRole;
    private final Function run;
    private final Role runRole;
    private final Rule schedule;

    public ProvenanceAnchoring(Construct scope, String id, StageConfig config, Path anchorJar,
                               CanonicalEventStream stream, DeadLetterQueues queues) {
        super(scope, id);
        this.anchoring = config.anchoring();
        if (!anchoring.enabled()) {
            throw new IllegalArgumentException("anchoring is off on stage " + config.stage() + " (chain: none)");
        }
        this.tableKey = LedgerTable.key(this, config, "anchor ledger and proofs", "provenance");
        LedgerTable ledgerTable = LedgerTable.in(this, "AnchorLedger", config, tableKey).named("anchor-ledger")
                .partitionKey(LEDGER_PARTITION_KEY).sortKey(LEDGER_SORT_KEY);
        ANCHOR_LEDGER_INDEXES.forEach(i -> ledgerTable.index(i.name(), i.partitionKey(), i.sortKey(), i.projection()));
        this.ledger = ledgerTable.build();
        this.proofs = LedgerTable.in(this, "Proofs", config, tableKey).named("proofs")
                .partitionKey(PROOFS_PARTITION_KEY).build();

        // The failed intake batches: a dead-letter queue like DeadLetterQueues' (same key and settings), kept here so
        // a stage without anchoring has none.
        this.intakeFailedBatches = Queue.Builder.create(this, "IntakeFailedBatches")
                .queueName(config.resourceName("anchor-intake-failed-batches"))
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(queues.key())
                .enforceSsl(true)
                .retentionPeriod(DeadLetterQueues.RETENTION)
                .maxMessageSizeBytes(DeadLetterQueues.MAX_MESSAGE_SIZE_BYTES)
                .build();

        // Retained whatever retainData says: the key's address is the registry's authorised anchorer and signs
        // every anchor of the stage; a deleted key cannot be brought back (asymmetric keys do not rotate).
        this.signerKey = Key.Builder.create(this, "SignerKey")
                .description("Waybill " + config.stage() + " anchor signer (Ethereum account of the AnchorRegistry)")
                .keySpec(KeySpec.ECC_SECG_P256K1)
                .keyUsage(KeyUsage.SIGN_VERIFY)
                .removalPolicy(RemovalPolicy.RETAIN)
                .alias("alias/" + config.resourceName("anchor-signer"))
                .build();

        if (anchoring.chain() == AnchoringConfig.Chain.AMB) {
            this.node = CfnNode.Builder.create(this, "Node")
                    .networkId(AnchoringConfig.AMB_NETWORK_ID)
                    .nodeConfiguration(CfnNode.NodeConfigurationProperty.builder()
                            .instanceType(anchoring.nodeInstanceType())
                            .availabilityZone(anchoring.nodeAvailabilityZone())
                            .build())
                    .build();
            // The node's HTTP endpoint for SigV4 (AMB Access Ethereum: <nodeId>.ethereum.managedblockchain.<region>.
            // amazonaws.com). AMB signs the host with the node id in lower case: the client lower-cases the host.
            this.rpcUrl = "https://" + node.getAttrNodeId() + ".ethereum.managedblockchain." + Aws.REGION
                    + ".amazonaws.com/";
        } else {
            this.node = null;
            this.rpcUrl = anchoring.rpcUrl();
        }

        Construct intakeScope = new Construct(this, "Intake");
        JavaFunction intakeFunction = JavaFunction.in(intakeScope, config.resourceName("anchor-intake"))
                .roleDescription("Waybill " + config.stage() + " anchor intake function")
                .description("Canonical event stream -> provenance-worthy events -> anchor ledger queue")
                .handler(INTAKE_HANDLER)
                .code(anchorJar, JAR_MODULE)
                .memoryMb(INTAKE_MEMORY_MB)
                .timeout(INTAKE_TIMEOUT)
                .snapStartAlias(ALIAS_NAME)
                .environment(intakeEnvironment())
                .build();
        this.intake = intakeFunction.function();
        this.intakeAlias = intakeFunction.alias();
        this.intakeRole = intakeFunction.role();
        allow(intakeRole, INTAKE_LEDGER_ACTIONS, List.of(ledger.getTableArn()));
        KeyUse.allow(intakeRole, tableKey, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
        StreamConsumer.attach(intakeAlias, stream, intakeFailedBatches, queues.key(), INTAKE_PARALLELIZATION_FACTOR);

        Construct runScope = new Construct(this, "Run");
        String runName = config.resourceName("anchor-schedule");
        JavaFunction runFunction = JavaFunction.in(runScope, runName)
                .roleDescription("Waybill " + config.stage() + " anchoring run function")
                .description("Every minute: close batches, anchor their Merkle roots, confirm, write proofs")
                .handler(RUN_HANDLER)
                .code(anchorJar, JAR_MODULE)
                .memoryMb(RUN_MEMORY_MB)
                .timeout(RUN_TIMEOUT)
                .reservedConcurrency(RUN_RESERVED_CONCURRENCY)
                .environment(runEnvironment())
                .build();
        this.run = runFunction.function();
        this.runRole = runFunction.role();
        List<String> ledgerResources = new ArrayList<>(List.of(ledger.getTableArn()));
        ANCHOR_LEDGER_INDEXES.forEach(i -> ledgerResources.add(ledger.getTableArn() + "/index/" + i.name()));
        allow(runRole, RUN_LEDGER_ACTIONS, ledgerResources);
        allow(runRole, RUN_PROOF_ACTIONS, List.of(proofs.getTableArn()));
        KeyUse.allow(runRole, tableKey, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
        allow(runRole, SIGNER_ACTIONS, List.of(signerKey.getKeyArn()));
        signerKey.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AnchorRunSigns")
                .effect(Effect.ALLOW)
                .principals(List.of(new ArnPrincipal(runRole.getRoleArn())))
                .actions(SIGNER_ACTIONS)
                .resources(List.of("*"))
                .build());
        signerKey.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("OnlyTheAnchorRunSigns")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("kms:Sign"))
                .resources(List.of("*"))
                .conditions(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", runRole.getRoleArn())))
                .build());
        grantNodeRpc(runRole);
        this.schedule = FunctionSchedule.every(runScope, RUN_SCHEDULE_MINUTES, run, runName,
                "Anchor provenance batches every minute");
    }

    private Map<String, String> intakeEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_LEDGER_TABLE, ledger.getTableName());
        env.put(ENV_SELECT, anchoring.select());
        env.put(ENV_BATCH_MAX_EVENTS, Integer.toString(anchoring.batchMaxEvents()));
        env.put(ENV_BATCH_MAX_WAIT, anchoring.batchMaxWait().toString());
        env.put("POWERTOOLS_SERVICE_NAME", INTAKE_METRICS_SERVICE);
        env.put("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE);
        return env;
    }

    private Map<String, String> runEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(chainEnvironment());
        env.put(ENV_LEDGER_TABLE, ledger.getTableName());
        env.put(ENV_KMS_KEY_ID, signerKey.getKeyId());
        env.put(ENV_SELECT, anchoring.select());
        env.put(ENV_BATCH_MAX_EVENTS, Integer.toString(anchoring.batchMaxEvents()));
        env.put(ENV_BATCH_MAX_WAIT, anchoring.batchMaxWait().toString());
        env.put(ENV_CONFIRMATIONS, Integer.toString(anchoring.confirmations()));
        env.put(ENV_STUCK_AFTER, anchoring.stuckAfter().toString());
        env.put(ENV_FEE_BUMP_PERCENT, Integer.toString(anchoring.feeBumpPercent()));
        env.put("POWERTOOLS_SERVICE_NAME", RUN_METRICS_SERVICE);
        env.put("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE);
        return env;
    }

    /** What a reader of proofs needs to check one against the chain: the proofs table, the node, the registry. */
    Map<String, String> chainEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_PROOFS_TABLE, proofs.getTableName());
        env.put(ENV_RPC_URL, rpcUrl);
        env.put(ENV_RPC_AUTH, anchoring.rpcAuth());
        env.put(ENV_CHAIN_ID, Long.toString(anchoring.chainId()));
        env.put(ENV_REGISTRY, anchoring.registry());
        return env;
    }

    /** {@code GetItem} of one proof (and its key through DynamoDB), and the node's JSON-RPC with {@code amb}. */
    void grantProofReads(IGrantable reader) {
        allow(reader, PROOF_READ_ACTIONS, List.of(proofs.getTableArn()));
        KeyUse.allow(reader, tableKey, KeyUse.DYNAMODB, "kms:Decrypt");
        grantNodeRpc(reader);
    }

    private void grantNodeRpc(IGrantable caller) {
        if (node != null) {
            allow(caller, NODE_RPC_ACTIONS, List.of(node.getAttrArn()));
        }
    }

    private static void allow(IGrantable grantee, List<String> actions, List<String> resources) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build());
    }

    public AnchoringConfig anchoring() {
        return anchoring;
    }

    public Table ledger() {
        return ledger;
    }

    public Table proofs() {
        return proofs;
    }

    public Key tableKey() {
        return tableKey;
    }

    public Key signerKey() {
        return signerKey;
    }

    public Queue intakeFailedBatches() {
        return intakeFailedBatches;
    }

    /** The AMB node ({@code chain: amb} only). */
    public Optional<CfnNode> ambNode() {
        return Optional.ofNullable(node);
    }

    /** {@code WAYBILL_CHAIN_RPC_URL}: the configured URL, or the AMB node's endpoint (a token). */
    public String rpcUrl() {
        return rpcUrl;
    }

    public Function intake() {
        return intake;
    }

    public Alias intakeAlias() {
        return intakeAlias;
    }

    public Role intakeRole() {
        return intakeRole;
    }

    public Function run() {
        return run;
    }

    public Role runRole() {
        return runRole;
    }

    public Rule schedule() {
        return schedule;
    }
}

package io.waybill.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

import java.util.List;

/**
 * One stage of the platform, {@code Waybill-<stage>}: device ingress, the telemetry stream and its raw archive, the
 * ingest function with its event store, dead-letter queues and payload bucket, the canonical event stream it
 * publishes to, the cold-chain decision loop on that stream (decision function, its tables, the breach confirmer,
 * the incident-backlog monitor), the scheduled KPI publisher, the edge component, the operations API (HTTP API, its
 * function and user pool), and the alarms on all of it.
 */
public final class WaybillStack extends Stack {
    /** Tag on every resource: the stage. */
    public static final String STAGE_TAG = "waybill:stage";
    /** Construct ids of the retained stores, shared with {@link RetainedDataStack} (same ids, same logical ids). */
    public static final String EVENT_STORE_ID = "EventStore";
    public static final String COLD_CHAIN_STORE_ID = "ColdChainStore";
    public static final String RAW_ARCHIVE_ID = "RawArchive";
    public static final String DEAD_LETTER_PAYLOADS_ID = "DeadLetterPayloads";
    public static final String DEVICE_REGISTRY_ID = "DeviceRegistry";

    private final StageConfig config;
    private final TelemetryStream telemetry;
    private final CanonicalEventStream canonicalEvents;
    private final RawArchive rawArchive;
    private final RawArchiveDelivery rawArchiveDelivery;
    private final DeadLetterPayloads deadLetterPayloads;
    private final EventStore eventStore;
    private final DeadLetterQueues deadLetters;
    private final DeadLetterDesk deadLetterDesk;
    private final IngestService ingest;
    private final ColdChainStore coldChainStore;
    private final ColdChainService coldChain;
    private final IncidentNotifications incidentNotifications;
    private final BreachConfirmer breachConfirmer;
    private final IncidentBacklogMonitor incidentBacklog;
    private final KpiPublisher kpi;
    private final KpiAggregator kpiAggregator;
    private final ConsumerWatermarkTable consumerWatermarks;
    private final EdgeAcknowledgement edgeAcknowledgement;
    private final IotIngress iot;
    private final DeviceRegistry deviceRegistry;
    private final DeviceProvisioning deviceProvisioning;
    private final EdgeThingGroup edgeThingGroup;
    private final GreengrassTokenExchangeRole tokenExchangeRole;
    private final EdgeComponent edge;
    private final OpsApi opsApi;
    private final OperationalAlarms alarms;
    /** Null when the stage does not anchor ({@code anchoring.chain: none}). */
    private final ProvenanceAnchoring anchoring;
    /** Null when the stage does not forecast (no {@code forecasting} section). */
    private final DemandForecasting forecasting;
    /** Null when the stage has no partner exchange (no {@code partners} section). */
    private final PartnerExchange partners;
    private final EpcisRepository epcis;

    public WaybillStack(Construct scope, StageConfig config, BuildArtifacts artifacts, StackProps props) {
        super(scope, config.stackName(), props);
        this.config = config;
        if (config.importRetainedData()) {
            throw new IllegalArgumentException("importRetainedData=true synthesises a RetainedDataStack, not the full stack");
        }
        Tags.of(this).add(STAGE_TAG, config.stage());

        this.telemetry = new TelemetryStream(this, "Telemetry", config);
        this.rawArchive = new RawArchive(this, RAW_ARCHIVE_ID, config);
        this.rawArchiveDelivery = new RawArchiveDelivery(this, "RawArchiveDelivery", config, telemetry, rawArchive);
        this.canonicalEvents = new CanonicalEventStream(this, "CanonicalEvents", config);
        this.eventStore = new EventStore(this, EVENT_STORE_ID, config);
        this.deadLetters = new DeadLetterQueues(this, "DeadLetters", config);
        this.deadLetterPayloads = new DeadLetterPayloads(this, DEAD_LETTER_PAYLOADS_ID, config);
        this.deviceRegistry = new DeviceRegistry(this, DEVICE_REGISTRY_ID, config);
        this.deadLetterDesk = new DeadLetterDesk(this, "DeadLetterDesk", config, deadLetterPayloads);
        this.ingest = new IngestService(this, "Ingest", config, artifacts.ingestJar(), telemetry, eventStore,
                deadLetters, canonicalEvents, deadLetterPayloads, deviceRegistry, deadLetterDesk);
        this.coldChainStore = new ColdChainStore(this, COLD_CHAIN_STORE_ID, config);
        this.incidentNotifications = new IncidentNotifications(this, "IncidentNotifications", config);
        this.coldChain = new ColdChainService(this, "ColdChain", config, artifacts.coldChainJar(), canonicalEvents,
                eventStore, coldChainStore, incidentNotifications, deadLetters);
        this.breachConfirmer = new BreachConfirmer(this, "BreachConfirmer", config, artifacts.coldChainJar(),
                eventStore, coldChainStore, incidentNotifications, canonicalEvents);
        this.incidentBacklog = new IncidentBacklogMonitor(this, "IncidentBacklog", config, artifacts.coldChainJar(),
                coldChainStore);
        this.kpiAggregator = new KpiAggregator(this, "KpiAggregator", config, artifacts.kpiJar(), canonicalEvents,
                deadLetters);
        this.edgeAcknowledgement = new EdgeAcknowledgement(this, "EdgeAcknowledgement", config,
                artifacts.edgeAcknowledgementJar(), canonicalEvents, deadLetters);
        this.kpi = new KpiPublisher(this, "Kpi", config, artifacts.kpiJar(), kpiAggregator, coldChainStore);
        this.iot = new IotIngress(this, "Iot", config, artifacts.telemetryRule(), telemetry, deadLetters);
        this.deviceProvisioning = new DeviceProvisioning(this, "DeviceProvisioning", config,
                artifacts.deviceProvisioningJar(), deviceRegistry, iot);
        this.edgeThingGroup = new EdgeThingGroup(this, "EdgeThingGroup", config);
        this.tokenExchangeRole = new GreengrassTokenExchangeRole(this, "GreengrassTokenExchange", config);
        this.edge = new EdgeComponent(this, "Edge", config, edgeThingGroup.arn(), artifacts.edgeRecipe(),
                artifacts.edgeJar(), tokenExchangeRole);
        edge.getNode().addDependency(edgeThingGroup);
        this.opsApi = new OpsApi(this, "OpsApi", config, artifacts.opsApiJar(), artifacts.opsApiContract(),
                eventStore, coldChainStore, deadLetters);
        opsApi.serveDeadLetters(deadLetterDesk, deadLetterPayloads, telemetry);
        opsApi.servesKpis(kpiAggregator);
        opsApi.servesDevices(deviceRegistry, coldChainStore);
        this.consumerWatermarks = new ConsumerWatermarkTable(this, "ConsumerWatermarks", config);
        consumerWatermarks.recordsFor(ingest.function());
        consumerWatermarks.recordsFor(coldChain.function());
        consumerWatermarks.recordsFor(kpiAggregator.function());
        opsApi.servesConsumerLag(consumerWatermarks);
        this.anchoring = config.anchoring().enabled()
                ? new ProvenanceAnchoring(this, "ProvenanceAnchoring", config, artifacts.anchorJar(), canonicalEvents,
                deadLetters)
                : null;
        if (anchoring != null) {
            opsApi.servesProofs(anchoring);
        }
        this.forecasting = config.forecasting().enabled()
                ? new DemandForecasting(this, "DemandForecasting", config, artifacts.forecastJar(),
                artifacts.modelServerImage(), canonicalEvents, deadLetters)
                : null;
        if (forecasting != null) {
            opsApi.servesForecasts(forecasting);
        }
        this.epcis = new EpcisRepository(this, "Epcis", config);
        opsApi.servesEpcis(epcis);
        this.partners = config.partners().enabled()
                ? new PartnerExchange(this, "Partners", config, artifacts.partnerEgressJar(),
                artifacts.partnerIngressJar(), artifacts.eventRules(), canonicalEvents, telemetry)
                : null;
        this.alarms = new OperationalAlarms(this, "Alarms", config, deadLetters, ingest, coldChain,
                breachConfirmer, incidentBacklog, rawArchiveDelivery, edgeAcknowledgement, opsApi);
        if (anchoring != null) {
            alarms.watchAnchoring(anchoring, config);
        }
        if (forecasting != null) {
            alarms.watchForecasting(forecasting, config);
        }
        if (partners != null) {
            alarms.watchPartners(partners, config);
        }
        suppressReviewedFindings();
        if (anchoring != null) {
            suppressAnchoringFindings(anchoring);
        }
        if (forecasting != null) {
            suppressForecastingFindings(forecasting);
        }
        if (partners != null) {
            suppressPartnerFindings(partners);
        }
        StackOutputs.addTo(this);
    }

    /** cdk-nag findings that were reviewed and accepted, each with the reason it does not apply. */
    private void suppressReviewedFindings() {
        for (var queue : deadLetters.all()) {
            NagSuppressions.addResourceSuppressions(queue, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-SQS3")
                    .reason("This queue is itself a dead-letter queue (ingest rejects, a mapping's on-failure "
                            + "destination or the IoT rule's error action); a DLQ of a DLQ would only move the same "
                            + "messages again. Its depth alarm pages instead.")
                    .build()));
        }
        NagSuppressions.addResourceSuppressions(ingest.role(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("The claim check puts each oversized dead letter under a key of its own (s3:PutObject only, "
                        + "no read, no delete): the statement is scoped to the objects of the one dead-letter "
                        + "payload bucket, whose key names are not known in advance.")
                .appliesTo(List.of(RegexAppliesTo.builder()
                        .regex("/^Resource::<" + DEAD_LETTER_PAYLOADS_ID + "Bucket[0-9A-F]+\\.Arn>\\/\\*$/g")
                        .build()))
                .build()), true);
        NagSuppressions.addResourceSuppressions(opsApi.role(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("GET /dead-letters/{id} reads a claim-checked letter's payload (s3:GetObject only): the "
                        + "statement is scoped to the dead-letters/ objects of the one dead-letter payload bucket, whose "
                        + "key names are not known in advance.")
                .appliesTo(List.of(RegexAppliesTo.builder()
                        .regex("/^Resource::<" + DEAD_LETTER_PAYLOADS_ID + "Bucket[0-9A-F]+\\.Arn>\\/dead-letters\\/\\*$/g")
                        .build()))
                .build()), true);
        NagSuppressions.addResourceSuppressions(ingest.function(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 is chosen deliberately over java25: the ingest jar's SnapStart behaviour and the "
                        + "memory/timeout sizing were measured for java21; moving runtime is its own change, "
                        + "re-measured before it is deployed.")
                .build()));
        NagSuppressions.addResourceSuppressions(coldChain.function(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 like ingest, deliberately over java25: the cold-chain jar shares ingest's adapters, "
                        + "SnapStart behaviour and sizing were measured for java21; moving runtime is its own change.")
                .build()));
        NagSuppressions.addResourceSuppressions(breachConfirmer.function(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 like the decision function it ships in one jar with and whose decisions it completes: "
                        + "one runtime per jar, and moving runtime is its own change, tested for all its handlers.")
                .build()));
        NagSuppressions.addResourceSuppressions(incidentBacklog.function(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 like the decision function it ships in one jar with: one runtime per jar, and "
                        + "moving runtime is its own change, tested for both handlers together.")
                .build()));
        NagSuppressions.addResourceSuppressions(kpi.function(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 like every other Waybill function, deliberately over java25: the KPI jar shares the "
                        + "domain and cold-chain code measured on java21; moving runtime is one change for all "
                        + "functions, tested together.")
                .build()));
        NagSuppressions.addResourceSuppressions(kpiAggregator.function(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 like the KPI publisher it ships in one jar with: one runtime per jar, and moving "
                        + "runtime is one change for all functions, tested together.")
                .build()));
        for (var function : List.of(edgeAcknowledgement.function(), edgeAcknowledgement.settlementFunction())) {
            NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-L1")
                    .reason("java21 like every other Waybill function, deliberately over java25: the edge "
                            + "acknowledgement jar shares the domain and the AWS adapters measured on java21; moving "
                            + "runtime is one change for all functions, tested together.")
                    .build()));
        }
        for (var role : List.of(edgeAcknowledgement.role(), edgeAcknowledgement.settlementRole())) {
            NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-IAM5")
                    .reason("iot:Publish on the stage's confirmation topics cmd/waybill/<stage>/*/stored (one per "
                            + "device, the thing names are not known to the stack); iot:DescribeEndpoint supports no "
                            + "resource-level permissions, so it is on '*' (the function finds the account's data "
                            + "endpoint, which is not a CloudFormation attribute).")
                    .appliesTo(List.of(
                            RegexAppliesTo.builder().regex("/^Resource::arn:<AWS::Partition>:iot:<AWS::Region>:"
                                    + "<AWS::AccountId>:topic\\/cmd\\/waybill\\/[a-z0-9-]+\\/\\*\\/stored$/g").build(),
                            "Resource::*"))
                    .build()), true);
        }
        NagSuppressions.addResourceSuppressions(deviceProvisioning.hook(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 like every other Waybill function, deliberately over java25: SnapStart keeps the hook "
                        + "within AWS IoT's 5-second limit and was chosen for java21; moving runtime is one change for "
                        + "all functions, tested together.")
                .build()));
        NagSuppressions.addResourceSuppressions(deviceProvisioning.provisioningRole(), List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("Fleet provisioning creates a thing and activates a certificate whose name and id the "
                                + "device brings at provisioning time: the statements are scoped to the account's "
                                + "things and certificates of this region; the thing type and the device policy are "
                                + "named exactly, and the pre-provisioning hook admits only registered devices.")
                        .appliesTo(List.of(RegexAppliesTo.builder()
                                .regex("/^Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:(thing|cert)\\/\\*$/g")
                                .build()))
                        .build()), true);
        for (var role : List.of(ingest.role(), coldChain.role())) {
            suppressStreamConsumerRoleFindings(role);
        }
        NagSuppressions.addResourceSuppressions(opsApi.function(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 like every other Waybill function, deliberately over java25: the ops API jar shares "
                        + "the domain and the AWS adapters measured on java21; moving runtime is one change for all "
                        + "functions, tested together.")
                .build()));
    }

    /** cdk-nag findings of provenance anchoring that were reviewed and accepted. */
    private static void suppressAnchoringFindings(ProvenanceAnchoring anchoring) {
        NagSuppressions.addResourceSuppressions(anchoring.intakeFailedBatches(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is itself a dead-letter queue (the anchor intake mapping's on-failure "
                        + "destination); a DLQ of a DLQ would only move the same messages again. Its depth alarm "
                        + "pages instead.")
                .build()));
        for (var function : List.of(anchoring.intake(), anchoring.run())) {
            NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-L1")
                    .reason("java21 like every other Waybill function, deliberately over java25: the anchor jar "
                            + "shares the domain and the AWS adapters measured on java21 (and Web3j 4.13.0 is "
                            + "chosen for Java 17+); moving runtime is one change for all functions, tested together.")
                    .build()));
        }
    }

    /** cdk-nag findings of demand forecasting that were reviewed and accepted. */
    private static void suppressForecastingFindings(DemandForecasting forecasting) {
        NagSuppressions.addResourceSuppressions(forecasting.intakeFailedBatches(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is itself a dead-letter queue (the demand intake mapping's on-failure "
                        + "destination); a DLQ of a DLQ would only move the same messages again. Its depth alarm "
                        + "pages instead.")
                .build()));
        for (var function : List.of(forecasting.intake(), forecasting.run())) {
            NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-L1")
                    .reason("java21 like every other Waybill function, deliberately over java25: the forecast jar "
                            + "shares the domain and the AWS adapters measured on java21; moving runtime is one "
                            + "change for all functions, tested together.")
                    .build()));
        }
        NagSuppressions.addResourceSuppressions(forecasting.modelRole(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("ecr:GetAuthorizationToken supports no resource-level permissions (ECR docs), so SageMaker's "
                        + "pull of the model image needs it on '*'; the pull itself (BatchGetImage, "
                        + "GetDownloadUrlForLayer) is scoped to the CDK asset repository.")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
    }

    /** cdk-nag findings of the partner exchange that were reviewed and accepted. */
    private static void suppressPartnerFindings(PartnerExchange partners) {
        for (var queue : partners.deadLetterQueues()) {
            NagSuppressions.addResourceSuppressions(queue, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-SQS3")
                    .reason("This queue is itself a dead-letter queue (a partner rule target's, the egress mapping's "
                            + "on-failure destination, the ingress function's on-failure destination, or a function's "
                            + "own rejects); a DLQ of a DLQ would only move the same messages again. Its depth alarm "
                            + "pages instead.")
                    .build()));
        }
        for (var function : List.of(partners.egress(), partners.ingress())) {
            NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-L1")
                    .reason("java21 like every other Waybill function, deliberately over java25: the partner jars "
                            + "share the domain and the AWS adapters measured on java21; moving runtime is one change "
                            + "for all functions, tested together.")
                    .build()));
        }
    }

    /**
     * A stream consumer's role: X-Ray's '*'. (Its stream, queue and key grants are written out by
     * {@link StreamConsumer} and carry no wildcard action.)
     */
    private static void suppressStreamConsumerRoleFindings(software.constructs.IConstruct role) {
        NagSuppressions.addResourceSuppressions(role, List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no "
                                + "resource-level permissions, so the statement CDK adds for Tracing.ACTIVE is on '*'.")
                        .appliesTo(List.of("Resource::*"))
                        .build()), true);
    }

    public StageConfig config() {
        return config;
    }

    public TelemetryStream telemetry() {
        return telemetry;
    }

    public CanonicalEventStream canonicalEvents() {
        return canonicalEvents;
    }

    public RawArchive rawArchive() {
        return rawArchive;
    }

    public RawArchiveDelivery rawArchiveDelivery() {
        return rawArchiveDelivery;
    }

    public DeadLetterPayloads deadLetterPayloads() {
        return deadLetterPayloads;
    }

    public EventStore eventStore() {
        return eventStore;
    }

    public DeadLetterDesk deadLetterDesk() {
        return deadLetterDesk;
    }

    public DeadLetterQueues deadLetters() {
        return deadLetters;
    }

    public IngestService ingest() {
        return ingest;
    }

    public ColdChainStore coldChainStore() {
        return coldChainStore;
    }

    public IncidentNotifications incidentNotifications() {
        return incidentNotifications;
    }

    public ColdChainService coldChain() {
        return coldChain;
    }

    public BreachConfirmer breachConfirmer() {
        return breachConfirmer;
    }

    public IncidentBacklogMonitor incidentBacklog() {
        return incidentBacklog;
    }

    public ConsumerWatermarkTable consumerWatermarks() {
        return consumerWatermarks;
    }

    public KpiAggregator kpiAggregator() {
        return kpiAggregator;
    }

    public EdgeAcknowledgement edgeAcknowledgement() {
        return edgeAcknowledgement;
    }

    public KpiPublisher kpi() {
        return kpi;
    }

    public IotIngress iot() {
        return iot;
    }

    public DeviceRegistry deviceRegistry() {
        return deviceRegistry;
    }

    public DeviceProvisioning deviceProvisioning() {
        return deviceProvisioning;
    }

    public EdgeThingGroup edgeThingGroup() {
        return edgeThingGroup;
    }

    public GreengrassTokenExchangeRole tokenExchangeRole() {
        return tokenExchangeRole;
    }

    public EdgeComponent edge() {
        return edge;
    }

    public OpsApi opsApi() {
        return opsApi;
    }

    public OperationalAlarms alarms() {
        return alarms;
    }

    /** The partner exchange; empty when the stage has no {@code partners} section. */
    public java.util.Optional<PartnerExchange> partners() {
        return java.util.Optional.ofNullable(partners);
    }

    /** The EPCIS repository (every stage). */
    public EpcisRepository epcis() {
        return epcis;
    }

    /** Demand forecasting; empty when the stage does not forecast. */
    public java.util.Optional<DemandForecasting> forecasting() {
        return java.util.Optional.ofNullable(forecasting);
    }

    /** Provenance anchoring; empty when the stage does not anchor. */
    public java.util.Optional<ProvenanceAnchoring> anchoring() {
        return java.util.Optional.ofNullable(anchoring);
    }
}

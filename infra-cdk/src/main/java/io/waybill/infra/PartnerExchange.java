package io.waybill.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.aws.partner.PartnerEgressEnvironment;
import io.waybill.aws.partner.PartnerTables;
import io.waybill.domain.partner.PartnerEgress;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.events.ApiDestination;
import software.amazon.awscdk.services.events.Authorization;
import software.amazon.awscdk.services.events.CfnArchive;
import software.amazon.awscdk.services.events.CfnEventBus;
import software.amazon.awscdk.services.events.CfnEventBusPolicy;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.events.Connection;
import software.amazon.awscdk.services.events.HttpMethod;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.DestinationConfig;
import software.amazon.awscdk.services.lambda.DestinationOptions;
import software.amazon.awscdk.services.lambda.EventInvokeConfig;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IDestination;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.Permission;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stage's partner exchange (issue 16), on a stage whose context has a {@link PartnersConfig} section:
 * <ul>
 * <li>the <b>partner bus</b> {@code waybill-<stage>-partners}, whose resource policy lets exactly the configured
 * partner accounts {@code events:PutEvents} (nobody when none is configured), and its <b>archive</b> (every event,
 * {@code archiveRetentionDays}, for replay after a receiver or adapter is fixed);</li>
 * <li>the <b>rules</b> of {@value BuildArtifacts#EVENT_RULES_PATH}, the same files the local bus loads: every
 * {@code partner-ingress-*.json}, and {@code partner-<id>-egress.json} of each configured partner (a webhook partner
 * without one, a binding to an unconfigured destination, a target without a retry policy or dead-letter queue: synth
 * fails naming the file). Bindings {@code {{Construct.attribute}}} are the constructs' tokens ({@link #bindings});</li>
 * <li>per webhook partner a <b>connection</b> (API-key auth; the key is a Secrets Manager dynamic reference, resolved by
 * CloudFormation, never in the template) and an <b>API destination</b> with its rate limit, invoked by a role of its
 * own that may {@code events:InvokeApiDestination} on that destination only;</li>
 * <li>the <b>egress function</b> ({@value #EGRESS_HANDLER}) on the canonical stream like every canonical consumer
 * ({@link StreamConsumer}), which puts a partner's own shipment events on the bus;</li>
 * <li>the <b>ingress function</b> ({@value #INGRESS_HANDLER}), the ingress rule's target (async: at most
 * {@value #INGRESS_RETRY_ATTEMPTS} retries within {@link #INGRESS_MAX_EVENT_AGE}, then its on-failure queue), which
 * turns partner events into raw records on the telemetry stream (ingest validates and stores them);</li>
 * <li>the <b>partner table</b> {@code waybill-<stage>-partners} ({@code pk}/{@code sk}, TTL {@value #TTL_ATTRIBUTE})
 * and six queues (KMS, TLS only, 14 days): the rules' dead-letter queues {@code PartnerDeliveryDlq} and
 * {@code PartnerIngressDlq} (EventBridge may send to each only for its own rules: {@code aws:SourceArn}), the egress
 * function's dead letters and failed batches, the ingress function's rejects and failed invocations.</li>
 * </ul>
 */
public final class PartnerExchange extends Construct {
    public static final String EGRESS_HANDLER = "io.waybill.partneregress.PartnerEgressHandler::handleRequest";
    public static final String INGRESS_HANDLER = "io.waybill.partneringress.PartnerIngressHandler::handleRequest";
    public static final String EGRESS_JAR_MODULE = "functions/partner-egress";
    public static final String INGRESS_JAR_MODULE = "functions/partner-ingress";
    public static final String ALIAS_NAME = IngestService.ALIAS_NAME;
    public static final String EGRESS_METRICS_SERVICE = "partner-egress";
    public static final String INGRESS_METRICS_SERVICE = "partner-ingress";
    public static final String METRICS_NAMESPACE = IngestService.METRICS_NAMESPACE;
    /** Held and settled egress rows expire at these epoch seconds (the adapters' attribute). */
    public static final String TTL_ATTRIBUTE = io.waybill.aws.partner.PartnerTables.EXPIRES_AT;

    public static final int EGRESS_MEMORY_MB = 512;
    /** A batch of 100 records, PutEvents in tens, retried with backoff within the invocation. */
    public static final Duration EGRESS_TIMEOUT = Duration.seconds(120);
    /** A shipment's events reach its partners in stream order: one batch per shard at a time. */
    public static final int EGRESS_PARALLELIZATION_FACTOR = 1;
    public static final int INGRESS_MEMORY_MB = 512;
    public static final Duration INGRESS_TIMEOUT = Duration.seconds(30);
    /** Lambda's async retries of a failed partner event (its maximum), then the on-failure queue. */
    public static final int INGRESS_RETRY_ATTEMPTS = 2;
    /** An event not processed within six hours goes to the on-failure queue, to be looked at and replayed. */
    public static final Duration INGRESS_MAX_EVENT_AGE = Duration.hours(6);

    public static final String ENV_INGRESS_TABLE = io.waybill.aws.partner.PartnerIngressEnvironment.TABLE;
    public static final String ENV_INGRESS_STREAM = io.waybill.aws.partner.PartnerIngressEnvironment.INGEST_STREAM;
    public static final String ENV_INGRESS_DLQ_URL =
            io.waybill.aws.partner.PartnerIngressEnvironment.DEAD_LETTER_QUEUE_URL;

    /** The egress function on the partner table: partner directory and parties (Query), held/settled rows (PutItem). */
    static final List<String> EGRESS_TABLE_ACTIONS = List.of("dynamodb:PutItem", "dynamodb:Query");
    /** The ingress function on the partner table: the partners' rows (one Query on pk = PARTNER, cached 60 s). */
    static final List<String> INGRESS_TABLE_ACTIONS = List.of("dynamodb:Query");
    static final String INVOKE_API_DESTINATION = "events:InvokeApiDestination";

    /** Binding names of the file-independent constructs (a webhook partner adds {@code <Name>Destination.arn}). */
    public static final String BUS_NAME_BINDING = "PartnerBus.eventBusName";
    public static final String BUS_ARN_BINDING = "PartnerBus.eventBusArn";
    public static final String DELIVERY_DLQ_BINDING = "PartnerDeliveryDlq.queueArn";
    public static final String INGRESS_DLQ_BINDING = "PartnerIngressDlq.queueArn";
    public static final String FUNCTION_BINDING = "PartnerFunction.functionArn";

    private static final Pattern BINDING = Pattern.compile("\\{\\{([A-Za-z0-9]+\\.[A-Za-z]+)}}");
    private static final Set<String> RULE_KEYS = Set.of("name", "description", "eventBusName", "state",
            "eventPattern", "targets");
    private static final Set<String> TARGET_KEYS = Set.of("id", "arn", "retryPolicy", "deadLetterConfig");

    private final StageConfig config;
    private final PartnersConfig partners;
    private final String busName;
    private final Key queueKey;
    private final Key tableKey;
    private final Table table;
    private final CfnEventBus bus;
    private final CfnEventBusPolicy busPolicy;
    private final CfnArchive archive;
    private final Queue deliveryDlq;
    private final Queue ingressDlq;
    private final Queue egressDeadLetters;
    private final Queue egressFailedBatches;
    private final Queue ingressRejects;
    private final Queue ingressFailed;
    private final Function egress;
    private final Alias egressAlias;
    private final Role egressRole;
    private final Function ingress;
    private final Role ingressRole;
    private final Map<String, ApiDestination> destinations = new LinkedHashMap<>();
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    private final Map<String, Role> deliveryRoles = new LinkedHashMap<>();
    private final Map<String, CfnRule> rules = new LinkedHashMap<>();

    public PartnerExchange(Construct scope, String id, StageConfig config, Path egressJar, Path ingressJar,
                           Path eventRules, CanonicalEventStream canonical, TelemetryStream telemetry) {
        super(scope, id);
        this.config = config;
        this.partners = config.partners();
        if (!partners.enabled()) {
            throw new IllegalArgumentException("stage " + config.stage() + " has no partner exchange (no context "
                    + "section " + PartnersConfig.CTX_PARTNERS + ")");
        }
        this.busName = config.resourceName("partners");
        // Its own scope: CustomerKey names its key 'Key', as LedgerTable.key does the table's.
        this.queueKey = CustomerKey.of(new Construct(this, "Queues"), config, "partner queues", "partner-queues",
                software.amazon.awscdk.RemovalPolicy.DESTROY);
        this.tableKey = LedgerTable.key(this, config, "partner directory and egress ledger", "partners");
        this.table = LedgerTable.in(this, "Table", config, tableKey).named("partners")
                .partitionKey(PartnerTables.PK).sortKey(PartnerTables.SK)
                .timeToLive(TTL_ATTRIBUTE)
                .build();

        this.bus = CfnEventBus.Builder.create(this, "Bus")
                .name(busName)
                .description("Waybill " + config.stage() + " partner events: Waybill's to partners, partners' to Waybill")
                .build();
        List<String> accounts = partners.accounts();
        this.busPolicy = accounts.isEmpty() ? null : CfnEventBusPolicy.Builder.create(this, "BusPolicy")
                .eventBusName(bus.getRef())
                .statementId("PartnerAccountsPutEvents")
                .statement(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("AWS", accounts.stream()
                                .map(a -> "arn:" + Aws.PARTITION + ":iam::" + a + ":root").toList()),
                        "Action", "events:PutEvents",
                        "Resource", bus.getAttrArn()))
                .build();
        this.archive = CfnArchive.Builder.create(this, "Archive")
                .archiveName(busName)
                .description("Every event on " + busName + ", for replay")
                .sourceArn(bus.getAttrArn())
                .retentionDays(partners.archiveRetentionDays())
                .build();

        this.deliveryDlq = queue("DeliveryDlq", "partner-delivery-dlq");
        this.ingressDlq = queue("IngressDlq", "partner-ingress-dlq");
        this.egressDeadLetters = queue("EgressDeadLetters", "partner-egress-dead-letters");
        this.egressFailedBatches = queue("EgressFailedBatches", "partner-egress-failed-batches");
        this.ingressRejects = queue("IngressRejects", "partner-ingress-rejects");
        this.ingressFailed = queue("IngressFailed", "partner-ingress-failed");

        // Egress: the canonical stream -> PutEvents on the bus (a partner's own shipments only).
        Construct egressScope = new Construct(this, "Egress");
        JavaFunction egressFunction = JavaFunction.in(egressScope, config.resourceName("partner-egress"))
                .roleDescription("Waybill " + config.stage() + " partner egress function")
                .description("Canonical event stream -> partner bus (each partner's own shipment events)")
                .handler(EGRESS_HANDLER)
                .code(egressJar, EGRESS_JAR_MODULE)
                .memoryMb(EGRESS_MEMORY_MB)
                .timeout(EGRESS_TIMEOUT)
                .snapStartAlias(ALIAS_NAME)
                .environment(Map.of(
                        PartnerEgressEnvironment.EVENT_BUS, busName,
                        PartnerEgressEnvironment.SOURCE, PartnerEgress.DEFAULT_SOURCE,
                        PartnerEgressEnvironment.TABLE, table.getTableName(),
                        PartnerEgressEnvironment.DEAD_LETTER_QUEUE_URL, egressDeadLetters.getQueueUrl(),
                        "POWERTOOLS_SERVICE_NAME", EGRESS_METRICS_SERVICE,
                        "POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE))
                .build();
        this.egress = egressFunction.function();
        this.egressAlias = egressFunction.alias();
        this.egressRole = egressFunction.role();
        allow(egressRole, EGRESS_TABLE_ACTIONS, List.of(table.getTableArn()));
        KeyUse.allow(egressRole, tableKey, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
        allow(egressRole, List.of("events:PutEvents"), List.of(bus.getAttrArn()));
        allowSend(egressRole, egressDeadLetters);
        StreamConsumer.attach(egressAlias, canonical, egressFailedBatches, queueKey, EGRESS_PARALLELIZATION_FACTOR);

        // Ingress: the ingress rule -> the partner function (async) -> raw records on the telemetry stream.
        Construct ingressScope = new Construct(this, "Ingress");
        JavaFunction ingressFunction = JavaFunction.in(ingressScope, config.resourceName("partner-ingress"))
                .roleDescription("Waybill " + config.stage() + " partner ingress function")
                .description("Partner bus (ingress rule) -> raw records on the telemetry stream")
                .handler(INGRESS_HANDLER)
                .code(ingressJar, INGRESS_JAR_MODULE)
                .memoryMb(INGRESS_MEMORY_MB)
                .timeout(INGRESS_TIMEOUT)
                .environment(Map.of(
                        ENV_INGRESS_TABLE, table.getTableName(),
                        ENV_INGRESS_STREAM, telemetry.stream().getStreamName(),
                        ENV_INGRESS_DLQ_URL, ingressRejects.getQueueUrl(),
                        "POWERTOOLS_SERVICE_NAME", INGRESS_METRICS_SERVICE,
                        "POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE))
                .build();
        this.ingress = ingressFunction.function();
        this.ingressRole = ingressFunction.role();
        allow(ingressRole, INGRESS_TABLE_ACTIONS, List.of(table.getTableArn()));
        KeyUse.allow(ingressRole, tableKey, KeyUse.DYNAMODB, "kms:Decrypt");
        allow(ingressRole, List.of("kinesis:PutRecords"), List.of(telemetry.stream().getStreamArn()));
        KeyUse.allow(ingressRole, telemetry.key(), KeyUse.KINESIS, "kms:GenerateDataKey");
        allowSend(ingressRole, ingressRejects);
        allowSend(ingressRole, ingressFailed);
        EventInvokeConfig.Builder.create(ingressScope, "AsyncInvoke")
                .function(ingress)
                .retryAttempts(INGRESS_RETRY_ATTEMPTS)
                .maxEventAge(INGRESS_MAX_EVENT_AGE)
                .onFailure(new QueueDestination(ingressFailed))
                .build();

        for (PartnersConfig.Partner partner : partners.partners().values()) {
            partner.webhook().ifPresent(webhook -> addWebhook(partner, webhook));
        }
        loadRules(eventRules);
    }

    private Queue queue(String id, String name) {
        return Queue.Builder.create(this, id)
                .queueName(config.resourceName(name))
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(queueKey)
                .enforceSsl(true)
                .retentionPeriod(DeadLetterQueues.RETENTION)
                .maxMessageSizeBytes(DeadLetterQueues.MAX_MESSAGE_SIZE_BYTES)
                .build();
    }

    private void addWebhook(PartnersConfig.Partner partner, PartnersConfig.Webhook webhook) {
        String name = partner.constructName();
        Connection connection = Connection.Builder.create(this, name + "Connection")
                .description("Waybill " + config.stage() + " webhook of partner " + partner.id())
                .authorization(Authorization.apiKey(webhook.authHeader(),
                        SecretValue.secretsManager(webhook.connectionSecret())))
                .build();
        ApiDestination destination = ApiDestination.Builder.create(this, name + "Destination")
                .apiDestinationName(config.resourceName("partner-" + partner.id()))
                .description("Partner " + partner.id() + "'s receiver")
                .connection(connection)
                .endpoint(webhook.endpoint())
                .httpMethod(HttpMethod.POST)
                .rateLimitPerSecond(webhook.rateLimitPerSecond())
                .build();
        Role role = Role.Builder.create(this, name + "DeliveryRole")
                .assumedBy(new ServicePrincipal("events.amazonaws.com"))
                .description("Waybill " + config.stage() + " partner bus rule -> " + partner.id() + "'s receiver")
                .build();
        allow(role, List.of(INVOKE_API_DESTINATION), List.of(destination.getApiDestinationArnForPolicy()));
        connections.put(partner.id(), connection);
        destinations.put(partner.id(), destination);
        deliveryRoles.put(partner.id(), role);
    }

    /**
     * What each {@code {{Construct.attribute}}} of a rule file stands for: the bus, the two rule dead-letter queues,
     * the partner function, and {@code <Name>Destination.arn} of each webhook partner.
     */
    Map<String, String> bindings() {
        Map<String, String> b = new LinkedHashMap<>();
        b.put(BUS_NAME_BINDING, bus.getRef());
        b.put(BUS_ARN_BINDING, bus.getAttrArn());
        b.put(DELIVERY_DLQ_BINDING, deliveryDlq.getQueueArn());
        b.put(INGRESS_DLQ_BINDING, ingressDlq.getQueueArn());
        b.put(FUNCTION_BINDING, ingress.getFunctionArn());
        destinations.forEach((id, d) -> b.put(destinationBinding(partners.partners().get(id)), d.getApiDestinationArn()));
        return b;
    }

    /** {@code northwind-3pl} -> {@code Northwind3plDestination.arn}. */
    static String destinationBinding(PartnersConfig.Partner partner) {
        return partner.constructName() + "Destination.arn";
    }

    /** {@code partner-<id>-egress.json}. */
    static String egressRuleFile(String partnerId) {
        return "partner-" + partnerId + "-egress.json";
    }

    private void loadRules(Path dir) {
        List<Path> files = new ArrayList<>();
        try (var listing = Files.list(dir)) {
            listing.filter(f -> f.getFileName().toString().matches("partner-ingress-.+\\.json"))
                    .sorted().forEach(files::add);
        } catch (IOException e) {
            throw new StageConfigException("cannot list the partner rules in " + dir + ": " + e.getMessage(), e);
        }
        for (PartnersConfig.Partner partner : partners.partners().values()) {
            Path file = dir.resolve(egressRuleFile(partner.id()));
            if (Files.isRegularFile(file)) {
                files.add(file);
            } else if (partner.webhook().isPresent()) {
                throw new StageConfigException("context partners." + partner.id() + " is a webhook partner, but its "
                        + "egress rule " + BuildArtifacts.EVENT_RULES_PATH + "/" + egressRuleFile(partner.id())
                        + " does not exist: add the rule (which events it receives) or drop the endpoint");
            }
        }
        Map<String, String> bindings = bindings();
        for (Path file : files) {
            addRule(file, bindings);
        }
    }

    @SuppressWarnings("unchecked")
    private void addRule(Path file, Map<String, String> bindings) {
        String where = BuildArtifacts.EVENT_RULES_PATH + "/" + file.getFileName();
        Map<String, Object> rule;
        try {
            rule = new ObjectMapper().readValue(file.toFile(), LinkedHashMap.class);
        } catch (IOException e) {
            throw new StageConfigException(where + " is not a JSON object: " + e.getMessage(), e);
        }
        List<String> unknown = rule.keySet().stream().filter(k -> !RULE_KEYS.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new StageConfigException(where + ": unknown key(s) " + unknown + "; a rule file has "
                    + RULE_KEYS.stream().sorted().toList());
        }
        String ruleName = text(rule, "name", where);
        if (!bindings.get(BUS_NAME_BINDING).equals(resolve(text(rule, "eventBusName", where), bindings, where))) {
            throw new StageConfigException(where + ": eventBusName must be {{" + BUS_NAME_BINDING + "}}");
        }
        if (!(rule.get("eventPattern") instanceof Map<?, ?> pattern) || pattern.isEmpty()) {
            throw new StageConfigException(where + ": eventPattern must be a non-empty JSON object");
        }
        if (!(rule.get("targets") instanceof List<?> targets) || targets.isEmpty() || targets.size() > 5) {
            throw new StageConfigException(where + ": targets must list 1 to 5 targets (EventBridge's limit)");
        }
        String ruleArn = "arn:" + Aws.PARTITION + ":events:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":rule/" + busName
                + "/" + ruleName;
        String constructId = "Rule" + pascal(file.getFileName().toString().replaceFirst("\\.json$", ""));
        List<CfnRule.TargetProperty> cfnTargets = new ArrayList<>();
        List<Runnable> afterRule = new ArrayList<>();
        CfnRule[] created = new CfnRule[1];
        for (Object t : targets) {
            if (!(t instanceof Map<?, ?>)) {
                throw new StageConfigException(where + ": a target must be a JSON object");
            }
            Map<String, Object> target = (Map<String, Object>) t;
            List<String> unknownTarget = target.keySet().stream().filter(k -> !TARGET_KEYS.contains(k)).sorted()
                    .toList();
            if (!unknownTarget.isEmpty()) {
                throw new StageConfigException(where + ": unknown target key(s) " + unknownTarget + "; a target has "
                        + TARGET_KEYS.stream().sorted().toList());
            }
            String targetId = text(target, "id", where);
            if (!(target.get("retryPolicy") instanceof Map<?, ?> retry)
                    || !(target.get("deadLetterConfig") instanceof Map<?, ?> dlq)) {
                throw new StageConfigException(where + ": target " + targetId + " needs a retryPolicy and a "
                        + "deadLetterConfig (without them EventBridge drops an event after 185 attempts or 24 hours)");
            }
            int attempts = number(retry.get("maximumRetryAttempts"), where, targetId + ".retryPolicy.maximumRetryAttempts",
                    0, 185);
            int age = number(retry.get("maximumEventAgeInSeconds"), where,
                    targetId + ".retryPolicy.maximumEventAgeInSeconds", 60, 86_400);
            String arnBinding = binding(text(target, "arn", where), where);
            String dlqBinding = binding(text((Map<String, Object>) dlq, "arn", where), where);
            String arn = lookUp(arnBinding, bindings, where);
            String dlqArn = lookUp(dlqBinding, bindings, where);
            Queue dlqQueue = dlqBinding.equals(DELIVERY_DLQ_BINDING) ? deliveryDlq
                    : dlqBinding.equals(INGRESS_DLQ_BINDING) ? ingressDlq : null;
            if (dlqQueue == null) {
                throw new StageConfigException(where + ": target " + targetId + "'s deadLetterConfig must bind {{"
                        + DELIVERY_DLQ_BINDING + "}} or {{" + INGRESS_DLQ_BINDING + "}}, was {{" + dlqBinding + "}}");
            }
            CfnRule.TargetProperty.Builder cfnTarget = CfnRule.TargetProperty.builder()
                    .id(targetId)
                    .arn(arn)
                    .retryPolicy(CfnRule.RetryPolicyProperty.builder()
                            .maximumRetryAttempts(attempts).maximumEventAgeInSeconds(age).build())
                    .deadLetterConfig(CfnRule.DeadLetterConfigProperty.builder().arn(dlqArn).build());
            String partnerId = destinations.keySet().stream()
                    .filter(p -> destinationBinding(partners.partners().get(p)).equals(arnBinding))
                    .findFirst().orElse(null);
            if (partnerId != null) {
                cfnTarget.roleArn(deliveryRoles.get(partnerId).getRoleArn());
            } else if (arnBinding.equals(FUNCTION_BINDING)) {
                afterRule.add(() -> ingress.addPermission("Invoke" + constructId, Permission.builder()
                        .principal(new ServicePrincipal("events.amazonaws.com"))
                        .action("lambda:InvokeFunction")
                        .sourceArn(created[0].getAttrArn())
                        .build()));
            } else {
                throw new StageConfigException(where + ": target " + targetId + " binds {{" + arnBinding + "}}, which "
                        + "is not a target here: {{" + FUNCTION_BINDING + "}} or a configured webhook partner's "
                        + "{{<Partner>Destination.arn}}");
            }
            afterRule.add(() -> dlqQueue.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("EventBridgeDeadLetters" + constructId)
                    .effect(Effect.ALLOW)
                    .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                    .actions(List.of("sqs:SendMessage"))
                    .resources(List.of(dlqQueue.getQueueArn()))
                    .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn", created[0].getAttrArn())))
                    .build()));
            // SSE-KMS dead-letter queue: EventBridge itself encrypts what it sends (EventBridge docs), for this rule only.
            afterRule.add(() -> queueKey.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("EventBridgeDeadLetters" + constructId)
                    .effect(Effect.ALLOW)
                    .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                    .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                    .resources(List.of("*"))
                    .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn", ruleArn)))
                    .build()));
            cfnTargets.add(cfnTarget.build());
        }
        CfnRule.Builder builder = CfnRule.Builder.create(this, constructId)
                .name(ruleName)
                .eventBusName(bus.getRef())
                .eventPattern(rule.get("eventPattern"))
                .targets(cfnTargets);
        if (rule.get("description") != null) {
            builder.description(rule.get("description").toString());
        }
        if (rule.get("state") != null) {
            builder.state(rule.get("state").toString());
        }
        created[0] = builder.build();
        afterRule.forEach(Runnable::run);
        rules.put(file.getFileName().toString(), created[0]);
    }

    private static String text(Map<String, Object> map, String key, String where) {
        Object v = map.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new StageConfigException(where + ": " + key + " must be a non-empty string");
        }
        return s;
    }

    private static int number(Object value, String where, String name, int min, int max) {
        if (!(value instanceof Integer n) || n < min || n > max) {
            throw new StageConfigException(where + ": " + name + " must be a whole number " + min + " to " + max
                    + ", was " + value);
        }
        return n;
    }

    /** The binding name of a value {@code {{Construct.attribute}}}. */
    private static String binding(String value, String where) {
        Matcher m = BINDING.matcher(value);
        if (!m.matches()) {
            throw new StageConfigException(where + ": '" + value + "' must be a binding {{Construct.attribute}} (a "
                    + "literal ARN would tie the file to one account)");
        }
        return m.group(1);
    }

    private static String resolve(String value, Map<String, String> bindings, String where) {
        return lookUp(binding(value, where), bindings, where);
    }

    private static String lookUp(String binding, Map<String, String> bindings, String where) {
        String token = bindings.get(binding);
        if (token == null) {
            throw new StageConfigException(where + " binds {{" + binding + "}}, which is not configured on this "
                    + "stage (a destination needs its partner in context partners with an endpoint); the bindings "
                    + "are " + bindings.keySet());
        }
        return token;
    }

    private static String pascal(String kebab) {
        StringBuilder b = new StringBuilder();
        for (String part : kebab.split("-")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }

    private void allowSend(IGrantable grantee, Queue queue) {
        allow(grantee, List.of("sqs:SendMessage"), List.of(queue.getQueueArn()));
        KeyUse.allow(grantee, queueKey, KeyUse.SQS, "kms:GenerateDataKey", "kms:Decrypt");
    }

    private static void allow(IGrantable grantee, List<String> actions, List<String> resources) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build());
    }

    /** The on-failure destination {@code SqsDestination} would render, without its grants (written above). */
    private static final class QueueDestination implements IDestination {
        private final Queue queue;

        QueueDestination(Queue queue) {
            this.queue = queue;
        }

        @Override
        public DestinationConfig bind(Construct scope, IFunction fn, DestinationOptions options) {
            return bind(scope, fn);
        }

        @Override
        public DestinationConfig bind(Construct scope, IFunction fn) {
            return DestinationConfig.builder().destination(queue.getQueueArn()).build();
        }
    }

    public PartnersConfig partners() {
        return partners;
    }

    public String busName() {
        return busName;
    }

    public Key queueKey() {
        return queueKey;
    }

    public Key tableKey() {
        return tableKey;
    }

    public Table table() {
        return table;
    }

    public CfnEventBus bus() {
        return bus;
    }

    /** Null when no partner account is configured (nobody may put events). */
    public CfnEventBusPolicy busPolicy() {
        return busPolicy;
    }

    public CfnArchive archive() {
        return archive;
    }

    public Queue deliveryDlq() {
        return deliveryDlq;
    }

    public Queue ingressDlq() {
        return ingressDlq;
    }

    public Queue egressDeadLetters() {
        return egressDeadLetters;
    }

    public Queue egressFailedBatches() {
        return egressFailedBatches;
    }

    public Queue ingressRejects() {
        return ingressRejects;
    }

    public Queue ingressFailed() {
        return ingressFailed;
    }

    /** Every queue of the exchange: each holds messages that were not delivered or processed. */
    public List<Queue> deadLetterQueues() {
        return List.of(deliveryDlq, ingressDlq, egressDeadLetters, egressFailedBatches, ingressRejects, ingressFailed);
    }

    public Function egress() {
        return egress;
    }

    public Alias egressAlias() {
        return egressAlias;
    }

    public Role egressRole() {
        return egressRole;
    }

    public Function ingress() {
        return ingress;
    }

    public Role ingressRole() {
        return ingressRole;
    }

    public Map<String, ApiDestination> destinations() {
        return java.util.Collections.unmodifiableMap(destinations);
    }

    public Map<String, Connection> connections() {
        return java.util.Collections.unmodifiableMap(connections);
    }

    public Map<String, Role> deliveryRoles() {
        return java.util.Collections.unmodifiableMap(deliveryRoles);
    }

    /** The deployed rules by file name. */
    public Map<String, CfnRule> rules() {
        return java.util.Collections.unmodifiableMap(rules);
    }
}

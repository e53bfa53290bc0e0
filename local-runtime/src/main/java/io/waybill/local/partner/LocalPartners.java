package io.waybill.local.partner;

import io.waybill.aws.partner.DynamoDbPartnerDirectory;
import io.waybill.aws.partner.DynamoDbShipmentParties;
import io.waybill.aws.partner.EventBridgePartnerPublisher;
import io.waybill.aws.partner.PartnerEgressEnvironment;
import io.waybill.aws.partner.PartnerIngressEnvironment;
import io.waybill.aws.partner.PartnerTables;
import io.waybill.aws.partner.SqsPartnerDeadLetters;
import io.waybill.domain.event.EventType;
import io.waybill.domain.partner.Partner;
import io.waybill.domain.partner.PartnerDelivery;
import io.waybill.domain.partner.PartnerEgress;
import io.waybill.local.AwsClients;
import io.waybill.local.events.EventRuleDefinition;
import io.waybill.local.events.LocalEventBus;
import io.waybill.local.events.LocalEventTarget;
import io.waybill.local.events.PartnerWebhookReceiver;
import io.waybill.local.events.TargetRetryPolicy;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.StackResources;
import io.waybill.partneregress.PartnerEgressHandler;
import io.waybill.partneregress.PartnerEgressTelemetry;
import io.waybill.partneringress.PartnerIngressFunction;
import io.waybill.partneringress.PartnerIngressHandler;
import io.waybill.partneringress.PartnerIngressTelemetry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Partner egress on the local stack (issue 16), as the stage deploys it: the partner table (seeded with the partners'
 * master data), the partner bus ({@link LocalEventBus} standing in for EventBridge), the rules of
 * {@code infra-cdk/event-rules/} (bundled copies, kept identical by a test) bound to local resources, one
 * {@link PartnerWebhookReceiver} per partner destination standing in for its API destination, and
 * {@link PartnerEgressHandler} (the class Lambda runs) whose event source mapping the pipeline attaches to the
 * canonical stream.
 *
 * <p>Bindings: {@code PartnerBus.eventBusName} = {@link PipelineNames#partnerBus()}; {@code Northwind3plDestination.arn}
 * = the northwind receiver's URL; {@code PartnerDeliveryDlq.queueArn} and {@code PartnerIngressDlq.queueArn} =
 * ElasticMQ queues; {@code PartnerFunction.functionArn} = {@link #INGRESS_TARGET_ARN}: the partner function
 * ({@code PartnerIngressHandler}, the class Lambda runs) on the pipeline's ingest stream, with the {@link #SENDERS}
 * registered in the partner table and mapped to their accounts by the bus.
 *
 * <p>A local tap rule ({@value #TAP_RULE}, not deployed on AWS) also records every event egress puts on the bus, so
 * a check can see what was published for partners that have no receiver here.
 */
public final class LocalPartners implements AutoCloseable {
    public static final String NORTHWIND = "northwind-3pl";
    /** The ingress rule's target ({@code {{PartnerFunction.functionArn}}}): the partner ingress handler's id. */
    public static final String INGRESS_TARGET_ARN =
            "arn:aws:lambda:us-east-1:000000000000:function:waybill-local-partner-ingress";
    /** The egress function's name on the canonical stream's event source mapping. */
    public static final String EGRESS_FUNCTION = "waybill-local-partner-egress";
    /** The bundled copies of {@code infra-cdk/event-rules/*.json}, under this class path folder. */
    public static final String RULES_RESOURCE_FOLDER = "event-rules/";
    public static final List<String> RULE_FILES = List.of("partner-ingress-shipment-status.json",
            "partner-northwind-3pl-egress.json");
    /** The rule files' folder under the repository root. */
    public static final String RULES_REPO_PATH = "infra-cdk/event-rules";
    public static final String TAP_RULE = "waybill-local-partner-tap";

    /**
     * A partner that puts events on the local bus, as it would from its own AWS account: a put signed with
     * {@code accessKeyId} arrives with {@code account} (EventBridge sets an event's account from the caller's
     * credentials; the local bus maps access keys to accounts), and the partner table registers the partner for that
     * account, {@code source}, {@code adapter} and {@code detailType} (the ingress's master data).
     */
    public record LocalSender(String partnerId, String accessKeyId, String account, String source, String adapter,
                              String detailType) {
    }

    /**
     * The senders registered locally: northwind-3pl's shipment status (the SwiftLog format, its 3PL system) and a
     * supplier's advance ship notices. Put with the access key as the credentials' key id (any secret).
     */
    public static final List<LocalSender> SENDERS = List.of(
            new LocalSender(NORTHWIND, "northwind-3pl", "111122223333", "partner.3pl.northwind",
                    io.waybill.domain.adapter.SwiftLogPartnerAdapter.ID, "ShipmentStatus"),
            new LocalSender("nordic-pharma", "nordic-pharma", "444455556666", "partner.supplier.nordic-pharma",
                    io.waybill.domain.adapter.AdvanceShipNoticeAdapter.ID, "AdvanceShipNotice"));
    private static final String TAP_TARGET = "arn:local:partner-tap";

    /**
     * How partners run locally.
     *
     * @param partners     the master data seeded into the partner table
     * @param retryPolicy  replaces every rule target's retry policy (a short one for tests), or null for the files'
     * @param backoffFirst the bus's first retry delay (EventBridge does not publish its schedule)
     * @param backoffMax   the bus's largest retry delay
     * @param environment  the egress function's {@code WAYBILL_PARTNER_*} settings beyond the bus, table and queue
     *                     (attempts, backoff, {@value PartnerEgressEnvironment#RETENTION_DAYS})
     */
    public record Settings(List<Partner> partners, TargetRetryPolicy retryPolicy, Duration backoffFirst,
                           Duration backoffMax, Map<String, String> environment) {
        /** The local defaults: 200 ms .. 5 s between retries, so a short outage is ridden out in seconds. */
        public static final Duration DEFAULT_BACKOFF_FIRST = Duration.ofMillis(200);
        public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(5);

        public Settings {
            partners = List.copyOf(partners);
            Objects.requireNonNull(backoffFirst, "backoffFirst");
            Objects.requireNonNull(backoffMax, "backoffMax");
            environment = Map.copyOf(environment);
        }

        public static Settings of(List<Partner> partners) {
            return new Settings(partners, null, DEFAULT_BACKOFF_FIRST, DEFAULT_BACKOFF_MAX, Map.of());
        }

        public Settings withRetryPolicy(TargetRetryPolicy policy) {
            return new Settings(partners, policy, backoffFirst, backoffMax, environment);
        }
    }

    private final LocalEventBus bus;
    private final SdkHttpClient http;
    private final EventBridgeClient events;
    private final Map<String, PartnerWebhookReceiver> receivers = new LinkedHashMap<>();
    private final List<String> tapped = new CopyOnWriteArrayList<>();
    private final PipelineNames names;
    private final String deliveryDlqUrl;
    private final String ingressDlqUrl;
    private final String ingressRefusedUrl;
    private final String egressDeadLetterUrl;
    private final PartnerEgressHandler handler;

    private LocalPartners(AwsClients clients, PipelineNames names, Settings settings) throws IOException {
        this.names = names;
        StackResources resources = StackResources.using(clients);
        resources.createTable(PartnerTables.table(names.partnerTable()));
        seed(clients, names.partnerTable(), settings.partners());
        StackResources.Queue deliveryDlq = resources.createQueue(names.partnerDeliveryDlq());
        StackResources.Queue ingressDlq = resources.createQueue(names.partnerIngressDlq());
        this.deliveryDlqUrl = deliveryDlq.url();
        this.ingressDlqUrl = ingressDlq.url();
        this.egressDeadLetterUrl = resources.createQueue(names.partnerEgressDeadLetterQueue()).url();

        this.ingressRefusedUrl = resources.createQueue(names.partnerIngressRefusedQueue()).url();
        LocalEventBus.Builder busBuilder = LocalEventBus.builder().deadLetterQueues(clients.sqs())
                .retryBackoff(settings.backoffFirst(), settings.backoffMax());
        for (LocalSender sender : SENDERS) {
            busBuilder.senderAccount(sender.accessKeyId(), sender.account());
            register(clients, names.partnerTable(), sender);
        }
        this.bus = busBuilder.start();
        this.http = AwsClients.newHttpClient();
        this.events = EventBridgeClient.builder().endpointOverride(bus.uri())
                .region(clients.endpoints().region()).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        events.createEventBus(b -> b.name(names.partnerBus()));
        receivers.put(NORTHWIND, PartnerWebhookReceiver.start(NORTHWIND));

        Map<String, String> bindings = new HashMap<>();
        bindings.put("PartnerBus.eventBusName", names.partnerBus());
        bindings.put("Northwind3plDestination.arn", receivers.get(NORTHWIND).uri().toString());
        bindings.put("PartnerDeliveryDlq.queueArn", deliveryDlq.arn());
        bindings.put("PartnerFunction.functionArn", INGRESS_TARGET_ARN);
        bindings.put("PartnerIngressDlq.queueArn", ingressDlq.arn());
        for (EventRuleDefinition rule : bundledRules()) {
            EventRuleDefinition bound = rule.bind(bindings::get);
            (settings.retryPolicy() == null ? bound : bound.withRetryPolicy(settings.retryPolicy())).putWith(events);
        }
        bus.registerTarget(TAP_TARGET, tapped::add);
        events.putRule(b -> b.name(TAP_RULE).eventBusName(names.partnerBus())
                .description("Local only: every event egress puts on the partner bus, for the demo's checks")
                .eventPattern("{\"source\":[\"" + PartnerEgress.DEFAULT_SOURCE + "\"]}"));
        events.putTargets(b -> b.rule(TAP_RULE).eventBusName(names.partnerBus()).targets(t -> t.id("tap")
                .arn(TAP_TARGET).retryPolicy(r -> r.maximumRetryAttempts(0).maximumEventAgeInSeconds(60))
                .deadLetterConfig(d -> d.arn(deliveryDlq.arn()))));

        Map<String, String> env = new HashMap<>(settings.environment());
        env.put(PartnerEgressEnvironment.EVENT_BUS, names.partnerBus());
        env.put(PartnerEgressEnvironment.TABLE, names.partnerTable());
        env.put(PartnerEgressEnvironment.DEAD_LETTER_QUEUE_URL, egressDeadLetterUrl);
        PartnerEgressEnvironment function = PartnerEgressEnvironment.fromEnvironment(env);
        PartnerDelivery delivery = new PartnerDelivery(new EventBridgePartnerPublisher(events, function.eventBus()),
                new SqsPartnerDeadLetters(clients.sqs(), function.deadLetterQueue()), function.delivery(),
                Thread::sleep, new SecureRandom());
        PartnerEgress egress = new PartnerEgress(new DynamoDbPartnerDirectory(clients.dynamoDb(), function.table()),
                new DynamoDbShipmentParties(clients.dynamoDb(), function.table(), Clock.systemUTC(),
                        function.retention()), delivery, function.source());
        this.handler = new PartnerEgressHandler(egress, new PartnerEgressTelemetry(null));

        // The partner function behind the ingress rule, writing onto the pipeline's ingest stream as on AWS.
        PartnerIngressHandler ingress = new PartnerIngressHandler(PartnerIngressFunction.compose(
                new PartnerIngressEnvironment(names.partnerTable(), names.stream(), ingressRefusedUrl,
                        names.partnerBus(), io.waybill.aws.partner.DynamoDbSenderDirectory.DEFAULT_TTL),
                clients.dynamoDb(), clients.kinesis(), clients.sqs(), Clock.systemUTC()),
                new PartnerIngressTelemetry(null));
        bus.registerTarget(INGRESS_TARGET_ARN, ingress::handle);
    }

    /** Adds a sender's ingress registration to its partner row (created when the partner has none). */
    static void register(AwsClients clients, String table, LocalSender s) {
        clients.dynamoDb().updateItem(b -> b.tableName(table)
                .key(Map.of(PartnerTables.PK, AttributeValue.fromS(PartnerTables.PARTNER_PK),
                        PartnerTables.SK, AttributeValue.fromS(s.partnerId())))
                .updateExpression("SET #a = :a, #s = :s, #d = :d, #t = :t")
                .expressionAttributeNames(Map.of("#a", PartnerTables.INGRESS_ACCOUNTS, "#s",
                        PartnerTables.INGRESS_SOURCES, "#d", PartnerTables.INGRESS_ADAPTER, "#t",
                        PartnerTables.INGRESS_DETAIL_TYPES))
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromSs(List.of(s.account())),
                        ":s", AttributeValue.fromSs(List.of(s.source())), ":d", AttributeValue.fromS(s.adapter()),
                        ":t", AttributeValue.fromSs(List.of(s.detailType())))));
    }

    /** Creates the table, queues, bus, receivers and rules; the caller attaches {@link #egressHandler()}. */
    public static LocalPartners start(AwsClients clients, PipelineNames names, Settings settings) {
        try {
            return new LocalPartners(clients, names, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("the local partner bus could not start", e);
        }
    }

    /** The bundled rule files, parsed (unbound). */
    public static List<EventRuleDefinition> bundledRules() {
        List<EventRuleDefinition> out = new ArrayList<>();
        for (String file : RULE_FILES) {
            try (InputStream in = LocalPartners.class.getClassLoader()
                    .getResourceAsStream(RULES_RESOURCE_FOLDER + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing class path resource " + RULES_RESOURCE_FOLDER + file);
                }
                out.add(EventRuleDefinition.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Writes the partners' rows ({@code pk = PARTNER}), as operations do on AWS. */
    static void seed(AwsClients clients, String table, List<Partner> partners) {
        for (Partner p : partners) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(PartnerTables.PK, AttributeValue.fromS(PartnerTables.PARTNER_PK));
            item.put(PartnerTables.SK, AttributeValue.fromS(p.id()));
            item.put(PartnerTables.EVENT_TYPES, AttributeValue.fromSs(p.eventTypes().stream().map(EventType::type)
                    .sorted().toList()));
            if (!p.glns().isEmpty()) {
                item.put(PartnerTables.GLNS, AttributeValue.fromSs(p.glns().stream().sorted().toList()));
            }
            if (!p.ssccs().isEmpty()) {
                item.put(PartnerTables.SSCCS, AttributeValue.fromSs(p.ssccs().stream().sorted().toList()));
            }
            clients.dynamoDb().putItem(b -> b.tableName(table).item(item));
        }
    }

    /** The partner function's refused events (unknown sender, unregistered detail-type, routing fields). */
    public String ingressRefusedUrl() {
        return ingressRefusedUrl;
    }

    /** The egress handler the canonical stream's mapping invokes. */
    public PartnerEgressHandler egressHandler() {
        return handler;
    }

    public LocalEventBus bus() {
        return bus;
    }

    /** An EventBridge client on the partner bus (this object's; closed with it). */
    public EventBridgeClient events() {
        return events;
    }

    public String busName() {
        return names.partnerBus();
    }

    /** The partner's webhook receiver ({@link #NORTHWIND}), or null when the partner has no destination here. */
    public PartnerWebhookReceiver receiver(String partner) {
        return receivers.get(partner);
    }

    /** Every event egress put on the bus (the local tap rule), in delivery order. */
    public List<String> published() {
        return List.copyOf(tapped);
    }

    public String deliveryDlqUrl() {
        return deliveryDlqUrl;
    }

    public String ingressDlqUrl() {
        return ingressDlqUrl;
    }

    /** The egress function's own dead letters ({@code WAYBILL_PARTNER_DLQ_URL}). */
    public String egressDeadLetterUrl() {
        return egressDeadLetterUrl;
    }

    /** Waits until the bus has nothing pending (delivered or dead-lettered); false on timeout. */
    public boolean awaitDeliveries(Duration timeout) {
        try {
            return bus.awaitDeliveries(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        receivers.values().forEach(PartnerWebhookReceiver::close);
        events.close();
        http.close();
        bus.close();
    }
}

package io.waybill.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Amazon EventBridge, locally: a loopback HTTP server speaking EventBridge's wire protocol (AWS JSON 1.1,
 * {@code POST /}, {@code X-Amz-Target: AWSEvents.<Op>}, errors as HTTP 400 {@code {"__type","message"}}) to the AWS
 * SDK's own {@code EventBridgeClient} ({@code endpointOverride(bus.uri())}).
 *
 * <p>Operations: PutEvents (1..10 entries, the entries' size per {@link PutEventsEntrySize} at most 256 KB, per-entry
 * {@code InvalidArgument}/{@code MalformedDetail} results in order), PutRule, DescribeRule, ListRules, DeleteRule,
 * EnableRule, DisableRule, TestEventPattern, PutTargets, ListTargetsByRule, RemoveTargets, CreateEventBus,
 * DescribeEventBus. Patterns are checked with Event Ruler's {@link JsonRuleCompiler#check(String)} and matched with
 * its {@link Machine#rulesForJSONEvent(String)} on the whole event as EventBridge builds it. Matched events are
 * delivered asynchronously by {@link EventDeliveries} (retries, dead-letter queue).
 *
 * <p>Not served: schedules, archives and replays, API destinations and connections, input transformers, resource
 * policies (PutPermission), partner event sources; any other operation is {@code UnknownOperationException}.
 */
public final class LocalEventBus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEventBus.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PutEvents: entries per call. */
    public static final int MAX_ENTRIES = 10;
    /** PutTargets: targets per rule. */
    public static final int MAX_TARGETS_PER_RULE = 5;
    public static final String DEFAULT_BUS = "default";
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ISO_INSTANT;

    /** A rule's target as PutTargets stored it. */
    public record Target(String id, String arn, String deadLetterArn, TargetRetryPolicy retryPolicy, String input) {
    }

    private static final class Rule {
        final String name;
        final String bus;
        final String arn;
        volatile String pattern;
        volatile String description;
        volatile String state;
        final Map<String, Target> targets = new LinkedHashMap<>();

        Rule(String name, String bus, String arn) {
            this.name = name;
            this.bus = bus;
            this.arn = arn;
        }
    }

    private static final class Bus {
        final String name;
        final String arn;
        final Machine machine = new Machine();
        final Map<String, Rule> rules = new LinkedHashMap<>();

        Bus(String name, String arn) {
            this.name = name;
            this.arn = arn;
        }
    }

    /** An AWS error: HTTP 400 with {@code __type} and {@code message}. */
    static final class AwsError extends RuntimeException {
        final String type;

        AwsError(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private final String region;
    private final String account;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final EventDeliveries deliveries;
    private final Map<String, Bus> buses = new ConcurrentHashMap<>();
    private final Map<String, String> senderAccounts;

    private LocalEventBus(Builder b) throws IOException {
        this.region = b.region;
        this.account = b.account;
        this.senderAccounts = Map.copyOf(b.senderAccounts);
        this.clock = b.clock;
        this.deliveries = new EventDeliveries(b.sqs, b.clock, b.firstRetryDelay, b.maxRetryDelay, b.httpTimeout);
        buses.put(DEFAULT_BUS, new Bus(DEFAULT_BUS, busArn(DEFAULT_BUS)));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 0);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "local-event-bus");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
        LOG.info("Local EventBridge serving on {} (region {}, account {})", uri(), region, account);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; the SQS client (for dead-letter queues) is the caller's and stays open after {@link #close()}. */
    public static final class Builder {
        private int port;
        private String region = "us-east-1";
        private String account = "000000000000";
        private Clock clock = Clock.systemUTC();
        private SqsClient sqs;
        private Duration firstRetryDelay = Duration.ofSeconds(1);
        private Duration maxRetryDelay = Duration.ofMinutes(5);
        private Duration httpTimeout = Duration.ofSeconds(5);
        private final Map<String, String> senderAccounts = new LinkedHashMap<>();

        public Builder port(int port) { this.port = port; return this; }
        public Builder region(String region) { this.region = region; return this; }
        public Builder account(String account) { this.account = account; return this; }
        public Builder clock(Clock clock) { this.clock = clock; return this; }
        public Builder deadLetterQueues(SqsClient sqs) { this.sqs = sqs; return this; }
        /** Exponential backoff with full jitter: attempt n waits up to first * 2^(n-1), at most max. */
        public Builder retryBackoff(Duration first, Duration max) {
            this.firstRetryDelay = first;
            this.maxRetryDelay = max;
            return this;
        }
        public Builder httpTimeout(Duration timeout) { this.httpTimeout = timeout; return this; }
        /**
         * Events put with credentials whose access key id is {@code accessKeyId} carry {@code account} as their
         * {@code account}, standing in for a put from another AWS account (a partner's rule forwarding to this bus):
         * on AWS the event's account is the sender's, whatever the event says. Other credentials put as this bus's
         * own account.
         */
        public Builder senderAccount(String accessKeyId, String account) {
            this.senderAccounts.put(accessKeyId, account);
            return this;
        }

        public LocalEventBus start() throws IOException {
            return new LocalEventBus(this);
        }
    }

    /** The endpoint for {@code EventBridgeClient.builder().endpointOverride(...)}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort());
    }

    /** Registers a Java target: a rule target whose {@code Arn} is {@code arn} is delivered to it. */
    public void registerTarget(String arn, LocalEventTarget target) {
        deliveries.register(arn, target);
    }

    public EventDeliveries.Stats stats() {
        return deliveries.stats();
    }

    /** Waits until no delivery is pending (delivered, dead-lettered or dropped); false on timeout. */
    public boolean awaitDeliveries(Duration timeout) throws InterruptedException {
        return deliveries.awaitIdle(timeout);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        deliveries.close();
    }

    public String busArn(String name) {
        return "arn:aws:events:" + region + ":" + account + ":event-bus/" + name;
    }

    public String ruleArn(String bus, String rule) {
        return "arn:aws:events:" + region + ":" + account + ":rule/" + (DEFAULT_BUS.equals(bus) ? "" : bus + "/") + rule;
    }

    // ---------------------------------------------------------------------------------------------------------- wire

    private void exchange(HttpExchange x) throws IOException {
        int status = 200;
        byte[] body;
        try {
            if (!"POST".equals(x.getRequestMethod())) {
                throw new AwsError("UnknownOperationException", "Only POST / is served");
            }
            String target = x.getRequestHeaders().getFirst("X-Amz-Target");
            if (target == null || !target.startsWith("AWSEvents.")) {
                throw new AwsError("UnknownOperationException", "Missing or unknown X-Amz-Target: " + target);
            }
            JsonNode request;
            try (InputStream in = x.getRequestBody()) {
                byte[] raw = in.readAllBytes();
                request = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            } catch (IOException e) {
                throw new AwsError("SerializationException", "Request body is not JSON: " + e.getMessage());
            }
            body = JSON.writeValueAsBytes(dispatch(target.substring("AWSEvents.".length()), request,
                    senderAccount(x.getRequestHeaders().getFirst("Authorization"))));
        } catch (AwsError e) {
            status = 400;
            body = error(e.type, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Local EventBridge failed a request", e);
            status = 500;
            body = error("InternalException", String.valueOf(e.getMessage()));
        }
        x.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        x.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] error(String type, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("__type", type);
        e.put("message", message);
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The account of the SigV4 credentials ({@code Credential=<accessKeyId>/...}), else this bus's own. */
    private String senderAccount(String authorization) {
        if (authorization != null) {
            int at = authorization.indexOf("Credential=");
            if (at >= 0) {
                int from = at + "Credential=".length();
                int slash = authorization.indexOf('/', from);
                if (slash > from) {
                    return senderAccounts.getOrDefault(authorization.substring(from, slash), account);
                }
            }
        }
        return account;
    }

    private JsonNode dispatch(String op, JsonNode r, String sender) {
        return switch (op) {
            case "PutEvents" -> putEvents(r, sender);
            case "PutRule" -> putRule(r);
            case "DescribeRule" -> describeRule(r);
            case "ListRules" -> listRules(r);
            case "DeleteRule" -> deleteRule(r);
            case "EnableRule" -> setState(r, "ENABLED");
            case "DisableRule" -> setState(r, "DISABLED");
            case "TestEventPattern" -> testEventPattern(r);
            case "PutTargets" -> putTargets(r);
            case "ListTargetsByRule" -> listTargets(r);
            case "RemoveTargets" -> removeTargets(r);
            case "CreateEventBus" -> createEventBus(r);
            case "DescribeEventBus" -> describeEventBus(r);
            default -> throw new AwsError("UnknownOperationException", "Operation " + op + " is not served locally");
        };
    }

    private static String text(JsonNode r, String field) {
        JsonNode n = r.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String required(JsonNode r, String field) {
        String v = text(r, field);
        if (v == null || v.isEmpty()) {
            throw new AwsError("ValidationException", "1 validation error detected: Value null at '"
                    + Character.toLowerCase(field.charAt(0)) + field.substring(1)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    /** A bus by name or ARN (EventBusName accepts both); absent means the default bus. */
    private Bus bus(String nameOrArn) {
        String name = nameOrArn == null ? DEFAULT_BUS
                : nameOrArn.startsWith("arn:") ? nameOrArn.substring(nameOrArn.indexOf("event-bus/") + 10) : nameOrArn;
        Bus b = buses.get(name);
        if (b == null) {
            throw new AwsError("ResourceNotFoundException", "Event bus " + name + " does not exist.");
        }
        return b;
    }

    private Rule rule(Bus bus, String name) {
        Rule rule = bus.rules.get(name);
        if (rule == null) {
            throw new AwsError("ResourceNotFoundException", "Rule " + name + " does not exist on EventBus " + bus.name + ".");
        }
        return rule;
    }

    // ------------------------------------------------------------------------------------------------------ PutEvents

    private JsonNode putEvents(JsonNode r, String sender) {
        JsonNode entries = r.get("Entries");
        int count = entries == null || !entries.isArray() ? 0 : entries.size();
        if (count < 1 || count > MAX_ENTRIES) {
            throw new AwsError("ValidationException", "1 validation error detected: Value '" + count
                    + "' at 'entries' failed to satisfy constraint: Member must have length less than or equal to "
                    + MAX_ENTRIES + " and greater than or equal to 1");
        }
        long total = 0;
        for (JsonNode e : entries) {
            List<String> resources = new ArrayList<>();
            e.path("Resources").forEach(n -> resources.add(n.asText()));
            total += PutEventsEntrySize.of(e.hasNonNull("Time"), text(e, "Source"), text(e, "DetailType"),
                    text(e, "Detail"), resources);
        }
        if (total > PutEventsEntrySize.MAX_BYTES) {
            throw new AwsError("ValidationException", "Total size of the entries in the request is over the limit.");
        }
        ArrayNode results = JSON.createArrayNode();
        int failed = 0;
        Instant received = clock.instant();
        List<Runnable> dispatches = new ArrayList<>();
        for (JsonNode e : entries) {
            ObjectNode result = results.addObject();
            try {
                String[] event = buildEvent(e, received, sender);
                result.put("EventId", event[0]);
                Bus bus = bus(text(e, "EventBusName"));
                dispatches.add(() -> route(bus, event[0], event[1], received));
            } catch (AwsError err) {
                failed++;
                result.put("ErrorCode", err.type);
                result.put("ErrorMessage", err.getMessage());
            }
        }
        dispatches.forEach(Runnable::run);
        ObjectNode out = JSON.createObjectNode();
        out.put("FailedEntryCount", failed);
        out.set("Entries", results);
        return out;
    }

    /** Builds the event EventBridge delivers; returns {id, json}. Per-entry errors as AWS names them. */
    private String[] buildEvent(JsonNode e, Instant received, String sender) {
        String source = text(e, "Source");
        String detailType = text(e, "DetailType");
        String detail = text(e, "Detail");
        if (source == null || source.isEmpty()) {
            throw new AwsError("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
        }
        if (detailType == null || detailType.isEmpty()) {
            throw new AwsError("InvalidArgument",
                    "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
        }
        if (detail == null) {
            throw new AwsError("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
        }
        JsonNode detailNode;
        try {
            detailNode = JSON.readTree(detail);
        } catch (IOException ex) {
            detailNode = null;
        }
        if (detailNode == null || !detailNode.isObject()) {
            throw new AwsError("MalformedDetail", "Detail is malformed.");
        }
        if (e.hasNonNull("EventBusName")) {
            String name = text(e, "EventBusName");
            String plain = name.startsWith("arn:") ? name.substring(name.indexOf("event-bus/") + 10) : name;
            if (!buses.containsKey(plain)) {
                throw new AwsError("InvalidArgument", "Event bus " + plain + " does not exist.");
            }
        }
        Instant time = received;
        if (e.hasNonNull("Time")) {
            double seconds = e.get("Time").asDouble();
            time = Instant.ofEpochMilli(Math.round(seconds * 1000));
        }
        String id = UUID.randomUUID().toString();
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", sender);
        event.put("time", EVENT_TIME.format(time.truncatedTo(ChronoUnit.SECONDS)));
        event.put("region", region);
        ArrayNode resources = event.putArray("resources");
        e.path("Resources").forEach(n -> resources.add(n.asText()));
        event.set("detail", detailNode);
        return new String[] {id, event.toString()};
    }

    private void route(Bus bus, String id, String eventJson, Instant received) {
        List<String> matched;
        try {
            matched = bus.machine.rulesForJSONEvent(eventJson);
        } catch (Exception ex) {
            LOG.error("Event {} could not be matched: {}", id, ex.toString());
            return;
        }
        for (String ruleName : matched) {
            Rule rule;
            List<Target> targets;
            synchronized (bus) {
                rule = bus.rules.get(ruleName);
                if (rule == null || !"ENABLED".equals(rule.state)) {
                    continue;
                }
                targets = List.copyOf(rule.targets.values());
            }
            for (Target t : targets) {
                deliveries.deliver(rule.arn, t, id, t.input() != null ? t.input() : eventJson, received);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------- rules

    private static void checkPattern(String pattern) {
        String problem = JsonRuleCompiler.check(pattern);
        if (problem != null) {
            throw new AwsError("InvalidEventPatternException", "Event pattern is not valid. Reason: " + problem);
        }
    }

    private JsonNode putRule(JsonNode r) {
        String name = required(r, "Name");
        Bus bus = bus(text(r, "EventBusName"));
        String pattern = text(r, "EventPattern");
        if (r.hasNonNull("ScheduleExpression")) {
            throw new AwsError("ValidationException", "ScheduleExpression is not served by the local event bus.");
        }
        if (pattern == null) {
            throw new AwsError("ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }
        checkPattern(pattern);
        String state = r.hasNonNull("State") ? text(r, "State") : "ENABLED";
        if (!state.equals("ENABLED") && !state.equals("DISABLED")) {
            throw new AwsError("ValidationException", "State must be ENABLED or DISABLED: " + state);
        }
        Rule rule;
        synchronized (bus) {
            rule = bus.rules.computeIfAbsent(name, n -> new Rule(n, bus.name, ruleArn(bus.name, n)));
            try {
                if (rule.pattern != null) {
                    bus.machine.deleteRule(name, rule.pattern);
                }
                bus.machine.addRule(name, pattern);
            } catch (IOException | RuntimeException ex) {
                throw new AwsError("InvalidEventPatternException", "Event pattern is not valid. Reason: " + ex.getMessage());
            }
            rule.pattern = pattern;
            rule.description = text(r, "Description");
            rule.state = state;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("RuleArn", rule.arn);
        return out;
    }

    private ObjectNode describe(Rule rule) {
        ObjectNode o = JSON.createObjectNode();
        o.put("Name", rule.name);
        o.put("Arn", rule.arn);
        o.put("EventPattern", rule.pattern);
        o.put("State", rule.state);
        if (rule.description != null) {
            o.put("Description", rule.description);
        }
        o.put("EventBusName", rule.bus);
        return o;
    }

    private JsonNode describeRule(JsonNode r) {
        Bus bus = bus(text(r, "EventBusName"));
        synchronized (bus) {
            return describe(rule(bus, required(r, "Name")));
        }
    }

    private JsonNode listRules(JsonNode r) {
        Bus bus = bus(text(r, "EventBusName"));
        String prefix = text(r, "NamePrefix");
        ObjectNode out = JSON.createObjectNode();
        ArrayNode rules = out.putArray("Rules");
        synchronized (bus) {
            bus.rules.values().stream().filter(x -> prefix == null || x.name.startsWith(prefix))
                    .sorted((a, b) -> a.name.compareTo(b.name)).forEach(x -> rules.add(describe(x)));
        }
        return out;
    }

    private JsonNode deleteRule(JsonNode r) {
        Bus bus = bus(text(r, "EventBusName"));
        String name = required(r, "Name");
        synchronized (bus) {
            Rule rule = bus.rules.get(name);
            if (rule == null) {
                return JSON.createObjectNode(); // AWS: deleting a rule that does not exist succeeds
            }
            if (!rule.targets.isEmpty()) {
                throw new AwsError("ValidationException", "Rule can't be deleted since it has targets.");
            }
            try {
                bus.machine.deleteRule(name, rule.pattern);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            bus.rules.remove(name);
        }
        return JSON.createObjectNode();
    }

    private JsonNode setState(JsonNode r, String state) {
        Bus bus = bus(text(r, "EventBusName"));
        synchronized (bus) {
            rule(bus, required(r, "Name")).state = state;
        }
        return JSON.createObjectNode();
    }

    private JsonNode testEventPattern(JsonNode r) {
        String pattern = required(r, "EventPattern");
        String event = required(r, "Event");
        checkPattern(pattern);
        try {
            Machine m = new Machine();
            m.addRule("test", pattern);
            ObjectNode out = JSON.createObjectNode();
            out.put("Result", !m.rulesForJSONEvent(event).isEmpty());
            return out;
        } catch (Exception e) {
            throw new AwsError("InvalidEventPatternException", "Event pattern is not valid. Reason: " + e.getMessage());
        }
    }

    // -------------------------------------------------------------------------------------------------------- targets

    private JsonNode putTargets(JsonNode r) {
        Bus bus = bus(text(r, "EventBusName"));
        String ruleName = required(r, "Rule");
        JsonNode targets = r.path("Targets");
        if (!targets.isArray() || targets.isEmpty() || targets.size() > 10) {
            throw new AwsError("ValidationException", "Targets must have 1..10 members.");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode failed = out.putArray("FailedEntries");
        synchronized (bus) {
            Rule rule = rule(bus, ruleName);
            long adding = 0;
            for (JsonNode t : targets) {
                if (!rule.targets.containsKey(text(t, "Id"))) {
                    adding++;
                }
            }
            if (rule.targets.size() + adding > MAX_TARGETS_PER_RULE) {
                throw new AwsError("LimitExceededException", "The requested resource exceeds the maximum number allowed.");
            }
            for (JsonNode t : targets) {
                String id = text(t, "Id");
                String arn = text(t, "Arn");
                if (id == null || arn == null) {
                    ObjectNode f = failed.addObject();
                    f.put("TargetId", id);
                    f.put("ErrorCode", "ValidationException");
                    f.put("ErrorMessage", "Target Id and Arn are required.");
                    continue;
                }
                JsonNode rp = t.path("RetryPolicy");
                TargetRetryPolicy policy;
                try {
                    policy = new TargetRetryPolicy(
                            rp.path("MaximumRetryAttempts").asInt(TargetRetryPolicy.AWS_DEFAULT.maximumRetryAttempts()),
                            rp.path("MaximumEventAgeInSeconds").asInt(TargetRetryPolicy.AWS_DEFAULT.maximumEventAgeInSeconds()));
                } catch (IllegalArgumentException e) {
                    throw new AwsError("ValidationException", e.getMessage());
                }
                String dlq = text(t.path("DeadLetterConfig"), "Arn");
                rule.targets.put(id, new Target(id, arn, dlq, policy, text(t, "Input")));
            }
        }
        out.put("FailedEntryCount", failed.size());
        return out;
    }

    private JsonNode listTargets(JsonNode r) {
        Bus bus = bus(text(r, "EventBusName"));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("Targets");
        synchronized (bus) {
            for (Target t : rule(bus, required(r, "Rule")).targets.values()) {
                ObjectNode o = list.addObject();
                o.put("Id", t.id());
                o.put("Arn", t.arn());
                if (t.input() != null) {
                    o.put("Input", t.input());
                }
                ObjectNode rp = o.putObject("RetryPolicy");
                rp.put("MaximumRetryAttempts", t.retryPolicy().maximumRetryAttempts());
                rp.put("MaximumEventAgeInSeconds", t.retryPolicy().maximumEventAgeInSeconds());
                if (t.deadLetterArn() != null) {
                    o.putObject("DeadLetterConfig").put("Arn", t.deadLetterArn());
                }
            }
        }
        return out;
    }

    private JsonNode removeTargets(JsonNode r) {
        Bus bus = bus(text(r, "EventBusName"));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode failed = out.putArray("FailedEntries");
        synchronized (bus) {
            Rule rule = rule(bus, required(r, "Rule"));
            for (JsonNode id : r.path("Ids")) {
                if (rule.targets.remove(id.asText()) == null) {
                    ObjectNode f = failed.addObject();
                    f.put("TargetId", id.asText());
                    f.put("ErrorCode", "ResourceNotFoundException");
                    f.put("ErrorMessage", "Target " + id.asText() + " does not exist on rule " + rule.name + ".");
                }
            }
        }
        out.put("FailedEntryCount", failed.size());
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------- buses

    private JsonNode createEventBus(JsonNode r) {
        String name = required(r, "Name");
        if (name.contains("/") || name.equals(DEFAULT_BUS)) {
            throw new AwsError("ValidationException", "Event bus name " + name + " is not valid.");
        }
        Bus created = new Bus(name, busArn(name));
        if (buses.putIfAbsent(name, created) != null) {
            throw new AwsError("ResourceAlreadyExistsException", "Event bus " + name + " already exists.");
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("EventBusArn", created.arn);
        return out;
    }

    private JsonNode describeEventBus(JsonNode r) {
        Bus b = bus(text(r, "Name"));
        ObjectNode out = JSON.createObjectNode();
        out.put("Name", b.name);
        out.put("Arn", b.arn);
        return out;
    }

    static String requireNonBlank(String s, String what) {
        if (Objects.requireNonNull(s, what).isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        return s;
    }
}

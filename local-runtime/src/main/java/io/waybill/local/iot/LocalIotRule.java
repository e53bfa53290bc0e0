package io.waybill.local.iot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One AWS IoT topic rule, read from the definition CDK deploys ({@code infra-cdk/iot-rules/*.json}, the
 * {@code AWS::IoT::TopicRule} properties in CDK's camelCase), evaluated locally for exactly the subset Waybill uses:
 *
 * <ul>
 *   <li>{@code SELECT *, <expr> AS <name>, ... FROM '<topic filter>' [WHERE <condition>]} with SQL version
 *       {@code 2016-03-23}; the topic filter may use the MQTT wildcards {@code +} and {@code #};</li>
 *   <li>expressions: {@code topic()}, {@code topic(n)}, {@code timestamp()}, {@code concat(e1, e2, ...)}, string
 *       literals {@code '...'} and a top-level payload field by name ({@code wb_route});</li>
 *   <li>a {@code WHERE} condition: terms {@code isUndefined(<expr>)}, {@code <expr> = <expr>} and
 *       {@code <expr> <> <expr>} joined by {@code AND}. As in IoT SQL, a WHERE clause sees the incoming payload (not the
 *       SELECT's output), and a comparison with an Undefined side is not true, so the message is dropped;</li>
 *   <li>one {@code kinesis} action whose {@code partitionKey} is a substitution template ({@code ${topic(4)}}, the
 *       same expressions) and an optional {@code sqs} error action ({@code useBase64} honoured).</li>
 * </ul>
 *
 * Anything else (another function, {@code OR}/{@code NOT}, another action, another SQL version, an unknown property) fails
 * at load time with a {@link RuleDefinitionException} naming it: this is not an IoT SQL engine.
 *
 * <p>{@code {{Construct.attribute}}} values ({@code streamName}, {@code roleArn}, {@code queueUrl}) are deployment
 * bindings: CDK replaces them with its resources' tokens, the {@link LocalRuleRunner} with the local stream and queue.
 * The SQL's {@value #STAGE_PLACEHOLDER} (the stage level of the topic filter, {@code dt/waybill/<stage>/+/+}) is filled
 * in at load time, as CDK's {@code IotIngress} does: with the stage given, by default {@value #LOCAL_STAGE}, the local
 * stack's stage.
 *
 * <p>Immutable and thread-safe.
 */
public final class LocalIotRule {
    /** The bundled copy of {@code infra-cdk/iot-rules/telemetry-to-kinesis.json} (kept identical by a test). */
    public static final String TELEMETRY_RULE_RESOURCE = "iot-rules/telemetry-to-kinesis.json";
    /** The rule's path under the repository root. */
    public static final String TELEMETRY_RULE_REPO_PATH = "infra-cdk/iot-rules/telemetry-to-kinesis.json";
    /** The stage of the local stack: its devices publish on {@code dt/waybill/local/<adapter>/<thing>}. */
    public static final String LOCAL_STAGE = "local";
    /** The rule file's stage placeholder (CDK's {@code IotIngress.STAGE_PLACEHOLDER}). */
    public static final String STAGE_PLACEHOLDER = "{{Stage.name}}";
    /** The only SQL version evaluated. */
    public static final String SQL_VERSION = "2016-03-23";
    /** AWS IoT Core's maximum message size; a larger payload is a rule error. */
    public static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    /** Kinesis' partition-key limit, in characters. */
    public static final int MAX_PARTITION_KEY_LENGTH = 256;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern SELECT_FROM = Pattern.compile("(?is)^\\s*SELECT\\s+(.+?)\\s+FROM\\s+'([^']*)'\\s*(.*)$");
    private static final Pattern ALIASED = Pattern.compile("(?is)^(.+?)\\s+AS\\s+([A-Za-z_][A-Za-z0-9_]*)$");
    private static final Pattern TEMPLATE_PART = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern BINDING = Pattern.compile("^\\{\\{([A-Za-z][A-Za-z0-9]*)\\.([A-Za-z][A-Za-z0-9]*)}}$");
    private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    private static final Set<String> TOP_KEYS = Set.of("ruleName", "topicRulePayload", "tags");
    private static final Set<String> PAYLOAD_KEYS = Set.of("description", "sql", "awsIotSqlVersion", "ruleDisabled",
            "actions", "errorAction");

    private final String ruleName;
    private final String description;
    private final String sql;
    private final boolean disabled;
    private final TopicFilter topicFilter;
    private final List<Expr> where;
    private final Map<String, Expr> selected;
    private final String partitionKeyTemplate;
    private final List<Object> partitionKeyParts;
    private final String streamNameBinding;
    private final ErrorAction errorAction;

    /**
     * The SQS error action.
     *
     * @param queueUrlBinding the {@code queueUrl} as written in the definition (a {@code {{...}}} binding or a URL)
     * @param useBase64       whether the error message body is base64-encoded (IoT Core's {@code useBase64})
     */
    public record ErrorAction(String queueUrlBinding, boolean useBase64) {
    }

    /**
     * What the Kinesis action puts for one message.
     *
     * @param data         the rule's output: the payload object plus the selected fields, compact JSON
     * @param partitionKey the evaluated partition key template
     */
    public record KinesisRecord(byte[] data, String partitionKey) {
    }

    private LocalIotRule(String ruleName, String description, String sql, boolean disabled, TopicFilter filter,
                         List<Expr> where, Map<String, Expr> selected, String partitionKeyTemplate, List<Object> partitionKeyParts,
                         String streamNameBinding, ErrorAction errorAction) {
        this.ruleName = ruleName;
        this.description = description;
        this.sql = sql;
        this.disabled = disabled;
        this.topicFilter = filter;
        this.where = where;
        this.selected = selected;
        this.partitionKeyTemplate = partitionKeyTemplate;
        this.partitionKeyParts = partitionKeyParts;
        this.streamNameBinding = streamNameBinding;
        this.errorAction = errorAction;
    }

    /** The telemetry rule bundled in this jar ({@value #TELEMETRY_RULE_RESOURCE}) for stage {@value #LOCAL_STAGE}. */
    public static LocalIotRule telemetryToKinesis() {
        return telemetryToKinesis(LOCAL_STAGE);
    }

    /** The bundled telemetry rule for {@code stage}: it selects {@code dt/waybill/<stage>/+/+}. */
    public static LocalIotRule telemetryToKinesis(String stage) {
        try (InputStream in = LocalIotRule.class.getClassLoader().getResourceAsStream(TELEMETRY_RULE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + TELEMETRY_RULE_RESOURCE + " on the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), stage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a rule definition file for stage {@value #LOCAL_STAGE}. */
    public static LocalIotRule load(Path file) {
        return load(file, LOCAL_STAGE);
    }

    /** Loads a rule definition file for {@code stage}. */
    public static LocalIotRule load(Path file, String stage) {
        try {
            return parse(Files.readString(file), stage);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule definition " + file, e);
        } catch (RuleDefinitionException e) {
            throw new RuleDefinitionException(file + ": " + e.getMessage());
        }
    }

    /**
     * Parses a rule definition for stage {@value #LOCAL_STAGE}.
     *
     * @throws RuleDefinitionException when it is not valid JSON, misses a property, or uses anything outside the
     *                                 supported subset
     */
    public static LocalIotRule parse(String json) {
        return parse(json, LOCAL_STAGE);
    }

    /**
     * Parses a rule definition, its SQL's {@value #STAGE_PLACEHOLDER} replaced by {@code stage}.
     *
     * @throws RuleDefinitionException when it is not valid JSON, misses a property, uses anything outside the
     *                                 supported subset or another {@code {{...}}} binding in its SQL
     */
    public static LocalIotRule parse(String json, String stage) {
        Objects.requireNonNull(stage, "stage");
        if (!STAGE_NAME.matcher(stage).matches()) {
            throw new IllegalArgumentException("stage '" + stage + "' must match " + STAGE_NAME.pattern());
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RuleDefinitionException("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RuleDefinitionException("a rule definition is a JSON object");
        }
        onlyKeys(root, TOP_KEYS, "");
        String ruleName = text(root, "ruleName", "");
        if (!ruleName.matches("[A-Za-z0-9_]{1,128}")) {
            throw new RuleDefinitionException("ruleName '" + ruleName + "' must be 1-128 of [A-Za-z0-9_]");
        }
        JsonNode payload = root.get("topicRulePayload");
        if (payload == null || !payload.isObject()) {
            throw new RuleDefinitionException("topicRulePayload (an object) is required");
        }
        onlyKeys(payload, PAYLOAD_KEYS, "topicRulePayload.");
        String version = text(payload, "awsIotSqlVersion", "topicRulePayload.");
        if (!SQL_VERSION.equals(version)) {
            throw new RuleDefinitionException("awsIotSqlVersion '" + version + "' is not supported locally (only "
                    + SQL_VERSION + ")");
        }
        String sql = text(payload, "sql", "topicRulePayload.").replace(STAGE_PLACEHOLDER, stage);
        if (sql.contains("{{")) {
            throw new RuleDefinitionException("sql: the only binding supported in the SQL is " + STAGE_PLACEHOLDER
                    + ": " + sql);
        }
        Matcher m = SELECT_FROM.matcher(sql);
        if (!m.matches()) {
            throw new RuleDefinitionException("sql must be SELECT ... FROM '<topic filter>': " + sql);
        }
        List<Expr> where = whereClause(m.group(3).strip());
        TopicFilter filter = TopicFilter.parse(m.group(2));
        Map<String, Expr> selected = selectList(m.group(1));
        String description = payload.path("description").asText(null);
        JsonNode disabledNode = payload.get("ruleDisabled");
        if (disabledNode != null && !disabledNode.isBoolean()) {
            throw new RuleDefinitionException("topicRulePayload.ruleDisabled must be a boolean");
        }
        boolean disabled = disabledNode != null && disabledNode.booleanValue();

        JsonNode actions = payload.get("actions");
        if (actions == null || !actions.isArray() || actions.size() != 1) {
            throw new RuleDefinitionException("topicRulePayload.actions must hold exactly one action (kinesis)");
        }
        JsonNode action = actions.get(0);
        if (!action.isObject() || action.size() != 1 || !action.has("kinesis")) {
            throw new RuleDefinitionException("only a kinesis action is supported locally, got " + action);
        }
        JsonNode kinesis = action.get("kinesis");
        onlyKeys(kinesis, Set.of("streamName", "partitionKey", "roleArn"), "kinesis.");
        String streamName = text(kinesis, "streamName", "kinesis.");
        String template = text(kinesis, "partitionKey", "kinesis.");
        List<Object> keyParts = template(template);

        ErrorAction errorAction = null;
        JsonNode error = payload.get("errorAction");
        if (error != null && !error.isNull()) {
            if (!error.isObject() || error.size() != 1 || !error.has("sqs")) {
                throw new RuleDefinitionException("only an sqs error action is supported locally, got " + error);
            }
            JsonNode sqs = error.get("sqs");
            onlyKeys(sqs, Set.of("queueUrl", "roleArn", "useBase64"), "errorAction.sqs.");
            JsonNode b64 = sqs.get("useBase64");
            if (b64 != null && !b64.isBoolean()) {
                throw new RuleDefinitionException("errorAction.sqs.useBase64 must be a boolean");
            }
            errorAction = new ErrorAction(text(sqs, "queueUrl", "errorAction.sqs."), b64 != null && b64.booleanValue());
        }
        return new LocalIotRule(ruleName, description, sql, disabled, filter, where, selected, template, keyParts,
                streamName, errorAction);
    }

    /** @return whether {@code topic} is one this rule receives (its {@code FROM} filter matches) */
    public boolean matches(String topic) {
        return topicFilter.matches(topic);
    }

    /**
     * Evaluates the rule for one message, as IoT Core does before the Kinesis action.
     *
     * @param topic          the topic the message was published on (must match the filter)
     * @param payload        the message payload
     * @param receivedMillis the rules engine's time, epoch ms ({@code timestamp()})
     * @return the record to put, or empty when the {@code WHERE} condition is not true (IoT Core then runs no action
     *         and no error action: the message is dropped silently)
     * @throws RuleEvaluationException when the payload is not a JSON object, too large, or the partition key is
     *                                 empty or too long
     */
    public java.util.Optional<KinesisRecord> apply(String topic, byte[] payload, long receivedMillis) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (!matches(topic)) {
            throw new IllegalArgumentException("topic '" + topic + "' does not match " + topicFilter);
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new RuleEvaluationException("payload is " + payload.length + " bytes, more than IoT Core's "
                    + "128 KB (" + MAX_PAYLOAD_BYTES + " bytes)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            throw new RuleEvaluationException("payload is not JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode() || !node.isObject()) {
            throw new RuleEvaluationException("SELECT * needs a JSON object payload, got "
                    + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType().toString()));
        }
        ObjectNode out = (ObjectNode) node;
        Eval ctx = new Eval(topic, receivedMillis, out);
        for (Expr term : where) {
            if (!BooleanNode.TRUE.equals(term.eval(ctx))) { // false or Undefined: the WHERE is not true
                return java.util.Optional.empty();
            }
        }
        for (Map.Entry<String, Expr> e : selected.entrySet()) {
            JsonNode value = e.getValue().eval(ctx);
            out.remove(e.getKey()); // a selected field replaces a payload field of that name (devices cannot spoof it)
            if (value != null) {
                out.set(e.getKey(), value);
            }
        }
        String key = partitionKey(ctx);
        try {
            return java.util.Optional.of(new KinesisRecord(JSON.writeValueAsBytes(out), key));
        } catch (JsonProcessingException e) {
            throw new RuleEvaluationException("cannot write the rule output: " + e.getOriginalMessage());
        }
    }

    /** The partition key for a message on {@code topic}. */
    public String partitionKey(String topic, long receivedMillis) {
        return partitionKey(new Eval(topic, receivedMillis, null));
    }

    private String partitionKey(Eval ctx) {
        StringBuilder sb = new StringBuilder();
        for (Object part : partitionKeyParts) {
            if (part instanceof String literal) {
                sb.append(literal);
            } else {
                JsonNode v = ((Expr) part).eval(ctx);
                if (v != null) {
                    sb.append(v.asText());
                }
            }
        }
        if (sb.isEmpty()) {
            throw new RuleEvaluationException("partition key '" + partitionKeyTemplate + "' is empty for topic " + ctx.topic);
        }
        if (sb.length() > MAX_PARTITION_KEY_LENGTH) {
            throw new RuleEvaluationException("partition key is longer than " + MAX_PARTITION_KEY_LENGTH + " characters");
        }
        return sb.toString();
    }

    public String ruleName() {
        return ruleName;
    }

    public String description() {
        return description;
    }

    public String sql() {
        return sql;
    }

    public boolean disabled() {
        return disabled;
    }

    /** The {@code FROM} topic filter, e.g. {@code dt/waybill/local/+/+}: what the runner subscribes to. */
    public String topicFilter() {
        return topicFilter.toString();
    }

    /** The {@code WHERE} terms as written (all must hold), empty when the rule has no {@code WHERE}. */
    public List<String> whereTerms() {
        return where.stream().map(Expr::source).toList();
    }

    /** The fields the rule adds to the payload, in order: alias → expression as written. */
    public Map<String, String> selectedFields() {
        Map<String, String> out = new LinkedHashMap<>();
        selected.forEach((k, v) -> out.put(k, v.source()));
        return out;
    }

    public String partitionKeyTemplate() {
        return partitionKeyTemplate;
    }

    /** The Kinesis action's {@code streamName} as written (a {@code {{...}}} binding in the shared definition). */
    public String streamNameBinding() {
        return streamNameBinding;
    }

    /** @return whether {@code value} is a {@code {{Construct.attribute}}} deployment binding */
    public static boolean isBinding(String value) {
        return value != null && BINDING.matcher(value).matches();
    }

    /** The SQS error action, or null when the rule has none. */
    public ErrorAction errorAction() {
        return errorAction;
    }

    @Override
    public String toString() {
        return ruleName + " (" + sql + ")";
    }

    // --- parsing -------------------------------------------------------------------------------------------------

    private static final Pattern WHERE = Pattern.compile("(?is)^WHERE\\s+(.+)$");
    private static final Pattern AND = Pattern.compile("(?i)\\s+AND\\s+");
    private static final Pattern IS_UNDEFINED = Pattern.compile("(?is)^isUndefined\\s*\\((.*)\\)$");

    /** {@code WHERE a AND b AND ...} (or nothing) as its terms; {@code OR}, {@code NOT} and other operators fail. */
    private static List<Expr> whereClause(String rest) {
        if (rest.isEmpty()) {
            return List.of();
        }
        Matcher m = WHERE.matcher(rest);
        if (!m.matches()) {
            throw new RuleDefinitionException("sql: only SELECT ... FROM '<topic filter>' [WHERE ...] is supported "
                    + "locally, not '" + rest + "'");
        }
        List<Expr> terms = new ArrayList<>();
        for (String term : splitTopLevel(m.group(1), AND, "WHERE clause")) {
            terms.add(condition(term));
        }
        return List.copyOf(terms);
    }

    private static Expr condition(String term) {
        if (term.replaceAll("'[^']*'", "''").matches("(?is).*\\b(OR|NOT)\\b.*")) {
            throw unsupportedTerm(term);
        }
        Matcher undefined = IS_UNDEFINED.matcher(term);
        if (undefined.matches()) {
            return new IsUndefined(new ExprParser(undefined.group(1).strip()).parseAll(), term);
        }
        int at = indexOfTopLevel(term, "<>");
        boolean equal = at < 0;
        if (equal) {
            at = indexOfTopLevel(term, "=");
        }
        if (at < 0) {
            throw unsupportedTerm(term);
        }
        Expr left = new ExprParser(term.substring(0, at).strip()).parseAll();
        Expr right = new ExprParser(term.substring(at + (equal ? 1 : 2)).strip()).parseAll();
        return new Comparison(left, right, equal, term);
    }

    private static RuleDefinitionException unsupportedTerm(String term) {
        return new RuleDefinitionException("sql: WHERE term '" + term + "' is not supported locally (only "
                + "isUndefined(e), e = e and e <> e joined by AND)");
    }

    private static int indexOfTopLevel(String s, String token) {
        List<int[]> at = topLevelMatches(s, Pattern.compile(Pattern.quote(token)), "WHERE clause");
        return at.isEmpty() ? -1 : at.get(0)[0];
    }

    private static Map<String, Expr> selectList(String list) {
        List<String> items = splitTopLevel(list, Pattern.compile(","), "SELECT list");
        if (!items.get(0).equals("*")) {
            throw new RuleDefinitionException("sql: the SELECT list must start with * (the whole payload), got '"
                    + items.get(0) + "'");
        }
        Map<String, Expr> out = new LinkedHashMap<>();
        for (String item : items.subList(1, items.size())) {
            Matcher m = ALIASED.matcher(item);
            if (!m.matches()) {
                throw new RuleDefinitionException("sql: '" + item + "' must be <expression> AS <name>");
            }
            String alias = m.group(2);
            if (out.put(alias, new ExprParser(m.group(1).strip()).parseAll()) != null) {
                throw new RuleDefinitionException("sql: '" + alias + "' is selected twice");
            }
        }
        return out;
    }

    private static List<Object> template(String template) {
        List<Object> parts = new ArrayList<>();
        Matcher m = TEMPLATE_PART.matcher(template);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(literalPart(template.substring(at, m.start()), template));
            }
            parts.add(new ExprParser(m.group(1).strip()).parseAll());
            at = m.end();
        }
        if (at < template.length()) {
            parts.add(literalPart(template.substring(at), template));
        }
        if (parts.isEmpty()) {
            throw new RuleDefinitionException("kinesis.partitionKey is empty");
        }
        return List.copyOf(parts);
    }

    private static String literalPart(String s, String template) {
        if (s.contains("${") || s.contains("}")) {
            throw new RuleDefinitionException("kinesis.partitionKey '" + template + "' is not a valid substitution template");
        }
        return s;
    }

    /** Splits {@code s} at each match of {@code separator} outside quotes and parentheses. */
    private static List<String> splitTopLevel(String s, Pattern separator, String what) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int[] at : topLevelMatches(s, separator, what)) {
            out.add(s.substring(start, at[0]).strip());
            start = at[1];
        }
        out.add(s.substring(start).strip());
        if (out.stream().anyMatch(String::isEmpty)) {
            throw new RuleDefinitionException("sql: empty item in the " + what);
        }
        return out;
    }

    /** The {@code [start, end)} of each match of {@code separator} outside quotes and parentheses, left to right. */
    private static List<int[]> topLevelMatches(String s, Pattern separator, String what) {
        List<int[]> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        Matcher sep = separator.matcher(s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && sep.region(i, s.length()).lookingAt()) {
                out.add(new int[] {i, sep.end()});
                i = sep.end() - 1;
            }
        }
        if (quoted || depth != 0) {
            throw new RuleDefinitionException("sql: unbalanced quotes or parentheses in the " + what);
        }
        return out;
    }

    private static void onlyKeys(JsonNode node, Set<String> allowed, String prefix) {
        if (!node.isObject()) {
            throw new RuleDefinitionException(prefix + " must be an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new RuleDefinitionException(prefix + k + " is not supported locally (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String text(JsonNode node, String field, String prefix) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new RuleDefinitionException(prefix + field + " (a non-empty string) is required");
        }
        return v.asText();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // --- expressions ---------------------------------------------------------------------------------------------

    /** What an expression sees: the topic, the rules engine's time and the incoming payload (before SELECT). */
    private record Eval(String topic, long receivedMillis, ObjectNode payload) {
    }

    /** {@code isUndefined(e)}: true when {@code e} is Undefined (a missing payload field, a topic level beyond the last). */
    private record IsUndefined(Expr expr, String source) implements Expr {
        @Override
        public JsonNode eval(Eval ctx) {
            return BooleanNode.valueOf(expr.eval(ctx) == null);
        }
    }

    /** {@code a = b} or {@code a <> b}; Undefined on either side makes the comparison Undefined. */
    private record Comparison(Expr left, Expr right, boolean equal, String source) implements Expr {
        @Override
        public JsonNode eval(Eval ctx) {
            JsonNode l = left.eval(ctx);
            JsonNode r = right.eval(ctx);
            return l == null || r == null ? null : BooleanNode.valueOf(l.equals(r) == equal);
        }
    }

    /** A top-level field of the incoming payload; Undefined (null) when absent. */
    private record Field(String name, String source) implements Expr {
        @Override
        public JsonNode eval(Eval ctx) {
            if (ctx.payload == null) {
                return null;
            }
            JsonNode v = ctx.payload.get(name);
            return v == null || v.isMissingNode() ? null : v;
        }
    }

    /** An expression of the supported subset; {@code eval} returns null for IoT SQL's Undefined. */
    private interface Expr {
        JsonNode eval(Eval ctx);

        String source();
    }

    private record Literal(String value, String source) implements Expr {
        @Override
        public JsonNode eval(Eval ctx) {
            return TextNode.valueOf(value);
        }
    }

    private record Topic(Integer level, String source) implements Expr {
        @Override
        public JsonNode eval(Eval ctx) {
            if (level == null) {
                return TextNode.valueOf(ctx.topic);
            }
            String[] levels = ctx.topic.split("/", -1);
            return level <= levels.length ? TextNode.valueOf(levels[level - 1]) : null;
        }
    }

    private record Timestamp(String source) implements Expr {
        @Override
        public JsonNode eval(Eval ctx) {
            return LongNode.valueOf(ctx.receivedMillis);
        }
    }

    private record Concat(List<Expr> args, String source) implements Expr {
        @Override
        public JsonNode eval(Eval ctx) {
            StringBuilder sb = new StringBuilder();
            for (Expr a : args) {
                JsonNode v = a.eval(ctx);
                if (v == null) {
                    return null;
                }
                sb.append(v.asText());
            }
            return TextNode.valueOf(sb.toString());
        }
    }

    /** Recursive descent over the supported expression subset. */
    private static final class ExprParser {
        private final String s;
        private int i;

        ExprParser(String s) {
            this.s = s;
        }

        Expr parseAll() {
            Expr e = parse();
            skipWs();
            if (i != s.length()) {
                throw unsupported("unexpected '" + s.substring(i) + "'");
            }
            return e;
        }

        private Expr parse() {
            skipWs();
            int start = i;
            if (i < s.length() && s.charAt(i) == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw unsupported("unterminated string literal");
                }
                i = end + 1;
                return new Literal(s.substring(start + 1, end), s.substring(start, i));
            }
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String name = s.substring(start, i);
            skipWs();
            if (!name.isEmpty() && Character.isLetter(name.charAt(0)) && (i >= s.length() || s.charAt(i) != '(')) {
                return new Field(name, name);
            }
            if (name.isEmpty() || i >= s.length() || s.charAt(i) != '(') {
                throw unsupported("'" + (name.isEmpty() ? s.substring(start) : name)
                        + "' is not a supported expression");
            }
            i++;
            List<Expr> args = new ArrayList<>();
            List<String> rawArgs = new ArrayList<>();
            skipWs();
            if (i < s.length() && s.charAt(i) == ')') {
                i++;
            } else {
                while (true) {
                    skipWs();
                    int argStart = i;
                    if (name.equalsIgnoreCase("topic")) {
                        while (i < s.length() && Character.isDigit(s.charAt(i))) {
                            i++;
                        }
                        rawArgs.add(s.substring(argStart, i));
                    } else {
                        args.add(parse());
                    }
                    skipWs();
                    if (i >= s.length()) {
                        throw unsupported("missing ')'");
                    }
                    char c = s.charAt(i++);
                    if (c == ')') {
                        break;
                    }
                    if (c != ',') {
                        throw unsupported("unexpected '" + c + "' in the arguments of " + name + "()");
                    }
                }
            }
            String source = s.substring(start, i);
            switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "topic" -> {
                    if (rawArgs.isEmpty()) {
                        return new Topic(null, source);
                    }
                    if (rawArgs.size() != 1 || rawArgs.get(0).isEmpty()) {
                        throw unsupported("topic() takes one level number (1-based), got " + source);
                    }
                    int level = Integer.parseInt(rawArgs.get(0));
                    if (level < 1) {
                        throw unsupported("topic(n) levels start at 1, got " + source);
                    }
                    return new Topic(level, source);
                }
                case "timestamp" -> {
                    if (!args.isEmpty()) {
                        throw unsupported("timestamp() takes no arguments");
                    }
                    return new Timestamp(source);
                }
                case "concat" -> {
                    if (args.size() < 2) {
                        throw unsupported("concat() takes at least two arguments");
                    }
                    return new Concat(List.copyOf(args), source);
                }
                default -> throw unsupported("function " + name + "() is not supported locally (only topic(), "
                        + "topic(n), timestamp(), concat(), string literals and payload fields; isUndefined() in WHERE)");
            }
        }

        private void skipWs() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private RuleDefinitionException unsupported(String why) {
            return new RuleDefinitionException("expression '" + s + "': " + why);
        }
    }
}

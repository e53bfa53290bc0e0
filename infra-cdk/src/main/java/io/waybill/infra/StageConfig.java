package io.waybill.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.coldchain.ProductClassCatalog;
import software.amazon.awscdk.RemovalPolicy;
import software.constructs.Node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything a Waybill stack is configured with for one stage. Immutable; CDK context ({@code -c key=value} or
 * {@code cdk.json}) is read here and only here, by {@link #fromContext(Node)}.
 *
 * <table>
 * <caption>Context</caption>
 * <tr><td>{@value #CTX_STAGE}</td><td>stage name, in the stack name and every resource name; default
 * {@value #DEFAULT_STAGE}</td></tr>
 * <tr><td>{@value #CTX_SHARD_COUNT}</td><td>telemetry stream shards; absent = on-demand capacity</td></tr>
 * <tr><td>{@value #CTX_RETENTION_HOURS}</td><td>telemetry stream retention, default {@value #DEFAULT_RETENTION_HOURS}
 * (a week; {@value #MIN_RETENTION_HOURS} to {@value #MAX_RETENTION_HOURS})</td></tr>
 * <tr><td>{@value #CTX_CANONICAL_STREAM_SHARDS}</td><td>canonical event stream shards; absent = on-demand
 * capacity</td></tr>
 * <tr><td>{@value #CTX_ALARM_EMAIL}</td><td>address subscribed to the alarm topic; absent = no subscription</td></tr>
 * <tr><td>{@value #CTX_THING_GROUP_NAME}</td><td>an existing IoT thing group the edge component is deployed to;
 * absent = the stack creates the stage's own, {@code waybill-<stage>-edge}</td></tr>
 * <tr><td>{@value #CTX_PARALLELIZATION_FACTOR}</td><td>concurrent batches per shard of the ingest mapping, default
 * {@value #DEFAULT_PARALLELIZATION_FACTOR} (1 to 10)</td></tr>
 * <tr><td>{@value #CTX_RETAIN_DATA}</td><td>keep the event, shipment and cold-chain tables, the raw archive and
 * dead-letter payload buckets and their keys when the stack is deleted, and deletion-protect the tables; default {@value #DEFAULT_RETAIN_DATA}; {@code false} for throwaway stages
 * only</td></tr>
 * <tr><td>{@value #CTX_PRODUCT_CLASS}</td><td>the stage's default product class: the class the cold-chain functions
 * judge a shipment under when its plan names none (UNCLASSIFIED), default {@value #DEFAULT_PRODUCT_CLASS}; a name of
 * the catalog: the presets ({@link #PRODUCT_CLASS_PRESETS}) with {@value #CTX_PRODUCT_CLASSES} over them</td></tr>
 * <tr><td>{@value #CTX_PRODUCT_CLASSES}</td><td>a product class catalog file ({@link ProductClassCatalog}'s JSON,
 * {@code {"productClasses": [...]}}), relative to {@code infra-cdk/} or absolute: its classes replace the presets of
 * the same name or add classes, in the cold-chain functions ({@code WAYBILL_PRODUCT_CLASSES}) and in the edge
 * component's deployment ({@code productClasses}) alike; at most {@value #MAX_PRODUCT_CLASSES_BYTES} bytes as
 * minified JSON (Lambda's 4 KB environment); absent = the presets only</td></tr>
 * <tr><td>{@value #CTX_BREACH_ALARM_THRESHOLD}</td><td>incidents opened within an hour that page, default
 * {@value #DEFAULT_BREACH_ALARM_THRESHOLD} (at least 1)</td></tr>
 * <tr><td>{@value #CTX_EXCEPTION_AGE_ALARM_HOURS}</td><td>age in hours of the oldest open incident that pages, default
 * {@value #DEFAULT_EXCEPTION_AGE_ALARM_HOURS} (1 to {@value #MAX_EXCEPTION_AGE_ALARM_HOURS})</td></tr>
 * <tr><td>{@value #CTX_KPI_SCHEDULE_MINUTES}</td><td>minutes between two runs of the KPI publisher, default
 * {@value #DEFAULT_KPI_SCHEDULE_MINUTES} ({@value #MIN_KPI_SCHEDULE_MINUTES} to {@value #MAX_KPI_SCHEDULE_MINUTES})</td></tr>
 * <tr><td>{@value #CTX_BREACH_CONFIRM_SECONDS}</td><td>seconds a breach verdict must hold before the cold-chain
 * functions act on it, default {@value #DEFAULT_BREACH_CONFIRM_SECONDS} (0 = at once, to
 * {@value #MAX_BREACH_CONFIRM_SECONDS})</td></tr>
 * <tr><td>{@value #CTX_BREACH_CONFIRM_SCHEDULE_MINUTES}</td><td>minutes between two runs of the breach confirmer,
 * default {@value #DEFAULT_BREACH_CONFIRM_SCHEDULE_MINUTES} ({@value #MIN_BREACH_CONFIRM_SCHEDULE_MINUTES} to
 * {@value #MAX_BREACH_CONFIRM_SCHEDULE_MINUTES})</td></tr>
 * <tr><td>{@value #CTX_ITERATOR_AGE_ALARM_MINUTES}</td><td>minutes a stream consumer may fall behind its stream
 * before it pages, default {@value #DEFAULT_ITERATOR_AGE_ALARM_MINUTES} (1 to {@value #MAX_ITERATOR_AGE_ALARM_MINUTES})</td></tr>
 * <tr><td>{@value #CTX_RAW_ARCHIVE_EXPIRY_DAYS}</td><td>days an object of the raw archive is kept, default
 * {@value #DEFAULT_RAW_ARCHIVE_EXPIRY_DAYS} ({@value #MIN_RAW_ARCHIVE_EXPIRY_DAYS} to
 * {@value #MAX_RAW_ARCHIVE_EXPIRY_DAYS})</td></tr>
 * <tr><td>{@value #CTX_API_THROTTLE_BURST}</td><td>the ops API's default-stage burst limit (requests), default
 * {@value #DEFAULT_API_THROTTLE_BURST} (1 to {@value #MAX_API_THROTTLE})</td></tr>
 * <tr><td>{@value #CTX_API_THROTTLE_RATE}</td><td>the ops API's default-stage steady rate limit (requests per second),
 * default {@value #DEFAULT_API_THROTTLE_RATE} (1 to {@value #MAX_API_THROTTLE})</td></tr>
 * <tr><td>{@value #CTX_LEGACY_ID_CUTOVER}</td><td>when id scheme 2 was deployed on a stage whose event store holds
 * events stored under id scheme 1 (ISO-8601 UTC instant, e.g. {@code 2026-12-02T19:00:00Z}): sets the ingest
 * function's {@code WAYBILL_LEGACY_ID_CUTOVER} and lets it read the events table; absent (the default) = no legacy
 * data (root README, "Upgrading a stage stored under id scheme 1")</td></tr>
 * <tr><td>{@value #CTX_UNASSIGNED_POLICY}</td><td>what ingest does with a device's event about a shipment the device is
 * not assigned to at the event's time ({@code WAYBILL_UNASSIGNED_POLICY}): {@code reject} (default, dead-lettered
 * {@code UNASSIGNED}) or {@code flag} (stored with the envelope flag {@code unassigned: true})</td></tr>
 * <tr><td>{@value #CTX_REPLAY_WINDOW}</td><td>the signature sequence reordering window ingest allows per device key
 * ({@code WAYBILL_REPLAY_WINDOW}); absent = the function's own default (65,536, above the edge spool's maximum)</td></tr>
 * <tr><td>{@value #CTX_IMPORT_RETAINED_DATA}</td><td>{@code true}: the stack holds only the retained tables and
 * their keys (what {@code cdk import} adopts after a destroy, see the README); default {@code false}</td></tr>
 * <tr><td>{@value AnchoringConfig#CTX_ANCHORING}</td><td>a section (JSON object): the stage's provenance anchoring,
 * {@link AnchoringConfig}; absent = {@code chain: none}, no anchoring resources</td></tr>
 * <tr><td>{@value ForecastingConfig#CTX_FORECASTING}</td><td>a section (JSON object): the stage's demand forecasting,
 * {@link ForecastingConfig}; absent = no forecasting resources</td></tr>
 * <tr><td>{@value PartnersConfig#CTX_PARTNERS}</td><td>a section (JSON object): the stage's partner exchange (partner
 * bus, rules, egress and ingress functions), {@link PartnersConfig}; absent = none</td></tr>
 * <tr><td>{@value #CTX_REPO_ROOT}</td><td>repository root the jars and definitions are read from; default: the
 * system property {@value #REPO_ROOT_PROPERTY}, else the nearest directory above the working directory that holds
 * {@code infra-cdk/iot-rules}</td></tr>
 * </table>
 *
 * A context key that looks like one of these (a plain identifier: letters and digits) but is none of them is an error
 * naming the known keys, so {@code -c shardcount=4} does not silently give an on-demand stream. CDK's own keys
 * ({@code aws:cdk:*}, {@code @aws-cdk/*}, {@code aws-cdk:enableDiffNoFail}, lookups such as
 * {@code availability-zones:...}) all carry a ':', '/', '@' or '-' and pass.
 */
public final class StageConfig {
    public static final String CTX_STAGE = "stage";
    public static final String CTX_SHARD_COUNT = "shardCount";
    public static final String CTX_RETENTION_HOURS = "retentionHours";
    public static final String CTX_CANONICAL_STREAM_SHARDS = "canonicalStreamShards";
    public static final String CTX_ALARM_EMAIL = "alarmEmail";
    public static final String CTX_THING_GROUP_NAME = "thingGroupName";
    public static final String CTX_PARALLELIZATION_FACTOR = "parallelizationFactor";
    public static final String CTX_RETAIN_DATA = "retainData";
    public static final String CTX_PRODUCT_CLASS = "productClass";
    public static final String CTX_PRODUCT_CLASSES = "productClasses";
    public static final String CTX_BREACH_ALARM_THRESHOLD = "breachAlarmThreshold";
    public static final String CTX_EXCEPTION_AGE_ALARM_HOURS = "exceptionAgeAlarmHours";
    public static final String CTX_KPI_SCHEDULE_MINUTES = "kpiScheduleMinutes";
    public static final String CTX_BREACH_CONFIRM_SECONDS = "breachConfirmSeconds";
    public static final String CTX_BREACH_CONFIRM_SCHEDULE_MINUTES = "breachConfirmScheduleMinutes";
    public static final String CTX_ITERATOR_AGE_ALARM_MINUTES = "iteratorAgeAlarmMinutes";
    public static final String CTX_RAW_ARCHIVE_EXPIRY_DAYS = "rawArchiveExpiryDays";
    public static final String CTX_API_THROTTLE_BURST = "apiThrottleBurst";
    public static final String CTX_API_THROTTLE_RATE = "apiThrottleRate";
    public static final String CTX_LEGACY_ID_CUTOVER = "legacyIdCutover";
    public static final String CTX_UNASSIGNED_POLICY = "unassignedPolicy";
    public static final String CTX_REPLAY_WINDOW = "replayWindow";
    public static final String CTX_IMPORT_RETAINED_DATA = "importRetainedData";
    public static final String CTX_REPO_ROOT = "repoRoot";
    /** Every context key the app reads, in the order the README documents them. */
    public static final List<String> CONTEXT_KEYS = List.of(CTX_STAGE, CTX_SHARD_COUNT, CTX_RETENTION_HOURS,
            CTX_CANONICAL_STREAM_SHARDS, CTX_ALARM_EMAIL, CTX_THING_GROUP_NAME, CTX_PARALLELIZATION_FACTOR,
            CTX_RETAIN_DATA, CTX_PRODUCT_CLASS, CTX_PRODUCT_CLASSES, CTX_BREACH_ALARM_THRESHOLD, CTX_EXCEPTION_AGE_ALARM_HOURS,
            CTX_KPI_SCHEDULE_MINUTES, CTX_BREACH_CONFIRM_SECONDS, CTX_BREACH_CONFIRM_SCHEDULE_MINUTES,
            CTX_ITERATOR_AGE_ALARM_MINUTES, CTX_RAW_ARCHIVE_EXPIRY_DAYS, CTX_API_THROTTLE_BURST, CTX_API_THROTTLE_RATE,
            CTX_LEGACY_ID_CUTOVER, CTX_UNASSIGNED_POLICY,
            CTX_REPLAY_WINDOW, CTX_IMPORT_RETAINED_DATA, CTX_REPO_ROOT);
    /**
     * Context sections: keys whose value is a JSON object (a map in {@code cdk.json}, a JSON string with {@code -c}),
     * read by their own config record: {@value AnchoringConfig#CTX_ANCHORING} ({@link AnchoringConfig}),
     * {@value ForecastingConfig#CTX_FORECASTING} ({@link ForecastingConfig}), {@value PartnersConfig#CTX_PARTNERS}
     * ({@link PartnersConfig}).
     */
    public static final List<String> CONTEXT_SECTIONS = List.of(AnchoringConfig.CTX_ANCHORING,
            ForecastingConfig.CTX_FORECASTING, PartnersConfig.CTX_PARTNERS);
    /** A key that looks like ours: a plain identifier. CDK's keys all contain ':', '/', '@' or '-'. */
    private static final Pattern OUR_KEY_SHAPE = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
    /** Set by the root pom's surefire configuration to the repository root. */
    public static final String REPO_ROOT_PROPERTY = "waybill.repo.root";

    /** Default stage: a developer's own account. */
    public static final String DEFAULT_STAGE = "dev";
    /**
     * Default telemetry stream retention: a week (168 hours). Every consumer retries a failing batch until its records
     * are almost as old as the retention ({@link StreamConsumer}), so the retention is how long an outage of a
     * dependency (or a bad deploy) can last before a record is given up; a week covers a long weekend and the fix.
     * Kinesis charges extended retention (beyond 24 hours) per shard hour: stages that do not need it may set 24.
     */
    public static final int DEFAULT_RETENTION_HOURS = 168;
    public static final int MIN_RETENTION_HOURS = 24;
    public static final int MAX_RETENTION_HOURS = 8760;
    /**
     * Suffix of the thing group the stack creates when the context names none: {@code waybill-<stage>-edge}. One
     * group per stage, because Greengrass keeps one active deployment per target: two stages deploying to one group
     * would replace each other's edge deployment.
     */
    public static final String EDGE_THING_GROUP_SUFFIX = "edge";
    /**
     * Default {@code ParallelizationFactor}: 1, Lambda's default and the local event source mapping's only value, so
     * a shard's records are processed in order as they are locally. Raise only if iterator age grows.
     */
    public static final int DEFAULT_PARALLELIZATION_FACTOR = 1;
    /**
     * Default for the event and shipment tables (a ledger), the cold-chain tables (audit evidence), the raw archive
     * and the dead-letter payloads (data not stored anywhere else) and their keys: retained, the tables
     * deletion-protected.
     */
    public static final boolean DEFAULT_RETAIN_DATA = true;
    /**
     * The product class presets: the names of the default catalog ({@link ProductClassCatalog#defaults()}, the
     * domain's {@code waybill/product-classes.json}), the classes every stage has without {@value #CTX_PRODUCT_CLASSES}.
     */
    public static final List<String> PRODUCT_CLASS_PRESETS = ProductClassCatalog.defaults().names();
    /**
     * The largest product class catalog ({@value #CTX_PRODUCT_CLASSES}) a stage may give, as minified JSON in UTF-8
     * bytes: 3 KB. The catalog is the value of {@code WAYBILL_PRODUCT_CLASSES} and Lambda allows 4 KB for all of a
     * function's environment variables together (names and values); the cold-chain functions' other variables take
     * about 600 bytes, so 3 KB leaves room for table names of long stages and a variable or two more. The four
     * presets written out in full take 840 bytes: a file of a dozen classes with every key fits.
     */
    public static final int MAX_PRODUCT_CLASSES_BYTES = 3 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Default product class: the function's own default ({@code ColdChainConfig.DEFAULT_PRODUCT_CLASS}). */
    public static final String DEFAULT_PRODUCT_CLASS = "chilled-biologics-2-8";
    /**
     * Default breach-rate alarm: 3 or more incidents opened within an hour. One breach is an incident for the
     * quality team, not a page; several in an hour point at a depot, a route or a reefer model going wrong.
     */
    public static final int DEFAULT_BREACH_ALARM_THRESHOLD = 3;
    /**
     * Default exception-age alarm: an incident left open (not even acknowledged) for 4 hours pages. Long enough for a
     * shift to pick it up, short enough that a held shipment is still on its way.
     */
    public static final int DEFAULT_EXCEPTION_AGE_ALARM_HOURS = 4;
    /** A week: beyond that an open incident is no longer an alarm but a process problem. */
    public static final int MAX_EXCEPTION_AGE_ALARM_HOURS = 168;

    /**
     * Default KPI publishing period: every 15 minutes. The KPIs move with departures and arrivals (hours apart) and
     * every run scans the event store (see {@code KpiPublisher}): 15 minutes keeps the dashboards fresh for a shift
     * at 96 scans a day.
     */
    public static final int DEFAULT_KPI_SCHEDULE_MINUTES = 15;
    /** The function may run 5 minutes (its timeout): a shorter period could start a run before the last ended. */
    public static final int MIN_KPI_SCHEDULE_MINUTES = 5;
    /** A day: less often and a day's dashboards have no data point. */
    public static final int MAX_KPI_SCHEDULE_MINUTES = 1440;

    /**
     * The ops API's default-stage burst limit: 50 requests at once. The callers are operations staff (a few dozen
     * people, each page of the dashboard a handful of requests), not devices: 50 absorbs a shift opening the
     * dashboard together while a runaway script is cut off long before the account's 5,000 burst (shared by every
     * API of the account and region) is touched.
     */
    public static final int DEFAULT_API_THROTTLE_BURST = 50;
    /**
     * The ops API's default-stage steady rate: 25 requests per second, about one read per second for each of 25 people
     * at once; each request is one Lambda invocation and at most 10 DynamoDB reads, so the rate also bounds what a
     * leaked token can cost. Raise it per stage with the context when the measured 429s say so.
     */
    public static final int DEFAULT_API_THROTTLE_RATE = 25;
    /** API Gateway's default account quota (requests per second and burst): a stage limit above it is meaningless. */
    public static final int MAX_API_THROTTLE = 10_000;

    /**
     * Default confirmation delay ({@code WAYBILL_CONFIRM_AFTER_SECONDS}, the function's own default): a breach verdict
     * is acted on (incident, decision event, hold, compliance record) only once it has held for 2 minutes, so late,
     * out-of-order readings can still take a shipment back under its budget before anyone is alerted. 0 acts at once.
     */
    public static final int DEFAULT_BREACH_CONFIRM_SECONDS = 120;
    /** An hour: a longer wait delays every real breach's hold by as much. */
    public static final int MAX_BREACH_CONFIRM_SECONDS = 3600;
    /**
     * Default period of the breach confirmer: every minute, EventBridge's finest rate, so a breach with no further
     * evidence is acted on at most about a minute after its confirmation delay has passed.
     */
    public static final int DEFAULT_BREACH_CONFIRM_SCHEDULE_MINUTES = 1;
    public static final int MIN_BREACH_CONFIRM_SCHEDULE_MINUTES = 1;
    /** An hour: less often and a quiet shipment's breach waits that long for its hold and incident. */
    public static final int MAX_BREACH_CONFIRM_SCHEDULE_MINUTES = 60;

    /**
     * Default iterator-age alarm: a stream consumer 15 minutes behind its stream pages. Far above a healthy consumer's
     * seconds, far below the age at which a record would be given up (the retention less an hour), so there is time to
     * fix what blocks it.
     */
    public static final int DEFAULT_ITERATOR_AGE_ALARM_MINUTES = 15;
    /** Twelve hours: half the shortest retention, so the alarm always fires well before a record is given up. */
    public static final int MAX_ITERATOR_AGE_ALARM_MINUTES = 720;

    /**
     * Default life of a raw archive object: 400 days, a year of re-normalisable telemetry plus a month's margin for a
     * year-end audit (the objects move to Standard-IA after 30 days and to Glacier Instant Retrieval after 90).
     */
    public static final int DEFAULT_RAW_ARCHIVE_EXPIRY_DAYS = 400;
    /** After the last transition (Glacier Instant Retrieval at 90 days): S3 refuses an expiry that is not later. */
    public static final int MIN_RAW_ARCHIVE_EXPIRY_DAYS = 91;
    /** Ten years, beyond any record-keeping rule the product classes are subject to (GDP asks for five). */
    public static final int MAX_RAW_ARCHIVE_EXPIRY_DAYS = 3650;

    /**
     * The values of {@value #CTX_UNASSIGNED_POLICY}, as ingest reads {@code WAYBILL_UNASSIGNED_POLICY}: {@code reject}
     * dead-letters an event about a shipment its device is not assigned to ({@code UNASSIGNED}); {@code flag} stores
     * it with the envelope flag {@code unassigned: true}.
     */
    public static final List<String> UNASSIGNED_POLICIES = List.of("reject", "flag");
    /**
     * Default: {@code reject}, ingest's own default. A device reporting on a shipment it was never assigned to is the
     * attack the assignment exists for; {@code flag} is for a stage whose assignments are still being rolled out.
     */
    public static final String DEFAULT_UNASSIGNED_POLICY = "reject";

    /** Lower-case, starts with a letter, at most 20 characters: it goes into stack, table, queue and rule names. */
    private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    private static final Pattern THING_GROUP_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");

    private final String stage;
    private final Integer shardCount;
    private final int retentionHours;
    private final Integer canonicalStreamShards;
    private final String alarmEmail;
    private final String existingThingGroupName;
    private final int parallelizationFactor;
    private final boolean retainData;
    private final String productClass;
    private final Path productClassesFile;
    private final String productClassesJson;
    private final ProductClassCatalog productClassCatalog;
    private final int breachAlarmThreshold;
    private final int exceptionAgeAlarmHours;
    private final int kpiScheduleMinutes;
    private final int apiThrottleBurst;
    private final int apiThrottleRate;
    private final int breachConfirmSeconds;
    private final int breachConfirmScheduleMinutes;
    private final int iteratorAgeAlarmMinutes;
    private final int rawArchiveExpiryDays;
    private final java.time.Instant legacyIdCutover;
    private final String unassignedPolicy;
    private final Long replayWindow;
    private final boolean importRetainedData;
    private final AnchoringConfig anchoring;
    private final ForecastingConfig forecasting;
    private final PartnersConfig partners;
    private final Path repoRoot;

    private StageConfig(Builder b) {
        this.stage = Objects.requireNonNull(b.stage, "stage");
        if (!STAGE_NAME.matcher(stage).matches()) {
            throw new IllegalArgumentException("stage '" + stage + "' must match " + STAGE_NAME.pattern()
                    + " (lower-case letters, digits and '-', starting with a letter, at most 20), e.g. -c stage=prod-1");
        }
        if (b.shardCount != null && b.shardCount < 1) {
            throw new IllegalArgumentException(CTX_SHARD_COUNT + " must be at least 1, was " + b.shardCount);
        }
        this.shardCount = b.shardCount;
        if (b.retentionHours < MIN_RETENTION_HOURS || b.retentionHours > MAX_RETENTION_HOURS) {
            throw new IllegalArgumentException(CTX_RETENTION_HOURS + " must be " + MIN_RETENTION_HOURS + " to "
                    + MAX_RETENTION_HOURS + ", was " + b.retentionHours);
        }
        this.retentionHours = b.retentionHours;
        if (b.canonicalStreamShards != null && b.canonicalStreamShards < 1) {
            throw new IllegalArgumentException(CTX_CANONICAL_STREAM_SHARDS + " must be at least 1, was "
                    + b.canonicalStreamShards);
        }
        this.canonicalStreamShards = b.canonicalStreamShards;
        if (b.alarmEmail != null && !b.alarmEmail.matches("[^@\\s]+@[^@\\s]+")) {
            throw new IllegalArgumentException(CTX_ALARM_EMAIL + " '" + b.alarmEmail + "' is not an email address");
        }
        this.alarmEmail = b.alarmEmail;
        this.existingThingGroupName = b.thingGroupName;
        if (existingThingGroupName != null && !THING_GROUP_NAME.matcher(existingThingGroupName).matches()) {
            throw new IllegalArgumentException(CTX_THING_GROUP_NAME + " '" + existingThingGroupName
                    + "' is not a thing group name");
        }
        if (b.parallelizationFactor < 1 || b.parallelizationFactor > 10) {
            throw new IllegalArgumentException(CTX_PARALLELIZATION_FACTOR + " must be 1 to 10, was "
                    + b.parallelizationFactor);
        }
        this.parallelizationFactor = b.parallelizationFactor;
        this.retainData = b.retainData;
        this.repoRoot = Objects.requireNonNull(b.repoRoot, "repoRoot");
        if (b.productClassesFile != null) {
            this.productClassesFile = b.productClassesFile.isAbsolute() ? b.productClassesFile.normalize()
                    : repoRoot.resolve("infra-cdk").resolve(b.productClassesFile).toAbsolutePath().normalize();
            String text = readCatalogFile(productClassesFile);
            String origin = "context " + CTX_PRODUCT_CLASSES + " (" + productClassesFile + ")";
            ProductClassCatalog fromFile = ProductClassCatalog.parse(text, origin);
            this.productClassesJson = minifiedCatalog(text, origin);
            this.productClassCatalog = ProductClassCatalog.defaults().overriddenBy(fromFile);
        } else {
            this.productClassesFile = null;
            this.productClassesJson = null;
            this.productClassCatalog = ProductClassCatalog.defaults();
        }
        String defaultClass = Objects.requireNonNull(b.productClass, "productClass");
        this.productClass = productClassCatalog.find(defaultClass).map(c -> c.name()).orElseThrow(() ->
                new IllegalArgumentException(CTX_PRODUCT_CLASS + " '" + defaultClass + "' is not a product class of "
                        + "the stage's catalog (" + (productClassesFile == null ? "the presets; add classes with "
                        + CTX_PRODUCT_CLASSES + "=<file>" : "the presets with " + CTX_PRODUCT_CLASSES + " "
                        + productClassesFile + " over them") + "; known: "
                        + String.join(", ", productClassCatalog.names()) + ")"));
        if (b.breachAlarmThreshold < 1) {
            throw new IllegalArgumentException(CTX_BREACH_ALARM_THRESHOLD + " must be at least 1, was "
                    + b.breachAlarmThreshold);
        }
        this.breachAlarmThreshold = b.breachAlarmThreshold;
        if (b.exceptionAgeAlarmHours < 1 || b.exceptionAgeAlarmHours > MAX_EXCEPTION_AGE_ALARM_HOURS) {
            throw new IllegalArgumentException(CTX_EXCEPTION_AGE_ALARM_HOURS + " must be 1 to "
                    + MAX_EXCEPTION_AGE_ALARM_HOURS + ", was " + b.exceptionAgeAlarmHours);
        }
        this.exceptionAgeAlarmHours = b.exceptionAgeAlarmHours;
        if (b.kpiScheduleMinutes < MIN_KPI_SCHEDULE_MINUTES || b.kpiScheduleMinutes > MAX_KPI_SCHEDULE_MINUTES) {
            throw new IllegalArgumentException(CTX_KPI_SCHEDULE_MINUTES + " must be " + MIN_KPI_SCHEDULE_MINUTES
                    + " to " + MAX_KPI_SCHEDULE_MINUTES + ", was " + b.kpiScheduleMinutes);
        }
        this.kpiScheduleMinutes = b.kpiScheduleMinutes;
        if (b.apiThrottleBurst < 1 || b.apiThrottleBurst > MAX_API_THROTTLE) {
            throw new IllegalArgumentException(CTX_API_THROTTLE_BURST + " must be 1 to " + MAX_API_THROTTLE
                    + ", was " + b.apiThrottleBurst);
        }
        this.apiThrottleBurst = b.apiThrottleBurst;
        if (b.apiThrottleRate < 1 || b.apiThrottleRate > MAX_API_THROTTLE) {
            throw new IllegalArgumentException(CTX_API_THROTTLE_RATE + " must be 1 to " + MAX_API_THROTTLE
                    + ", was " + b.apiThrottleRate);
        }
        this.apiThrottleRate = b.apiThrottleRate;
        if (b.breachConfirmSeconds < 0 || b.breachConfirmSeconds > MAX_BREACH_CONFIRM_SECONDS) {
            throw new IllegalArgumentException(CTX_BREACH_CONFIRM_SECONDS + " must be 0 to " + MAX_BREACH_CONFIRM_SECONDS
                    + ", was " + b.breachConfirmSeconds);
        }
        this.breachConfirmSeconds = b.breachConfirmSeconds;
        if (b.breachConfirmScheduleMinutes < MIN_BREACH_CONFIRM_SCHEDULE_MINUTES
                || b.breachConfirmScheduleMinutes > MAX_BREACH_CONFIRM_SCHEDULE_MINUTES) {
            throw new IllegalArgumentException(CTX_BREACH_CONFIRM_SCHEDULE_MINUTES + " must be "
                    + MIN_BREACH_CONFIRM_SCHEDULE_MINUTES + " to " + MAX_BREACH_CONFIRM_SCHEDULE_MINUTES + ", was "
                    + b.breachConfirmScheduleMinutes);
        }
        this.breachConfirmScheduleMinutes = b.breachConfirmScheduleMinutes;
        if (b.iteratorAgeAlarmMinutes < 1 || b.iteratorAgeAlarmMinutes > MAX_ITERATOR_AGE_ALARM_MINUTES) {
            throw new IllegalArgumentException(CTX_ITERATOR_AGE_ALARM_MINUTES + " must be 1 to "
                    + MAX_ITERATOR_AGE_ALARM_MINUTES + ", was " + b.iteratorAgeAlarmMinutes);
        }
        this.iteratorAgeAlarmMinutes = b.iteratorAgeAlarmMinutes;
        if (b.rawArchiveExpiryDays < MIN_RAW_ARCHIVE_EXPIRY_DAYS || b.rawArchiveExpiryDays > MAX_RAW_ARCHIVE_EXPIRY_DAYS) {
            throw new IllegalArgumentException(CTX_RAW_ARCHIVE_EXPIRY_DAYS + " must be " + MIN_RAW_ARCHIVE_EXPIRY_DAYS
                    + " to " + MAX_RAW_ARCHIVE_EXPIRY_DAYS + " (it must come after the move to Glacier Instant "
                    + "Retrieval at 90 days), was " + b.rawArchiveExpiryDays);
        }
        this.rawArchiveExpiryDays = b.rawArchiveExpiryDays;
        this.legacyIdCutover = b.legacyIdCutover;
        this.unassignedPolicy = Objects.requireNonNull(b.unassignedPolicy, "unassignedPolicy");
        if (!UNASSIGNED_POLICIES.contains(unassignedPolicy)) {
            throw new IllegalArgumentException(CTX_UNASSIGNED_POLICY + " must be reject or flag, was '"
                    + unassignedPolicy + "'");
        }
        if (b.replayWindow != null && b.replayWindow < 1) {
            throw new IllegalArgumentException(CTX_REPLAY_WINDOW + " must be at least 1, was " + b.replayWindow);
        }
        this.replayWindow = b.replayWindow;
        if (b.importRetainedData && !b.retainData) {
            throw new IllegalArgumentException(CTX_IMPORT_RETAINED_DATA + "=true imports retained tables, but "
                    + CTX_RETAIN_DATA + "=false says this stage retains none: drop one of the two");
        }
        this.importRetainedData = b.importRetainedData;
        this.anchoring = Objects.requireNonNull(b.anchoring, "anchoring");
        this.forecasting = Objects.requireNonNull(b.forecasting, "forecasting");
        this.partners = Objects.requireNonNull(b.partners, "partners");
    }

    private static String readCatalogFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("context " + CTX_PRODUCT_CLASSES + ": no file " + file
                    + " (a relative path is read from infra-cdk/)", e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("context " + CTX_PRODUCT_CLASSES + ": cannot read " + file + ": " + e, e);
        }
    }

    /**
     * The catalog document as the functions get it: {@code {"productClasses": [...]}} with the file's entries as
     * written, minified (the free-text {@code description} left out: it only takes environment bytes).
     *
     * @throws IllegalArgumentException when it exceeds {@link #MAX_PRODUCT_CLASSES_BYTES}
     */
    private static String minifiedCatalog(String text, String origin) {
        ObjectNode document = JSON.createObjectNode();
        try {
            document.set("productClasses", JSON.readTree(text).get("productClasses"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + ": not JSON: " + e.getOriginalMessage(), e);
        }
        String minified = document.toString();
        int bytes = minified.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PRODUCT_CLASSES_BYTES) {
            throw new IllegalArgumentException(origin + ": the catalog is " + bytes + " bytes as minified JSON, more "
                    + "than the " + MAX_PRODUCT_CLASSES_BYTES + " allowed: it is the cold-chain functions' "
                    + "WAYBILL_PRODUCT_CLASSES and Lambda allows 4 KB for a function's whole environment. Keep only "
                    + "the classes the stage ships (the presets need not be repeated) and leave out optional keys at "
                    + "their defaults");
        }
        return minified;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration the app's context describes; defaults for what it leaves out.
     *
     * @throws StageConfigException when a key is unknown or a value invalid: a user error, with the message to show
     */
    public static StageConfig fromContext(Node node) {
        try {
            rejectUnknownKeys(node);
            return readContext(node);
        } catch (StageConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new StageConfigException(e.getMessage(), e);
        }
    }

    /** Keys shaped like ours ({@link #OUR_KEY_SHAPE}) that are not in {@link #CONTEXT_KEYS}. */
    private static void rejectUnknownKeys(Node node) {
        Object all = node.getAllContext();
        if (!(all instanceof java.util.Map<?, ?> context)) {
            return;
        }
        List<String> unknown = context.keySet().stream().map(Object::toString)
                .filter(k -> OUR_KEY_SHAPE.matcher(k).matches() && !CONTEXT_KEYS.contains(k)
                        && !CONTEXT_SECTIONS.contains(k)).sorted().toList();
        if (unknown.isEmpty()) {
            return;
        }
        String first = unknown.get(0);
        String hint = CONTEXT_KEYS.stream().filter(k -> k.equalsIgnoreCase(first)).findFirst()
                .map(k -> " (did you mean " + k + "?)").orElse("");
        throw new StageConfigException("unknown context key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                + hint + "; the known keys are " + String.join(", ", CONTEXT_KEYS));
    }

    private static StageConfig readContext(Node node) {
        Function<String, Optional<String>> ctx = key -> Optional.ofNullable(node.tryGetContext(key))
                .map(Object::toString).map(String::trim).filter(s -> !s.isEmpty());
        Builder b = builder();
        ctx.apply(CTX_STAGE).ifPresent(b::stage);
        ctx.apply(CTX_SHARD_COUNT).map(s -> parseInt(CTX_SHARD_COUNT, s)).ifPresent(b::shardCount);
        ctx.apply(CTX_RETENTION_HOURS).map(s -> parseInt(CTX_RETENTION_HOURS, s)).ifPresent(b::retentionHours);
        ctx.apply(CTX_CANONICAL_STREAM_SHARDS).map(s -> parseInt(CTX_CANONICAL_STREAM_SHARDS, s))
                .ifPresent(b::canonicalStreamShards);
        ctx.apply(CTX_ALARM_EMAIL).ifPresent(b::alarmEmail);
        ctx.apply(CTX_THING_GROUP_NAME).ifPresent(b::thingGroupName);
        ctx.apply(CTX_PARALLELIZATION_FACTOR).map(s -> parseInt(CTX_PARALLELIZATION_FACTOR, s))
                .ifPresent(b::parallelizationFactor);
        ctx.apply(CTX_RETAIN_DATA).map(s -> parseBoolean(CTX_RETAIN_DATA, s)).ifPresent(b::retainData);
        ctx.apply(CTX_PRODUCT_CLASS).ifPresent(b::productClass);
        ctx.apply(CTX_PRODUCT_CLASSES).map(Path::of).ifPresent(b::productClassesFile);
        ctx.apply(CTX_BREACH_ALARM_THRESHOLD).map(s -> parseInt(CTX_BREACH_ALARM_THRESHOLD, s))
                .ifPresent(b::breachAlarmThreshold);
        ctx.apply(CTX_EXCEPTION_AGE_ALARM_HOURS).map(s -> parseInt(CTX_EXCEPTION_AGE_ALARM_HOURS, s))
                .ifPresent(b::exceptionAgeAlarmHours);
        ctx.apply(CTX_KPI_SCHEDULE_MINUTES).map(s -> parseInt(CTX_KPI_SCHEDULE_MINUTES, s))
                .ifPresent(b::kpiScheduleMinutes);
        ctx.apply(CTX_API_THROTTLE_BURST).map(s -> parseInt(CTX_API_THROTTLE_BURST, s))
                .ifPresent(b::apiThrottleBurst);
        ctx.apply(CTX_API_THROTTLE_RATE).map(s -> parseInt(CTX_API_THROTTLE_RATE, s))
                .ifPresent(b::apiThrottleRate);
        ctx.apply(CTX_BREACH_CONFIRM_SECONDS).map(s -> parseInt(CTX_BREACH_CONFIRM_SECONDS, s))
                .ifPresent(b::breachConfirmSeconds);
        ctx.apply(CTX_BREACH_CONFIRM_SCHEDULE_MINUTES).map(s -> parseInt(CTX_BREACH_CONFIRM_SCHEDULE_MINUTES, s))
                .ifPresent(b::breachConfirmScheduleMinutes);
        ctx.apply(CTX_ITERATOR_AGE_ALARM_MINUTES).map(s -> parseInt(CTX_ITERATOR_AGE_ALARM_MINUTES, s))
                .ifPresent(b::iteratorAgeAlarmMinutes);
        ctx.apply(CTX_RAW_ARCHIVE_EXPIRY_DAYS).map(s -> parseInt(CTX_RAW_ARCHIVE_EXPIRY_DAYS, s))
                .ifPresent(b::rawArchiveExpiryDays);
        ctx.apply(CTX_LEGACY_ID_CUTOVER).map(s -> parseInstant(CTX_LEGACY_ID_CUTOVER, s)).ifPresent(b::legacyIdCutover);
        ctx.apply(CTX_UNASSIGNED_POLICY).ifPresent(b::unassignedPolicy);
        ctx.apply(CTX_REPLAY_WINDOW).map(s -> parseLong(CTX_REPLAY_WINDOW, s)).ifPresent(b::replayWindow);
        ctx.apply(CTX_IMPORT_RETAINED_DATA).map(s -> parseBoolean(CTX_IMPORT_RETAINED_DATA, s))
                .ifPresent(b::importRetainedData);
        b.anchoring(AnchoringConfig.fromContext(node.tryGetContext(AnchoringConfig.CTX_ANCHORING)));
        b.forecasting(ForecastingConfig.fromContext(node.tryGetContext(ForecastingConfig.CTX_FORECASTING)));
        b.partners(PartnersConfig.fromContext(node.tryGetContext(PartnersConfig.CTX_PARTNERS)));
        b.repoRoot(ctx.apply(CTX_REPO_ROOT).map(Path::of).orElseGet(StageConfig::locateRepoRoot));
        return b.build();
    }

    /**
     * The repository root: {@value #REPO_ROOT_PROPERTY} if set (tests), else the nearest directory at or above the
     * working directory that holds {@code infra-cdk/iot-rules} ({@code cdk synth} runs in {@code infra-cdk/}).
     */
    static Path locateRepoRoot() {
        Path start = Optional.ofNullable(System.getProperty(REPO_ROOT_PROPERTY)).filter(s -> !s.isBlank())
                .map(Path::of).orElse(Path.of(""));
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra-cdk").resolve("iot-rules"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Waybill repository (a directory holding infra-cdk/iot-rules) at or above "
                + start.toAbsolutePath() + ": run from the repository or pass -c " + CTX_REPO_ROOT + "=<path>");
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be a whole number, was '" + value + "'", e);
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be a whole number, was '" + value + "'", e);
        }
    }

    private static java.time.Instant parseInstant(String key, String value) {
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("context " + key + " must be an ISO-8601 UTC instant such as "
                    + "2026-12-02T19:00:00Z, was '" + value + "'", e);
        }
    }

    private static boolean parseBoolean(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("context " + key + " must be true or false, was '" + value + "'");
    }

    public String stage() {
        return stage;
    }

    /** {@code Waybill-<stage>}. */
    public String stackName() {
        return "Waybill-" + stage;
    }

    /** A physical resource name for this stage: {@code waybill-<stage>-<suffix>}. */
    public String resourceName(String suffix) {
        return "waybill-" + stage + "-" + suffix;
    }

    /** Provisioned shard count; empty means on-demand capacity. */
    public Optional<Integer> shardCount() {
        return Optional.ofNullable(shardCount);
    }

    /** Telemetry stream retention in hours. */
    public int retentionHours() {
        return retentionHours;
    }

    /** Provisioned shard count of the canonical event stream; empty means on-demand capacity. */
    public Optional<Integer> canonicalStreamShards() {
        return Optional.ofNullable(canonicalStreamShards);
    }

    public Optional<String> alarmEmail() {
        return Optional.ofNullable(alarmEmail);
    }

    /**
     * The thing group the edge component is deployed to: the context's {@value #CTX_THING_GROUP_NAME}, else the
     * stage's own {@code waybill-<stage>-edge}, which the stack creates ({@link #createsThingGroup()}).
     */
    public String thingGroupName() {
        return existingThingGroupName != null ? existingThingGroupName : resourceName(EDGE_THING_GROUP_SUFFIX);
    }

    /** Whether the stack creates the stage's thing group (the context names no existing one). */
    public boolean createsThingGroup() {
        return existingThingGroupName == null;
    }

    /** Whether this synth holds only the retained tables and keys, for {@code cdk import} (README, "Redeploy"). */
    public boolean importRetainedData() {
        return importRetainedData;
    }

    public int parallelizationFactor() {
        return parallelizationFactor;
    }

    public boolean retainData() {
        return retainData;
    }

    /**
     * The removal policy of the stage's data (tables, archive and dead-letter buckets) and of their keys: retained on
     * stack deletion unless the stage says {@code retainData=false}.
     */
    public RemovalPolicy dataRemovalPolicy() {
        return retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    }

    /**
     * The stage's default product class ({@code WAYBILL_PRODUCT_CLASS} of the cold-chain functions), as the catalog
     * names it: a class of {@link #productClassCatalog()}.
     */
    public String productClass() {
        return productClass;
    }

    /** The product class catalog file of {@value #CTX_PRODUCT_CLASSES}, absolute; empty: the presets only. */
    public Optional<Path> productClassesFile() {
        return Optional.ofNullable(productClassesFile);
    }

    /**
     * The file's catalog as minified JSON, {@code {"productClasses": [...]}} ({@code WAYBILL_PRODUCT_CLASSES} of the
     * cold-chain functions; its array is the edge component's {@code productClasses}); empty without a file.
     */
    public Optional<String> productClassesJson() {
        return Optional.ofNullable(productClassesJson);
    }

    /** The catalog the stage judges by: the presets with the file's classes over them. */
    public ProductClassCatalog productClassCatalog() {
        return productClassCatalog;
    }

    /** Incidents opened within an hour at which the breach-rate alarm fires. */
    public int breachAlarmThreshold() {
        return breachAlarmThreshold;
    }

    /** Age in hours of the oldest open incident above which the exception-age alarm fires. */
    public int exceptionAgeAlarmHours() {
        return exceptionAgeAlarmHours;
    }

    /** Minutes between two runs of the KPI publisher. */
    public int kpiScheduleMinutes() {
        return kpiScheduleMinutes;
    }

    /** The ops API's default-stage burst limit (requests). */
    public int apiThrottleBurst() {
        return apiThrottleBurst;
    }

    /** The ops API's default-stage steady rate limit (requests per second). */
    public int apiThrottleRate() {
        return apiThrottleRate;
    }

    /** Seconds a breach verdict must hold before it is acted on ({@code WAYBILL_CONFIRM_AFTER_SECONDS}); 0 = at once. */
    public int breachConfirmSeconds() {
        return breachConfirmSeconds;
    }

    /** Minutes between two runs of the breach confirmer. */
    public int breachConfirmScheduleMinutes() {
        return breachConfirmScheduleMinutes;
    }

    /** Minutes a stream consumer may fall behind its stream (Lambda's IteratorAge) before the alarm fires. */
    public int iteratorAgeAlarmMinutes() {
        return iteratorAgeAlarmMinutes;
    }

    /** Days after which an object of the raw archive expires. */
    public int rawArchiveExpiryDays() {
        return rawArchiveExpiryDays;
    }

    /**
     * When id scheme 2 was deployed on a stage with events stored under id scheme 1; empty: the stage has none. The
     * ingest function then looks events from before it up under their scheme-1 ids.
     */
    public Optional<java.time.Instant> legacyIdCutover() {
        return Optional.ofNullable(legacyIdCutover);
    }

    /** Ingest's {@code WAYBILL_UNASSIGNED_POLICY}: {@code reject} or {@code flag}. */
    public String unassignedPolicy() {
        return unassignedPolicy;
    }

    /** Ingest's {@code WAYBILL_REPLAY_WINDOW}; empty: the function's own default. */
    public Optional<Long> replayWindow() {
        return Optional.ofNullable(replayWindow);
    }

    /** The stage's provenance anchoring; {@link AnchoringConfig#none()} unless the context has the section. */
    public AnchoringConfig anchoring() {
        return anchoring;
    }

    /** The stage's demand forecasting; {@link ForecastingConfig#off()} unless the context has the section. */
    public ForecastingConfig forecasting() {
        return forecasting;
    }

    /** The stage's partner exchange; {@link PartnersConfig#none()} unless the context has the section. */
    public PartnersConfig partners() {
        return partners;
    }

    public Path repoRoot() {
        return repoRoot;
    }

    public static final class Builder {
        private String stage = DEFAULT_STAGE;
        private Integer shardCount;
        private int retentionHours = DEFAULT_RETENTION_HOURS;
        private Integer canonicalStreamShards;
        private String alarmEmail;
        private String thingGroupName;
        private int parallelizationFactor = DEFAULT_PARALLELIZATION_FACTOR;
        private boolean retainData = DEFAULT_RETAIN_DATA;
        private String productClass = DEFAULT_PRODUCT_CLASS;
        private Path productClassesFile;
        private int breachAlarmThreshold = DEFAULT_BREACH_ALARM_THRESHOLD;
        private int exceptionAgeAlarmHours = DEFAULT_EXCEPTION_AGE_ALARM_HOURS;
        private int kpiScheduleMinutes = DEFAULT_KPI_SCHEDULE_MINUTES;
        private int apiThrottleBurst = DEFAULT_API_THROTTLE_BURST;
        private int apiThrottleRate = DEFAULT_API_THROTTLE_RATE;
        private int breachConfirmSeconds = DEFAULT_BREACH_CONFIRM_SECONDS;
        private int breachConfirmScheduleMinutes = DEFAULT_BREACH_CONFIRM_SCHEDULE_MINUTES;
        private int iteratorAgeAlarmMinutes = DEFAULT_ITERATOR_AGE_ALARM_MINUTES;
        private int rawArchiveExpiryDays = DEFAULT_RAW_ARCHIVE_EXPIRY_DAYS;
        private java.time.Instant legacyIdCutover;
        private String unassignedPolicy = DEFAULT_UNASSIGNED_POLICY;
        private Long replayWindow;
        private boolean importRetainedData;
        private AnchoringConfig anchoring = AnchoringConfig.none();
        private ForecastingConfig forecasting = ForecastingConfig.off();
        private PartnersConfig partners = PartnersConfig.none();
        private Path repoRoot;

        private Builder() {
        }

        public Builder stage(String stage) {
            this.stage = stage;
            return this;
        }

        public Builder shardCount(Integer shards) {
            this.shardCount = shards;
            return this;
        }

        public Builder retentionHours(int hours) {
            this.retentionHours = hours;
            return this;
        }

        public Builder canonicalStreamShards(Integer shards) {
            this.canonicalStreamShards = shards;
            return this;
        }

        public Builder alarmEmail(String address) {
            this.alarmEmail = address;
            return this;
        }

        public Builder thingGroupName(String name) {
            this.thingGroupName = name;
            return this;
        }

        public Builder parallelizationFactor(int factor) {
            this.parallelizationFactor = factor;
            return this;
        }

        public Builder retainData(boolean retain) {
            this.retainData = retain;
            return this;
        }

        public Builder productClass(String name) {
            this.productClass = name;
            return this;
        }

        /** A product class catalog file: absolute, or relative to {@code <repoRoot>/infra-cdk}; null = none. */
        public Builder productClassesFile(Path file) {
            this.productClassesFile = file;
            return this;
        }

        public Builder breachAlarmThreshold(int incidentsPerHour) {
            this.breachAlarmThreshold = incidentsPerHour;
            return this;
        }

        public Builder exceptionAgeAlarmHours(int hours) {
            this.exceptionAgeAlarmHours = hours;
            return this;
        }

        public Builder kpiScheduleMinutes(int minutes) {
            this.kpiScheduleMinutes = minutes;
            return this;
        }

        public Builder apiThrottleBurst(int requests) {
            this.apiThrottleBurst = requests;
            return this;
        }

        public Builder apiThrottleRate(int requestsPerSecond) {
            this.apiThrottleRate = requestsPerSecond;
            return this;
        }

        public Builder breachConfirmSeconds(int seconds) {
            this.breachConfirmSeconds = seconds;
            return this;
        }

        public Builder breachConfirmScheduleMinutes(int minutes) {
            this.breachConfirmScheduleMinutes = minutes;
            return this;
        }

        public Builder iteratorAgeAlarmMinutes(int minutes) {
            this.iteratorAgeAlarmMinutes = minutes;
            return this;
        }

        public Builder rawArchiveExpiryDays(int days) {
            this.rawArchiveExpiryDays = days;
            return this;
        }

        public Builder legacyIdCutover(java.time.Instant cutover) {
            this.legacyIdCutover = cutover;
            return this;
        }

        public Builder unassignedPolicy(String policy) {
            this.unassignedPolicy = policy;
            return this;
        }

        public Builder replayWindow(Long window) {
            this.replayWindow = window;
            return this;
        }

        public Builder importRetainedData(boolean importOnly) {
            this.importRetainedData = importOnly;
            return this;
        }

        public Builder anchoring(AnchoringConfig anchoring) {
            this.anchoring = anchoring;
            return this;
        }

        public Builder partners(PartnersConfig partners) {
            this.partners = partners;
            return this;
        }

        public Builder forecasting(ForecastingConfig forecasting) {
            this.forecasting = forecasting;
            return this;
        }

        public Builder repoRoot(Path root) {
            this.repoRoot = root;
            return this;
        }

        public StageConfig build() {
            return new StageConfig(this);
        }
    }
}

package io.waybill.ingest;

import io.waybill.aws.deadletter.SqsDeadLetterSink;
import io.waybill.domain.device.ProducerVerification;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.time.ClockSkewPolicy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the ingest function is configured with. Immutable; environment variables are read here and only here.
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><td>{@value #ENV_EVENTS_TABLE}</td><td>event store table (required)</td></tr>
 * <tr><td>{@value #ENV_SHIPMENTS_TABLE}</td><td>shipment projection table (required)</td></tr>
 * <tr><td>{@value #ENV_DEAD_LETTER_QUEUE_URL}</td><td>SQS queue for rejected records (required)</td></tr>
 * <tr><td>{@value #ENV_CANONICAL_STREAM_NAME}</td><td>Kinesis stream the stored canonical events are published to
 * (required in Lambda)</td></tr>
 * <tr><td>{@value #ENV_DEAD_LETTER_BUCKET}</td><td>S3 bucket of the payloads of dead letters over the inline limit
 * (the claim check; required in Lambda)</td></tr>
 * <tr><td>{@value #ENV_DEAD_LETTER_INLINE_LIMIT_BYTES}</td><td>largest dead-letter message sent whole, default
 * {@link SqsDeadLetterSink#DEFAULT_INLINE_LIMIT_BYTES} (SQS's classic 256 KiB; at most the queue's
 * {@code MaximumMessageSize})</td></tr>
 * <tr><td>{@value #ENV_MAX_RECORD_BYTES}</td><td>largest record accepted, default {@link NormalizerConfig#DEFAULT_MAX_RECORD_BYTES}</td></tr>
 * <tr><td>{@value #ENV_MAX_FUTURE_SKEW_SECONDS}</td><td>device clock ahead bound, default {@link ClockSkewPolicy#DEFAULT_MAX_FUTURE_SKEW}</td></tr>
 * <tr><td>{@value #ENV_MAX_PAST_AGE_HOURS}</td><td>device time age bound, default {@link ClockSkewPolicy#DEFAULT_MAX_PAST_AGE}</td></tr>
 * <tr><td>{@value #ENV_CONTRACT_CHECK_EVERY}</td><td>JSON Schema check of every Nth event, default
 * {@link NormalizerConfig#DEFAULT_CONTRACT_CHECK_EVERY} (every event); 0 turns it off</td></tr>
 * <tr><td>{@value #ENV_WRITE_CONCURRENCY}</td><td>writes of a batch in flight at once, default {@link #DEFAULT_WRITE_CONCURRENCY}</td></tr>
 * <tr><td>{@value #ENV_LEGACY_ID_CUTOVER}</td><td>when id scheme 2 was deployed on a stage whose event store holds
 * events stored under id scheme 1 (ISO-8601 UTC instant, e.g. {@code 2026-12-02T19:00:00Z}); default absent: no
 * legacy data, nothing is read ({@link #legacyIdCutover()})</td></tr>
 * <tr><td>{@value #ENV_DEVICE_REGISTRY_TABLE}</td><td>device registry table (required in Lambda): every device
 * adapter's record is checked against it ({@link io.waybill.domain.device.ProducerVerification}); absent outside
 * Lambda: no checks</td></tr>
 * <tr><td>{@value #ENV_CONSUMER_WATERMARKS_TABLE}</td><td>consumer watermarks table: after each batch ingest
 * records the stream arrival of the newest record it processed (one conditional write, newer wins), which the ops API's
 * {@code /health} turns into a lag, and per source (adapter) the newest event it stored (one conditional write per
 * source, newer event time wins: {@code /health}'s last event per source); default none (nothing recorded)</td></tr>
 * <tr><td>{@value #ENV_UNASSIGNED_POLICY}</td><td>{@code reject} (default: dead letter {@code UNASSIGNED}) or
 * {@code flag} (stored with the envelope flag {@code unassigned: true}): an event about a shipment the device was not
 * assigned to at that time</td></tr>
 * <tr><td>{@value #ENV_REPLAY_WINDOW}</td><td>signing sequences behind a key's highest accepted one still accepted,
 * default {@link ProducerVerification#DEFAULT_REPLAY_WINDOW}</td></tr>
 * <tr><td>{@value #ENV_DEVICE_CACHE_SECONDS}</td><td>how long a registry answer is reused, default
 * {@link #DEFAULT_DEVICE_CACHE}: a revocation or a new assignment reaches a warm ingest within this (a negative answer
 * is re-read fresh once before a record is dead-lettered for it)</td></tr>
 * <tr><td>{@value #ENV_DEAD_LETTER_TABLE}</td><td>the dead-letter desk (DynamoDB): every dead letter is recorded
 *     there before it is sent to the queue, so the ops API can list, read and replay it; default none (queue only)</td></tr>
 * <tr><td>{@value #ENV_EDGE_SETTLEMENT_QUEUE_URL}</td><td>SQS queue of settlement notices: an edge message that is
 * dead-lettered is announced there once its letter is kept, so the edge acknowledgement function confirms it to the
 * device ({@link io.waybill.domain.ingestion.SettlingDeadLetterSink}); absent: no notices (a device then sends a
 * dead-lettered message again every confirm timeout)</td></tr>
 * <tr><td>{@code AWS_REGION}</td><td>set by Lambda</td></tr>
 * <tr><td>{@code AWS_ENDPOINT_URL}</td><td>optional endpoint override (LocalStack); the SDK also honours per-service variables</td></tr>
 * </table>
 */
public final class IngestConfig {
    public static final String ENV_EVENTS_TABLE = "WAYBILL_EVENTS_TABLE";
    public static final String ENV_CONSUMER_WATERMARKS_TABLE = "WAYBILL_CONSUMER_WATERMARKS_TABLE";
    public static final String ENV_SHIPMENTS_TABLE = "WAYBILL_SHIPMENTS_TABLE";
    public static final String ENV_DEAD_LETTER_QUEUE_URL = "WAYBILL_DEAD_LETTER_QUEUE_URL";
    public static final String ENV_MAX_RECORD_BYTES = "WAYBILL_MAX_RECORD_BYTES";
    public static final String ENV_MAX_FUTURE_SKEW_SECONDS = "WAYBILL_MAX_FUTURE_SKEW_SECONDS";
    public static final String ENV_MAX_PAST_AGE_HOURS = "WAYBILL_MAX_PAST_AGE_HOURS";
    public static final String ENV_CONTRACT_CHECK_EVERY = "WAYBILL_CONTRACT_CHECK_EVERY";
    public static final String ENV_WRITE_CONCURRENCY = "WAYBILL_WRITE_CONCURRENCY";
    public static final String ENV_CANONICAL_STREAM_NAME = "WAYBILL_CANONICAL_STREAM_NAME";
    public static final String ENV_LEGACY_ID_CUTOVER = "WAYBILL_LEGACY_ID_CUTOVER";
    public static final String ENV_DEAD_LETTER_BUCKET = "WAYBILL_DEAD_LETTER_BUCKET";
    public static final String ENV_DEAD_LETTER_INLINE_LIMIT_BYTES = "WAYBILL_DEAD_LETTER_INLINE_LIMIT_BYTES";
    public static final String ENV_DEVICE_REGISTRY_TABLE = "WAYBILL_DEVICE_REGISTRY_TABLE";
    public static final String ENV_UNASSIGNED_POLICY = "WAYBILL_UNASSIGNED_POLICY";
    public static final String ENV_REPLAY_WINDOW = "WAYBILL_REPLAY_WINDOW";
    public static final String ENV_DEVICE_CACHE_SECONDS = "WAYBILL_DEVICE_CACHE_SECONDS";
    public static final String ENV_EDGE_SETTLEMENT_QUEUE_URL = "WAYBILL_EDGE_SETTLEMENT_QUEUE_URL";
    public static final String ENV_DEAD_LETTER_TABLE = "WAYBILL_DEAD_LETTER_TABLE";

    /**
     * How long a device registry answer is reused: 60 s. Ingest reads the registry once per batch; with the cache a
     * warm execution environment reads each device about once a minute, and a revocation or new assignment takes
     * effect within that (a negative answer is re-read at once, so a new registration or assignment never waits).
     */
    public static final Duration DEFAULT_DEVICE_CACHE = Duration.ofSeconds(60);

    /**
     * Appends and dead letters of one batch in flight at once. Default 4: a batch's conditional puts overlap
     * instead of waiting on each other's round trip, and 4 stays within the JDK's keep-alive cache of 5 connections
     * per host that the URLConnection HTTP client relies on. 1 writes one record after another.
     */
    public static final int DEFAULT_WRITE_CONCURRENCY = 4;

    private final String eventsTable;
    private final String shipmentsTable;
    private final String deadLetterQueueUrl;
    private final NormalizerConfig normalizer;
    private final String region;
    private final URI endpointOverride;
    private final int writeConcurrency;
    private final String canonicalStreamName;
    private final Instant legacyIdCutover;
    private final String deadLetterBucket;
    private final int deadLetterInlineLimitBytes;
    private final String deviceRegistryTable;
    private final ProducerVerification.UnassignedPolicy unassignedPolicy;
    private final long replayWindow;
    private final Duration deviceCache;
    private final String edgeSettlementQueueUrl;
    private final String deadLetterTable;
    private final String consumerWatermarksTable;

    private IngestConfig(Builder b) {
        this.eventsTable = require(b.eventsTable, ENV_EVENTS_TABLE);
        this.shipmentsTable = require(b.shipmentsTable, ENV_SHIPMENTS_TABLE);
        this.deadLetterQueueUrl = require(b.deadLetterQueueUrl, ENV_DEAD_LETTER_QUEUE_URL);
        this.normalizer = Objects.requireNonNull(b.normalizer, "normalizer");
        this.region = b.region;
        this.endpointOverride = b.endpointOverride;
        if (b.writeConcurrency < 1) {
            throw new IllegalStateException(ENV_WRITE_CONCURRENCY + " must be at least 1");
        }
        this.writeConcurrency = b.writeConcurrency;
        this.canonicalStreamName = b.canonicalStreamName;
        this.legacyIdCutover = b.legacyIdCutover;
        this.deadLetterBucket = b.deadLetterBucket;
        if (b.deadLetterInlineLimitBytes < 1024) {
            throw new IllegalStateException(ENV_DEAD_LETTER_INLINE_LIMIT_BYTES + " must be at least 1024");
        }
        this.deadLetterInlineLimitBytes = b.deadLetterInlineLimitBytes;
        this.deviceRegistryTable = b.deviceRegistryTable;
        this.consumerWatermarksTable = b.consumerWatermarksTable == null || b.consumerWatermarksTable.isBlank() ? null
                : b.consumerWatermarksTable;
        this.unassignedPolicy = Objects.requireNonNull(b.unassignedPolicy, "unassignedPolicy");
        if (b.replayWindow < 1) {
            throw new IllegalStateException(ENV_REPLAY_WINDOW + " must be at least 1");
        }
        this.replayWindow = b.replayWindow;
        if (b.deviceCache.isNegative()) {
            throw new IllegalStateException(ENV_DEVICE_CACHE_SECONDS + " must be at least 0");
        }
        this.deviceCache = b.deviceCache;
        this.deadLetterTable = b.deadLetterTable == null || b.deadLetterTable.isBlank() ? null : b.deadLetterTable;
        this.edgeSettlementQueueUrl = b.edgeSettlementQueueUrl == null || b.edgeSettlementQueueUrl.isBlank()
                ? null : b.edgeSettlementQueueUrl;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static IngestConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static IngestConfig fromEnvironment(Map<String, String> env) {
        ClockSkewPolicy.Builder skew = ClockSkewPolicy.builder();
        Optional.ofNullable(env.get(ENV_MAX_FUTURE_SKEW_SECONDS))
                .ifPresent(s -> skew.maxFutureSkew(Duration.ofSeconds(Long.parseLong(s))));
        Optional.ofNullable(env.get(ENV_MAX_PAST_AGE_HOURS))
                .ifPresent(h -> skew.maxPastAge(Duration.ofHours(Long.parseLong(h))));
        NormalizerConfig.Builder normalizer = NormalizerConfig.builder().clockSkewPolicy(skew.build());
        Optional.ofNullable(env.get(ENV_MAX_RECORD_BYTES)).ifPresent(s -> normalizer.maxRecordBytes(Integer.parseInt(s)));
        Optional.ofNullable(env.get(ENV_CONTRACT_CHECK_EVERY)).ifPresent(s -> normalizer.contractCheckEvery(Integer.parseInt(s)));
        IngestConfig config = builder()
                .eventsTable(env.get(ENV_EVENTS_TABLE))
                .shipmentsTable(env.get(ENV_SHIPMENTS_TABLE))
                .deadLetterQueueUrl(env.get(ENV_DEAD_LETTER_QUEUE_URL))
                .canonicalStreamName(env.get(ENV_CANONICAL_STREAM_NAME))
                .deadLetterBucket(env.get(ENV_DEAD_LETTER_BUCKET))
                .deadLetterInlineLimitBytes(Optional.ofNullable(env.get(ENV_DEAD_LETTER_INLINE_LIMIT_BYTES))
                        .map(Integer::parseInt).orElse(SqsDeadLetterSink.DEFAULT_INLINE_LIMIT_BYTES))
                .normalizer(normalizer.build())
                .region(env.get("AWS_REGION"))
                .endpointOverride(Optional.ofNullable(env.get("AWS_ENDPOINT_URL")).map(URI::create).orElse(null))
                .writeConcurrency(Optional.ofNullable(env.get(ENV_WRITE_CONCURRENCY)).map(Integer::parseInt)
                        .orElse(DEFAULT_WRITE_CONCURRENCY))
                .legacyIdCutover(Optional.ofNullable(env.get(ENV_LEGACY_ID_CUTOVER)).filter(s -> !s.isBlank())
                        .map(IngestConfig::instant).orElse(null))
                .deviceRegistryTable(env.get(ENV_DEVICE_REGISTRY_TABLE))
                .consumerWatermarksTable(env.get(ENV_CONSUMER_WATERMARKS_TABLE))
                .unassignedPolicy(Optional.ofNullable(env.get(ENV_UNASSIGNED_POLICY)).filter(s -> !s.isBlank())
                        .map(IngestConfig::policy).orElse(ProducerVerification.UnassignedPolicy.REJECT))
                .replayWindow(Optional.ofNullable(env.get(ENV_REPLAY_WINDOW)).filter(s -> !s.isBlank())
                        .map(s -> number(ENV_REPLAY_WINDOW, s)).orElse(ProducerVerification.DEFAULT_REPLAY_WINDOW))
                .deviceCache(Optional.ofNullable(env.get(ENV_DEVICE_CACHE_SECONDS)).filter(s -> !s.isBlank())
                        .map(s -> Duration.ofSeconds(number(ENV_DEVICE_CACHE_SECONDS, s))).orElse(DEFAULT_DEVICE_CACHE))
                .edgeSettlementQueueUrl(env.get(ENV_EDGE_SETTLEMENT_QUEUE_URL))
                .deadLetterTable(env.get(ENV_DEAD_LETTER_TABLE))
                .build();
        // In Lambda every stored event must reach the canonical stream: without it, downstream consumers starve.
        require(config.canonicalStreamName().orElse(null), ENV_CANONICAL_STREAM_NAME);
        // ... and a dead letter over the inline limit must have somewhere to go, or its batch waits.
        require(config.deadLetterBucket().orElse(null), ENV_DEAD_LETTER_BUCKET);
        // ... and every device's record must be checked against the registry: identity is not optional in Lambda.
        require(config.deviceRegistryTable().orElse(null), ENV_DEVICE_REGISTRY_TABLE);
        return config;
    }

    public String eventsTable() {
        return eventsTable;
    }

    public String shipmentsTable() {
        return shipmentsTable;
    }

    public String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }

    public NormalizerConfig normalizer() {
        return normalizer;
    }

    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    public Optional<URI> endpointOverride() {
        return Optional.ofNullable(endpointOverride);
    }

    public int writeConcurrency() {
        return writeConcurrency;
    }

    /** The queue of settlement notices of dead-lettered edge messages; empty: none are sent. */
    /** The dead-letter desk table, when dead letters are recorded there too. */
    public Optional<String> deadLetterTable() {
        return Optional.ofNullable(deadLetterTable);
    }

    public Optional<String> edgeSettlementQueueUrl() {
        return Optional.ofNullable(edgeSettlementQueueUrl);
    }

    /** The canonical event stream; empty only outside Lambda (a pipeline without downstream consumers). */
    public Optional<String> canonicalStreamName() {
        return Optional.ofNullable(canonicalStreamName);
    }

    /** The claim-check bucket; empty only outside Lambda (oversized dead letters then hold their batch). */
    public Optional<String> deadLetterBucket() {
        return Optional.ofNullable(deadLetterBucket);
    }

    /** The largest dead-letter message sent whole to SQS. */
    public int deadLetterInlineLimitBytes() {
        return deadLetterInlineLimitBytes;
    }

    /**
     * When id scheme 2 was deployed on a stage with events stored under id scheme 1: an event whose device time is
     * before it is also looked up under its scheme-1 id (one consistent read) so a resend of a legacy fact is not
     * stored twice ({@link io.waybill.domain.ingestion.LegacyIdWindow}). Empty (the default): no legacy data, no read.
     * Remove it once the cutover is further back than the longest resend you accept (README, "Upgrading a stage
     * stored under id scheme 1").
     */
    public Optional<Instant> legacyIdCutover() {
        return Optional.ofNullable(legacyIdCutover);
    }

    /**
     * The device registry table; empty only outside Lambda (a local pipeline that does not enforce device identity:
     * records are then not checked, {@link ProducerVerification#NONE}).
     */
    public Optional<String> deviceRegistryTable() {
        return Optional.ofNullable(deviceRegistryTable);
    }

    /** The consumer watermarks table ingest advances its mark in; empty: none recorded. */
    public Optional<String> consumerWatermarksTable() {
        return Optional.ofNullable(consumerWatermarksTable);
    }

    /** Reject (the default) or flag events about shipments the device was not assigned to. */
    public ProducerVerification.UnassignedPolicy unassignedPolicy() {
        return unassignedPolicy;
    }

    /** Signing sequences behind a key's highest accepted one that are still accepted (store-and-forward reordering). */
    public long replayWindow() {
        return replayWindow;
    }

    /** How long a device registry answer is reused. */
    public Duration deviceCache() {
        return deviceCache;
    }

    private static ProducerVerification.UnassignedPolicy policy(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "reject" -> ProducerVerification.UnassignedPolicy.REJECT;
            case "flag" -> ProducerVerification.UnassignedPolicy.FLAG;
            default -> throw new IllegalStateException(ENV_UNASSIGNED_POLICY + " must be reject or flag, was '" + value + "'");
        };
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number, was '" + value + "'", e);
        }
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(ENV_LEGACY_ID_CUTOVER + " must be an ISO-8601 UTC instant such as "
                    + "2026-12-02T19:00:00Z, was '" + value + "'", e);
        }
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: the ingest function cannot start without it");
        }
        return value;
    }

    public static final class Builder {
        private String eventsTable;
        private String shipmentsTable;
        private String deadLetterQueueUrl;
        private NormalizerConfig normalizer = NormalizerConfig.defaults();
        private String region;
        private URI endpointOverride;
        private int writeConcurrency = DEFAULT_WRITE_CONCURRENCY;
        private String canonicalStreamName;
        private Instant legacyIdCutover;
        private String deadLetterBucket;
        private int deadLetterInlineLimitBytes = SqsDeadLetterSink.DEFAULT_INLINE_LIMIT_BYTES;
        private String deviceRegistryTable;
        private ProducerVerification.UnassignedPolicy unassignedPolicy = ProducerVerification.UnassignedPolicy.REJECT;
        private long replayWindow = ProducerVerification.DEFAULT_REPLAY_WINDOW;
        private Duration deviceCache = DEFAULT_DEVICE_CACHE;
        private String edgeSettlementQueueUrl;
        private String deadLetterTable;
        private String consumerWatermarksTable;

        private Builder() {
        }

        /** See {@link IngestConfig#deadLetterTable()}; null: dead letters go to the queue only. */
        public Builder deadLetterTable(String table) {
            this.deadLetterTable = table;
            return this;
        }

        /** See {@link IngestConfig#consumerWatermarksTable()}; null: no watermark recorded. */
        public Builder consumerWatermarksTable(String table) {
            this.consumerWatermarksTable = table;
            return this;
        }

        /** See {@link IngestConfig#edgeSettlementQueueUrl()}; null: no settlement notices. */
        public Builder edgeSettlementQueueUrl(String url) {
            this.edgeSettlementQueueUrl = url;
            return this;
        }

        /** See {@link IngestConfig#deviceRegistryTable()}; null: records are not checked. */
        public Builder deviceRegistryTable(String table) {
            this.deviceRegistryTable = table;
            return this;
        }

        public Builder unassignedPolicy(ProducerVerification.UnassignedPolicy policy) {
            this.unassignedPolicy = policy;
            return this;
        }

        public Builder replayWindow(long window) {
            this.replayWindow = window;
            return this;
        }

        public Builder deviceCache(Duration ttl) {
            this.deviceCache = ttl;
            return this;
        }

        public Builder deadLetterBucket(String bucket) {
            this.deadLetterBucket = bucket;
            return this;
        }

        public Builder deadLetterInlineLimitBytes(int bytes) {
            this.deadLetterInlineLimitBytes = bytes;
            return this;
        }

        /** See {@link IngestConfig#legacyIdCutover()}; null: no legacy data. */
        public Builder legacyIdCutover(Instant cutover) {
            this.legacyIdCutover = cutover;
            return this;
        }

        public Builder canonicalStreamName(String name) {
            this.canonicalStreamName = name;
            return this;
        }

        public Builder eventsTable(String name) {
            this.eventsTable = name;
            return this;
        }

        public Builder shipmentsTable(String name) {
            this.shipmentsTable = name;
            return this;
        }

        public Builder deadLetterQueueUrl(String url) {
            this.deadLetterQueueUrl = url;
            return this;
        }

        public Builder normalizer(NormalizerConfig config) {
            this.normalizer = config;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder endpointOverride(URI endpoint) {
            this.endpointOverride = endpoint;
            return this;
        }

        public Builder writeConcurrency(int writers) {
            this.writeConcurrency = writers;
            return this;
        }

        public IngestConfig build() {
            return new IngestConfig(this);
        }
    }
}

package io.waybill.worker;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Immutable configuration of a {@link StreamWorker}. {@link #fromEnvironment(Map)} is the one place that reads the
 * environment; everything else takes this object. The handler ({@code IngestHandler}) reads its own variables
 * ({@code WAYBILL_EVENTS_TABLE}, {@code WAYBILL_SHIPMENTS_TABLE}, {@code WAYBILL_DEAD_LETTER_QUEUE_URL}, ...).
 *
 * <p>Two timing profiles ({@value #ENV_TIMING_PROFILE}): {@code production} (default, KCL's own defaults: 10 s
 * lease failover, 2 min leader lock) and {@code local} (3 s failover, 1 s lease assignment, 6 s leader lock,
 * 2 s worker heartbeat report: a killed worker's shards are taken over within seconds on the emulators). Any
 * timing variable set explicitly overrides the profile.
 */
public final class StreamWorkerConfig {

    public static final String ENV_STREAM_NAME = "WAYBILL_STREAM_NAME";
    public static final String ENV_APPLICATION_NAME = "WAYBILL_APPLICATION_NAME";
    public static final String ENV_WORKER_ID = "WAYBILL_WORKER_ID";
    public static final String ENV_REGION = "AWS_REGION";
    public static final String ENV_KINESIS_ENDPOINT = "WAYBILL_KINESIS_ENDPOINT";
    public static final String ENV_DYNAMODB_ENDPOINT = "WAYBILL_DYNAMODB_ENDPOINT";
    public static final String ENV_SQS_ENDPOINT = "WAYBILL_SQS_ENDPOINT";
    public static final String ENV_ON_FAILURE_QUEUE_URL = "WAYBILL_ON_FAILURE_QUEUE_URL";
    public static final String ENV_BATCH_SIZE = "WAYBILL_BATCH_SIZE";
    public static final String ENV_MAX_ATTEMPTS = "WAYBILL_MAX_ATTEMPTS";
    public static final String ENV_RETRY_BACKOFF_MILLIS = "WAYBILL_RETRY_BACKOFF_MILLIS";
    public static final String ENV_POLL_INTERVAL_MILLIS = "WAYBILL_POLL_INTERVAL_MILLIS";
    public static final String ENV_STARTING_POSITION = "WAYBILL_STARTING_POSITION";
    public static final String ENV_TIMING_PROFILE = "WAYBILL_TIMING_PROFILE";
    public static final String ENV_LEASE_FAILOVER_MILLIS = "WAYBILL_LEASE_FAILOVER_MILLIS";
    public static final String ENV_LEASE_ASSIGNMENT_INTERVAL_MILLIS = "WAYBILL_LEASE_ASSIGNMENT_INTERVAL_MILLIS";
    public static final String ENV_LEADER_LEASE_MILLIS = "WAYBILL_LEADER_LEASE_MILLIS";
    public static final String ENV_LEADER_HEARTBEAT_MILLIS = "WAYBILL_LEADER_HEARTBEAT_MILLIS";
    public static final String ENV_WORKER_METRICS_REPORT_MILLIS = "WAYBILL_WORKER_METRICS_REPORT_MILLIS";
    public static final String ENV_CREATE_LEASE_TABLE = "WAYBILL_CREATE_LEASE_TABLE";
    public static final String ENV_LEASE_ASSIGNMENT_STRATEGY = "WAYBILL_LEASE_ASSIGNMENT_STRATEGY";

    /** GetRecords {@code Limit} per poll = the most records one handler invocation gets (Lambda's default is 100). */
    public static final int DEFAULT_BATCH_SIZE = 100;
    /**
     * Invocations of the same first record before its batch (the unfinished suffix) is given up: its metadata goes
     * to the on-failure queue and the shard is checkpointed past it, so a poison batch cannot stall a shard.
     */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** First wait before re-driving a failed suffix; doubles per attempt up to {@link #DEFAULT_RETRY_BACKOFF_MAX}. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
    /** Longest wait between two attempts of a batch. */
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(10);
    /** KCL's {@code idleTimeBetweenReadsInMillis}: pause between two GetRecords of a shard (KCL's minimum 200 ms). */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    /**
     * KCL 3's lease assignment: {@code LEASE_COUNT_BASED} spreads the shards evenly by count over the live workers
     * (the worker's CPU metrics are disabled: they are not available everywhere, e.g. locally); KCL's own default,
     * {@code WORKER_UTILIZATION_AWARE}, balances by CPU utilization and throughput and, without CPU metrics, leaves
     * an idle stream's shards all on the first worker.
     */
    public static final String DEFAULT_LEASE_ASSIGNMENT_STRATEGY = "LEASE_COUNT_BASED";
    /** Where a shard without a checkpoint starts. */
    public static final StartingPosition DEFAULT_STARTING_POSITION = StartingPosition.TRIM_HORIZON;
    /** Production: a lease not renewed for 10 s (KCL's default) is taken over by another worker. */
    public static final Duration DEFAULT_LEASE_FAILOVER = Duration.ofSeconds(10);
    /** Production: KCL's default lease assignment interval, 2 x the failover time. */
    public static final Duration DEFAULT_LEASE_ASSIGNMENT_INTERVAL = Duration.ofSeconds(20);
    /** Production: KCL's default leader lock lease (the leader assigns leases; a dead leader is replaced after it). */
    public static final Duration DEFAULT_LEADER_LEASE = Duration.ofMinutes(2);
    /** Production: KCL's default leader lock heartbeat. */
    public static final Duration DEFAULT_LEADER_HEARTBEAT = Duration.ofSeconds(30);
    /** Production: KCL's default worker metrics report period (a worker silent for 2 of them counts as dead). */
    public static final Duration DEFAULT_WORKER_METRICS_REPORT = Duration.ofSeconds(30);
    /** Local profile: failover after 3 s. */
    public static final Duration LOCAL_LEASE_FAILOVER = Duration.ofSeconds(3);
    /** Local profile: lease assignment every second. */
    public static final Duration LOCAL_LEASE_ASSIGNMENT_INTERVAL = Duration.ofSeconds(1);
    /** Local profile: leader lock lease 6 s. */
    public static final Duration LOCAL_LEADER_LEASE = Duration.ofSeconds(6);
    /** Local profile: leader lock heartbeat 2 s. */
    public static final Duration LOCAL_LEADER_HEARTBEAT = Duration.ofSeconds(2);
    /** Local profile: worker metrics report every 2 s (KCL captures them every second). */
    public static final Duration LOCAL_WORKER_METRICS_REPORT = Duration.ofSeconds(2);

    /** Where a shard without a checkpoint starts. */
    public enum StartingPosition { TRIM_HORIZON, LATEST }

    /** Timing profiles, see the class documentation. */
    public enum TimingProfile { PRODUCTION, LOCAL }

    private final String streamName;
    private final String applicationName;
    private final String workerId;
    private final String region;
    private final URI kinesisEndpoint;
    private final URI dynamoDbEndpoint;
    private final URI sqsEndpoint;
    private final String onFailureQueueUrl;
    private final int batchSize;
    private final int maxAttempts;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final Duration pollInterval;
    private final StartingPosition startingPosition;
    private final Duration leaseFailover;
    private final Duration leaseAssignmentInterval;
    private final Duration leaderLease;
    private final Duration leaderHeartbeat;
    private final Duration workerMetricsReport;
    private final boolean createLeaseTable;
    private final String leaseAssignmentStrategy;

    private StreamWorkerConfig(Builder b) {
        this.streamName = require(b.streamName, ENV_STREAM_NAME);
        this.applicationName = require(b.applicationName, ENV_APPLICATION_NAME);
        this.workerId = b.workerId == null || b.workerId.isBlank() ? defaultWorkerId() : b.workerId;
        this.region = require(b.region, ENV_REGION);
        this.kinesisEndpoint = b.kinesisEndpoint;
        this.dynamoDbEndpoint = b.dynamoDbEndpoint;
        this.sqsEndpoint = b.sqsEndpoint;
        this.onFailureQueueUrl = b.onFailureQueueUrl == null || b.onFailureQueueUrl.isBlank() ? null
                : b.onFailureQueueUrl;
        this.batchSize = b.batchSize;
        this.maxAttempts = b.maxAttempts;
        this.retryBackoff = Objects.requireNonNull(b.retryBackoff, "retryBackoff");
        this.retryBackoffMax = Objects.requireNonNull(b.retryBackoffMax, "retryBackoffMax");
        this.pollInterval = Objects.requireNonNull(b.pollInterval, "pollInterval");
        this.startingPosition = Objects.requireNonNull(b.startingPosition, "startingPosition");
        this.leaseFailover = Objects.requireNonNull(b.leaseFailover, "leaseFailover");
        this.leaseAssignmentInterval = Objects.requireNonNull(b.leaseAssignmentInterval, "leaseAssignmentInterval");
        this.leaderLease = Objects.requireNonNull(b.leaderLease, "leaderLease");
        this.leaderHeartbeat = Objects.requireNonNull(b.leaderHeartbeat, "leaderHeartbeat");
        this.workerMetricsReport = Objects.requireNonNull(b.workerMetricsReport, "workerMetricsReport");
        this.createLeaseTable = b.createLeaseTable;
        this.leaseAssignmentStrategy = Objects.requireNonNull(b.leaseAssignmentStrategy, "leaseAssignmentStrategy")
                .toUpperCase();
        if (!leaseAssignmentStrategy.equals("LEASE_COUNT_BASED")
                && !leaseAssignmentStrategy.equals("WORKER_UTILIZATION_AWARE")) {
            throw new IllegalArgumentException("leaseAssignmentStrategy must be LEASE_COUNT_BASED or "
                    + "WORKER_UTILIZATION_AWARE: " + leaseAssignmentStrategy);
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be 1..10000: " + batchSize);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (leaseFailover.toMillis() < 1_000) {
            throw new IllegalArgumentException("leaseFailover must be at least 1 s: " + leaseFailover);
        }
        if (leaderHeartbeat.multipliedBy(2).compareTo(leaderLease) > 0) {
            throw new IllegalArgumentException("leaderHeartbeat must be at most half of leaderLease");
        }
        if (workerMetricsReport.toMillis() <= 1_000) {
            throw new IllegalArgumentException("workerMetricsReport must be longer than KCL's 1 s capture period");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return the configuration from the process environment */
    public static StreamWorkerConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The only place the worker's environment variables are read.
     *
     * @param env environment variables
     * @return the configuration
     * @throws IllegalStateException if a required variable is missing
     * @throws IllegalArgumentException if a value is invalid
     */
    public static StreamWorkerConfig fromEnvironment(Map<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.get(k)).map(String::trim)
                .filter(v -> !v.isEmpty());
        TimingProfile profile = get.apply(ENV_TIMING_PROFILE).map(v -> TimingProfile.valueOf(v.toUpperCase()))
                .orElse(TimingProfile.PRODUCTION);
        Builder b = builder().timingProfile(profile)
                .streamName(env.get(ENV_STREAM_NAME))
                .applicationName(env.get(ENV_APPLICATION_NAME))
                .workerId(env.get(ENV_WORKER_ID))
                .region(env.get(ENV_REGION))
                .onFailureQueueUrl(env.get(ENV_ON_FAILURE_QUEUE_URL));
        get.apply(ENV_KINESIS_ENDPOINT).map(URI::create).ifPresent(b::kinesisEndpoint);
        get.apply(ENV_DYNAMODB_ENDPOINT).map(URI::create).ifPresent(b::dynamoDbEndpoint);
        get.apply(ENV_SQS_ENDPOINT).map(URI::create).ifPresent(b::sqsEndpoint);
        get.apply(ENV_BATCH_SIZE).map(Integer::parseInt).ifPresent(b::batchSize);
        get.apply(ENV_MAX_ATTEMPTS).map(Integer::parseInt).ifPresent(b::maxAttempts);
        get.apply(ENV_RETRY_BACKOFF_MILLIS).map(StreamWorkerConfig::millis).ifPresent(b::retryBackoff);
        get.apply(ENV_POLL_INTERVAL_MILLIS).map(StreamWorkerConfig::millis).ifPresent(b::pollInterval);
        get.apply(ENV_STARTING_POSITION).map(v -> StartingPosition.valueOf(v.toUpperCase()))
                .ifPresent(b::startingPosition);
        get.apply(ENV_LEASE_FAILOVER_MILLIS).map(StreamWorkerConfig::millis).ifPresent(b::leaseFailover);
        get.apply(ENV_LEASE_ASSIGNMENT_INTERVAL_MILLIS).map(StreamWorkerConfig::millis)
                .ifPresent(b::leaseAssignmentInterval);
        get.apply(ENV_LEADER_LEASE_MILLIS).map(StreamWorkerConfig::millis).ifPresent(b::leaderLease);
        get.apply(ENV_LEADER_HEARTBEAT_MILLIS).map(StreamWorkerConfig::millis).ifPresent(b::leaderHeartbeat);
        get.apply(ENV_WORKER_METRICS_REPORT_MILLIS).map(StreamWorkerConfig::millis)
                .ifPresent(b::workerMetricsReport);
        get.apply(ENV_CREATE_LEASE_TABLE).map(Boolean::parseBoolean).ifPresent(b::createLeaseTable);
        get.apply(ENV_LEASE_ASSIGNMENT_STRATEGY).ifPresent(b::leaseAssignmentStrategy);
        return b.build();
    }

    private static Duration millis(String value) {
        return Duration.ofMillis(Long.parseLong(value));
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: the stream worker cannot start without it");
        }
        return value;
    }

    /** @return {@code <hostname>-<pid>}: unique per process, readable in the lease table */
    static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("worker");
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    public String streamName() {
        return streamName;
    }

    /** @return the KCL application name, which is also the lease table name */
    public String applicationName() {
        return applicationName;
    }

    /** @return this worker's identifier (the {@code leaseOwner} of its leases) */
    public String workerId() {
        return workerId;
    }

    public String region() {
        return region;
    }

    public Optional<URI> kinesisEndpoint() {
        return Optional.ofNullable(kinesisEndpoint);
    }

    public Optional<URI> dynamoDbEndpoint() {
        return Optional.ofNullable(dynamoDbEndpoint);
    }

    public Optional<URI> sqsEndpoint() {
        return Optional.ofNullable(sqsEndpoint);
    }

    public Optional<String> onFailureQueueUrl() {
        return Optional.ofNullable(onFailureQueueUrl);
    }

    public int batchSize() {
        return batchSize;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public StartingPosition startingPosition() {
        return startingPosition;
    }

    public Duration leaseFailover() {
        return leaseFailover;
    }

    public Duration leaseAssignmentInterval() {
        return leaseAssignmentInterval;
    }

    public Duration leaderLease() {
        return leaderLease;
    }

    public Duration leaderHeartbeat() {
        return leaderHeartbeat;
    }

    public Duration workerMetricsReport() {
        return workerMetricsReport;
    }

    /** @return whether the worker creates the lease table (with its GSI) when it does not exist (default true) */
    public boolean createLeaseTable() {
        return createLeaseTable;
    }

    /** @return KCL's {@code LeaseAssignmentStrategy} name ({@code LEASE_COUNT_BASED} or {@code WORKER_UTILIZATION_AWARE}) */
    public String leaseAssignmentStrategy() {
        return leaseAssignmentStrategy;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.streamName = streamName;
        b.applicationName = applicationName;
        b.workerId = workerId;
        b.region = region;
        b.kinesisEndpoint = kinesisEndpoint;
        b.dynamoDbEndpoint = dynamoDbEndpoint;
        b.sqsEndpoint = sqsEndpoint;
        b.onFailureQueueUrl = onFailureQueueUrl;
        b.batchSize = batchSize;
        b.maxAttempts = maxAttempts;
        b.retryBackoff = retryBackoff;
        b.retryBackoffMax = retryBackoffMax;
        b.pollInterval = pollInterval;
        b.startingPosition = startingPosition;
        b.leaseFailover = leaseFailover;
        b.leaseAssignmentInterval = leaseAssignmentInterval;
        b.leaderLease = leaderLease;
        b.leaderHeartbeat = leaderHeartbeat;
        b.workerMetricsReport = workerMetricsReport;
        b.createLeaseTable = createLeaseTable;
        b.leaseAssignmentStrategy = leaseAssignmentStrategy;
        return b;
    }

    @Override
    public String toString() {
        return "StreamWorkerConfig{stream=" + streamName + ", application=" + applicationName + ", worker=" + workerId
                + ", region=" + region + ", batchSize=" + batchSize + ", maxAttempts=" + maxAttempts
                + ", onFailureQueue=" + (onFailureQueueUrl == null ? "none" : onFailureQueueUrl)
                + ", startingPosition=" + startingPosition + ", leaseFailover=" + leaseFailover
                + ", leaseAssignmentInterval=" + leaseAssignmentInterval + ", leaderLease=" + leaderLease
                + ", workerMetricsReport=" + workerMetricsReport + ", leaseAssignment=" + leaseAssignmentStrategy
                + "}";
    }

    /** Builder; every field starts at its {@code DEFAULT_*} (production profile). */
    public static final class Builder {
        private String streamName;
        private String applicationName;
        private String workerId;
        private String region;
        private URI kinesisEndpoint;
        private URI dynamoDbEndpoint;
        private URI sqsEndpoint;
        private String onFailureQueueUrl;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private Duration retryBackoffMax = DEFAULT_RETRY_BACKOFF_MAX;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private StartingPosition startingPosition = DEFAULT_STARTING_POSITION;
        private Duration leaseFailover = DEFAULT_LEASE_FAILOVER;
        private Duration leaseAssignmentInterval = DEFAULT_LEASE_ASSIGNMENT_INTERVAL;
        private Duration leaderLease = DEFAULT_LEADER_LEASE;
        private Duration leaderHeartbeat = DEFAULT_LEADER_HEARTBEAT;
        private Duration workerMetricsReport = DEFAULT_WORKER_METRICS_REPORT;
        private boolean createLeaseTable = true;
        private String leaseAssignmentStrategy = DEFAULT_LEASE_ASSIGNMENT_STRATEGY;

        private Builder() {
        }

        /** Sets the five KCL timing values of a profile (later setters override single values). */
        public Builder timingProfile(TimingProfile profile) {
            boolean local = profile == TimingProfile.LOCAL;
            leaseFailover = local ? LOCAL_LEASE_FAILOVER : DEFAULT_LEASE_FAILOVER;
            leaseAssignmentInterval = local ? LOCAL_LEASE_ASSIGNMENT_INTERVAL : DEFAULT_LEASE_ASSIGNMENT_INTERVAL;
            leaderLease = local ? LOCAL_LEADER_LEASE : DEFAULT_LEADER_LEASE;
            leaderHeartbeat = local ? LOCAL_LEADER_HEARTBEAT : DEFAULT_LEADER_HEARTBEAT;
            workerMetricsReport = local ? LOCAL_WORKER_METRICS_REPORT : DEFAULT_WORKER_METRICS_REPORT;
            return this;
        }

        public Builder streamName(String v) {
            streamName = v;
            return this;
        }

        public Builder applicationName(String v) {
            applicationName = v;
            return this;
        }

        public Builder workerId(String v) {
            workerId = v;
            return this;
        }

        public Builder region(String v) {
            region = v;
            return this;
        }

        public Builder kinesisEndpoint(URI v) {
            kinesisEndpoint = v;
            return this;
        }

        public Builder dynamoDbEndpoint(URI v) {
            dynamoDbEndpoint = v;
            return this;
        }

        public Builder sqsEndpoint(URI v) {
            sqsEndpoint = v;
            return this;
        }

        public Builder onFailureQueueUrl(String v) {
            onFailureQueueUrl = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder maxAttempts(int v) {
            maxAttempts = v;
            return this;
        }

        public Builder retryBackoff(Duration v) {
            retryBackoff = v;
            return this;
        }

        public Builder retryBackoffMax(Duration v) {
            retryBackoffMax = v;
            return this;
        }

        public Builder pollInterval(Duration v) {
            pollInterval = v;
            return this;
        }

        public Builder startingPosition(StartingPosition v) {
            startingPosition = v;
            return this;
        }

        public Builder leaseFailover(Duration v) {
            leaseFailover = v;
            return this;
        }

        public Builder leaseAssignmentInterval(Duration v) {
            leaseAssignmentInterval = v;
            return this;
        }

        public Builder leaderLease(Duration v) {
            leaderLease = v;
            return this;
        }

        public Builder leaderHeartbeat(Duration v) {
            leaderHeartbeat = v;
            return this;
        }

        public Builder workerMetricsReport(Duration v) {
            workerMetricsReport = v;
            return this;
        }

        public Builder createLeaseTable(boolean v) {
            createLeaseTable = v;
            return this;
        }

        public Builder leaseAssignmentStrategy(String v) {
            leaseAssignmentStrategy = v;
            return this;
        }

        public StreamWorkerConfig build() {
            return new StreamWorkerConfig(this);
        }
    }
}

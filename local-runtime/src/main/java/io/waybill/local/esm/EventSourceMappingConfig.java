package io.waybill.local.esm;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable configuration of a {@link StreamEventSourceMapping} and its {@link LambdaBatchInvoker}: the parameters
 * of Lambda's {@code CreateEventSourceMapping} that apply to Kinesis, plus the few function settings the local
 * invoker needs (name, timeout, memory, execution role) and local polling knobs. Defaults are Lambda's unless noted
 * in the constant's documentation; each differing default exists to keep a local run short and bounded.
 *
 * <pre>{@code
 * EventSourceMappingConfig config = EventSourceMappingConfig.builder()
 *         .batchSize(10)
 *         .maximumRetryAttempts(2)
 *         .onFailureDestinationQueueUrl(dlqUrl)
 *         .build();
 * }</pre>
 */
public final class EventSourceMappingConfig {

    /** Lambda's default {@code BatchSize} for Kinesis. */
    public static final int DEFAULT_BATCH_SIZE = 100;
    /** Lambda's maximum {@code BatchSize} for Kinesis (also GetRecords' maximum {@code Limit}). */
    public static final int MAX_BATCH_SIZE = 10_000;
    /** Lambda's default {@code MaximumBatchingWindowInSeconds}: invoke as soon as records are read. */
    public static final Duration DEFAULT_MAXIMUM_BATCHING_WINDOW = Duration.ZERO;
    /** Lambda's maximum {@code MaximumBatchingWindowInSeconds}. */
    public static final Duration MAX_MAXIMUM_BATCHING_WINDOW = Duration.ofSeconds(300);
    /** Default starting position (Lambda requires one; TRIM_HORIZON processes everything already put). */
    public static final StartingPosition DEFAULT_STARTING_POSITION = StartingPosition.TRIM_HORIZON;
    /** Lambda's value for "retry until the record expires". */
    public static final int INFINITE_RETRIES = -1;
    /**
     * Local default {@code MaximumRetryAttempts}: 5. Lambda's default is {@link #INFINITE_RETRIES}, which locally
     * would block a shard forever on a poison record.
     */
    public static final int DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 5;
    /** Lambda's maximum {@code MaximumRetryAttempts}. */
    public static final int MAX_MAXIMUM_RETRY_ATTEMPTS = 10_000;
    /** Lambda's default {@code MaximumRecordAgeInSeconds} (-1): records never expire because of age. */
    public static final Duration INFINITE_RECORD_AGE = Duration.ofSeconds(-1);
    /** Lambda's default {@code BisectBatchOnFunctionError}. */
    public static final boolean DEFAULT_BISECT_BATCH_ON_FUNCTION_ERROR = false;
    /**
     * Local default for {@code FunctionResponseTypes=[ReportBatchItemFailures]}: on. (Lambda's default is off, but
     * every Waybill handler returns a {@code StreamsEventResponse} and its mappings enable it.)
     */
    public static final boolean DEFAULT_REPORT_BATCH_ITEM_FAILURES = true;
    /**
     * Local default interval between GetRecords calls on an idle shard: 250 ms. Lambda polls each shard about once a
     * second; a shorter interval keeps tests and demos quick and stays under Kinesis' 5 GetRecords/s/shard.
     */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
    /** Lambda's default {@code ParallelizationFactor}; the only value supported locally. */
    public static final int DEFAULT_PARALLELIZATION_FACTOR = 1;
    /** Local default first delay before retrying a failed batch (doubles up to {@link #DEFAULT_RETRY_BACKOFF_MAX}). */
    public static final Duration DEFAULT_RETRY_BACKOFF_BASE = Duration.ofMillis(100);
    /** Local default cap of the retry delay. */
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(2);
    /** Default function name placed in the context, the function ARN and on-failure records. */
    public static final String DEFAULT_FUNCTION_NAME = "waybill-local-function";
    /**
     * Local default function timeout: 30 s (Lambda's default is 3 s, too tight for a cold local JVM). An invocation
     * that returns after the timeout is treated as failed, as Lambda would have killed it.
     */
    public static final Duration DEFAULT_FUNCTION_TIMEOUT = Duration.ofSeconds(30);
    /** Default memory size reported by the context. */
    public static final int DEFAULT_MEMORY_LIMIT_MB = 512;

    private final int batchSize;
    private final Duration maximumBatchingWindow;
    private final StartingPosition startingPosition;
    private final int maximumRetryAttempts;
    private final Duration maximumRecordAge;
    private final boolean bisectBatchOnFunctionError;
    private final boolean reportBatchItemFailures;
    private final String onFailureDestinationQueueUrl;
    private final Duration pollInterval;
    private final int parallelizationFactor;
    private final Duration retryBackoffBase;
    private final Duration retryBackoffMax;
    private final String functionName;
    private final Duration functionTimeout;
    private final int memoryLimitMb;
    private final String executionRoleArn;

    private EventSourceMappingConfig(Builder b) {
        this.batchSize = b.batchSize;
        this.maximumBatchingWindow = b.maximumBatchingWindow;
        this.startingPosition = b.startingPosition;
        this.maximumRetryAttempts = b.maximumRetryAttempts;
        this.maximumRecordAge = b.maximumRecordAge;
        this.bisectBatchOnFunctionError = b.bisectBatchOnFunctionError;
        this.reportBatchItemFailures = b.reportBatchItemFailures;
        this.onFailureDestinationQueueUrl = b.onFailureDestinationQueueUrl;
        this.pollInterval = b.pollInterval;
        this.parallelizationFactor = b.parallelizationFactor;
        this.retryBackoffBase = b.retryBackoffBase;
        this.retryBackoffMax = b.retryBackoffMax;
        this.functionName = b.functionName;
        this.functionTimeout = b.functionTimeout;
        this.memoryLimitMb = b.memoryLimitMb;
        this.executionRoleArn = b.executionRoleArn;
    }

    /** @return the configuration with every default */
    public static EventSourceMappingConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.batchSize = batchSize;
        b.maximumBatchingWindow = maximumBatchingWindow;
        b.startingPosition = startingPosition;
        b.maximumRetryAttempts = maximumRetryAttempts;
        b.maximumRecordAge = maximumRecordAge;
        b.bisectBatchOnFunctionError = bisectBatchOnFunctionError;
        b.reportBatchItemFailures = reportBatchItemFailures;
        b.onFailureDestinationQueueUrl = onFailureDestinationQueueUrl;
        b.pollInterval = pollInterval;
        b.parallelizationFactor = parallelizationFactor;
        b.retryBackoffBase = retryBackoffBase;
        b.retryBackoffMax = retryBackoffMax;
        b.functionName = functionName;
        b.functionTimeout = functionTimeout;
        b.memoryLimitMb = memoryLimitMb;
        b.executionRoleArn = executionRoleArn;
        return b;
    }

    /** @return maximum records per invocation (GetRecords {@code Limit}) */
    public int batchSize() {
        return batchSize;
    }

    /** @return how long to gather records before invoking with fewer than {@link #batchSize()} */
    public Duration maximumBatchingWindow() {
        return maximumBatchingWindow;
    }

    /** @return where reading starts */
    public StartingPosition startingPosition() {
        return startingPosition;
    }

    /** @return retries of a failing record before its batch is discarded; {@link #INFINITE_RETRIES} = forever */
    public int maximumRetryAttempts() {
        return maximumRetryAttempts;
    }

    /** @return maximum record age before it is discarded; {@link #INFINITE_RECORD_AGE} = never */
    public Duration maximumRecordAge() {
        return maximumRecordAge;
    }

    /** @return whether a batch failing as a whole is split in two (splits do not count as retries) */
    public boolean bisectBatchOnFunctionError() {
        return bisectBatchOnFunctionError;
    }

    /** @return whether {@code batchItemFailures} in the handler's response are honoured (else ignored) */
    public boolean reportBatchItemFailures() {
        return reportBatchItemFailures;
    }

    /** @return SQS queue URL receiving on-failure records of discarded batches, if any */
    public Optional<String> onFailureDestinationQueueUrl() {
        return Optional.ofNullable(onFailureDestinationQueueUrl);
    }

    /** @return delay between GetRecords calls when a shard has nothing new */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** @return concurrent batches per shard (always 1 locally) */
    public int parallelizationFactor() {
        return parallelizationFactor;
    }

    /** @return first retry delay */
    public Duration retryBackoffBase() {
        return retryBackoffBase;
    }

    /** @return maximum retry delay */
    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    /** @return the function name */
    public String functionName() {
        return functionName;
    }

    /** @return the function timeout */
    public Duration functionTimeout() {
        return functionTimeout;
    }

    /** @return the memory size the context reports */
    public int memoryLimitMb() {
        return memoryLimitMb;
    }

    /** @return the execution role ARN placed in {@code invokeIdentityArn}, if set (else derived from the account) */
    public Optional<String> executionRoleArn() {
        return Optional.ofNullable(executionRoleArn);
    }

    @Override
    public String toString() {
        return "EventSourceMappingConfig[batchSize=" + batchSize + ", maximumBatchingWindow=" + maximumBatchingWindow
                + ", startingPosition=" + startingPosition + ", maximumRetryAttempts=" + maximumRetryAttempts
                + ", maximumRecordAge=" + maximumRecordAge + ", bisectBatchOnFunctionError="
                + bisectBatchOnFunctionError + ", reportBatchItemFailures=" + reportBatchItemFailures
                + ", onFailureDestinationQueueUrl=" + onFailureDestinationQueueUrl + ", pollInterval=" + pollInterval
                + ", functionName=" + functionName + ", functionTimeout=" + functionTimeout + "]";
    }

    /** Mutable builder of {@link EventSourceMappingConfig}; validates each value as it is set. */
    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration maximumBatchingWindow = DEFAULT_MAXIMUM_BATCHING_WINDOW;
        private StartingPosition startingPosition = DEFAULT_STARTING_POSITION;
        private int maximumRetryAttempts = DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
        private Duration maximumRecordAge = INFINITE_RECORD_AGE;
        private boolean bisectBatchOnFunctionError = DEFAULT_BISECT_BATCH_ON_FUNCTION_ERROR;
        private boolean reportBatchItemFailures = DEFAULT_REPORT_BATCH_ITEM_FAILURES;
        private String onFailureDestinationQueueUrl;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int parallelizationFactor = DEFAULT_PARALLELIZATION_FACTOR;
        private Duration retryBackoffBase = DEFAULT_RETRY_BACKOFF_BASE;
        private Duration retryBackoffMax = DEFAULT_RETRY_BACKOFF_MAX;
        private String functionName = DEFAULT_FUNCTION_NAME;
        private Duration functionTimeout = DEFAULT_FUNCTION_TIMEOUT;
        private int memoryLimitMb = DEFAULT_MEMORY_LIMIT_MB;
        private String executionRoleArn;

        private Builder() {
        }

        /** @param size 1..{@value #MAX_BATCH_SIZE} @return this */
        public Builder batchSize(int size) {
            if (size < 1 || size > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("batchSize must be 1.." + MAX_BATCH_SIZE + ": " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** @param window 0..300 s @return this */
        public Builder maximumBatchingWindow(Duration window) {
            Objects.requireNonNull(window, "maximumBatchingWindow");
            if (window.isNegative() || window.compareTo(MAX_MAXIMUM_BATCHING_WINDOW) > 0) {
                throw new IllegalArgumentException("maximumBatchingWindow must be 0..300 s: " + window);
            }
            this.maximumBatchingWindow = window;
            return this;
        }

        /** @param position TRIM_HORIZON or LATEST @return this */
        public Builder startingPosition(StartingPosition position) {
            this.startingPosition = Objects.requireNonNull(position, "startingPosition");
            return this;
        }

        /** @param attempts -1 (infinite) or 0..{@value #MAX_MAXIMUM_RETRY_ATTEMPTS} @return this */
        public Builder maximumRetryAttempts(int attempts) {
            if (attempts < INFINITE_RETRIES || attempts > MAX_MAXIMUM_RETRY_ATTEMPTS) {
                throw new IllegalArgumentException("maximumRetryAttempts must be -1.." + MAX_MAXIMUM_RETRY_ATTEMPTS
                        + ": " + attempts);
            }
            this.maximumRetryAttempts = attempts;
            return this;
        }

        /**
         * @param age {@link #INFINITE_RECORD_AGE} or a positive duration up to 7 days. Lambda's minimum is 60 s; any
         *            positive value is accepted locally so that tests need not wait a minute.
         * @return this
         */
        public Builder maximumRecordAge(Duration age) {
            Objects.requireNonNull(age, "maximumRecordAge");
            if (!age.equals(INFINITE_RECORD_AGE) && (age.isNegative() || age.isZero()
                    || age.compareTo(Duration.ofDays(7)) > 0)) {
                throw new IllegalArgumentException("maximumRecordAge must be -1 s or in (0, 7 days]: " + age);
            }
            this.maximumRecordAge = age;
            return this;
        }

        /** @param bisect split a batch failing as a whole @return this */
        public Builder bisectBatchOnFunctionError(boolean bisect) {
            this.bisectBatchOnFunctionError = bisect;
            return this;
        }

        /** @param report honour {@code batchItemFailures} @return this */
        public Builder reportBatchItemFailures(boolean report) {
            this.reportBatchItemFailures = report;
            return this;
        }

        /** @param queueUrl SQS queue URL for on-failure records, or {@code null} for none @return this */
        public Builder onFailureDestinationQueueUrl(String queueUrl) {
            this.onFailureDestinationQueueUrl = queueUrl;
            return this;
        }

        /** @param interval positive delay between GetRecords calls on an idle shard @return this */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive(interval, "pollInterval");
            return this;
        }

        /** @param factor must be 1 (concurrent batches per shard are not supported locally) @return this */
        public Builder parallelizationFactor(int factor) {
            if (factor != 1) {
                throw new IllegalArgumentException("only parallelizationFactor 1 is supported locally: " + factor);
            }
            this.parallelizationFactor = factor;
            return this;
        }

        /** @param base first retry delay (zero allowed) @param max cap of the doubling delay @return this */
        public Builder retryBackoff(Duration base, Duration max) {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(max, "max");
            if (base.isNegative() || max.compareTo(base) < 0) {
                throw new IllegalArgumentException("need 0 <= base <= max: " + base + ", " + max);
            }
            this.retryBackoffBase = base;
            this.retryBackoffMax = max;
            return this;
        }

        /** @param name function name @return this */
        public Builder functionName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("functionName must not be blank");
            }
            this.functionName = name;
            return this;
        }

        /** @param timeout positive function timeout @return this */
        public Builder functionTimeout(Duration timeout) {
            this.functionTimeout = positive(timeout, "functionTimeout");
            return this;
        }

        /** @param mb memory size reported by the context (128..10240) @return this */
        public Builder memoryLimitMb(int mb) {
            if (mb < 128 || mb > 10_240) {
                throw new IllegalArgumentException("memoryLimitMb must be 128..10240: " + mb);
            }
            this.memoryLimitMb = mb;
            return this;
        }

        /** @param arn role ARN for {@code invokeIdentityArn}, or {@code null} to derive one @return this */
        public Builder executionRoleArn(String arn) {
            this.executionRoleArn = arn;
            return this;
        }

        /** @return the immutable configuration */
        public EventSourceMappingConfig build() {
            return new EventSourceMappingConfig(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}

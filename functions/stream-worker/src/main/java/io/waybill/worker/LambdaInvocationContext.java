package io.waybill.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;

/**
 * The Lambda {@link Context} one invocation gets outside Lambda, in the stream worker ({@link #forWorker}) and in the
 * local runtime ({@link #builder}): a fresh {@code awsRequestId} (random UUID) per invocation, the function's name
 * and ARN, version {@code $LATEST}, the remaining time (counted down from the function timeout, or a fixed 15
 * minutes without one), a log group and stream, the memory size and a {@link LambdaLogger}.
 */
public final class LambdaInvocationContext implements Context {

    private static final Logger WORKER_LOG = LoggerFactory.getLogger("io.waybill.worker.handler");
    private static final int NO_DEADLINE_MILLIS = 15 * 60 * 1000;
    private static final LambdaLogger WORKER_LOGGER = new LambdaLogger() {
        @Override
        public void log(String message) {
            WORKER_LOG.info(message);
        }

        @Override
        public void log(byte[] message) {
            WORKER_LOG.info(new String(message, StandardCharsets.UTF_8));
        }
    };

    private final String awsRequestId = UUID.randomUUID().toString();
    private final String functionName;
    private final String invokedFunctionArn;
    private final String logGroupName;
    private final String logStreamName;
    private final int memoryLimitMb;
    /** {@link System#nanoTime()} deadline; meaningless without {@link #hasDeadline}. */
    private final long deadlineNanos;
    private final boolean hasDeadline;
    private final LambdaLogger logger;

    private LambdaInvocationContext(Builder b) {
        this.functionName = b.functionName;
        this.invokedFunctionArn = b.functionArn;
        this.logGroupName = b.logGroupName;
        this.logStreamName = b.logStreamName.apply(awsRequestId);
        this.memoryLimitMb = b.memoryLimitMb;
        this.hasDeadline = b.timeout != null;
        this.deadlineNanos = hasDeadline ? System.nanoTime() + b.timeout.toNanos() : 0;
        this.logger = b.logger.apply(awsRequestId);
    }

    /**
     * The stream worker's context: log group {@code /waybill/stream-worker/<name>}, log stream {@code <name>}, no
     * deadline to speak of (15 minutes left, always), the JVM's maximum heap as memory size, a logger writing each
     * message at INFO to the SLF4J logger {@code io.waybill.worker.handler}.
     *
     * @param functionName function name
     * @param functionArn  function ARN
     * @return a context with a fresh request id
     */
    public static LambdaInvocationContext forWorker(String functionName, String functionArn) {
        return builder(functionName, functionArn)
                .logGroupName("/waybill/stream-worker/" + functionName)
                .logStreamName(requestId -> functionName)
                .memoryLimitMb((int) (Runtime.getRuntime().maxMemory() / (1024 * 1024)))
                .logger(requestId -> WORKER_LOGGER)
                .build();
    }

    /**
     * @param functionName function name
     * @param functionArn  function ARN
     * @return a builder; by default log group {@code /aws/lambda/<name>}, log stream
     *         {@code local/[$LATEST]<request id without dashes>}, the JVM's maximum heap as memory size, no
     *         deadline, and {@link #requestLogger} over the SLF4J logger {@code lambda.<name>}
     */
    public static Builder builder(String functionName, String functionArn) {
        return new Builder(functionName, functionArn);
    }

    /** Builds {@link LambdaInvocationContext}s. */
    public static final class Builder {
        private final String functionName;
        private final String functionArn;
        private String logGroupName;
        private Function<String, String> logStreamName;
        private int memoryLimitMb = (int) (Runtime.getRuntime().maxMemory() / (1024 * 1024));
        private Duration timeout;
        private Function<String, LambdaLogger> logger;

        private Builder(String functionName, String functionArn) {
            this.functionName = Objects.requireNonNull(functionName, "functionName");
            this.functionArn = Objects.requireNonNull(functionArn, "invokedFunctionArn");
            this.logGroupName = "/aws/lambda/" + functionName;
            this.logStreamName = requestId -> "local/[$LATEST]" + requestId.replace("-", "");
            Logger log = LoggerFactory.getLogger("lambda." + functionName);
            this.logger = requestId -> requestLogger(log, requestId);
        }

        public Builder logGroupName(String name) {
            this.logGroupName = Objects.requireNonNull(name, "logGroupName");
            return this;
        }

        /** @param name the log stream name, given the request id */
        public Builder logStreamName(Function<String, String> name) {
            this.logStreamName = Objects.requireNonNull(name, "logStreamName");
            return this;
        }

        public Builder memoryLimitMb(int mb) {
            this.memoryLimitMb = mb;
            return this;
        }

        /** @param functionTimeout the function timeout: the remaining time counts down from {@link #build()} */
        public Builder timeout(Duration functionTimeout) {
            this.timeout = Objects.requireNonNull(functionTimeout, "timeout");
            return this;
        }

        /** @param perRequest the logger, given the request id */
        public Builder logger(Function<String, LambdaLogger> perRequest) {
            this.logger = Objects.requireNonNull(perRequest, "logger");
            return this;
        }

        /** @return a context with a fresh request id */
        public LambdaInvocationContext build() {
            return new LambdaInvocationContext(this);
        }
    }

    /**
     * @param log       where to write
     * @param requestId the invocation's request id
     * @return a {@link LambdaLogger} over SLF4J writing one line per call with the request id as a prefix, as in
     *         CloudWatch Logs; Lambda log levels map to SLF4J levels (FATAL to ERROR, UNDEFINED to INFO)
     */
    public static LambdaLogger requestLogger(Logger log, String requestId) {
        return new Slf4jLambdaLogger(log, requestId);
    }

    @Override
    public String getAwsRequestId() {
        return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
        return logGroupName;
    }

    @Override
    public String getLogStreamName() {
        return logStreamName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedFunctionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        if (!hasDeadline) {
            return NO_DEADLINE_MILLIS;
        }
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryLimitMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    @Override
    public String toString() {
        return "LambdaInvocationContext[function=" + functionName + ", requestId=" + awsRequestId + "]";
    }

    /** LambdaLogger over SLF4J; Lambda log levels map to SLF4J levels (FATAL to ERROR, UNDEFINED to INFO). */
    private static final class Slf4jLambdaLogger implements LambdaLogger {
        private final Logger log;
        private final String requestId;

        Slf4jLambdaLogger(Logger log, String requestId) {
            this.log = log;
            this.requestId = requestId;
        }

        @Override
        public void log(String message) {
            log(message, LogLevel.UNDEFINED);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8), LogLevel.UNDEFINED);
        }

        @Override
        public void log(String message, LogLevel level) {
            String text = message == null ? "null" : message.stripTrailing();
            switch (level == null ? LogLevel.UNDEFINED : level) {
                case TRACE -> log.trace("{} {}", requestId, text);
                case DEBUG -> log.debug("{} {}", requestId, text);
                case WARN -> log.warn("{} {}", requestId, text);
                case ERROR, FATAL -> log.error("{} {}", requestId, text);
                default -> log.info("{} {}", requestId, text);
            }
        }

        @Override
        public void log(byte[] message, LogLevel level) {
            log(new String(message, StandardCharsets.UTF_8), level);
        }
    }
}

package io.waybill.local.esm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;

/**
 * The {@link Context} handed to a handler by the local invoker: a fresh {@code awsRequestId} (random UUID) per
 * invocation, the function's name, ARN, version {@code $LATEST}, log group {@code /aws/lambda/<name>}, memory size,
 * remaining time counted down from the configured timeout, and a {@link LambdaLogger} writing to the SLF4J logger
 * {@code lambda.<function name>} (one line per call, the request id as a prefix, as in CloudWatch Logs).
 */
public final class LocalLambdaContext implements Context {

    private final String awsRequestId;
    private final String functionName;
    private final String invokedFunctionArn;
    private final int memoryLimitMb;
    private final long deadlineNanos;
    private final LambdaLogger logger;

    /**
     * @param functionName       function name
     * @param invokedFunctionArn function ARN
     * @param memoryLimitMb      reported memory size
     * @param timeout            function timeout; the remaining time counts down from now
     */
    public LocalLambdaContext(String functionName, String invokedFunctionArn, int memoryLimitMb, Duration timeout) {
        this.awsRequestId = UUID.randomUUID().toString();
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        this.invokedFunctionArn = Objects.requireNonNull(invokedFunctionArn, "invokedFunctionArn");
        this.memoryLimitMb = memoryLimitMb;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.logger = new Slf4jLambdaLogger(LoggerFactory.getLogger("lambda." + functionName), awsRequestId);
    }

    @Override
    public String getAwsRequestId() {
        return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + awsRequestId.replace("-", "");
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
        return "LocalLambdaContext[function=" + functionName + ", requestId=" + awsRequestId + "]";
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

package io.waybill.worker;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** The Lambda {@link Context} one invocation gets in the worker: a fresh request id, no deadline to speak of. */
final class WorkerLambdaContext implements Context {

    private static final Logger LOG = LoggerFactory.getLogger("io.waybill.worker.handler");
    private static final int NO_DEADLINE_MILLIS = 15 * 60 * 1000;
    private static final LambdaLogger LAMBDA_LOGGER = new LambdaLogger() {
        @Override
        public void log(String message) {
            LOG.info(message);
        }

        @Override
        public void log(byte[] message) {
            LOG.info(new String(message, StandardCharsets.UTF_8));
        }
    };

    private final String requestId = UUID.randomUUID().toString();
    private final String functionName;
    private final String functionArn;

    WorkerLambdaContext(String functionName, String functionArn) {
        this.functionName = functionName;
        this.functionArn = functionArn;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/waybill/stream-worker/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return functionName;
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
        return functionArn;
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
        return NO_DEADLINE_MILLIS;
    }

    @Override
    public int getMemoryLimitInMB() {
        return (int) (Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    @Override
    public LambdaLogger getLogger() {
        return LAMBDA_LOGGER;
    }
}

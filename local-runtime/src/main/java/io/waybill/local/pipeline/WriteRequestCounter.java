package io.waybill.local.pipeline;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts DynamoDB write requests as they leave the SDK (one per API call, retries excluded), whatever their outcome:
 * a conditional put rejected as a duplicate is a write request too, and is counted.
 */
public final class WriteRequestCounter implements ExecutionInterceptor {
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems");
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (WRITES.contains(operation)) {
            writes.incrementAndGet();
        } else {
            reads.incrementAndGet();
        }
    }

    public long writes() {
        return writes.get();
    }

    public long reads() {
        return reads.get();
    }

    public void reset() {
        writes.set(0);
        reads.set(0);
    }
}

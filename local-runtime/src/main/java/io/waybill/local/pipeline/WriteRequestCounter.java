package io.waybill.local.pipeline;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts DynamoDB write requests as they leave the SDK (one per API call, retries excluded), whatever their outcome:
 * a conditional put rejected as a duplicate is a write request too, and is counted. Every request is also counted by
 * operation and table ({@link #requests(String, String)}).
 */
public final class WriteRequestCounter implements ExecutionInterceptor {
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems");
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final Map<String, AtomicLong> byOperationAndTable = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (WRITES.contains(operation)) {
            writes.incrementAndGet();
        } else {
            reads.incrementAndGet();
        }
        String table = context.request().getValueForField("TableName", String.class).orElse("");
        byOperationAndTable.computeIfAbsent(operation + " " + table, k -> new AtomicLong()).incrementAndGet();
    }

    /** Requests of one operation ({@code "GetItem"}) on one table since the last {@link #reset()}. */
    public long requests(String operation, String table) {
        AtomicLong n = byOperationAndTable.get(operation + " " + table);
        return n == null ? 0 : n.get();
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
        byOperationAndTable.clear();
    }
}

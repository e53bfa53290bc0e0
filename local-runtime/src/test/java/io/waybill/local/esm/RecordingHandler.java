package io.waybill.local.esm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

/**
 * Test handler: records every invocation (records and context), then answers with a configurable behaviour that
 * sees the records (as payload strings) and the invocation number (0-based). Shared by the esm and kcl tests.
 */
public final class RecordingHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    /** One invocation as the handler saw it. */
    public record Invocation(List<KinesisEvent.KinesisEventRecord> records, List<String> payloads, Context context) {
        /** @return the shard of the invocation's records (from the first record's eventID) */
        public String shardId() {
            return records.get(0).getEventID().split(":")[0];
        }
    }

    private final List<Invocation> invocations = Collections.synchronizedList(new ArrayList<>());
    private final BiFunction<Invocation, Integer, StreamsEventResponse> behaviour;

    public RecordingHandler(BiFunction<Invocation, Integer, StreamsEventResponse> behaviour) {
        this.behaviour = behaviour;
    }

    /** A handler that always succeeds. */
    public static RecordingHandler succeeding() {
        return new RecordingHandler((invocation, n) -> StreamsEventResponse.builder().build());
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<String> payloads = new ArrayList<>();
        for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
            payloads.add(StandardCharsets.UTF_8.decode(r.getKinesis().getData().duplicate()).toString());
        }
        Invocation invocation = new Invocation(List.copyOf(event.getRecords()), List.copyOf(payloads), context);
        int number;
        synchronized (invocations) {
            number = invocations.size();
            invocations.add(invocation);
        }
        return behaviour.apply(invocation, number);
    }

    public List<Invocation> invocations() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    /** Payloads in delivery order, redeliveries included. */
    public List<String> deliveredPayloads() {
        return invocations().stream().flatMap(i -> i.payloads().stream()).toList();
    }

    /** How many times each payload was delivered, in first-delivery order. */
    public Map<String, Integer> deliveryCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        deliveredPayloads().forEach(p -> counts.merge(p, 1, Integer::sum));
        return counts;
    }

    /**
     * Waits until at least {@code records} records were delivered (redeliveries included).
     *
     * @return {@code false} on timeout
     */
    public boolean awaitDeliveries(int records, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (invocations().stream().mapToInt(i -> i.payloads().size()).sum() < records) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    public static StreamsEventResponse failures(String... sequenceNumbers) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String s : sequenceNumbers) {
            failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(s).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }
}

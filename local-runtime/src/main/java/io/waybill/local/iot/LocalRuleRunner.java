package io.waybill.local.iot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AWS IoT Core's rules engine for one {@link LocalIotRule}, locally: it subscribes to a real MQTT broker on the
 * rule's topic filter with the AWS IoT Device SDK's aws-crt {@code Mqtt5Client}, applies the rule to every message
 * and puts the results on a Kinesis stream with PutRecords, batched (at most {@value #MAX_PUT_RECORDS} records and
 * 5 MiB a call; a batch is flushed {@code flushInterval} after its first message arrived, or as soon as it is full).
 * Entries PutRecords rejects are retried with backoff; what still fails after {@code maxPutAttempts}, and every
 * message the rule cannot evaluate (not a JSON object, larger than 128 KB), goes to the SQS error queue as IoT Core's
 * error action sends it: {@code ruleName}, {@code topic}, {@code cloudwatchTraceId}, {@code base64OriginalPayload},
 * {@code failures[{failedAction, failedResource, errorMessage}]}, plus {@code time} (when the error happened).
 *
 * <p>One worker thread does the batching and all AWS calls; the MQTT callback only evaluates the rule and queues.
 * {@link #close()} stops receiving, flushes what was received, then stops. The AWS clients are the caller's.
 */
public final class LocalRuleRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRuleRunner.class);
    /** Kinesis PutRecords: at most 500 records a call. */
    public static final int MAX_PUT_RECORDS = 500;
    /** Kinesis PutRecords: at most 5 MiB a call (data and partition keys). */
    public static final long MAX_PUT_BYTES = 5L * 1024 * 1024;
    private static final int LATENCY_SAMPLES = 65_536;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalIotRule rule;
    private final KinesisClient kinesis;
    private final String streamName;
    private final SqsClient sqs;
    private final String errorQueueUrl;
    private final int maxBatchRecords;
    private final Duration flushInterval;
    private final int maxPutAttempts;
    private final Duration retryBackoff;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final LocalMqttClient mqtt;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong put = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong ruleErrors = new AtomicLong();
    private final AtomicLong errorsSent = new AtomicLong();
    private final AtomicLong errorsNotSent = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final long[] latencies = new long[LATENCY_SAMPLES];
    private long latencyCount;
    private volatile boolean running = true;
    private volatile boolean closed;
    private Item carry;

    /** A message waiting for the worker: a record to put, or a rule error to send. */
    private record Item(String topic, byte[] payload, LocalIotRule.KinesisRecord record, long receivedMillis,
                       long receivedNanos, String error) {
        long bytes() {
            return record.data().length + record.partitionKey().getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private LocalRuleRunner(Builder b) {
        this.rule = b.rule;
        this.kinesis = Objects.requireNonNull(b.kinesis, "kinesis client");
        this.streamName = Objects.requireNonNull(b.streamName, "stream name");
        this.sqs = b.sqs;
        this.errorQueueUrl = b.errorQueueUrl;
        this.maxBatchRecords = b.maxBatchRecords;
        this.flushInterval = b.flushInterval;
        this.maxPutAttempts = b.maxPutAttempts;
        this.retryBackoff = b.retryBackoff;
        if (rule.disabled()) {
            throw new IllegalStateException("rule " + rule.ruleName() + " is disabled (ruleDisabled: true)");
        }
        this.worker = new Thread(this::work, "iot-rule-" + rule.ruleName());
        worker.setDaemon(true);
        worker.start();
        String clientId = b.clientId != null ? b.clientId
                : "waybill-rules-engine-" + UUID.randomUUID().toString().substring(0, 8);
        LocalMqttClient client = null;
        try {
            client = LocalMqttClient.connect(b.host, b.port, clientId, this::onMessage, b.connectTimeout);
            client.subscribe(rule.topicFilter(), b.connectTimeout);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            stopWorker();
            throw e;
        }
        this.mqtt = client;
        LOG.info("Rule " + rule.ruleName() + ": subscribed to '" + rule.topicFilter() + "' on "
                + b.host + ":" + b.port + ", putting to stream " + streamName + " (batches of <= " + maxBatchRecords
                + ", flushed after " + flushInterval.toMillis() + " ms), errors to "
                + (errorQueueUrl != null ? errorQueueUrl : "the log only"));
    }

    public static Builder builder(LocalIotRule rule) {
        return new Builder(rule);
    }

    public LocalIotRule rule() {
        return rule;
    }

    public String streamName() {
        return streamName;
    }

    public RuleRunnerStats stats() {
        long[] samples;
        synchronized (latencies) {
            int n = (int) Math.min(latencyCount, LATENCY_SAMPLES);
            samples = new long[n];
            System.arraycopy(latencies, 0, samples, 0, n);
        }
        return new RuleRunnerStats(received.get(), put.get(), calls.get(), retries.get(), ruleErrors.get(),
                errorsSent.get(), errorsNotSent.get(), inFlight.get(), filtered.get(), RuleRunnerStats.Latency.of(samples));
    }

    /**
     * Waits until at least {@code messages} messages were received and every message received so far was put on
     * the stream or sent to the error queue.
     *
     * @return false on timeout
     */
    public boolean awaitProcessed(long messages, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.get() < messages || inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Stops receiving, puts (or dead-letters) what was received, stops the worker. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        mqtt.close();
        stopWorker();
        LOG.info("Rule " + rule.ruleName() + " stopped: " + stats());
    }

    private void stopWorker() {
        running = false;
        try {
            worker.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- MQTT side (crt event-loop thread: evaluate and queue, never block) --------------------------------------

    private void onMessage(String topic, byte[] payload) {
        long nanos = System.nanoTime();
        long millis = System.currentTimeMillis();
        if (!rule.matches(topic)) {
            return; // another subscription's message; the broker only sends matching ones
        }
        received.incrementAndGet();
        inFlight.incrementAndGet();
        try {
            java.util.Optional<LocalIotRule.KinesisRecord> record = rule.apply(topic, payload, millis);
            if (record.isEmpty()) {
                filtered.incrementAndGet(); // the WHERE condition is not true: no action, no error action
                inFlight.decrementAndGet();
                return;
            }
            queue.add(new Item(topic, payload, record.get(), millis, nanos, null));
        } catch (RuleEvaluationException e) {
            queue.add(new Item(topic, payload, null, millis, nanos, e.getMessage()));
        }
    }

    // --- worker ----------------------------------------------------------------------------------------------------

    private void work() {
        while (running || carry != null || !queue.isEmpty()) {
            try {
                Item first = carry != null ? carry : queue.poll(50, TimeUnit.MILLISECONDS);
                carry = null;
                if (first == null) {
                    continue;
                }
                if (first.error() != null) {
                    ruleError(first, "RuleEvaluation", rule.ruleName(), first.error());
                    continue;
                }
                List<Item> batch = new ArrayList<>();
                batch.add(first);
                long bytes = first.bytes();
                long deadline = first.receivedNanos() + flushInterval.toNanos();
                while (batch.size() < maxBatchRecords) {
                    long wait = running ? deadline - System.nanoTime() : 0;
                    Item next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (next.error() != null) {
                        ruleError(next, "RuleEvaluation", rule.ruleName(), next.error());
                        continue;
                    }
                    if (bytes + next.bytes() > MAX_PUT_BYTES) {
                        carry = next;
                        break;
                    }
                    batch.add(next);
                    bytes += next.bytes();
                }
                putBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("rule " + rule.ruleName() + ": worker error", e);
            }
        }
    }

    private void putBatch(List<Item> batch) throws InterruptedException {
        List<Item> pending = batch;
        String lastError = null;
        for (int attempt = 1; attempt <= maxPutAttempts && !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                retries.incrementAndGet();
                Thread.sleep(Math.min(1_000, retryBackoff.toMillis() << Math.min(attempt - 2, 10)));
            }
            List<PutRecordsRequestEntry> entries = new ArrayList<>(pending.size());
            for (Item i : pending) {
                entries.add(PutRecordsRequestEntry.builder().data(SdkBytes.fromByteArray(i.record().data()))
                        .partitionKey(i.record().partitionKey()).build());
            }
            calls.incrementAndGet();
            PutRecordsResponse response;
            try {
                response = kinesis.putRecords(PutRecordsRequest.builder().streamName(streamName).records(entries).build());
            } catch (RuntimeException e) {
                lastError = "PutRecords failed: " + e.getMessage();
                LOG.debug("rule " + rule.ruleName() + ": " + lastError);
                continue;
            }
            long now = System.currentTimeMillis();
            List<Item> failed = new ArrayList<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int k = 0; k < pending.size(); k++) {
                PutRecordsResultEntry r = k < results.size() ? results.get(k) : null;
                if (r == null || r.errorCode() != null) {
                    failed.add(pending.get(k));
                    lastError = r == null ? "no result entry" : r.errorCode() + ": " + r.errorMessage();
                } else {
                    recordLatency(now - pending.get(k).receivedMillis());
                    put.incrementAndGet();
                    inFlight.decrementAndGet();
                }
            }
            pending = failed;
        }
        for (Item i : pending) {
            ruleError(i, "KinesisAction", streamName, "Failed to put the record to Kinesis after " + maxPutAttempts
                    + " attempts: " + lastError + ". Message arrived on: " + i.topic() + ", Action: kinesis, Stream: "
                    + streamName + ", PartitionKey: " + i.record().partitionKey());
        }
    }

    private void recordLatency(long ms) {
        synchronized (latencies) {
            latencies[(int) (latencyCount % LATENCY_SAMPLES)] = ms;
            latencyCount++;
        }
    }

    /** IoT Core's error action: one message a failed message, in its documented shape. */
    private void ruleError(Item item, String failedAction, String failedResource, String message) {
        ruleErrors.incrementAndGet();
        try {
            LocalIotRule.ErrorAction action = rule.errorAction();
            if (action == null || sqs == null || errorQueueUrl == null) {
                errorsNotSent.incrementAndGet();
                LOG.warn("rule " + rule.ruleName() + " error (no error action) on "
                        + item.topic() + ": " + message);
                return;
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("ruleName", rule.ruleName());
            body.put("topic", item.topic());
            body.put("cloudwatchTraceId", UUID.randomUUID().toString());
            body.put("base64OriginalPayload", Base64.getEncoder().encodeToString(item.payload()));
            ObjectNode failure = body.putArray("failures").addObject();
            failure.put("failedAction", failedAction);
            failure.put("failedResource", failedResource);
            failure.put("errorMessage", message);
            body.put("time", Instant.now().toString());
            String text = body.toString();
            if (action.useBase64()) {
                text = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
            }
            sqs.sendMessage(SendMessageRequest.builder().queueUrl(errorQueueUrl).messageBody(text).build());
            errorsSent.incrementAndGet();
        } catch (RuntimeException e) {
            errorsNotSent.incrementAndGet();
            LOG.error("rule " + rule.ruleName() + ": error action failed for a message on "
                    + item.topic() + " (" + message + "): " + e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Where to subscribe, where to put, where errors go, and the batching. */
    public static final class Builder {
        private final LocalIotRule rule;
        private String host;
        private int port;
        private KinesisClient kinesis;
        private String streamName;
        private SqsClient sqs;
        private String errorQueueUrl;
        private int maxBatchRecords = MAX_PUT_RECORDS;
        private Duration flushInterval = Duration.ofMillis(100);
        private int maxPutAttempts = 4;
        private Duration retryBackoff = Duration.ofMillis(100);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private String clientId;

        private Builder(LocalIotRule rule) {
            this.rule = Objects.requireNonNull(rule, "rule");
        }

        public Builder broker(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        public Builder broker(LocalMqttBroker broker) {
            return broker(broker.host(), broker.port());
        }

        /** The Kinesis action's stream (binds the rule's {@code streamName}). */
        public Builder kinesis(KinesisClient client, String streamName) {
            this.kinesis = client;
            this.streamName = streamName;
            return this;
        }

        /** The error action's queue (binds the rule's {@code queueUrl}); without it rule errors are only logged. */
        public Builder errorQueue(SqsClient client, String queueUrl) {
            this.sqs = client;
            this.errorQueueUrl = queueUrl;
            return this;
        }

        /** Records per PutRecords call, 1..{@value #MAX_PUT_RECORDS} (default 500). */
        public Builder maxBatchRecords(int n) {
            if (n < 1 || n > MAX_PUT_RECORDS) {
                throw new IllegalArgumentException("maxBatchRecords must be 1.." + MAX_PUT_RECORDS + ", was " + n);
            }
            this.maxBatchRecords = n;
            return this;
        }

        /** How long a batch waits for more records after its first one arrived (default 100 ms). */
        public Builder flushInterval(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("flushInterval must not be negative");
            }
            this.flushInterval = d;
            return this;
        }

        /** PutRecords attempts per record before it goes to the error queue (default 4). */
        public Builder maxPutAttempts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxPutAttempts must be >= 1");
            }
            this.maxPutAttempts = n;
            return this;
        }

        /** First retry delay, doubling up to 1 s (default 100 ms). */
        public Builder retryBackoff(Duration d) {
            this.retryBackoff = d;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        /** The MQTT client id (default {@code waybill-rules-engine-<random>}). */
        public Builder clientId(String id) {
            this.clientId = id;
            return this;
        }

        /** Connects, subscribes (waits for the SUBACK) and starts the worker. */
        public LocalRuleRunner start() {
            if (host == null) {
                throw new IllegalStateException("broker(host, port) is required");
            }
            return new LocalRuleRunner(this);
        }
    }
}

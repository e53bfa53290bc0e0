package io.waybill.local.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local SQS event source mapping, as Lambda runs one with {@code ReportBatchItemFailures}: one poller receives up to
 * {@code batchSize} messages (long poll, hidden for {@code visibility}), invokes the handler with an {@link SQSEvent},
 * deletes every message the response does not name as a batch item failure, and leaves the named ones (and all of
 * them when the handler throws) to come back when their visibility runs out; the queue's own redrive policy, if any,
 * applies as on AWS. Used for the edge settlement notices ({@code DeadLetterSettlementHandler}).
 */
public final class SqsEventSourceMapping implements AutoCloseable {
    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(SqsEventSourceMapping.class.getName());

    private final SqsClient sqs;
    private final String queueUrl;
    private final int batchSize;
    private final Duration visibility;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final Thread poller;
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private volatile boolean running = true;

    private SqsEventSourceMapping(SqsClient sqs, String queueUrl, int batchSize, Duration visibility,
                                  RequestHandler<SQSEvent, SQSBatchResponse> handler, String name) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        if (batchSize < 1 || batchSize > 10) {
            throw new IllegalArgumentException("batch size " + batchSize + " is not in 1..10");
        }
        this.batchSize = batchSize;
        this.visibility = Objects.requireNonNull(visibility, "visibility");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.poller = new Thread(this::poll, "sqs-esm-" + name);
        this.poller.setDaemon(true);
    }

    /** Starts polling {@code queueUrl} for {@code handler}. */
    public static SqsEventSourceMapping start(SqsClient sqs, String queueUrl, int batchSize, Duration visibility,
                                             RequestHandler<SQSEvent, SQSBatchResponse> handler, String name) {
        SqsEventSourceMapping m = new SqsEventSourceMapping(sqs, queueUrl, batchSize, visibility, handler, name);
        m.poller.start();
        return m;
    }

    private void poll() {
        while (running) {
            List<Message> batch;
            try {
                batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(batchSize)
                        .waitTimeSeconds(1).visibilityTimeout((int) visibility.toSeconds())).messages();
            } catch (SdkException e) {
                if (running) {
                    LOG.warning("receive from " + queueUrl + " failed: " + e.getMessage());
                    sleep(200);
                }
                continue;
            }
            if (batch.isEmpty()) {
                continue;
            }
            List<SQSEvent.SQSMessage> records = new ArrayList<>(batch.size());
            for (Message m : batch) {
                SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
                r.setMessageId(m.messageId());
                r.setReceiptHandle(m.receiptHandle());
                r.setBody(m.body());
                r.setEventSource("aws:sqs");
                r.setEventSourceArn(queueUrl);
                records.add(r);
            }
            SQSEvent event = new SQSEvent();
            event.setRecords(records);
            Set<String> failed = new HashSet<>();
            try {
                invocations.incrementAndGet();
                SQSBatchResponse response = handler.handleRequest(event, null);
                if (response != null && response.getBatchItemFailures() != null) {
                    response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
                }
            } catch (RuntimeException e) {
                LOG.warning("handler failed, the batch comes back after " + visibility + ": " + e);
                continue;
            }
            for (Message m : batch) {
                if (!failed.contains(m.messageId())) {
                    try {
                        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                        deleted.incrementAndGet();
                    } catch (SdkException e) {
                        LOG.warning("delete from " + queueUrl + " failed (the message comes back): " + e.getMessage());
                    }
                }
            }
        }
    }

    /** Handler invocations so far. */
    public long invocations() {
        return invocations.get();
    }

    /** Messages handled and deleted so far. */
    public long deleted() {
        return deleted.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

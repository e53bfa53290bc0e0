package io.waybill.local.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers matched events to their targets, asynchronously, one task per (event, target): a Java
 * {@link LocalEventTarget} registered under the target's ARN, or an HTTP receiver when the ARN is an {@code http(s)://}
 * URL (POST of the event JSON, 2xx is delivered). A failed attempt is retried with exponential backoff and full jitter
 * until the target's {@link TargetRetryPolicy} is exhausted (retries, or the event's age checked before each retry),
 * then the event goes to the target's dead-letter queue with EventBridge's message attributes ({@code RULE_ARN},
 * {@code TARGET_ARN}, {@code ERROR_CODE}, {@code ERROR_MESSAGE}, {@code EXHAUSTED_RETRY_CONDITION},
 * {@code RETRY_ATTEMPTS}). Errors EventBridge does not retry (no such target: {@code NO_RESOURCE}; an HTTP 4xx other
 * than 408/429) go to the dead-letter queue at once. Without a dead-letter queue, or if the send fails, the event is
 * dropped as EventBridge drops it, but counted and logged at ERROR, never silently.
 */
public final class EventDeliveries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDeliveries.class);
    private static final int DLQ_SEND_ATTEMPTS = 3;

    /** Counters since start. */
    public record Stats(long attempts, long delivered, long retried, long deadLettered, long dropped) {
    }

    private final SqsClient sqs;
    private final Clock clock;
    private final Duration firstRetryDelay;
    private final Duration maxRetryDelay;
    private final HttpClient http;
    private final Duration httpTimeout;
    private final ScheduledExecutorService scheduler;
    private final Map<String, LocalEventTarget> javaTargets = new ConcurrentHashMap<>();
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Object idle = new Object();
    private long pending;

    EventDeliveries(SqsClient sqs, Clock clock, Duration firstRetryDelay, Duration maxRetryDelay, Duration httpTimeout) {
        this.sqs = sqs;
        this.clock = clock;
        this.firstRetryDelay = firstRetryDelay;
        this.maxRetryDelay = maxRetryDelay;
        this.httpTimeout = httpTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(httpTimeout).build();
        this.scheduler = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "local-event-delivery");
            t.setDaemon(true);
            return t;
        });
    }

    void register(String arn, LocalEventTarget target) {
        javaTargets.put(LocalEventBus.requireNonBlank(arn, "target arn"), target);
    }

    public Stats stats() {
        return new Stats(attempts.get(), delivered.get(), retried.get(), deadLettered.get(), dropped.get());
    }

    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    private void done() {
        synchronized (idle) {
            pending--;
            idle.notifyAll();
        }
    }

    void deliver(String ruleArn, LocalEventBus.Target target, String eventId, String payload, Instant received) {
        synchronized (idle) {
            pending++;
        }
        scheduler.execute(() -> attempt(ruleArn, target, eventId, payload, received, 0));
    }

    /** An attempt's failure: EventBridge's error code, and whether EventBridge would retry it. */
    private record Failure(String code, String message, boolean retriable) {
    }

    private void attempt(String ruleArn, LocalEventBus.Target target, String eventId, String payload, Instant received,
                         int retriesDone) {
        try {
            attempts.incrementAndGet();
            Failure failure = invoke(target.arn(), payload);
            if (failure == null) {
                delivered.incrementAndGet();
                LOG.debug("Event {} delivered to {} ({} retries)", eventId, target.arn(), retriesDone);
                done();
                return;
            }
            TargetRetryPolicy policy = target.retryPolicy();
            String exhausted = null;
            if (!failure.retriable()) {
                exhausted = "NonRetriableError";
            } else if (retriesDone >= policy.maximumRetryAttempts()) {
                exhausted = "MaximumRetryAttempts";
            } else if (Duration.between(received, clock.instant()).getSeconds() >= policy.maximumEventAgeInSeconds()) {
                exhausted = "MaximumEventAgeInSeconds";
            }
            if (exhausted == null) {
                retried.incrementAndGet();
                long cap = Math.min(maxRetryDelay.toMillis(), firstRetryDelay.toMillis() << Math.min(retriesDone, 30));
                long delay = ThreadLocalRandom.current().nextLong(cap / 2, Math.max(cap, cap / 2 + 1));
                LOG.info("Event {} to {} failed ({}: {}), retry {} in {} ms", eventId, target.arn(), failure.code(),
                        failure.message(), retriesDone + 1, delay);
                scheduler.schedule(() -> attempt(ruleArn, target, eventId, payload, received, retriesDone + 1),
                        delay, TimeUnit.MILLISECONDS);
                return;
            }
            deadLetter(ruleArn, target, eventId, payload, failure, exhausted, retriesDone);
            done();
        } catch (RuntimeException e) {
            LOG.error("Event {} to {}: delivery task failed, event dropped", eventId, target.arn(), e);
            dropped.incrementAndGet();
            done();
        }
    }

    private Failure invoke(String arn, String payload) {
        if (arn.startsWith("http://") || arn.startsWith("https://")) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(arn)).timeout(httpTimeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.discarding());
                int s = response.statusCode();
                if (s >= 200 && s < 300) {
                    return null;
                }
                boolean retriable = s >= 500 || s == 429 || s == 408;
                return new Failure(s == 429 ? "THROTTLING" : "SDK_CLIENT_ERROR", "HTTP " + s + " from " + arn, retriable);
            } catch (java.net.http.HttpConnectTimeoutException e) {
                return new Failure("CONNECTION_FAILURE", "Connection to " + arn + " timed out: " + e, true);
            } catch (HttpTimeoutException e) {
                return new Failure("TIMEOUT", "No response from " + arn + ": " + e, true);
            } catch (ConnectException e) {
                return new Failure("CONNECTION_FAILURE", "Connection to " + arn + " failed: " + e, true);
            } catch (IOException e) {
                return new Failure("CONNECTION_FAILURE", e.toString(), true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Failure("UNKNOWN", "interrupted", true);
            }
        }
        LocalEventTarget target = javaTargets.get(arn);
        if (target == null) {
            return new Failure("NO_RESOURCE", "Target " + arn + " is not registered with the local event bus", false);
        }
        try {
            target.accept(payload);
            return null;
        } catch (Exception e) {
            return new Failure("UNKNOWN", e.toString(), true);
        }
    }

    private void deadLetter(String ruleArn, LocalEventBus.Target target, String eventId, String payload, Failure failure,
                            String exhausted, int retriesDone) {
        if (target.deadLetterArn() == null || sqs == null) {
            dropped.incrementAndGet();
            LOG.error("Event {} to {} DROPPED (no dead-letter queue): {} {} after {} retries ({})", eventId,
                    target.arn(), failure.code(), failure.message(), retriesDone, exhausted);
            return;
        }
        Map<String, MessageAttributeValue> attributes = Map.of(
                "RULE_ARN", string(ruleArn),
                "TARGET_ARN", string(target.arn()),
                "ERROR_CODE", string(failure.code()),
                "ERROR_MESSAGE", string(failure.message()),
                "EXHAUSTED_RETRY_CONDITION", string(exhausted),
                "RETRY_ATTEMPTS", string(Integer.toString(retriesDone)));
        RuntimeException last = null;
        for (int i = 0; i < DLQ_SEND_ATTEMPTS; i++) {
            try {
                sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl(target.deadLetterArn()))
                        .messageBody(payload).messageAttributes(attributes).build());
                deadLettered.incrementAndGet();
                LOG.warn("Event {} to {} dead-lettered: {} {} ({})", eventId, target.arn(), failure.code(),
                        failure.message(), exhausted);
                return;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        dropped.incrementAndGet();
        LOG.error("Event {} to {} DROPPED: its dead-letter queue {} refused it: {}", eventId, target.arn(),
                target.deadLetterArn(), String.valueOf(last));
    }

    /** A queue URL as given, or an SQS queue ARN ({@code arn:aws:sqs:region:account:name}) resolved by name. */
    private String queueUrl(String arnOrUrl) {
        if (!arnOrUrl.startsWith("arn:")) {
            return arnOrUrl;
        }
        return queueUrls.computeIfAbsent(arnOrUrl, a -> sqs.getQueueUrl(GetQueueUrlRequest.builder()
                .queueName(a.substring(a.lastIndexOf(':') + 1)).build()).queueUrl());
    }

    private static MessageAttributeValue string(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v == null || v.isEmpty() ? "-" : v).build();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

package io.waybill.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deliveries: HTTP receivers down for a while or for good, event age, and a no-loss/no-duplicate property. */
class EventDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATTERN = "{\"source\":[\"io.waybill\"]}";

    private SQSRestServer elasticMq;
    private SdkHttpClient http;
    private SqsClient sqs;
    private LocalEventBus bus;
    private EventBridgeClient events;
    private String dlqUrl;
    private final AtomicLong now = new AtomicLong(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());

    @BeforeEach
    void start() throws Exception {
        elasticMq = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").withAWSRegion("us-east-1")
                .withAWSAccountId("000000000000").start();
        int port = elasticMq.waitUntilStarted().localAddress().getPort();
        http = Apache5HttpClient.builder().build();
        sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        dlqUrl = sqs.createQueue(b -> b.queueName("partner-dlq")).queueUrl();
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
        };
        bus = LocalEventBus.builder().deadLetterQueues(sqs).clock(clock)
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(40)).httpTimeout(Duration.ofSeconds(2)).start();
        events = LocalEventBusTest.client(bus, http);
    }

    @AfterEach
    void stop() {
        events.close();
        bus.close();
        sqs.close();
        http.close();
        elasticMq.stopAndWait();
    }

    private void rule(String name, String targetArn, int retries, int maxAgeSeconds) {
        events.putRule(b -> b.name(name).eventPattern(PATTERN));
        events.putTargets(b -> b.rule(name).targets(t -> t.id("t-" + name).arn(targetArn)
                .retryPolicy(p -> p.maximumRetryAttempts(retries).maximumEventAgeInSeconds(maxAgeSeconds))
                .deadLetterConfig(d -> d.arn("arn:aws:sqs:us-east-1:000000000000:partner-dlq"))));
    }

    private String put(String detail) {
        var r = events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("io.waybill")
                .detailType("waybill.shipment.departed.v1").detail(detail).build()));
        assertEquals(0, r.failedEntryCount());
        return r.entries().get(0).eventId();
    }

    private List<Message> drainDlq() {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10)
                    .messageAttributeNames("All").waitTimeSeconds(0)).messages();
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
            got.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle())));
        }
    }

    private static String attr(Message m, String name) {
        return m.messageAttributes().get(name).stringValue();
    }

    /** A receiver that answers 503 for its first {@code failFirst} requests, then 200 and records the bodies. */
    private static HttpServer receiver(int failFirst, List<String> bodies, AtomicInteger calls) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n = calls.incrementAndGet();
            int status = n <= failFirst ? 503 : 200;
            if (status == 200) {
                bodies.add(body);
            }
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        s.start();
        return s;
    }

    @Test
    void receiverDownForAWhileIsRetriedThenDeliveredOnce() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = receiver(3, bodies, calls); // down (503) for 3 attempts, up from the 4th
        try {
            rule("webhook", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/events", 5, 3600);
            String id = put("{\"shipmentId\":\"S-1\"}");
            assertTrue(bus.awaitDeliveries(Duration.ofSeconds(30)));
            assertEquals(4, calls.get());
            assertEquals(1, bodies.size());
            JsonNode event = JSON.readTree(bodies.get(0));
            assertEquals(id, event.get("id").asText());
            assertEquals("0", event.get("version").asText());
            assertEquals("waybill.shipment.departed.v1", event.get("detail-type").asText());
            assertEquals("S-1", event.at("/detail/shipmentId").asText());
            var stats = bus.stats();
            assertEquals(1, stats.delivered());
            assertEquals(3, stats.retried());
            assertEquals(0, stats.deadLettered());
            assertTrue(drainDlq().isEmpty());
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void receiverNotListeningForAWhileIsRetriedThenDeliveredOnceItIsUp() throws Exception {
        int port;
        try (java.net.ServerSocket reserved = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = reserved.getLocalPort();
        }
        rule("webhook-late", "http://127.0.0.1:" + port + "/events", 185, 86400);
        String id = put("{\"shipmentId\":\"S-3\"}");
        while (bus.stats().retried() < 3) { // connection refused at least 3 times: the receiver is down
            Thread.sleep(5);
        }
        assertEquals(0, bus.stats().delivered());
        List<String> bodies = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        receiver.createContext("/", x -> {
            calls.incrementAndGet();
            bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        receiver.start();
        try {
            assertTrue(bus.awaitDeliveries(Duration.ofSeconds(30)));
            assertEquals(1, calls.get());
            assertEquals(id, JSON.readTree(bodies.get(0)).get("id").asText());
            assertEquals(1, bus.stats().delivered());
            assertEquals(0, bus.stats().deadLettered());
            assertTrue(drainDlq().isEmpty());
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void receiverDownLongerThanTheRetryPolicyIsDeadLetteredWithEventBridgesAttributes() throws Exception {
        int port;
        try (java.net.ServerSocket gone = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort(); // closed below: nothing listens, connection refused on every attempt
        }
        String target = "http://127.0.0.1:" + port + "/events";
        rule("webhook-down", target, 2, 3600);
        String id = put("{\"shipmentId\":\"S-2\"}");
        assertTrue(bus.awaitDeliveries(Duration.ofSeconds(30)));
        List<Message> dlq = drainDlq();
        assertEquals(1, dlq.size());
        Message m = dlq.get(0);
        assertEquals(id, JSON.readTree(m.body()).get("id").asText());
        assertEquals("arn:aws:events:us-east-1:000000000000:rule/webhook-down", attr(m, "RULE_ARN"));
        assertEquals(target, attr(m, "TARGET_ARN"));
        assertEquals("CONNECTION_FAILURE", attr(m, "ERROR_CODE"));
        assertTrue(attr(m, "ERROR_MESSAGE").contains(target), attr(m, "ERROR_MESSAGE"));
        assertEquals("MaximumRetryAttempts", attr(m, "EXHAUSTED_RETRY_CONDITION"));
        assertEquals("2", attr(m, "RETRY_ATTEMPTS"));
        var stats = bus.stats();
        assertEquals(3, stats.attempts()); // the first attempt and 2 retries
        assertEquals(2, stats.retried());
        assertEquals(1, stats.deadLettered());
        assertEquals(0, stats.delivered());
    }

    @Test
    void anEventOlderThanMaximumEventAgeIsDeadLetteredAtTheNextFailure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        bus.registerTarget("arn:local:aging", event -> {
            calls.incrementAndGet();
            now.addAndGet(31_000); // each failed attempt takes 31 s of the bus's clock
            throw new IllegalStateException("partner function unavailable");
        });
        rule("aging", "arn:local:aging", 185, 60);
        put("{}");
        assertTrue(bus.awaitDeliveries(Duration.ofSeconds(30)));
        // attempt 1 ends at age 31 s (< 60: retry), attempt 2 at 62 s (>= 60: dead-lettered)
        assertEquals(2, calls.get());
        Message m = drainDlq().get(0);
        assertEquals("MaximumEventAgeInSeconds", attr(m, "EXHAUSTED_RETRY_CONDITION"));
        assertEquals("1", attr(m, "RETRY_ATTEMPTS"));
        assertTrue(attr(m, "ERROR_MESSAGE").contains("partner function unavailable"));
    }

    @Test
    void anUnregisteredTargetIsDeadLetteredWithoutRetries() throws Exception {
        rule("nowhere", "arn:local:not-registered", 185, 86400);
        put("{}");
        assertTrue(bus.awaitDeliveries(Duration.ofSeconds(30)));
        Message m = drainDlq().get(0);
        assertEquals("NO_RESOURCE", attr(m, "ERROR_CODE"));
        assertEquals("0", attr(m, "RETRY_ATTEMPTS"));
        assertEquals(0, bus.stats().retried());
    }

    /** Whether attempt {@code attempt} (1-based) for an event fails: a fixed pseudo-random draw, p = 0.35. */
    private static boolean fails(long seed, String eventId, int attempt) {
        long h = seed ^ eventId.hashCode() * 0x9E3779B97F4A7C15L ^ attempt * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return Math.floorMod(h, 100) < 35;
    }

    @Test
    void withRandomFailuresEveryEventIsDeliveredOnceOrDeadLetteredOnceNeverBoth() throws Exception {
        long seed = 20261206L;
        int retries = 2; // at most 3 attempts: P(all fail) = 0.35^3 = 4.3 %, so some of 300 events are dead-lettered
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> deliveredCount = new ConcurrentHashMap<>();
        bus.registerTarget("arn:local:flaky", event -> {
            String id = JSON.readTree(event).get("id").asText();
            int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (fails(seed, id, attempt)) {
                throw new RuntimeException("random failure " + attempt);
            }
            deliveredCount.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        });
        rule("flaky", "arn:local:flaky", retries, 86400);
        List<String> ids = new ArrayList<>();
        for (int batch = 0; batch < 30; batch++) {
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                entries.add(PutEventsRequestEntry.builder().source("io.waybill").detailType("t")
                        .detail("{\"n\":" + (batch * 10 + i) + "}").build());
            }
            var r = events.putEvents(b -> b.entries(entries));
            assertEquals(0, r.failedEntryCount());
            r.entries().forEach(e -> ids.add(e.eventId()));
        }
        assertTrue(bus.awaitDeliveries(Duration.ofSeconds(60)));
        Map<String, Integer> dlqCount = new HashMap<>();
        for (Message m : drainDlq()) {
            dlqCount.merge(JSON.readTree(m.body()).get("id").asText(), 1, Integer::sum);
        }
        // Reference model: an event is delivered iff one of its first retries + 1 attempts succeeds.
        int expectDelivered = 0;
        for (String id : ids) {
            boolean delivered = false;
            int attemptsNeeded = retries + 1;
            for (int a = 1; a <= retries + 1; a++) {
                if (!fails(seed, id, a)) {
                    delivered = true;
                    attemptsNeeded = a;
                    break;
                }
            }
            int d = deliveredCount.getOrDefault(id, new AtomicInteger()).get();
            int q = dlqCount.getOrDefault(id, 0);
            assertEquals(delivered ? 1 : 0, d, "delivered count of " + id);
            assertEquals(delivered ? 0 : 1, q, "dead-letter count of " + id);
            assertEquals(attemptsNeeded, attempts.get(id).get(), "attempts of " + id);
            expectDelivered += delivered ? 1 : 0;
        }
        assertEquals(ids.size(), deliveredCount.size() + dlqCount.size());
        assertTrue(expectDelivered < ids.size() && expectDelivered > 0, "the seed exercises both outcomes");
        var stats = bus.stats();
        assertEquals(expectDelivered, stats.delivered());
        assertEquals(ids.size() - expectDelivered, stats.deadLettered());
        assertEquals(0, stats.dropped());
    }
}

package io.waybill.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.aws.partner.EventBridgePartnerPublisher;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.event.ShipmentPlanned;
import io.waybill.domain.partner.DeliveryPolicy;
import io.waybill.domain.partner.InMemoryShipmentParties;
import io.waybill.domain.partner.Partner;
import io.waybill.domain.partner.PartnerDelivery;
import io.waybill.domain.partner.PartnerEgress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partner's webhook down for a while, through the local bus and the shipped northwind rule file (its retry policy
 * replaced by a short one for the run, the file untouched): an outage shorter than the retry policy is ridden out
 * (every event arrives, once); a longer one sends the events to {@code PartnerDeliveryDlq} with EventBridge's
 * attributes; nothing is lost: each event northwind should get (worked out here from the published facts) is either
 * received exactly once or in the dead-letter queue, never both, and nothing else arrives.
 */
@Timeout(120)
class PartnerTargetDownTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RULES = Path.of("..", "infra-cdk", "event-rules");
    private static final String BUS = "waybill-partners";
    private static final String RULE = "waybill-partner-northwind-3pl-egress";
    private static final String NORTHWIND_GLN = "4012345000009";
    private static final String OTHER_GLN = "4012345000016";
    private static final String DC_GLN = "4012345000023";
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final Set<EventType> EXPORTED = Set.of(EventType.SHIPMENT_DEPARTED, EventType.SHIPMENT_ARRIVED);

    private SQSRestServer elasticMq;
    private SdkHttpClient http;
    private SqsClient sqs;
    private LocalEventBus bus;
    private EventBridgeClient events;
    private PartnerWebhookReceiver northwind;
    private String dlqUrl;

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
        dlqUrl = sqs.createQueue(b -> b.queueName("partner-delivery-dlq")).queueUrl();
        bus = LocalEventBus.builder().deadLetterQueues(sqs).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(80))
                .httpTimeout(Duration.ofSeconds(2)).start();
        events = LocalEventBusTest.client(bus, http);
        events.createEventBus(b -> b.name(BUS));
        northwind = PartnerWebhookReceiver.start("northwind-3pl");
    }

    @AfterEach
    void stop() {
        northwind.close();
        events.close();
        bus.close();
        sqs.close();
        http.close();
        elasticMq.stopAndWait();
    }

    /** The shipped rule files bound to this run, every target with {@code retries} retries. */
    private void putRules(int retries) {
        Map<String, String> local = Map.of("PartnerBus.eventBusName", BUS,
                "Northwind3plDestination.arn", northwind.uri().toString(),
                "PartnerDeliveryDlq.queueArn", "arn:aws:sqs:us-east-1:000000000000:partner-delivery-dlq",
                "PartnerFunction.functionArn", "arn:local:partner-function",
                "PartnerIngressDlq.queueArn", "arn:aws:sqs:us-east-1:000000000000:partner-delivery-dlq");
        EventRuleDefinition.readAll(RULES).forEach(r -> r.bind(local::get)
                .withRetryPolicy(new TargetRetryPolicy(retries, 3600)).putWith(events));
    }

    private PartnerEgress egress() {
        return new PartnerEgress(() -> List.of(
                new Partner("northwind-3pl", EXPORTED, Set.of(NORTHWIND_GLN), Set.of()),
                new Partner("other-3pl", EXPORTED, Set.of(OTHER_GLN), Set.of())),
                new InMemoryShipmentParties(),
                new PartnerDelivery(new EventBridgePartnerPublisher(events, BUS), (entry, reason) -> {
                    throw new AssertionError("egress dead-lettered: " + reason);
                }, DeliveryPolicy.DEFAULT, ms -> { }, new Random(1)), PartnerEgress.DEFAULT_SOURCE);
    }

    /** A published fact and whether northwind should receive it (the reference: plan destination + type). */
    private record Published(CanonicalEvent event, boolean forNorthwind) {
    }

    /** {@code shipments} shipments from {@code firstSscc}, alternately to northwind and to the other 3PL. */
    private static List<Published> trips(String prefix, int firstSerial, int shipments) {
        List<Published> out = new ArrayList<>();
        for (int s = 0; s < shipments; s++) {
            String sscc = sscc(firstSerial + s);
            boolean ours = s % 2 == 0;
            String to = ours ? NORTHWIND_GLN : OTHER_GLN;
            out.add(new Published(event(prefix + "p" + s, s, new ShipmentPlanned(sscc, "chilled-biologics-2-8", DC_GLN,
                    to, null, null, List.of(), null, null)), false));
            out.add(new Published(event(prefix + "d" + s, 10 + s, new ShipmentDeparted(sscc, DC_GLN, null, null,
                    null)), ours));
            out.add(new Published(event(prefix + "a" + s, 300 + s, new ShipmentArrived(sscc, to, null, null)), ours));
        }
        return out;
    }

    /** An SSCC with extension 3, company prefix 40123450 and a GS1 mod-10 check digit. */
    static String sscc(int serial) {
        String data = "340123450" + String.format("%08d", serial);
        int sum = 0;
        for (int i = 0; i < data.length(); i++) {
            int d = data.charAt(data.length() - 1 - i) - '0';
            sum += i % 2 == 0 ? 3 * d : d;
        }
        return data + (10 - sum % 10) % 10;
    }

    private static CanonicalEvent event(String id, int minute, EventData data) {
        Instant t = T0.plus(Duration.ofMinutes(minute));
        return new CanonicalEvent(id, "urn:waybill:test:" + id, EventType.of(data).type(), t, data.subject(), t, null,
                null, t, 0, false, "test", null, data);
    }

    private static Set<String> northwindIds(List<Published> published) {
        Set<String> ids = new HashSet<>();
        published.stream().filter(Published::forNorthwind).forEach(p -> ids.add(p.event().id()));
        return ids;
    }

    private List<String> receivedIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String body : northwind.received()) {
            JsonNode e = JSON.readTree(body);
            assertThat(e.at("/detail/partner").asText()).isEqualTo("northwind-3pl");
            ids.add(e.at("/detail/eventId").asText());
        }
        return ids;
    }

    private List<Message> drainDlq() {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).messageAttributeNames("All")).messages();
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
            got.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle())));
        }
    }

    private static String dlqEventId(Message m) throws Exception {
        return JSON.readTree(m.body()).at("/detail/eventId").asText();
    }

    @Test
    void anOutageShorterThanTheRetryPolicyIsRiddenOutAndEveryEventArrivesOnce() throws Exception {
        putRules(3);
        // 3 refusals, 3 retries per event: even if one event drew all three, its 4th attempt is answered 200.
        northwind.failFirst(3);
        List<Published> published = trips("s", 17, 6);
        egress().accept(published.stream().map(Published::event).toList());
        assertThat(bus.awaitDeliveries(Duration.ofSeconds(60))).isTrue();

        assertThat(northwind.refused()).isEqualTo(3);
        List<String> received = receivedIds();
        assertThat(received).doesNotHaveDuplicates();
        assertThat(new HashSet<>(received)).isEqualTo(northwindIds(published)).hasSize(6);
        assertThat(drainDlq()).isEmpty();
        assertThat(bus.stats().retried()).isEqualTo(3);
    }

    @Test
    void anOutageLongerThanTheRetryPolicyDeadLettersAndNothingIsLost() throws Exception {
        putRules(2);
        // Down for good while the first trips are published: 1 attempt + 2 retries each, all refused.
        northwind.failFirst(Integer.MAX_VALUE);
        PartnerEgress egress = egress();
        List<Published> during = trips("x", 100, 4);
        egress.accept(during.stream().map(Published::event).toList());
        assertThat(bus.awaitDeliveries(Duration.ofSeconds(60))).isTrue();
        // Back up: the next trips arrive.
        northwind.failFirst(0);
        List<Published> after = trips("y", 200, 4);
        egress.accept(after.stream().map(Published::event).toList());
        assertThat(bus.awaitDeliveries(Duration.ofSeconds(60))).isTrue();

        Set<String> expectedDown = northwindIds(during);
        Set<String> expectedUp = northwindIds(after);
        assertThat(northwind.refused()).isEqualTo(expectedDown.size() * 3);
        List<Message> dead = drainDlq();
        Map<String, Integer> deadIds = new HashMap<>();
        for (Message m : dead) {
            deadIds.merge(dlqEventId(m), 1, Integer::sum);
            Map<String, String> a = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> a.put(k, v.stringValue()));
            assertThat(a).containsEntry("RULE_ARN", bus.ruleArn(BUS, RULE))
                    .containsEntry("TARGET_ARN", northwind.uri().toString())
                    .containsEntry("ERROR_CODE", "SDK_CLIENT_ERROR")
                    .containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts")
                    .containsEntry("RETRY_ATTEMPTS", "2");
            assertThat(a.get("ERROR_MESSAGE")).contains("HTTP 503");
        }
        List<String> received = receivedIds();
        assertThat(received).doesNotHaveDuplicates();
        assertThat(deadIds.values()).allMatch(n -> n == 1);
        assertThat(deadIds.keySet()).isEqualTo(expectedDown).hasSize(4);
        assertThat(new HashSet<>(received)).isEqualTo(expectedUp).hasSize(4);
        // Nothing lost, nothing twice: received and dead-lettered partition what northwind should get.
        Set<String> union = new HashSet<>(received);
        union.addAll(deadIds.keySet());
        assertThat(union).hasSize(received.size() + deadIds.size());
        Set<String> all = new HashSet<>(expectedDown);
        all.addAll(expectedUp);
        assertThat(union).isEqualTo(all);
    }

    @Test
    void anOutageWindowEndsInEachEventReceivedOnceOrDeadLetteredNeverLostOrTwice() throws Exception {
        putRules(2);
        // Down for a wall-clock window about as long as the retries (10..80 ms backoff): which events make it is
        // left to timing, the partition is not.
        northwind.failUntil(Instant.now().plusMillis(120));
        List<Published> published = trips("w", 300, 10);
        egress().accept(published.stream().map(Published::event).toList());
        assertThat(bus.awaitDeliveries(Duration.ofSeconds(60))).isTrue();

        List<String> received = receivedIds();
        List<String> dead = new ArrayList<>();
        for (Message m : drainDlq()) {
            dead.add(dlqEventId(m));
        }
        List<String> both = new ArrayList<>(received);
        both.addAll(dead);
        assertThat(both).doesNotHaveDuplicates();
        assertThat(new HashSet<>(both)).isEqualTo(northwindIds(published)).hasSize(10);
        assertThat(bus.stats().dropped()).isZero();
    }
}

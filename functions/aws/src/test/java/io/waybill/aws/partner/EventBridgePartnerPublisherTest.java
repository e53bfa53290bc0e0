package io.waybill.aws.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.waybill.domain.ingestion.PermanentDependencyException;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.partner.DeliveryPolicy;
import io.waybill.domain.partner.OutboundEntry;
import io.waybill.domain.partner.PartnerDelivery;
import io.waybill.domain.partner.PartnerPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PutEvents codec through the real SDK EventBridge client against a JDK HTTP server that records each JSON 1.1
 * request and answers per entry as EventBridge does (a codec test; the local bus is tested with its own module).
 */
class EventBridgePartnerPublisherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2026-03-01T10:00:00Z = (20,513 days * 86,400 s) + 36,000 s, worked by hand. */
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private static final long T_EPOCH_SECONDS = 1_772_359_200L;

    record Received(String target, String contentType, JsonNode body) {
    }

    record Answer(int status, String body) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private EventBridgeClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    JSON.readTree(new String(in, StandardCharsets.UTF_8))));
            Answer a = answers.poll();
            if (a == null) {
                // accept every entry
                int n = JSON.readTree(in).get("Entries").size();
                StringBuilder sb = new StringBuilder("{\"FailedEntryCount\":0,\"Entries\":[");
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append("{\"EventId\":\"ok-").append(i).append("\"}");
                }
                a = new Answer(200, sb.append("]}").toString());
            }
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(a.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        client = EventBridgeClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private static OutboundEntry entry(String eventId, String detail) {
        return new OutboundEntry("acme-3pl", "340123450000000017", eventId, "io.waybill",
                "waybill.shipment.departed.v1", detail, List.of(), T);
    }

    @Test
    void putEventsIsJson11WithDetailAsAStringAndTimeAsEpochSeconds() {
        String detail = "{\"partner\":\"acme-3pl\",\"eventId\":\"e1\",\"event\":{\"note\":\"K\u00fchlkette\"}}";
        answers.add(new Answer(200, "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"11710aed-b79e\"}]}"));

        List<PartnerPublisher.Result> results = new EventBridgePartnerPublisher(client, "waybill-partners")
                .putEvents(List.of(entry("e1", detail)));

        assertThat(results).containsExactly(PartnerPublisher.Result.accepted("11710aed-b79e"));
        Received r = received.get(0);
        assertThat(r.target()).isEqualTo("AWSEvents.PutEvents");
        assertThat(r.contentType()).startsWith("application/x-amz-json-1.1");
        JsonNode sent = r.body().get("Entries").get(0);
        assertThat(sent.get("Source").asText()).isEqualTo("io.waybill");
        assertThat(sent.get("DetailType").asText()).isEqualTo("waybill.shipment.departed.v1");
        assertThat(sent.get("EventBusName").asText()).isEqualTo("waybill-partners");
        assertThat(sent.get("Detail").isTextual()).as("Detail is a JSON string, not an object").isTrue();
        assertThat(sent.get("Detail").asText()).isEqualTo(detail);
        assertThat(sent.get("Time").isNumber()).isTrue();
        assertThat(sent.get("Time").decimalValue().longValueExact()).isEqualTo(T_EPOCH_SECONDS);
    }

    @Test
    void perEntryFailuresAreParsedByPosition() {
        answers.add(new Answer(200, "{\"FailedEntryCount\":2,\"Entries\":[{\"EventId\":\"a\"},"
                + "{\"ErrorCode\":\"ThrottlingException\",\"ErrorMessage\":\"Rate exceeded\"},"
                + "{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"try again\"}]}"));

        List<PartnerPublisher.Result> results = new EventBridgePartnerPublisher(client, "waybill-partners")
                .putEvents(List.of(entry("e1", "{}"), entry("e2", "{}"), entry("e3", "{}")));

        assertThat(results).containsExactly(PartnerPublisher.Result.accepted("a"),
                PartnerPublisher.Result.failed("ThrottlingException", "Rate exceeded"),
                PartnerPublisher.Result.failed("InternalFailure", "try again"));
        assertThat(received.get(0).body().get("Entries")).hasSize(3);
    }

    @Test
    void aThrottledCallIsTransientAndAMissingBusIsPermanent() {
        EventBridgePartnerPublisher publisher = new EventBridgePartnerPublisher(client, "waybill-partners");
        answers.add(new Answer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"));
        assertThatThrownBy(() -> publisher.putEvents(List.of(entry("e1", "{}"))))
                .isInstanceOf(TransientDependencyException.class);
        answers.add(new Answer(400, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Event bus waybill-partners does not exist.\"}"));
        assertThatThrownBy(() -> publisher.putEvents(List.of(entry("e1", "{}"))))
                .isInstanceOf(PermanentDependencyException.class);
    }

    @Test
    void overTheWireOnlyTheFailedEntryIsResent() {
        List<OutboundEntry> entries = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            entries.add(entry("e" + i, "{\"eventId\":\"e" + i + "\"}"));
        }
        StringBuilder first = new StringBuilder("{\"FailedEntryCount\":1,\"Entries\":[");
        for (int i = 0; i < 10; i++) {
            first.append(i == 0 ? "" : ",").append(i == 7
                    ? "{\"ErrorCode\":\"ThrottlingException\",\"ErrorMessage\":\"Rate exceeded\"}"
                    : "{\"EventId\":\"x" + i + "\"}");
        }
        answers.add(new Answer(200, first.append("]}").toString()));
        List<String> dead = new ArrayList<>();
        PartnerDelivery delivery = new PartnerDelivery(new EventBridgePartnerPublisher(client, "waybill-partners"),
                (e, reason) -> dead.add(e.eventId()), new DeliveryPolicy(3, Duration.ZERO, Duration.ZERO),
                ms -> { }, new Random(1));

        PartnerDelivery.Outcome out = delivery.deliver(entries);

        assertThat(received).extracting(r -> r.body().get("Entries").size()).containsExactly(10, 2, 1);
        assertThat(received.get(2).body().get("Entries").get(0).get("Detail").asText())
                .isEqualTo("{\"eventId\":\"e7\"}");
        assertThat(out.delivered()).hasSize(12);
        assertThat(dead).isEmpty();
    }
}

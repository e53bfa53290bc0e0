package io.waybill.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.partner.Partner;
import io.waybill.local.partner.LocalPartners;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's Partners section on a pipeline deployed with {@code partners(...)} (the local partner bus, the shipped
 * rule files, northwind's webhook receiver, egress behind the canonical stream): generated trips to the three 3PL
 * hubs, plans published first. By hand, for 6 trips (trip k goes to hub k % 3, the last one has no plan): northwind
 * (hubs 0 and 1) is party to trips 0, 1, 3, 4, each with 2 departures (SWIFTLOG DEP, GPS exit), 2 arrivals (GPS
 * enter, SWIFTLOG ARR) and 1 custody transfer (POD): 20 events; coldline (hub 2, departures and arrivals) to trip 2
 * only: 4; trip 5 (no plan, only the carrier and the store as parties) to nobody.
 */
@Timeout(300)
class PartnersSectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHIPMENTS = 6;
    private static LocalAwsStack stack;
    private static LocalPipeline pipeline;
    private static TrafficGenerator generator;
    private static GeneratedTraffic traffic;
    private static List<byte[]> plans;

    @BeforeAll
    static void deployAndPublish() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("partners-section"))
                .shards(2).partners(LocalPartners.Settings.of(PartnersSection.partners())).deploy();
        generator = new TrafficGenerator(7, SHIPMENTS, 5, 2, 0);
        traffic = generator.generate();
        plans = new ArrayList<>();
        List<String> planKeys = new ArrayList<>();
        for (int i = 0; i < SHIPMENTS - 1; i++) {
            plans.add(new TripPlans.Plan(traffic.shipments().get(i), "chilled-biologics-2-8", generator.departure(i),
                    generator.arrival(i), List.of(), generator.departure(i).minus(Duration.ofDays(1)),
                    generator.hub(i)).payload());
            planKeys.add(TripPlans.PARTNER);
        }
        pipeline.publish(plans, planKeys);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).isTrue();
        List<byte[]> payloads = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        traffic.records().forEach(r -> {
            payloads.add(r.payload());
            keys.add(r.partitionKey());
        });
        pipeline.publish(payloads, keys);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(120))).isTrue();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static List<CanonicalEvent> stored() {
        return pipeline.storedEvents().stream().map(item -> {
            try {
                return CanonicalEventJson.fromJson(CanonicalEventJson.MAPPER.readTree(item.get("eventJson").s()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    @Test
    void theReferenceIsTheHandCount() {
        PartnersSection.Expectation e = PartnersSection.expect(plans, traffic, PartnersSection.partners());
        List<String> s = traffic.shipments();
        assertThat(e.of(LocalPartners.NORTHWIND).keySet()).containsExactlyInAnyOrder(s.get(0), s.get(1), s.get(3),
                s.get(4));
        assertThat(e.total(LocalPartners.NORTHWIND)).isEqualTo(20);
        assertThat(e.of(LocalPartners.NORTHWIND).get(s.get(0))).isEqualTo(Map.of(
                "waybill.shipment.departed.v1", 2, "waybill.shipment.arrived.v1", 2,
                "waybill.custody.transferred.v1", 1));
        assertThat(e.of(PartnersSection.COLDLINE).keySet()).containsExactly(s.get(2));
        assertThat(e.total(PartnersSection.COLDLINE)).isEqualTo(4);
    }

    @Test
    void northwindGetsExactlyItsShipmentsEventsOnceAndTheEpcisExportIsValid(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<String> failures = new ArrayList<>();
        Path epcis = dir.resolve("epcis.json");
        new PartnersSection(new PrintStream(buffer, true, StandardCharsets.UTF_8), epcis).print(pipeline.partners(),
                pipeline.partnerEgressMapping(), stack.clients().sqs(),
                PartnersSection.expect(plans, traffic, PartnersSection.partners()), stored(), failures);
        String report = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertThat(failures).as(report).isEmpty();
        assertThat(report).contains("valid against GS1's EPCIS 2.0 JSON Schema");

        // Independently of the section: northwind's receiver holds 20 events, none twice, all its own.
        List<String> received = pipeline.partners().receiver(LocalPartners.NORTHWIND).received();
        assertThat(received).hasSize(20);
        Set<String> northwindShipments = Set.of(traffic.shipments().get(0), traffic.shipments().get(1),
                traffic.shipments().get(3), traffic.shipments().get(4));
        List<String> ids = new ArrayList<>();
        for (String body : received) {
            JsonNode e = JSON.readTree(body);
            assertThat(northwindShipments).contains(e.at("/detail/event/subject").asText());
            ids.add(e.at("/detail/eventId").asText());
        }
        assertThat(ids).doesNotHaveDuplicates();
        JsonNode document = JSON.readTree(Files.readString(epcis));
        assertThat(document.path("type").asText()).isEqualTo("EPCISDocument");
        assertThat(document.at("/epcisBody/eventList").size()).isPositive();
    }

    @Test
    void theCheckFailsWhenTheReferenceSaysOtherwise() {
        // The same run judged against a reference in which northwind's sites are coldline's hub: must fail.
        List<String> hubs = TrafficGenerator.hubs();
        List<Partner> swapped = List.of(
                new Partner(LocalPartners.NORTHWIND, PartnersSection.NORTHWIND_TYPES, Set.of(hubs.get(2)), Set.of()),
                new Partner(PartnersSection.COLDLINE, PartnersSection.COLDLINE_TYPES, Set.of(hubs.get(0)), Set.of()));
        List<String> failures = new ArrayList<>();
        new PartnersSection(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Path.of(System.getProperty("java.io.tmpdir"), "partners-section-test-epcis.json"))
                .print(pipeline.partners(), pipeline.partnerEgressMapping(), stack.clients().sqs(),
                        PartnersSection.expect(plans, traffic, swapped), List.of(), failures);
        assertThat(failures).anyMatch(f -> f.startsWith(LocalPartners.NORTHWIND + " received"));
    }

    /**
     * The partner function on the local stack: northwind-3pl's 3PL system puts a shipment status (SwiftLog's format)
     * twice from its own account; the ingest path stores it once under the partner's route
     * ({@code urn:waybill:swiftlog:northwind-3pl}, written out by hand). The same put signed by an account no partner is
     * registered for lands in the refused queue with {@code UNKNOWN_SENDER}, its detail unchanged.
     */
    @Test
    void partnerStatusFromItsAccountIsIngestedOnceAndAStrangersIsRefused() throws Exception {
        LocalPartners partners = pipeline.partners();
        String at = java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        String status = "{\"messageId\":\"SL-LOCAL-0001\",\"statusCode\":\"ARR\","
                + "\"sscc\":\"(00)106141412345678908\",\"facility\":{\"gln\":\"0614141000012\"},"
                + "\"eventTimeUtc\":\"" + at + "\"}";
        try (var http = io.waybill.local.AwsClients.newHttpClient();
             var northwind = sender(partners, http, "northwind-3pl");
             var stranger = sender(partners, http, "someone-else")) {
            for (int i = 0; i < 2; i++) {
                northwind.putEvents(b -> b.entries(e -> e.eventBusName(partners.busName())
                        .source("partner.3pl.northwind").detailType("ShipmentStatus").detail(status)));
            }
            stranger.putEvents(b -> b.entries(e -> e.eventBusName(partners.busName())
                    .source("partner.3pl.northwind").detailType("ShipmentStatus").detail(status)));
        }
        assertThat(partners.awaitDeliveries(Duration.ofSeconds(30))).isTrue();
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).isTrue();
        long stored = pipeline.storedEvents().stream().map(Object::toString)
                .filter(item -> item.contains("urn:waybill:swiftlog:northwind-3pl")
                        && item.contains("SL-LOCAL-0001")).count();
        assertThat(stored).as("stored once under northwind-3pl's route").isEqualTo(1);

        List<Message> refused = stack.clients().sqs().receiveMessage(b -> b.queueUrl(partners.ingressRefusedUrl())
                .maxNumberOfMessages(10).messageAttributeNames("All").waitTimeSeconds(2)).messages();
        assertThat(refused).hasSize(1);
        Map<String, String> attributes = new HashMap<>();
        refused.get(0).messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
        assertThat(attributes).containsEntry("REASON", "UNKNOWN_SENDER");
        assertThat(JSON.readTree(refused.get(0).body()).path("detail")).isEqualTo(JSON.readTree(status));
        List<Message> ruleDead = stack.clients().sqs().receiveMessage(b -> b.queueUrl(partners.ingressDlqUrl())
                .maxNumberOfMessages(10)).messages();
        assertThat(ruleDead).as("every delivery to the partner function succeeded").isEmpty();
    }

    /** A client signing with {@code accessKeyId}, which the local bus maps to that partner's account. */
    private static software.amazon.awssdk.services.eventbridge.EventBridgeClient sender(LocalPartners partners,
            software.amazon.awssdk.http.SdkHttpClient http, String accessKeyId) {
        return software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder()
                .endpointOverride(partners.bus().uri()).region(stack.clients().endpoints().region())
                .httpClient(http)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKeyId, "local")))
                .build();
    }
}

package io.waybill.local.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule files in infra-cdk/event-rules/, read, bound to local resources and put through the SDK client. */
class EventRuleDefinitionTest {
    private static final Path RULES = Path.of("..", "infra-cdk", "event-rules");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRuleFileLoadsWithPatternRetryPolicyAndDeadLetterQueue() {
        List<EventRuleDefinition> rules = EventRuleDefinition.readAll(RULES);
        assertEquals(List.of("waybill-partner-ingress-shipment-status", "waybill-partner-northwind-3pl-egress"),
                rules.stream().map(EventRuleDefinition::name).toList());
        assertEquals(List.of("PartnerBus.eventBusName", "Northwind3plDestination.arn", "PartnerDeliveryDlq.queueArn"),
                rules.get(1).bindings());
    }

    @Test
    void aTargetWithoutDeadLetterQueueOrAnInvalidPatternIsRefused() {
        String noDlq = "{\"name\":\"r\",\"eventPattern\":{\"source\":[\"x\"]},\"targets\":[{\"id\":\"t\",\"arn\":\"a\","
                + "\"retryPolicy\":{\"maximumRetryAttempts\":1,\"maximumEventAgeInSeconds\":60}}]}";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventRuleDefinition.parse(noDlq, "f.json"))
                .getMessage().contains("deadLetterConfig"));
        String badPattern = noDlq.replace("[\"x\"]", "\"x\"");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventRuleDefinition.parse(badPattern, "f.json"))
                .getMessage().contains("eventPattern is not valid"));
    }

    @Test
    void thePartnerRuleDeliversOnlyThatPartnersShipmentsOnTheLocalBus() throws Exception {
        try (LocalEventBus bus = LocalEventBus.builder().start(); SdkHttpClient http = Apache5HttpClient.builder().build();
             EventBridgeClient events = LocalEventBusTest.client(bus, http)) {
            events.createEventBus(b -> b.name("waybill-partners"));
            List<String> northwind = new CopyOnWriteArrayList<>();
            List<String> ingress = new CopyOnWriteArrayList<>();
            bus.registerTarget("arn:local:northwind", northwind::add);
            bus.registerTarget("arn:local:partner-function", ingress::add);
            Map<String, String> local = Map.of("PartnerBus.eventBusName", "waybill-partners",
                    "Northwind3plDestination.arn", "arn:local:northwind",
                    "PartnerDeliveryDlq.queueArn", "arn:aws:sqs:us-east-1:000000000000:partner-dlq",
                    "PartnerFunction.functionArn", "arn:local:partner-function",
                    "PartnerIngressDlq.queueArn", "arn:aws:sqs:us-east-1:000000000000:ingress-dlq");
            EventRuleDefinition.readAll(RULES).forEach(r -> r.bind(local::get).putWith(events));

            var r = events.putEvents(b -> b.entries(
                    entry("io.waybill", "waybill.shipment.departed.v1", "{\"partner\":\"northwind-3pl\",\"n\":1}"),
                    entry("io.waybill", "waybill.shipment.departed.v1", "{\"partner\":\"other-3pl\",\"n\":2}"),
                    entry("io.waybill", "waybill.temperature.observed.v1", "{\"partner\":\"northwind-3pl\",\"n\":3}"),
                    entry("partner.3pl.northwind", "ShipmentStatus", "{\"n\":4}"),
                    entry("partner.supplier.acme", "AdvanceShipNotice", "{\"n\":5}"),
                    entry("partner.supplier.acme", "ShipmentStatus", "{\"n\":6}")));
            assertEquals(0, r.failedEntryCount());
            assertTrue(bus.awaitDeliveries(Duration.ofSeconds(30)));
            // by hand: 1 matches the egress rule (source, detail-type listed, own partner); 2 is another partner's;
            // 3's detail-type is not exported; 4 and 5 match one branch each of the ingress $or; 6 neither branch.
            assertEquals(List.of(1), numbers(northwind));
            assertEquals(List.of(4, 5), numbers(ingress));
        }
    }

    private static PutEventsRequestEntry entry(String source, String type, String detail) {
        return PutEventsRequestEntry.builder().eventBusName("waybill-partners").source(source).detailType(type)
                .detail(detail).build();
    }

    private static List<Integer> numbers(List<String> events) {
        return events.stream().map(e -> {
            try {
                return JSON.readTree(e).at("/detail/n").asInt();
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }).sorted().toList();
    }
}

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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Egress end to end on the local bus: what {@link PartnerEgress} publishes through the real EventBridge client must be
 * what the partner rules in {@code infra-cdk/event-rules/} (the files the stack deploys) deliver: northwind-3pl's rule
 * gets the departures and arrivals of the shipments northwind is party to, and nothing about another partner's
 * shipment. The rule and the egress code must agree on where the partner id is ({@code detail.partner}).
 */
class PartnerEgressThroughLocalBusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RULES = Path.of("..", "infra-cdk", "event-rules");
    private static final String NORTHWIND_GLN = "4012345000009";
    private static final String OTHER_GLN = "4012345000016";
    private static final String DC_GLN = "4012345000023";
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private static CanonicalEvent event(String id, int minute, EventData data) {
        Instant t = T0.plus(Duration.ofMinutes(minute));
        return new CanonicalEvent(id, "urn:waybill:test:" + id, EventType.of(data).type(), t, data.subject(), t, null,
                null, t, 0, false, "test", null, data);
    }

    @Test
    void aPartnerRuleDeliversExactlyThatPartnersShipmentsAsEgressPublishesThem() throws Exception {
        try (LocalEventBus bus = LocalEventBus.builder().start(); SdkHttpClient http = Apache5HttpClient.builder().build();
             EventBridgeClient events = LocalEventBusTest.client(bus, http)) {
            events.createEventBus(b -> b.name("waybill-partners"));
            List<String> northwind = new CopyOnWriteArrayList<>();
            bus.registerTarget("arn:local:northwind", northwind::add);
            bus.registerTarget("arn:local:partner-function", e -> { });
            Map<String, String> local = Map.of("PartnerBus.eventBusName", "waybill-partners",
                    "Northwind3plDestination.arn", "arn:local:northwind",
                    "PartnerDeliveryDlq.queueArn", "arn:aws:sqs:us-east-1:000000000000:partner-dlq",
                    "PartnerFunction.functionArn", "arn:local:partner-function",
                    "PartnerIngressDlq.queueArn", "arn:aws:sqs:us-east-1:000000000000:ingress-dlq");
            EventRuleDefinition.readAll(RULES).forEach(r -> r.bind(local::get).putWith(events));

            Set<EventType> exported = Set.of(EventType.SHIPMENT_DEPARTED, EventType.SHIPMENT_ARRIVED);
            PartnerEgress egress = new PartnerEgress(() -> List.of(
                    new Partner("northwind-3pl", exported, Set.of(NORTHWIND_GLN), Set.of()),
                    new Partner("other-3pl", exported, Set.of(OTHER_GLN), Set.of())),
                    new InMemoryShipmentParties(),
                    new PartnerDelivery(new EventBridgePartnerPublisher(events, "waybill-partners"), (entry, reason) -> {
                        throw new AssertionError("dead-lettered: " + reason);
                    }, DeliveryPolicy.DEFAULT, ms -> { }, new Random(1)), PartnerEgress.DEFAULT_SOURCE);

            String ours = "340123450000000017";
            String theirs = "340123450000000024";
            egress.accept(List.of(
                    event("p1", 0, new ShipmentPlanned(ours, "chilled-biologics-2-8", DC_GLN, NORTHWIND_GLN, null, null,
                            List.of(), null, null)),
                    event("p2", 0, new ShipmentPlanned(theirs, "chilled-biologics-2-8", DC_GLN, OTHER_GLN, null, null,
                            List.of(), null, null)),
                    event("d1", 10, new ShipmentDeparted(ours, DC_GLN, null, null, null)),
                    event("d2", 11, new ShipmentDeparted(theirs, DC_GLN, null, null, null)),
                    event("a1", 300, new ShipmentArrived(ours, NORTHWIND_GLN, null, null)),
                    event("a2", 301, new ShipmentArrived(theirs, OTHER_GLN, null, null))));
            assertThat(bus.awaitDeliveries(Duration.ofSeconds(30))).isTrue();

            assertThat(northwind).hasSize(2);
            for (String delivered : northwind) {
                JsonNode e = JSON.readTree(delivered);
                assertThat(e.path("source").asText()).isEqualTo("io.waybill");
                assertThat(e.at("/detail/partner").asText()).isEqualTo("northwind-3pl");
                assertThat(e.at("/detail/event/subject").asText()).isEqualTo(ours);
            }
            assertThat(northwind.stream().map(s -> {
                try {
                    return JSON.readTree(s).at("/detail/eventId").asText();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }).sorted().toList()).containsExactly("a1", "d1");
        }
    }
}

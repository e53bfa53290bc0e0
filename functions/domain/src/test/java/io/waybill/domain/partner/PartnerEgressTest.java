package io.waybill.domain.partner;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.EventType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PartnerEgressTest {
    private final List<OutboundEntry> received = new ArrayList<>();
    private final PartnerEgress egress = new PartnerEgress(
            () -> List.of(new Partner("acme-3pl", Set.of(EventType.SHIPMENT_DEPARTED), Set.of("4012345000009"),
                    Set.of())),
            new InMemoryShipmentParties(),
            new PartnerDelivery(entries -> {
                received.addAll(entries);
                return entries.stream().map(e -> PartnerPublisher.Result.accepted("x")).toList();
            }, (e, r) -> { }, DeliveryPolicy.DEFAULT, ms -> { }, new Random(1)), "io.waybill");

    @Test
    void aDepartureBeforeItsPlanIsHeldThenSentWhenThePlanArrives() {
        // fact kinds: 2 departed, 0 plan (origin GLNS[0] = 4012345000009, destination GLNS[1])
        CanonicalEvent departed = PartnerEgressProperties.event(1, new PartnerEgressProperties.Fact(2, 0, 0, 1));
        CanonicalEvent planned = PartnerEgressProperties.event(0, new PartnerEgressProperties.Fact(0, 0, 0, 1));

        PartnerEgress.Outcome first = egress.accept(List.of(departed));
        assertEquals(Set.of("340123450000000017"), first.held());
        assertEquals(List.of(), received);

        PartnerEgress.Outcome second = egress.accept(List.of(planned));
        assertEquals(Set.of(), second.held());
        assertEquals(1, received.size());
        OutboundEntry e = received.get(0);
        assertEquals("acme-3pl", e.partnerId());
        assertEquals("io.waybill", e.source());
        assertEquals("waybill.shipment.departed.v1", e.detailType());
        assertEquals(departed.time(), e.time());
        assertEquals(List.of(), e.resources());
    }
}

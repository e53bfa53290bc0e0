package io.waybill.domain.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.CustodyTransferred;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.IncidentActioned;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.event.ShipmentPlanned;
import io.waybill.domain.event.TemperatureBreached;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For any order of the stream, any split into batches and any redelivery of batches, each partner receives exactly
 * the events of its own shipments and types, once each (the bus accepts everything here), and never another's.
 * The expectation is a reference model written here: a shipment's parties are every GLN its plans and hand-overs
 * name; a partner gets an event when its type is chosen and one of its GLNs is a party.
 */
class PartnerEgressProperties {
    private static final List<String> GLNS = List.of("4012345000009", "4012345000016", "4012345000023",
            "4012345000030", "4012345000047", "4012345000054");
    private static final List<String> SSCCS = List.of("340123450000000017", "340123450000000024",
            "340123450000000031", "340123450000000048");
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    /** One generated fact: kind 0 plan, 1 custody, 2 departed, 3 arrived, 4 breach, 5 incident. */
    record Fact(int kind, int sscc, int gln1, int gln2) {
    }

    record PartnerSpec(Set<String> glns, Set<EventType> types) {
    }

    @Provide
    Arbitrary<List<Fact>> facts() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 5))
                .as(Fact::new).list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<PartnerSpec>> partners() {
        Arbitrary<Set<String>> glns = Arbitraries.of(GLNS).set().ofMinSize(1).ofMaxSize(2);
        Arbitrary<Set<EventType>> types = Arbitraries.of(List.copyOf(PartnerEgress.EGRESS_TYPES)).set().ofMinSize(1);
        return Combinators.combine(glns, types).as(PartnerSpec::new).list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 300)
    void eachPartnerReceivesExactlyItsOwnShipmentsEvents(@ForAll("facts") List<Fact> facts,
                                                        @ForAll("partners") List<PartnerSpec> specs,
                                                        @ForAll long seed,
                                                        @ForAll @IntRange(min = 1, max = 7) int batchSize) {
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            events.add(event(i, facts.get(i)));
        }
        List<Partner> partners = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            partners.add(new Partner("partner-" + i, specs.get(i).types(), specs.get(i).glns(), Set.of()));
        }

        // the stream: shuffled, cut into batches, some batches delivered again (before or after later ones)
        Random random = new Random(seed);
        List<CanonicalEvent> order = new ArrayList<>(events);
        Collections.shuffle(order, random);
        List<List<CanonicalEvent>> batches = new ArrayList<>();
        for (int i = 0; i < order.size(); i += batchSize) {
            batches.add(order.subList(i, Math.min(order.size(), i + batchSize)));
        }
        List<List<CanonicalEvent>> delivered = new ArrayList<>();
        for (List<CanonicalEvent> b : batches) {
            delivered.add(b);
            if (random.nextInt(3) == 0) {
                delivered.add(b);
            }
            if (random.nextInt(4) == 0 && !delivered.isEmpty()) {
                delivered.add(delivered.get(random.nextInt(delivered.size())));
            }
        }

        List<OutboundEntry> received = new ArrayList<>();
        PartnerPublisher bus = entries -> {
            received.addAll(entries);
            return entries.stream().map(e -> PartnerPublisher.Result.accepted("id")).toList();
        };
        PartnerDeadLetters noDeadLetters = (e, reason) -> {
            throw new AssertionError("unexpected dead letter " + reason);
        };
        PartnerEgress egress = new PartnerEgress(() -> partners, new InMemoryShipmentParties(),
                new PartnerDelivery(bus, noDeadLetters, DeliveryPolicy.DEFAULT, ms -> { }, new Random(1)),
                "io.waybill");
        for (List<CanonicalEvent> b : delivered) {
            egress.accept(b);
        }

        // reference model
        Map<String, Set<String>> parties = new HashMap<>();
        for (Fact f : facts) {
            if (f.kind() == 0 || f.kind() == 1) {
                parties.computeIfAbsent(SSCCS.get(f.sscc()), k -> new HashSet<>())
                        .addAll(List.of(GLNS.get(f.gln1()), GLNS.get(f.gln2())));
            }
        }
        List<String> expected = new ArrayList<>();
        for (Partner p : partners) {
            for (int i = 0; i < facts.size(); i++) {
                Fact f = facts.get(i);
                EventType type = typeOf(f.kind());
                Set<String> ps = parties.getOrDefault(SSCCS.get(f.sscc()), Set.of());
                if (type != null && p.eventTypes().contains(type) && ps.stream().anyMatch(p.glns()::contains)) {
                    expected.add(p.id() + " <- " + "evt-" + i);
                }
            }
        }
        List<String> actual = new ArrayList<>();
        for (OutboundEntry e : received) {
            JsonNode detail = readTree(e.detail());
            assertEquals(e.partnerId(), detail.get("partner").asText(), "detail.partner is the entry's partner");
            assertEquals(e.eventId(), detail.get("eventId").asText());
            assertEquals(e.eventId(), detail.get("event").get("id").asText());
            assertEquals(e.detailType(), detail.get("event").get("type").asText());
            actual.add(e.partnerId() + " <- " + e.eventId());
        }
        Collections.sort(expected);
        Collections.sort(actual);
        assertEquals(expected, actual, "once each, and only its own");
    }

    private static JsonNode readTree(String json) {
        try {
            return CanonicalEventJson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static EventType typeOf(int kind) {
        return switch (kind) {
            case 1 -> EventType.CUSTODY_TRANSFERRED;
            case 2 -> EventType.SHIPMENT_DEPARTED;
            case 3 -> EventType.SHIPMENT_ARRIVED;
            case 4 -> EventType.TEMPERATURE_BREACHED;
            case 5 -> EventType.INCIDENT_ACTIONED;
            default -> null;
        };
    }

    static CanonicalEvent event(int i, Fact f) {
        String sscc = SSCCS.get(f.sscc());
        String a = GLNS.get(f.gln1());
        String b = GLNS.get(f.gln2());
        EventData data = switch (f.kind()) {
            case 0 -> new ShipmentPlanned(sscc, "chilled-biologics-2-8", a, b, null, null, List.of(), null, null);
            case 1 -> new CustodyTransferred(sscc, a, b, null);
            case 2 -> new ShipmentDeparted(sscc, a, null, null, null);
            case 3 -> new ShipmentArrived(sscc, b, null, null);
            case 4 -> new TemperatureBreached(sscc, "logger-1", 9.5, 8.0, TemperatureBreached.Limit.UPPER, 600L);
            default -> new IncidentActioned(sscc, "inc-" + i, IncidentActioned.Action.ACKNOWLEDGED, null, "qa@x", null);
        };
        Instant t = T0.plus(Duration.ofMinutes(i));
        return new CanonicalEvent("evt-" + i, "urn:waybill:test:" + i, EventType.of(data).type(), t, sscc, t, null,
                null, t, 0, false, "test", null, data);
    }
}

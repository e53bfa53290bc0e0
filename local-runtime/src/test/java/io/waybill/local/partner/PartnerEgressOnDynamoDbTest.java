package io.waybill.local.partner;

import io.waybill.aws.partner.DynamoDbPartnerDirectory;
import io.waybill.aws.partner.DynamoDbShipmentParties;
import io.waybill.aws.partner.PartnerTables;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CustodyTransferred;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.IncidentActioned;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.event.ShipmentPlanned;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.partner.DeliveryPolicy;
import io.waybill.domain.partner.OutboundEntry;
import io.waybill.domain.partner.PartnerDelivery;
import io.waybill.domain.partner.PartnerEgress;
import io.waybill.domain.partner.PartnerPublisher;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

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
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Partner egress on the DynamoDB adapters (dynalite): the partner directory's rows and the shipment files (parties,
 * kept events, settled pairs) that make egress order-independent and exactly-once per partner under redelivery. A
 * shuffled, partly redelivered stream of 80 generated facts must give each partner exactly what a reference model
 * written here says: the events of the types it takes, about shipments where one of its GLNs is a party (from any plan
 * or custody fact, even a later one), each once; and never another partner's.
 */
@Timeout(180)
class PartnerEgressOnDynamoDbTest {
    private static final String TABLE = "partners-egress-test";
    private static final List<String> GLNS = List.of("4012345000009", "4012345000016", "4012345000023",
            "4012345000030", "4012345000047");
    private static final List<String> SSCCS = List.of("340123450000000017", "340123450000000024",
            "340123450000000031", "340123450000000048", "340123450000000055");
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static LocalAwsStack stack;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createTable(CreateTableRequest.builder().tableName(TABLE)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(PartnerTables.PK)
                                .attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(PartnerTables.SK)
                                .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(PartnerTables.PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(PartnerTables.SK).keyType(KeyType.RANGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST).build());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private record PartnerRow(String id, Set<String> glns, Set<EventType> types) {
    }

    private record Fact(int kind, int sscc, int a, int b) {
    }

    private static CanonicalEvent event(int i, Fact f) {
        String sscc = SSCCS.get(f.sscc());
        String a = GLNS.get(f.a());
        String b = GLNS.get(f.b());
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

    @Test
    void eachPartnerGetsExactlyItsOwnShipmentsEventsOnceWhateverTheOrderAndRedelivery() {
        List<PartnerRow> partners = List.of(
                new PartnerRow("acme-3pl", Set.of(GLNS.get(0)), Set.of(EventType.SHIPMENT_DEPARTED,
                        EventType.SHIPMENT_ARRIVED, EventType.TEMPERATURE_BREACHED)),
                new PartnerRow("bolt-carrier", Set.of(GLNS.get(1), GLNS.get(2)), Set.copyOf(PartnerEgress.EGRESS_TYPES)),
                new PartnerRow("cold-store", Set.of(GLNS.get(3)), Set.of(EventType.CUSTODY_TRANSFERRED)));
        for (PartnerRow p : partners) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(PartnerTables.PK, AttributeValue.fromS(PartnerTables.PARTNER_PK));
            item.put(PartnerTables.SK, AttributeValue.fromS(p.id()));
            item.put(PartnerTables.GLNS, AttributeValue.fromSs(List.copyOf(p.glns())));
            item.put(PartnerTables.EVENT_TYPES, AttributeValue.fromSs(p.types().stream().map(EventType::type).toList()));
            stack.clients().dynamoDb().putItem(r -> r.tableName(TABLE).item(item));
        }

        Random random = new Random(20261206);
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            events.add(event(i, new Fact(random.nextInt(6), random.nextInt(SSCCS.size()), random.nextInt(GLNS.size()),
                    random.nextInt(GLNS.size()))));
        }

        // The reference model: parties of a shipment from every plan and custody fact; a partner takes an event when
        // it takes the type and one of its GLNs is a party of the event's shipment.
        Map<String, Set<String>> parties = new HashMap<>();
        for (CanonicalEvent e : events) {
            if (e.data() instanceof ShipmentPlanned p) {
                parties.computeIfAbsent(p.shipmentSscc(), k -> new HashSet<>()).addAll(List.of(p.originGln(),
                        p.destinationGln()));
            } else if (e.data() instanceof CustodyTransferred c) {
                parties.computeIfAbsent(c.shipmentSscc(), k -> new HashSet<>()).addAll(List.of(c.fromPartyGln(),
                        c.toPartyGln()));
            }
        }
        Set<String> expected = new TreeSet<>();
        for (CanonicalEvent e : events) {
            for (PartnerRow p : partners) {
                EventType type = EventType.fromType(e.type()).orElseThrow();
                if (p.types().contains(type) && !Collections.disjoint(p.glns(),
                        parties.getOrDefault(e.subject(), Set.of()))) {
                    expected.add(p.id() + " <- " + e.id());
                }
            }
        }
        assertThat(expected).hasSizeGreaterThan(10); // the seed gives every partner something to receive

        List<OutboundEntry> received = new CopyOnWriteArrayList<>();
        PartnerPublisher bus = entries -> {
            received.addAll(entries);
            return entries.stream().map(e -> PartnerPublisher.Result.accepted("id-" + e.eventId())).toList();
        };
        PartnerEgress egress = new PartnerEgress(new DynamoDbPartnerDirectory(stack.clients().dynamoDb(), TABLE),
                new DynamoDbShipmentParties(stack.clients().dynamoDb(), TABLE),
                new PartnerDelivery(bus, (entry, reason) -> {
                    throw new AssertionError("dead-lettered: " + entry + " " + reason);
                }, DeliveryPolicy.DEFAULT, ms -> { }, new Random(1)), PartnerEgress.DEFAULT_SOURCE);

        // Shuffled, in batches of 1-7, every third batch delivered twice (a stream redelivery after a timeout).
        List<CanonicalEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, random);
        int batchNumber = 0;
        for (int i = 0; i < shuffled.size(); ) {
            int size = 1 + random.nextInt(7);
            List<CanonicalEvent> batch = shuffled.subList(i, Math.min(shuffled.size(), i + size));
            egress.accept(batch);
            if (batchNumber++ % 3 == 0) {
                egress.accept(batch);
            }
            i += size;
        }

        List<String> got = received.stream().map(e -> e.partnerId() + " <- " + e.eventId()).toList();
        assertThat(got).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(got)).isEqualTo(expected);
    }
}

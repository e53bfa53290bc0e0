package io.waybill.partneregress;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.EventType;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.partner.DeliveryPolicy;
import io.waybill.domain.partner.InMemoryShipmentParties;
import io.waybill.domain.partner.OutboundEntry;
import io.waybill.domain.partner.Partner;
import io.waybill.domain.partner.PartnerDelivery;
import io.waybill.domain.partner.PartnerEgress;
import io.waybill.domain.partner.PartnerPublisher;
import io.waybill.domain.partner.ShipmentFile;
import io.waybill.domain.partner.ShipmentParties;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler on the schema's sample events: the plan for SSCC 106141412345678908 names destination 4012345000009;
 * the sample departure moved onto that SSCC goes to the partner with that GLN and to no other.
 */
class PartnerEgressHandlerTest {
    private static final String SSCC = "106141412345678908";

    private static String valid(String name) throws Exception {
        return Files.readString(Path.of("../../schemas/src/test/resources/valid/" + name + ".json"));
    }

    private static KinesisEvent.KinesisEventRecord record(String sequence, String json) {
        KinesisEvent.Record k = new KinesisEvent.Record();
        k.setSequenceNumber(sequence);
        k.setData(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        k.setPartitionKey("p");
        KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
        r.setKinesis(k);
        r.setEventID("shardId-000000000000:" + sequence);
        return r;
    }

    private static KinesisEvent batch() throws Exception {
        String departed = valid("waybill.shipment.departed.v1").replace("006141411234567890", SSCC);
        KinesisEvent event = new KinesisEvent();
        event.setRecords(List.of(record("1", departed), record("2", "{not json"),
                record("3", valid("waybill.shipment.planned.v1"))));
        return event;
    }

    private final List<OutboundEntry> sent = new ArrayList<>();
    private final PartnerPublisher bus = entries -> {
        sent.addAll(entries);
        return entries.stream().map(e -> PartnerPublisher.Result.accepted("x")).toList();
    };
    private final List<Partner> partners = List.of(
            new Partner("consignee-dc", Set.of(EventType.SHIPMENT_DEPARTED), Set.of("4012345000009"), Set.of()),
            new Partner("other-3pl", Set.of(EventType.SHIPMENT_DEPARTED), Set.of("4099999000007"), Set.of()));

    private PartnerEgressHandler handler(ShipmentParties parties) {
        return new PartnerEgressHandler(new PartnerEgress(() -> partners, parties,
                new PartnerDelivery(bus, (e, r) -> { }, DeliveryPolicy.DEFAULT, ms -> { }, new Random(1)),
                "io.waybill"), new PartnerEgressTelemetry(null));
    }

    @Test
    void theDepartureGoesOnlyToThePartnerAtItsDestination() throws Exception {
        StreamsEventResponse response = handler(new InMemoryShipmentParties()).handleRequest(batch(), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sent).extracting(OutboundEntry::partnerId).containsExactly("consignee-dc");
        assertThat(sent.get(0).eventId()).isEqualTo("smsr-5512");
        assertThat(sent.get(0).detailType()).isEqualTo("waybill.shipment.departed.v1");
        assertThat(sent.get(0).detail()).contains("\"partner\":\"consignee-dc\"", "\"eventId\":\"smsr-5512\"");
    }

    @Test
    void aStoreFailureRedeliversTheBatchAndTheRedeliverySendsOnce() throws Exception {
        InMemoryShipmentParties store = new InMemoryShipmentParties();
        boolean[] failNext = {true};
        ShipmentParties flaky = new ShipmentParties() {
            public void addParties(String sscc, Set<String> glns) {
                store.addParties(sscc, glns);
            }

            public void keep(String sscc, CanonicalEvent event) {
                store.keep(sscc, event);
            }

            public void settle(String sscc, String partnerId, String eventId) {
                if (failNext[0]) {
                    failNext[0] = false;
                    throw new TransientDependencyException("partner table", "throttled", null);
                }
                store.settle(sscc, partnerId, eventId);
            }

            public ShipmentFile file(String sscc) {
                return store.file(sscc);
            }
        };
        PartnerEgressHandler h = handler(flaky);

        StreamsEventResponse first = h.handleRequest(batch(), null);
        assertThat(first.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("1");
        StreamsEventResponse second = h.handleRequest(batch(), null);
        assertThat(second.getBatchItemFailures()).isEmpty();
        StreamsEventResponse third = h.handleRequest(batch(), null);
        assertThat(third.getBatchItemFailures()).isEmpty();
        // sent on the first try (not settled), again on the redelivery (at least once), never on the third
        assertThat(sent).extracting(OutboundEntry::eventId).containsExactly("smsr-5512", "smsr-5512");
    }
}

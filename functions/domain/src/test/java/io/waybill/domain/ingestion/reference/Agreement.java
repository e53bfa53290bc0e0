package io.waybill.domain.ingestion.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.ingestion.reference.ReferenceIngest.Expected;
import io.waybill.domain.ingestion.reference.ReferenceIngest.Fact;
import io.waybill.domain.ingestion.reference.ReferenceIngest.Verdict;
import io.waybill.domain.ingestion.reference.Traffic.Delivery;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.projection.ShipmentState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a pipeline ended with, compared with the {@link ReferenceIngest reference model}: the same assertions for the
 * in-memory ports and for the DynamoDB tables on the emulators.
 */
public final class Agreement {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Agreement() {
    }

    /** The event store holds exactly the reference's facts, each with the reference's event and device time. */
    public static void storedFactsAreTheReference(Expected expected, Map<String, String> storedJsonByKey) {
        assertThat(storedJsonByKey.keySet()).as("event keys in the store").containsExactlyInAnyOrderElementsOf(
                expected.facts().keySet());
        for (Fact f : expected.facts().values()) {
            JsonNode e = json(storedJsonByKey.get(f.eventKey()));
            assertThat(Instant.parse(e.path("time").asText())).as("time of %s (first copy %s)", f.eventKey(),
                    f.firstCopy()).isEqualTo(f.time());
            assertThat(Instant.parse(e.path("devicetime").asText())).as("devicetime of %s", f.eventKey())
                    .isEqualTo(f.reading().deviceTime());
            assertThat(e.path("type").asText()).as("type of %s", f.eventKey())
                    .isEqualTo(ReferenceIngest.type(f.reading().kind()));
        }
    }

    /** Every shipment's projection is the reference's, part by part. */
    public static void projectionsAreTheReference(Expected expected, Map<String, ShipmentState> states) {
        Map<String, ReferenceIngest.Shipment> observed = new TreeMap<>();
        states.forEach((sscc, s) -> {
            assertThat(s.lastBreachAt()).as("no breach was sent for %s", sscc).isNull();
            assertThat(s.qualityHoldAt()).as("no decision was made for %s", sscc).isNull();
            observed.put(sscc, new ReferenceIngest.Shipment(s.shipmentSscc(), s.status().name(), s.statusAt(),
                    s.statusEventId(), s.locationGln(), s.position() == null ? null : s.position().latitude(),
                    s.position() == null ? null : s.position().longitude(), s.locationAt(), s.locationEventId(),
                    s.temperatureCelsius(), s.temperatureAt(), s.temperatureEventId(), s.custodianGln(),
                    s.custodyAt(), s.custodyEventId(), s.lastEventAt(), s.lastEventId(), s.lastEventType()));
        });
        assertThat(observed).as("shipment projections").isEqualTo(expected.shipments());
    }

    /**
     * Every delivery the reference calls an id conflict has a letter of its own in the dead-letter queue, with its
     * exact bytes and both versions (the stored one and its own); no other record is dead-lettered.
     */
    public static void everyConflictIsDeadLettered(Expected expected, List<DeadLetter> letters,
                                                   Map<Integer, byte[]> payloadBySerial) {
        Map<String, DeadLetter> bySequence = new LinkedHashMap<>();
        for (DeadLetter l : letters) {
            assertThat(l.reason()).as("reason of the letter for record %s", l.origin().sequenceNumber())
                    .isEqualTo(RejectionReason.ID_CONFLICT);
            bySequence.put(l.origin().sequenceNumber(), l);
        }
        Set<String> conflicting = new java.util.TreeSet<>();
        expected.conflicts().forEach((d, stored) -> {
            String serial = Integer.toString(d.serial());
            conflicting.add(serial);
            DeadLetter l = bySequence.get(serial);
            assertThat(l).as("the dead letter of conflicting delivery %s", d).isNotNull();
            assertThat(l.payload()).as("payload of the letter for %s", d).isEqualTo(payloadBySerial.get(d.serial()));
            describes(json(l.conflict().storedEventJson()), stored.reading());
            describes(json(l.conflict().eventJson()), d.reading());
        });
        assertThat(bySequence.keySet()).as("records dead-lettered").isSubsetOf(conflicting);
    }

    /**
     * Records in = stored + duplicates + dead-lettered, each record counted once, and each record's outcome is one
     * its reference verdict allows (a stored record whose answer was lost is absorbed as a duplicate on
     * redelivery).
     */
    public static void everyRecordIsAccountedForOnce(Traffic traffic, Expected expected,
                                                     Map<Integer, RecordOutcome> outcomes) {
        assertThat(outcomes.keySet()).as("records that finished").hasSize(traffic.size());
        Map<RecordOutcome, Integer> counts = new java.util.EnumMap<>(RecordOutcome.class);
        for (Delivery d : traffic.all()) {
            RecordOutcome o = outcomes.get(d.serial());
            Verdict v = expected.verdicts().get(d);
            Set<RecordOutcome> allowed = switch (v) {
                case STORED -> EnumSet.of(RecordOutcome.STORED, RecordOutcome.DUPLICATE_IN_STORE);
                case DUPLICATE -> EnumSet.of(RecordOutcome.DUPLICATE_IN_BATCH, RecordOutcome.DUPLICATE_IN_STORE);
                case ID_CONFLICT -> EnumSet.of(RecordOutcome.DEAD_LETTERED);
            };
            assertThat(o).as("outcome of %s (reference: %s)", d, v).isIn(allowed);
            counts.merge(o, 1, Integer::sum);
        }
        int stored = counts.getOrDefault(RecordOutcome.STORED, 0);
        int duplicates = counts.getOrDefault(RecordOutcome.DUPLICATE_IN_BATCH, 0)
                + counts.getOrDefault(RecordOutcome.DUPLICATE_IN_STORE, 0);
        int deadLettered = counts.getOrDefault(RecordOutcome.DEAD_LETTERED, 0);
        assertThat(stored + duplicates + deadLettered).as("records in = stored + duplicates + dead-lettered (%s)",
                counts).isEqualTo(traffic.size());
        assertThat(stored).as("stored at most once per fact").isLessThanOrEqualTo(expected.facts().size());
    }

    /** The canonical event is this reading: identity, device time, type and, for a temperature, the value. */
    private static void describes(JsonNode event, Traffic.Reading r) {
        assertThat(event.path("source").asText() + "#" + event.path("id").asText()).as("identity")
                .isEqualTo(r.producer().source() + "#" + ReferenceIngest.idOf(r));
        assertThat(Instant.parse(event.path("devicetime").asText())).as("device time").isEqualTo(r.deviceTime());
        assertThat(event.path("type").asText()).as("type").isEqualTo(ReferenceIngest.type(r.kind()));
        if (r.kind() == Traffic.Kind.TEMPERATURE) {
            assertThat(event.path("data").path("meanCelsius").asDouble()).as("°C").isEqualTo(r.celsius());
        }
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

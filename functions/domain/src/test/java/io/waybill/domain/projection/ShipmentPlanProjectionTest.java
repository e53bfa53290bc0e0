package io.waybill.domain.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shipment master data in the projection: the plan is its own part of the state, last-writer-wins by (issue time,
 * event key), so a plan that arrives before, between or after the journey's events, and revisions in any order, end in
 * one state. The expected plans are written out by hand from the sample files.
 */
class ShipmentPlanProjectionTest {
    private static final String SSCC = "106141412345678908";
    private static final String[] JOURNEY = {"raw/rfid-portal/dock-door-read.json", "raw/swiftlog/departed.json",
            "raw/gps-tracker/geofence-exit.json", "raw/thermotrack/window-summary.json",
            "raw/gps-tracker/ping.json", "raw/gps-tracker/geofence-enter.json", "raw/swiftlog/arrived.json",
            "raw/swiftlog/proof-of-delivery.json"};
    private static final RecordNormalizer NORMALIZER = RecordNormalizer.standard();

    /** Revision 2, as raw/waybill-plan/planned.json says it (issued 17:00 at +01:00). */
    private static final ShipmentState.Plan REVISION_2 = new ShipmentState.Plan("chilled-biologics-2-8",
            "0614141000012", "4012345000009", Instant.parse("2026-11-27T08:00:00Z"),
            Instant.parse("2026-11-28T14:30:00Z"), List.of("TT-0042", "reefer-07"), "0614141000029", "4012345000016",
            Instant.parse("2026-11-26T16:00:00Z"), "urn:waybill:waybill-plan:ACME-TMS#PLN-20261127-0042-r2");
    /** Revision 3: issued two hours later, frozen, to another destination, no consignee, one device. */
    private static final ShipmentState.Plan REVISION_3 = new ShipmentState.Plan("frozen", "0614141000012",
            "0614141000029", Instant.parse("2026-11-27T08:00:00Z"), Instant.parse("2026-11-28T14:30:00Z"),
            List.of("reefer-07"), "0614141000029", null, Instant.parse("2026-11-26T18:00:00Z"),
            "urn:waybill:waybill-plan:ACME-TMS#PLN-20261127-0042-r3");

    private static CanonicalEvent normalise(byte[] raw) {
        NormalizationResult r = NORMALIZER.normalize(RawRecord.of(raw, "test"));
        assertThat(r).as("%s", r).isInstanceOf(NormalizationResult.Normalized.class);
        return ((NormalizationResult.Normalized) r).event();
    }

    private static List<CanonicalEvent> journey() {
        List<CanonicalEvent> events = new ArrayList<>();
        for (String path : JOURNEY) {
            events.add(normalise(SampleCatalog.bytes(path)));
        }
        return events;
    }

    private static CanonicalEvent revision2() {
        return normalise(SampleCatalog.bytes("raw/waybill-plan/planned.json"));
    }

    private static CanonicalEvent revision3() {
        ObjectNode raw = (ObjectNode) SampleCatalog.json("raw/waybill-plan/planned.json");
        raw.put("revision", 3).put("issuedAt", "2026-11-26T18:00:00Z").put("productClass", "frozen");
        raw.put("wb_received_ms", 1_795_716_002_000L); // 18:00:02Z: received as sent, so its issue time is its time
        raw.with("destination").put("gln", "0614141000029");
        raw.remove("consignee");
        raw.putArray("monitoringDevices").add("reefer-07");
        return normalise(raw.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ShipmentState fold(List<CanonicalEvent> events) {
        ShipmentState s = ShipmentState.empty(SSCC);
        for (CanonicalEvent e : events) {
            s = ShipmentProjection.apply(s, e);
        }
        return s;
    }

    private static ShipmentState withoutPlan(ShipmentState s) {
        return new ShipmentState(s.shipmentSscc(), s.status(), s.statusAt(), s.statusEventId(), s.locationGln(),
                s.position(), s.locationAt(), s.locationEventId(), s.temperatureCelsius(), s.temperatureAt(),
                s.temperatureEventId(), s.lastBreachAt(), s.custodianGln(), s.custodyAt(), s.custodyEventId(),
                s.lastEventAt(), s.lastEventId(), s.lastEventType(), s.qualityHoldAt(), s.qualityHoldIncidentId(),
                s.qualityHoldReleasedAt(), s.qualityHoldReleasedBy());
    }

    @Test
    void aPlanIsFiledUnderItsShipment() {
        assertThat(ShipmentProjection.shipmentOf(revision2())).hasValue(SSCC);
    }

    @Test
    void aPlanAloneSetsThePlanAndNothingOfTheJourney() {
        ShipmentState s = fold(List.of(revision2()));

        assertThat(s.plan()).isEqualTo(REVISION_2);
        assertThat(s.status()).isEqualTo(ShipmentStatus.UNKNOWN);
        assertThat(s.locationGln()).isNull();
        assertThat(s.temperatureCelsius()).isNull();
        assertThat(s.lastEventType()).isEqualTo("waybill.shipment.planned.v1");
    }

    @Test
    void aPlanArrivingAfterTheWholeJourneyAddsThePlanAndChangesNothingElse() {
        ShipmentState journeyOnly = fold(journey());
        List<CanonicalEvent> planLast = new ArrayList<>(journey());
        planLast.add(revision2());

        ShipmentState s = fold(planLast);

        assertThat(s.plan()).isEqualTo(REVISION_2);
        assertThat(withoutPlan(s)).isEqualTo(journeyOnly);
        // issued the day before the journey: not the latest event
        assertThat(s.lastEventType()).isEqualTo("waybill.custody.transferred.v1");
        assertThat(s.status()).isEqualTo(ShipmentStatus.ARRIVED);
    }

    @Test
    void anyArrivalOrderOfJourneyAndRevisionsEndsWithTheLaterRevision() {
        List<CanonicalEvent> all = new ArrayList<>(journey());
        all.add(revision2());
        all.add(revision3());
        ShipmentState journeyOnly = fold(journey());
        Random random = new Random(20261126);
        for (int run = 0; run < 300; run++) {
            List<CanonicalEvent> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, random);
            if (run % 3 == 0) {
                shuffled.add(shuffled.get(random.nextInt(shuffled.size()))); // a redelivery
            }

            ShipmentState s = fold(shuffled);

            assertThat(s.plan()).as("run %d", run).isEqualTo(REVISION_3);
            assertThat(withoutPlan(s)).as("run %d", run).isEqualTo(journeyOnly);
        }
    }

    @Test
    void anEarlierRevisionArrivingLateDoesNotReplaceTheLaterOne() {
        assertThat(fold(List.of(revision3(), revision2())).plan()).isEqualTo(REVISION_3);
        assertThat(fold(List.of(revision2(), revision3())).plan()).isEqualTo(REVISION_3);
        assertThat(fold(List.of(revision3(), revision3())).plan()).isEqualTo(REVISION_3);
    }

    @Test
    void aLaterRevisionReplacesThePlanWholeAndDropsWhatItLeavesOut() {
        // revision 3 names no consignee: the consignee of revision 2 does not survive into it
        assertThat(fold(List.of(revision2(), revision3())).plan().consigneeGln()).isNull();
    }
}

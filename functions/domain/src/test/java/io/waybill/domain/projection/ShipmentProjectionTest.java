package io.waybill.domain.projection;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ShipmentProjectionTest {
    private static final String SSCC = "106141412345678908";
    private static final String[] JOURNEY = {"raw/rfid-portal/dock-door-read.json", "raw/swiftlog/departed.json",
            "raw/gps-tracker/geofence-exit.json", "raw/thermotrack/window-summary.json", "raw/frostbyte/reading-kelvin.json",
            "raw/gps-tracker/ping.json", "raw/gps-tracker/geofence-enter.json", "raw/swiftlog/arrived.json",
            "raw/swiftlog/proof-of-delivery.json"};
    private static final Random RANDOM = new Random(20261127);

    private static List<CanonicalEvent> journey() {
        RecordNormalizer normalizer = RecordNormalizer.standard();
        List<CanonicalEvent> events = new ArrayList<>();
        for (String path : JOURNEY) {
            NormalizationResult r = normalizer.normalize(RawRecord.of(SampleCatalog.bytes(path), path));
            events.add(((NormalizationResult.Normalized) r).event());
        }
        return events;
    }

    private static ShipmentState fold(List<CanonicalEvent> events) {
        ShipmentState s = ShipmentState.empty(SSCC);
        for (CanonicalEvent e : events) {
            s = ShipmentProjection.apply(s, e);
        }
        return s;
    }

    @Test
    void inOrderJourneyEndsArrivedAtTheHubWithCustodyAtTheStore() {
        ShipmentState s = fold(journey());

        assertThat(s.status()).isEqualTo(ShipmentStatus.ARRIVED);
        assertThat(s.statusAt()).isEqualTo(Instant.parse("2026-11-27T10:00:30Z"));
        assertThat(s.locationGln()).isEqualTo("0614141000180");
        assertThat(s.custodianGln()).isEqualTo("0614141000258");
        // Two loggers report for 08:00:00Z exactly; the tie is broken by event id, the same way on every replay.
        assertThat(s.temperatureAt()).isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
        assertThat(s.temperatureCelsius()).isIn(3.5, 4.2);
        assertThat(s.lastEventType()).isEqualTo("waybill.custody.transferred.v1");
    }

    /** The FrostByte sample from another logger {@code serial}, reading {@code kelvin}, its counter still 77. */
    private static CanonicalEvent frostByte(String serial, String kelvin) {
        String json = new String(SampleCatalog.bytes("raw/frostbyte/reading-kelvin.json"), StandardCharsets.UTF_8)
                .replace("FB-77", serial).replace("277.35", kelvin);
        NormalizationResult r = RecordNormalizer.standard().normalize(
                RawRecord.of(json.getBytes(StandardCharsets.UTF_8), serial));
        return ((NormalizationResult.Normalized) r).event();
    }

    @Test
    void twoLoggersWithTheSameCounterAtTheSameInstantEndTheSameInEitherOrder() {
        // Both loggers send counter 77 (id seq-77) for 08:00:00Z: the ids are equal, only the sources differ. The
        // tie breaks on the event-store key: "urn:waybill:frostbyte:FB-B#seq-77" > "urn:waybill:frostbyte:FB-A#...",
        // so FB-B's 278.15 K = 5.0 °C stands whichever arrives last.
        CanonicalEvent a = frostByte("FB-A", "276.15");
        CanonicalEvent b = frostByte("FB-B", "278.15");
        assertThat(a.id()).isEqualTo(b.id());

        ShipmentState ab = fold(List.of(a, b));
        ShipmentState ba = fold(List.of(b, a));
        assertThat(ab).isEqualTo(ba);
        assertThat(ab.temperatureCelsius()).isEqualTo(5.0);
        assertThat(ab.temperatureEventId()).isEqualTo(b.source() + "#" + b.id());
    }

    @RepeatedTest(25)
    void anyArrivalOrderGivesTheSameStateAsEventTimeOrder() {
        List<CanonicalEvent> events = journey();
        ShipmentState inOrder = fold(events);
        List<CanonicalEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, RANDOM);

        assertThat(fold(shuffled)).isEqualTo(inOrder);
    }

    @Test
    void applyingEveryEventTwiceChangesNothing() {
        List<CanonicalEvent> events = journey();
        List<CanonicalEvent> twice = new ArrayList<>(events);
        twice.addAll(events);

        assertThat(fold(twice)).isEqualTo(fold(events));
    }

    @Test
    void lateArrivingDepartureDoesNotUndoAnArrival() {
        List<CanonicalEvent> events = journey();
        CanonicalEvent departure = events.stream().filter(e -> e.type().equals("waybill.shipment.departed.v1")).findFirst().orElseThrow();
        List<CanonicalEvent> lateDeparture = new ArrayList<>(events);
        lateDeparture.remove(departure);
        lateDeparture.add(departure);

        assertThat(fold(lateDeparture).status()).isEqualTo(ShipmentStatus.ARRIVED);
    }

    private static CanonicalEvent decision(String incidentId, String time) {
        io.waybill.domain.event.TemperatureBreached data = new io.waybill.domain.event.TemperatureBreached(SSCC,
                "logger-1", 10.95, 8.0, io.waybill.domain.event.TemperatureBreached.Limit.UPPER, 2400L, null,
                new io.waybill.domain.event.TemperatureBreached.Decision("chilled-biologics-2-8", "MAJOR",
                        List.of("TOR_BUDGET_EXCEEDED"), Instant.parse("2026-11-27T00:00:00Z"), Instant.parse(time), 9,
                        2400, 118, 0, 5.2, incidentId, 61));
        return new CanonicalEvent("d-" + incidentId, "urn:waybill:coldchain", "waybill.temperature.breached.v1",
                Instant.parse(time), SSCC, null, null, null, Instant.parse(time), 0, false, "waybill-coldchain", null,
                data);
    }

    @Test
    void aCloudBreachDecisionPutsTheShipmentOnHoldWithoutChangingItsTemperatureOrLastBreach() {
        ShipmentState before = fold(journey());

        ShipmentState after = ShipmentProjection.apply(before, decision("cold-chain/x/a", "2026-11-27T11:00:00Z"));

        assertThat(after.onQualityHold()).isTrue();
        assertThat(after.qualityHoldAt()).isEqualTo(Instant.parse("2026-11-27T11:00:00Z"));
        assertThat(after.qualityHoldIncidentId()).isEqualTo("cold-chain/x/a");
        assertThat(after.temperatureCelsius()).isEqualTo(before.temperatureCelsius());
        assertThat(after.lastBreachAt()).isEqualTo(before.lastBreachAt());
        assertThat(before.onQualityHold()).isFalse();
    }

    @Test
    void theLatestDecisionNamesTheHoldInWhateverOrderDecisionsArrive() {
        CanonicalEvent early = decision("cold-chain/x/b", "2026-11-27T09:00:00Z");
        CanonicalEvent late = decision("cold-chain/x/a", "2026-11-27T11:00:00Z");

        ShipmentState one = ShipmentProjection.apply(ShipmentProjection.apply(ShipmentState.empty(SSCC), early), late);
        ShipmentState other = ShipmentProjection.apply(ShipmentProjection.apply(ShipmentState.empty(SSCC), late), early);

        assertThat(one.qualityHoldIncidentId()).isEqualTo("cold-chain/x/a");
        assertThat(other.qualityHoldAt()).isEqualTo(one.qualityHoldAt());
        assertThat(other.qualityHoldIncidentId()).isEqualTo(one.qualityHoldIncidentId());
    }

    private static CanonicalEvent holdRelease(String incidentId, String time, String actor) {
        return new CanonicalEvent("r-" + time, "urn:waybill:incident-desk", "waybill.incident.actioned.v1",
                Instant.parse(time), SSCC, null, null, null, Instant.parse(time), 0, false, "waybill-incident-desk",
                null, new io.waybill.domain.event.IncidentActioned(SSCC, incidentId,
                io.waybill.domain.event.IncidentActioned.Action.HOLD_RELEASED, null, actor, null));
    }

    @Test
    void aHoldReleaseAfterTheDecisionClearsTheHoldAndALaterDecisionHoldsAgainInAnyOrder() {
        CanonicalEvent first = decision("cold-chain/x/a", "2026-11-27T11:00:00Z");
        CanonicalEvent release = holdRelease("cold-chain/x/a", "2026-11-27T15:30:00Z", "qa.lead");
        CanonicalEvent second = decision("cold-chain/x/a/episode-2", "2026-11-28T02:00:00Z");

        ShipmentState released = ShipmentProjection.apply(ShipmentProjection.apply(ShipmentState.empty(SSCC), first),
                release);
        ShipmentState releasedFirst = ShipmentProjection.apply(ShipmentProjection.apply(ShipmentState.empty(SSCC),
                release), first);

        assertThat(released.onQualityHold()).isFalse();
        assertThat(released.qualityHoldReleasedBy()).isEqualTo("qa.lead");
        assertThat(releasedFirst).isEqualTo(released);
        ShipmentState heldAgain = ShipmentProjection.apply(released, second);
        assertThat(heldAgain.onQualityHold()).isTrue();
        assertThat(heldAgain.qualityHoldIncidentId()).isEqualTo("cold-chain/x/a/episode-2");
        assertThat(ShipmentProjection.apply(ShipmentProjection.apply(ShipmentProjection.apply(
                ShipmentState.empty(SSCC), second), release), first)).isEqualTo(heldAgain);
    }
}

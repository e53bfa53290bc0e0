package io.waybill.domain.ops;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.ShipmentDeparted;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-source mark a batch reaches: per adapter, the newest event time (ties: the later arrival). */
class SourceWatermarksTest {

    private static CanonicalEvent event(String adapter, String producer, String time, String arrival) {
        ShipmentDeparted data = new ShipmentDeparted("000000000000000017", "4000001000005", null, null, null);
        Instant t = Instant.parse(time);
        return new CanonicalEvent("e-" + producer + time, "urn:waybill:" + adapter + ":" + producer,
                EventType.of(data).type(), t, data.subject(), t, null, arrival == null ? null : Instant.parse(arrival),
                Instant.parse("2026-03-02T12:00:00Z"), 0, false, adapter, null, data);
    }

    @Test
    void eachAdapterReachesItsNewestEventTimeWhateverTheDeviceOrOrder() {
        List<SourceWatermarks.Mark> marks = SourceWatermarks.newestPerSource(List.of(
                event("thermotrack", "TT-1", "2026-03-02T11:40:00Z", "2026-03-02T11:58:00Z"),
                // a late store-and-forward event arrives last but is older: 11:10 < 11:50, not the mark
                event("swiftlog", "SWIFTLOG", "2026-03-02T11:50:00Z", "2026-03-02T11:50:05Z"),
                event("thermotrack", "TT-2", "2026-03-02T11:45:00Z", "2026-03-02T11:46:00Z"),
                event("swiftlog", "SWIFTLOG", "2026-03-02T11:10:00Z", "2026-03-02T11:59:00Z")));

        // thermotrack: two devices, one source; max(11:40, 11:45) = 11:45, arrived 11:46
        assertThat(marks).containsExactly(
                new SourceWatermarks.Mark("thermotrack", Instant.parse("2026-03-02T11:45:00Z"),
                        Instant.parse("2026-03-02T11:46:00Z")),
                new SourceWatermarks.Mark("swiftlog", Instant.parse("2026-03-02T11:50:00Z"),
                        Instant.parse("2026-03-02T11:50:05Z")));
    }

    @Test
    void ofTwoEventsAtTheSameTimeTheLaterArrivalIsKeptAndAnUnknownArrivalStaysUnknown() {
        List<SourceWatermarks.Mark> marks = SourceWatermarks.newestPerSource(List.of(
                event("frostbyte", "FB-1", "2026-03-02T11:00:00Z", "2026-03-02T11:01:00Z"),
                event("frostbyte", "FB-2", "2026-03-02T11:00:00Z", "2026-03-02T11:03:00Z"),
                event("frostbyte", "FB-3", "2026-03-02T11:00:00Z", null),
                event("rfid-portal", "R-1", "2026-03-02T10:00:00Z", null)));

        assertThat(marks).containsExactly(
                new SourceWatermarks.Mark("frostbyte", Instant.parse("2026-03-02T11:00:00Z"),
                        Instant.parse("2026-03-02T11:03:00Z")),
                new SourceWatermarks.Mark("rfid-portal", Instant.parse("2026-03-02T10:00:00Z"), null));
    }

    @Test
    void noEventsNoMarks() {
        assertThat(SourceWatermarks.newestPerSource(List.of())).isEmpty();
    }
}

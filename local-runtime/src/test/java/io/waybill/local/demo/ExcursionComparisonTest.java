package io.waybill.local.demo;

import io.waybill.domain.event.EventData;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.ExcursionInfo;
import io.waybill.edge.trace.ExpectedExcursion;
import io.waybill.edge.trace.GoldenTraces;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExcursionComparisonTest {
    private static final ExpectedExcursion FAILURE = GoldenTraces.reeferTrip().expectedExcursions().get(0);
    private static final String SSCC = GoldenTraces.SHIPMENT_SSCC;

    @Test
    void endedAlertWithinToleranceMatchesAndStoredBreachesCount() {
        Instant start = FAILURE.start().plusSeconds(30);
        Instant end = FAILURE.end().minusSeconds(30);
        List<EdgeMessage> messages = List.of(
                alert(0, start, ExcursionInfo.Phase.STARTED, start, null, 9.0),
                alert(1, end, ExcursionInfo.Phase.ENDED, start, end, 10.95));
        ExcursionComparison cmp = ExcursionComparison.of(List.of(FAILURE), messages, List.of(start, end));

        assertThat(cmp.rows()).hasSize(1);
        assertThat(cmp.rows().get(0).detected()).isPresent();
        assertThat(cmp.rows().get(0).detected().get().peakCelsius()).isEqualTo(10.95);
        assertThat(cmp.rows().get(0).storedBreaches()).isEqualTo(2);
        assertThat(cmp.allDetectedAndStored()).isTrue();
        assertThat(cmp.noFalseAlarms()).isTrue();
    }

    @Test
    void missedExcursionOrUnstoredBreachFails() {
        assertThat(ExcursionComparison.of(List.of(FAILURE), List.of(), List.of()).allDetectedAndStored()).isFalse();

        Instant start = FAILURE.start();
        Instant end = FAILURE.end();
        List<EdgeMessage> ended = List.of(alert(0, end, ExcursionInfo.Phase.ENDED, start, end, 10.5));
        ExcursionComparison notStored = ExcursionComparison.of(List.of(FAILURE), ended, List.of());
        assertThat(notStored.rows().get(0).detected()).isPresent();
        assertThat(notStored.allDetectedAndStored()).isFalse();
    }

    @Test
    void wrongTimingOrPeakDoesNotMatch() {
        Instant start = FAILURE.start().plus(Duration.ofMinutes(3)); // tolerance is 1 min
        Instant end = FAILURE.end();
        List<EdgeMessage> late = List.of(alert(0, end, ExcursionInfo.Phase.ENDED, start, end, 10.5));
        assertThat(ExcursionComparison.of(List.of(FAILURE), late, List.of(end)).allDetectedAndStored()).isFalse();

        List<EdgeMessage> tooHot = List.of(alert(0, end, ExcursionInfo.Phase.ENDED, FAILURE.start(), end, 14.0));
        assertThat(ExcursionComparison.of(List.of(FAILURE), tooHot, List.of(end)).allDetectedAndStored()).isFalse();
    }

    @Test
    void alertOutsideEveryExpectedExcursionIsAFalseAlarm() {
        Instant door = GoldenTraces.TRIP_START.plus(GoldenTraces.DOOR_OPENING_AT);
        List<EdgeMessage> messages = List.of(
                alert(0, door, ExcursionInfo.Phase.STARTED, door, null, 12.0),
                alert(1, FAILURE.end(), ExcursionInfo.Phase.ENDED, FAILURE.start(), FAILURE.end(), 10.9));
        ExcursionComparison cmp = ExcursionComparison.of(List.of(FAILURE), messages, List.of(door, FAILURE.end()));

        assertThat(cmp.allDetectedAndStored()).isTrue();
        assertThat(cmp.noFalseAlarms()).isFalse();
        assertThat(cmp.unexpectedAlerts()).extracting(EdgeMessage::sequence).containsExactly(0L);
        assertThat(cmp.unexpectedStoredBreaches()).containsExactly(door);
    }

    private static EdgeMessage alert(long sequence, Instant at, ExcursionInfo.Phase phase, Instant start, Instant end,
                                     double peak) {
        EventData payload = new TemperatureBreached(SSCC, GoldenTraces.REEFER_SENSOR_ID, peak, 8.0,
                TemperatureBreached.Limit.UPPER, end == null ? null : Duration.between(start, end).toSeconds());
        return new EdgeMessage(GoldenTraces.REEFER_DEVICE_ID, sequence, at, EdgeMessage.Kind.ALERT, payload, 50, null,
                new ExcursionInfo(1, phase, start, end, 10.0));
    }
}

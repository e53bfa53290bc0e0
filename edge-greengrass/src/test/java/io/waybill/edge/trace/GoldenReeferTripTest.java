package io.waybill.edge.trace;

import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.model.ExcursionDetector;
import io.waybill.edge.model.ExcursionEnded;
import io.waybill.edge.model.ExcursionEvent;
import io.waybill.edge.model.ExcursionInfo;
import io.waybill.edge.model.ExcursionStarted;
import io.waybill.edge.model.ReeferEdgeModel;
import io.waybill.edge.model.SeverityLevel;
import io.waybill.edge.model.SeverityScorer;
import io.waybill.edge.model.TemperatureReading;
import io.waybill.domain.event.TemperatureObserved;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole 48-hour golden reefer trip through the models: exactly the real excursion, no false alarm. */
class GoldenReeferTripTest {

    private static List<ExcursionEvent> detect(ReeferTrace trip, ExcursionDetector detector) {
        List<ExcursionEvent> events = new ArrayList<>();
        for (TemperatureReading r : trip.readings()) {
            events.addAll(detector.accept(r).events());
        }
        return events;
    }

    private static List<EdgeMessage> edge(ReeferTrace trip, Duration heartbeat) {
        ReeferEdgeModel model = new ReeferEdgeModel(trip.reeferConfig().summaryHeartbeat(heartbeat).build());
        List<EdgeMessage> out = new ArrayList<>(model.acceptAll(trip.readings()));
        out.addAll(model.flush());
        return out;
    }

    private static void assertExactlyTheExpectedExcursions(ReeferTrace trip) {
        ExcursionDetector detector = new ExcursionDetector(trip.band());

        List<ExcursionEvent> events = detect(trip, detector);

        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("ExcursionStarted", "ExcursionEnded");
        ExcursionEnded ended = (ExcursionEnded) events.get(1);
        ExpectedExcursion expected = trip.expectedExcursions().get(0);
        assertThat(expected.matches(ended.excursion())).as("%s matches %s", ended.excursion(), expected).isTrue();
        assertThat(ended.duration()).isBetween(Duration.ofMinutes(39), Duration.ofMinutes(41));
        assertThat(ended.degreeMinutes()).isBetween(70.0, 90.0);
        assertThat(detector.rejectedGlitches()).isEqualTo(1);
        assertThat(detector.excursionCount()).isEqualTo(1);
    }

    @Test
    void theWholeTripReportsExactlyTheRealExcursion() {
        assertExactlyTheExpectedExcursions(GoldenTraces.reeferTrip());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void theWholeTripReportsExactlyTheRealExcursionWhateverTheNoise(long seed) {
        assertExactlyTheExpectedExcursions(GoldenTraces.reeferTrip(seed));
    }

    @Test
    void theEdgeModelSendsSixSummariesAndTwoAlertsForTheTrip() {
        ReeferTrace trip = GoldenTraces.reeferTrip();
        TraceIncident failure = trip.incidents(TraceIncident.Kind.UNIT_FAILURE).get(0);

        List<EdgeMessage> out = edge(trip, Duration.ofHours(8));

        List<EdgeMessage> alerts = out.stream().filter(m -> m.kind() == EdgeMessage.Kind.ALERT).toList();
        assertThat(alerts).extracting(m -> m.excursion().phase())
                .containsExactly(ExcursionInfo.Phase.STARTED, ExcursionInfo.Phase.ENDED);
        assertThat(alerts).allSatisfy(m -> assertThat(failure.covers(m.deviceTime(), Duration.ofMinutes(5)))
                .as("alert at %s is about the unit failure", m.deviceTime()).isTrue());
        assertThat(SeverityScorer.defaults().level(alerts.get(1).severity())).isEqualTo(SeverityLevel.WARNING);

        List<TemperatureObserved> summaries = out.stream().filter(m -> m.kind() == EdgeMessage.Kind.SUMMARY)
                .map(m -> (TemperatureObserved) m.payload()).toList();
        assertThat(summaries).hasSize(6);
        assertThat(summaries.get(0).windowStart()).isEqualTo(GoldenTraces.TRIP_START);
        assertThat(summaries.get(5).windowEnd()).isEqualTo(trip.readings().get(5759).at());
        assertThat(summaries.stream().mapToInt(TemperatureObserved::readingCount).sum()).isEqualTo(5759); // glitch
        // the door spike was no excursion, but the coalesced summary still carries it as its max
        assertThat(summaries.stream().mapToDouble(TemperatureObserved::maxCelsius).max().orElseThrow())
                .isEqualTo(12.29);
        assertThat(((io.waybill.domain.event.TemperatureBreached) alerts.get(1).payload()).observedCelsius())
                .isBetween(10.0, 11.5);
        long secondsAbove = out.stream().filter(m -> m.bandTime() != null)
                .mapToLong(m -> m.bandTime().secondsAboveBand()).sum();
        assertThat(secondsAbove).isBetween(90L + 39 * 60, 90L + 41 * 60); // door 90 s + failure ~40 min
        assertThat(out).extracting(EdgeMessage::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void dataMinimisationUplinkBytesOverRawBytes() {
        ReeferTrace trip = GoldenTraces.reeferTrip();
        long raw = trip.samples().stream()
                .mapToLong(s -> (TraceWriter.line(s) + "\n").getBytes(StandardCharsets.UTF_8).length).sum();

        System.out.printf("data minimisation, golden 48 h reefer trip, %d readings, raw CSV %d bytes%n",
                trip.readings().size(), raw);
        double defaultRatio = Double.NaN;
        for (Duration heartbeat : List.of(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofHours(6),
                Duration.ofHours(8), Duration.ofHours(12))) {
            List<EdgeMessage> out = edge(trip, heartbeat);
            long bytes = out.stream().mapToLong(m -> EdgeMessageJson.toBytes(m).length).sum();
            double ratio = (double) bytes / raw;
            System.out.printf("  summary heartbeat %-5s: %3d messages, %6d bytes, uplink/raw = %.4f%n",
                    heartbeat.toString().substring(2), out.size(), bytes, ratio);
            if (heartbeat.equals(io.waybill.edge.model.ReeferConfig.DEFAULT_SUMMARY_HEARTBEAT)) {
                defaultRatio = ratio;
            }
        }
        System.out.printf("  default (8 h heartbeat) uplink/raw = %.4f (target <= 0.02)%n", defaultRatio);

        assertThat(defaultRatio).isLessThan(0.02);
    }

    @Test
    void theStartedAlertComesFiveMinutesAfterTheFailureBegan() {
        ReeferTrace trip = GoldenTraces.reeferTrip();
        ExcursionStarted started = (ExcursionStarted) detect(trip, new ExcursionDetector(trip.band())).get(0);

        assertThat(Duration.between(started.start(), started.at())).isEqualTo(Duration.ofMinutes(5));
        assertThat(trip.incidents(TraceIncident.Kind.UNIT_FAILURE).get(0).covers(started.start(), Duration.ZERO))
                .isTrue();
    }
}

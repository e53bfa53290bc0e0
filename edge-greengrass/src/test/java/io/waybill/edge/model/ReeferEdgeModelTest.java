package io.waybill.edge.model;

import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureBreached.Limit;
import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.event.TemperatureObserved;
import io.waybill.domain.normalize.RejectedRecordException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.waybill.edge.model.Readings.PROBE;
import static io.waybill.edge.model.Readings.T0;
import static io.waybill.edge.model.Readings.min;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ReeferEdgeModelTest {
    private static final String DEVICE = "reefer-01";
    private static final String SSCC = "106141412345678908";

    private static ReeferConfig.Builder config() {
        return ReeferConfig.builder().deviceId(DEVICE).shipmentSscc(SSCC).band(ProductBand.CHILLED);
    }

    private static List<EdgeMessage> runAndFlush(ReeferEdgeModel model, List<TemperatureReading> readings) {
        List<EdgeMessage> out = new ArrayList<>(model.acceptAll(readings));
        out.addAll(model.flush());
        return out;
    }

    private static List<EdgeMessage> alerts(List<EdgeMessage> messages) {
        return messages.stream().filter(m -> m.kind() == EdgeMessage.Kind.ALERT).toList();
    }

    private static List<EdgeMessage> summaries(List<EdgeMessage> messages) {
        return messages.stream().filter(m -> m.kind() == EdgeMessage.Kind.SUMMARY).toList();
    }

    @Test
    void reeferFailureBecomesTwoAlertsWithTheCanonicalBreachPayload() {
        Readings trace = Readings.every30s().hold(5.0, min(60));
        Instant failure = trace.now();
        List<TemperatureReading> readings = trace.hold(10.0, min(40)).hold(5.0, min(80)).build();
        ReeferEdgeModel model = new ReeferEdgeModel(config().build());

        List<EdgeMessage> alerts = alerts(runAndFlush(model, readings));

        assertThat(alerts).hasSize(2);
        EdgeMessage started = alerts.get(0);
        assertThat(started.deviceId()).isEqualTo(DEVICE);
        assertThat(started.deviceTime()).isEqualTo(failure.plus(min(5)));
        assertThat(started.payload()).isEqualTo(
                new TemperatureBreached(SSCC, PROBE, 10.0, 8.0, Limit.UPPER, 300L));
        assertThat(started.excursion()).isEqualTo(
                new ExcursionInfo(1, ExcursionInfo.Phase.STARTED, failure, null, 10.0));
        assertThat(started.bandTime()).isNull();
        EdgeMessage ended = alerts.get(1);
        assertThat(ended.deviceTime()).isEqualTo(failure.plus(min(42)));
        assertThat(ended.payload()).isEqualTo(
                new TemperatureBreached(SSCC, PROBE, 10.0, 8.0, Limit.UPPER, 2400L));
        assertThat(ended.excursion()).isEqualTo(
                new ExcursionInfo(1, ExcursionInfo.Phase.ENDED, failure, failure.plus(min(40)), 80.0));
        assertThat(ended.severity())
                .isEqualTo(SeverityScorer.defaults().score(Duration.ofMinutes(40), 2.0, 80.0,
                        ProductSensitivity.STANDARD).score())
                .isGreaterThan(started.severity());
    }

    @Test
    void moreSensitiveProductGetsAHigherSeverityForTheSameExcursion() {
        List<TemperatureReading> readings = Readings.every30s().hold(5.0, min(10)).hold(10.0, min(40))
                .hold(5.0, min(10)).build();

        int standard = alerts(runAndFlush(new ReeferEdgeModel(config().build()), readings)).get(1).severity();
        int pharma = alerts(runAndFlush(new ReeferEdgeModel(config().band(ProductBand.PHARMA_2_8).build()),
                readings)).get(1).severity();

        assertThat(pharma).isGreaterThan(standard);
    }

    @Test
    void sequenceIsStrictlyIncreasingFromTheConfiguredFirst() {
        List<TemperatureReading> readings = Readings.every30s().hold(5.0, Duration.ofHours(2)).hold(10.0, min(40))
                .hold(5.0, Duration.ofHours(2)).build();
        ReeferEdgeModel model = new ReeferEdgeModel(config().summaryHeartbeat(Duration.ofMinutes(30))
                .firstSequence(42).build());

        List<EdgeMessage> out = runAndFlush(model, readings);

        assertThat(out).extracting(EdgeMessage::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(42, 42 + out.size()).boxed().toList());
        assertThat(model.nextSequence()).isEqualTo(42 + out.size());
        assertThat(out).extracting(EdgeMessage::deviceTime).isSorted();
    }

    @Test
    void windowsAreCoalescedIntoOneSummaryPerHeartbeat() {
        List<TemperatureReading> readings = Readings.every30s().hold(5.0, Duration.ofHours(2)).build();
        ReeferEdgeModel model = new ReeferEdgeModel(config().summaryHeartbeat(Duration.ofHours(1)).build());

        List<EdgeMessage> out = runAndFlush(model, readings);

        assertThat(out).hasSize(2).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo(EdgeMessage.Kind.SUMMARY);
            assertThat(m.severity()).isZero();
            assertThat(m.bandTime()).isEqualTo(BandTime.NONE);
        });
        TemperatureObserved first = (TemperatureObserved) out.get(0).payload();
        // 120 readings of 5.0 every 30 s, each held 30 s (the last until the first of the next hour): 3,600 s
        assertThat(first).usingRecursiveComparison().ignoringFields("exposure.arrheniusSum").isEqualTo(
                new TemperatureObserved(SSCC, PROBE, T0, T0.plus(Duration.ofMinutes(59).plusSeconds(30)), 5.0, 5.0,
                        5.0, 120, null, new ExposureStatistics(2.0, 8.0, 120, 3_600_000, 0, 0, 0, 0.0, 0.0, 0.0)));
        double arrhenius = 3600 * Math.exp(-10_000 / (5.0 + 273.15));
        assertThat(first.exposure().arrheniusSum()).isCloseTo(arrhenius, within(arrhenius * 1e-9));
        assertThat(out.get(0).deviceTime()).isEqualTo(T0.plus(Duration.ofMinutes(59).plusSeconds(30)));
    }

    @Test
    void aHeartbeatOfOneWindowSendsEveryWindow() {
        List<TemperatureReading> readings = Readings.every30s().hold(5.0, Duration.ofHours(1)).build();
        ReeferEdgeModel model = new ReeferEdgeModel(config().summaryHeartbeat(Duration.ofMinutes(5)).build());

        assertThat(runAndFlush(model, readings)).hasSize(12);
    }

    @Test
    void theSummaryCarriesTheDoorOpeningThatWasNoExcursion() {
        List<TemperatureReading> readings = Readings.every30s().hold(5.0, min(30)).values(12.0, 12.3, 11.9, 6.8)
                .hold(5.0, min(30)).build();

        List<EdgeMessage> out = runAndFlush(new ReeferEdgeModel(config().build()), readings);

        assertThat(out).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(EdgeMessage.Kind.SUMMARY);
            assertThat(((TemperatureObserved) m.payload()).maxCelsius()).isEqualTo(12.3);
            assertThat(m.bandTime()).isEqualTo(new BandTime(90, 0));
        });
    }

    @Test
    void aGlitchIsLeftOutOfTheSummary() {
        List<TemperatureReading> readings = Readings.every30s().hold(5.0, min(10)).values(60.0).hold(5.0, min(10))
                .build();
        ReeferEdgeModel model = new ReeferEdgeModel(config().build());

        List<EdgeMessage> out = runAndFlush(model, readings);

        TemperatureObserved summary = (TemperatureObserved) out.get(0).payload();
        assertThat(summary.maxCelsius()).isEqualTo(5.0);
        assertThat(summary.readingCount()).isEqualTo(40);
        assertThat(model.rejectedGlitches()).isEqualTo(1);
    }

    @Test
    void probesAreSummarisedSeparatelyUnderOneSequence() {
        List<TemperatureReading> supply = Readings.of("reefer-01-sa", Duration.ofSeconds(30)).hold(3.0, min(10))
                .build();
        List<TemperatureReading> ret = Readings.of("reefer-01-ra", Duration.ofSeconds(30)).hold(5.0, min(10))
                .build();
        List<TemperatureReading> interleaved = new ArrayList<>();
        for (int i = 0; i < supply.size(); i++) {
            interleaved.add(supply.get(i));
            interleaved.add(ret.get(i));
        }
        ReeferEdgeModel model = new ReeferEdgeModel(config().build());

        List<EdgeMessage> out = runAndFlush(model, interleaved);

        assertThat(out).extracting(m -> ((TemperatureObserved) m.payload()).deviceId())
                .containsExactly("reefer-01-sa", "reefer-01-ra");
        assertThat(out).extracting(m -> ((TemperatureObserved) m.payload()).meanCelsius()).containsExactly(3.0, 5.0);
        assertThat(out).extracting(EdgeMessage::sequence).containsExactly(0L, 1L);
    }

    @Test
    void flushLeavesAnOpenExcursionOpen() {
        List<TemperatureReading> readings = Readings.every30s().hold(5.0, min(10)).hold(10.0, min(20)).build();
        ReeferEdgeModel model = new ReeferEdgeModel(config().build());

        List<EdgeMessage> out = runAndFlush(model, readings);

        assertThat(alerts(out)).singleElement()
                .satisfies(m -> assertThat(m.excursion().phase()).isEqualTo(ExcursionInfo.Phase.STARTED));
        assertThat(summaries(out)).hasSize(1);
        assertThat(model.openExcursion(PROBE)).isPresent();
    }

    @Test
    void configNormalisesTheSsccAndChecksTheHeartbeat() {
        assertThat(config().shipmentSscc("(00)106141412345678908").build().shipmentSscc()).isEqualTo(SSCC);
        assertThatThrownBy(() -> config().shipmentSscc("106141412345678907").build())
                .isInstanceOf(RejectedRecordException.class);
        assertThatThrownBy(() -> config().summaryHeartbeat(Duration.ofMinutes(7)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple");
        assertThatThrownBy(() -> ReeferConfig.builder().shipmentSscc(SSCC).band(ProductBand.CHILLED).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("deviceId");
    }
}

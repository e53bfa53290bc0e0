package io.waybill.edge.model;

import io.waybill.domain.event.TemperatureBreached.Limit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.waybill.edge.model.Readings.T0;
import static io.waybill.edge.model.Readings.min;
import static io.waybill.edge.model.Readings.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ExcursionDetectorTest {

    private final ExcursionDetector chilled = new ExcursionDetector(ProductBand.CHILLED);

    @Test
    void doorOpenBlipIsNotAnExcursion() {
        // 40 s door opening at 10 s sampling: four readings at ~12 °C, then the unit pulls the air back down
        List<TemperatureReading> readings = Readings.every(Duration.ofSeconds(10))
                .hold(5.0, min(30)).values(11.8, 12.2, 12.1, 11.6, 9.0, 6.5).hold(5.0, min(30)).build();

        assertThat(run(chilled, readings)).isEmpty();
        assertThat(chilled.openExcursion()).isEmpty();
        assertThat(chilled.rejectedGlitches()).isZero();
    }

    @Test
    void doorOpenForNinetySecondsAt30sSamplingIsNotAnExcursionEither() {
        List<TemperatureReading> readings = Readings.every30s()
                .hold(5.0, min(30)).values(12.0, 12.3, 11.9, 6.8).hold(5.0, min(30)).build();

        assertThat(run(chilled, readings)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(doubles = {60.0, -40.0, 85.0, 25.0})
    void sensorGlitchIsNotAnExcursion(double glitch) {
        List<TemperatureReading> readings = Readings.every30s()
                .hold(5.0, min(20)).values(glitch).hold(5.0, min(20)).build();

        assertThat(run(chilled, readings)).isEmpty();
        assertThat(chilled.excursionCount()).isZero();
    }

    @Test
    void implausibleJumpIsRejectedAsAGlitch() {
        List<TemperatureReading> readings = Readings.every30s().hold(5.0, min(2)).values(60.0, 5.1).build();

        List<ReadingVerdict> verdicts = readings.stream().map(r -> chilled.accept(r).verdict()).toList();

        assertThat(verdicts).containsExactly(ReadingVerdict.ACCEPTED, ReadingVerdict.ACCEPTED,
                ReadingVerdict.ACCEPTED, ReadingVerdict.ACCEPTED, ReadingVerdict.GLITCH, ReadingVerdict.ACCEPTED);
        assertThat(chilled.rejectedGlitches()).isEqualTo(1);
    }

    @Test
    void glitchDuringAnExcursionIsNotItsPeak() {
        List<TemperatureReading> readings = Readings.every30s()
                .hold(5.0, min(10)).hold(10.0, min(10)).values(60.0).hold(10.0, min(10)).hold(5.0, min(10)).build();

        List<ExcursionEvent> events = run(chilled, readings);

        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isInstanceOf(ExcursionEnded.class);
        assertThat(events.get(1).peakCelsius()).isEqualTo(10.0);
    }

    @Test
    void reeferFailureIsOneExcursionWithItsDuration() {
        Readings trace = Readings.every30s().hold(5.0, min(60));
        Instant failure = trace.now();
        List<TemperatureReading> readings = trace.hold(10.0, min(40)).hold(5.0, min(60)).build();

        List<ExcursionEvent> events = run(chilled, readings);

        assertThat(events).hasSize(2);
        ExcursionStarted started = (ExcursionStarted) events.get(0);
        assertThat(started.at()).isEqualTo(failure.plus(min(5)));
        assertThat(started.start()).isEqualTo(failure);
        assertThat(started.duration()).isEqualTo(min(5));
        assertThat(started.degreeMinutes()).isCloseTo(10.0, within(1e-9)); // 2 °C x 5 min
        ExcursionEnded ended = (ExcursionEnded) events.get(1);
        assertThat(ended.excursion().number()).isEqualTo(1);
        assertThat(ended.start()).isEqualTo(failure);
        assertThat(ended.excursion().end()).isEqualTo(failure.plus(min(40)));
        assertThat(ended.duration()).isEqualTo(min(40));
        assertThat(ended.at()).isEqualTo(failure.plus(min(42))); // exit debounce
        assertThat(ended.limit()).isEqualTo(Limit.UPPER);
        assertThat(ended.excursion().limitCelsius()).isEqualTo(8.0);
        assertThat(ended.peakCelsius()).isEqualTo(10.0);
        assertThat(ended.degreeMinutes()).isCloseTo(80.0, within(1e-9)); // 2 °C x 40 min
        assertThat(chilled.excursionCount()).isEqualTo(1);
    }

    @Test
    void degreeMinutesAreTheAreaBeyondTheLimit() {
        List<TemperatureReading> readings = Readings.every30s()
                .hold(5.0, min(10)).hold(10.0, min(10)).hold(12.0, min(10)).hold(5.0, min(10)).build();

        ExcursionEvent ended = run(chilled, readings).get(1);

        assertThat(ended.degreeMinutes()).isCloseTo(2.0 * 10 + 4.0 * 10, within(1e-9));
        assertThat(ended.peakCelsius()).isEqualTo(12.0);
        assertThat(ended.excursion().magnitudeCelsius()).isEqualTo(4.0);
    }

    @Test
    void hysteresisPreventsFlappingAtTheLimit() {
        // a failing unit that only half recovers: after 10 min at 10 °C the air hovers around the 8 °C limit,
        // crossing it on every reading, for 20 minutes before the unit really recovers
        Readings trace = Readings.every30s().hold(5.0, min(10));
        Instant failure = trace.now();
        trace.hold(10.0, min(10)).alternate(7.7, 8.3, min(20));
        Instant recovered = trace.now();
        List<TemperatureReading> readings = trace.hold(5.0, min(10)).build();

        List<ExcursionEvent> events = run(chilled, readings);

        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("ExcursionStarted", "ExcursionEnded");
        assertThat(events.get(1).start()).isEqualTo(failure);
        assertThat(events.get(1).excursion().end()).isEqualTo(recovered);
        assertThat(events.get(1).duration()).isEqualTo(min(30));
    }

    @Test
    void withoutHysteresisAndDebounceTheSameSignalFlaps() {
        ExcursionConfig bare = ExcursionConfig.builder().enterMarginCelsius(0).exitMarginCelsius(0)
                .minDuration(Duration.ZERO).exitDuration(Duration.ZERO).build();
        ExcursionDetector detector = new ExcursionDetector(ProductBand.CHILLED, bare);
        List<TemperatureReading> readings = Readings.every30s()
                .hold(5.0, min(10)).hold(10.0, min(10)).alternate(7.7, 8.3, min(20)).hold(5.0, min(10)).build();

        long starts = run(detector, readings).stream().filter(e -> e instanceof ExcursionStarted).count();

        assertThat(starts).isEqualTo(21); // the failure, then every reading at 8.3 once more
    }

    @Test
    void hoveringAtTheLimitInsideTheEnterMarginIsNotAnExcursion() {
        List<TemperatureReading> readings = Readings.every30s()
                .hold(5.0, min(10)).alternate(7.6, 8.4, min(60)).hold(5.0, min(10)).build();

        assertThat(run(chilled, readings)).isEmpty();
    }

    @Test
    void oneReadingBackInsideDoesNotSplitAnExcursion() {
        Readings trace = Readings.every30s().hold(5.0, min(10));
        Instant failure = trace.now();
        List<TemperatureReading> readings = trace.hold(10.0, min(10)).values(5.0).hold(10.0, min(10))
                .hold(5.0, min(10)).build();

        List<ExcursionEvent> events = run(chilled, readings);

        assertThat(events).hasSize(2);
        assertThat(events.get(1).start()).isEqualTo(failure);
        assertThat(events.get(1).duration()).isEqualTo(Duration.ofMinutes(20).plusSeconds(30));
        assertThat(events.get(1).degreeMinutes()).isCloseTo(2.0 * 20, within(1e-9)); // the dip adds nothing
    }

    @Test
    void excursionBelowTheBandIsALowerExcursion() {
        List<TemperatureReading> readings = Readings.every30s()
                .hold(4.0, min(10)).hold(0.5, min(10)).values(-0.5).hold(0.5, min(10)).hold(4.0, min(10)).build();

        List<ExcursionEvent> events = run(chilled, readings);

        assertThat(events).hasSize(2);
        assertThat(events.get(1).limit()).isEqualTo(Limit.LOWER);
        assertThat(events.get(1).excursion().limitCelsius()).isEqualTo(2.0);
        assertThat(events.get(1).peakCelsius()).isEqualTo(-0.5);
        assertThat(events.get(1).degreeMinutes()).isCloseTo(1.5 * 20 + 2.5 * 0.5, within(1e-9));
    }

    @Test
    void frozenGoodsWarmingAboveMinus18IsAnUpperExcursionAndVeryColdIsFine() {
        ExcursionDetector frozen = new ExcursionDetector(ProductBand.FROZEN);
        List<TemperatureReading> readings = Readings.every30s()
                .hold(-45.0, min(30)).hold(-22.0, min(10)).hold(-15.0, min(10)).hold(-22.0, min(10)).build();

        List<ExcursionEvent> events = run(frozen, readings);

        assertThat(events).hasSize(2);
        assertThat(events.get(1).limit()).isEqualTo(Limit.UPPER);
        assertThat(events.get(1).excursion().limitCelsius()).isEqualTo(-18.0);
        assertThat(events.get(1).duration()).isEqualTo(min(10));
    }

    @Test
    void longExcursionReportsHourlyUpdates() {
        Readings trace = Readings.every30s().hold(5.0, min(10));
        Instant failure = trace.now();
        List<TemperatureReading> readings = trace.hold(10.0, Duration.ofHours(3)).hold(5.0, min(10)).build();

        List<ExcursionEvent> events = run(chilled, readings);

        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("ExcursionStarted", "ExcursionUpdate", "ExcursionUpdate", "ExcursionEnded");
        assertThat(events.get(1).at()).isEqualTo(failure.plus(min(65)));
        assertThat(events.get(1).duration()).isEqualTo(min(65));
        assertThat(events.get(2).duration()).isEqualTo(min(125));
        assertThat(events).allSatisfy(e -> assertThat(e.excursion().number()).isEqualTo(1));
    }

    @Test
    void aSecondExcursionGetsTheNextNumber() {
        List<TemperatureReading> readings = Readings.every30s()
                .hold(5.0, min(10)).hold(10.0, min(10)).hold(5.0, min(10)).hold(10.0, min(10)).hold(5.0, min(10))
                .build();

        List<ExcursionEvent> events = run(chilled, readings);

        assertThat(events).extracting(e -> e.excursion().number()).containsExactly(1, 1, 2, 2);
    }

    @Test
    void outOfOrderReadingIsIgnored() {
        TemperatureReading first = new TemperatureReading(Readings.PROBE, T0, 5.0);
        chilled.accept(first);

        assertThat(chilled.accept(new TemperatureReading(Readings.PROBE, T0, 30.0)).verdict())
                .isEqualTo(ReadingVerdict.OUT_OF_ORDER);
        assertThat(chilled.accept(new TemperatureReading(Readings.PROBE, T0.minusSeconds(30), 30.0)).verdict())
                .isEqualTo(ReadingVerdict.OUT_OF_ORDER);
        assertThat(chilled.rejectedOutOfOrder()).isEqualTo(2);
        assertThat(chilled.acceptedReadings()).isEqualTo(1);
    }

    @Test
    void dataGapRestartsTheDebounce() {
        Readings trace = Readings.every30s().hold(5.0, min(10)).hold(10.0, min(3)).skip(min(10));
        Instant resumed = trace.now();
        List<TemperatureReading> shortRun = trace.hold(10.0, min(5)).build();

        assertThat(run(chilled, shortRun)).isEmpty(); // 2.5 + 4.5 minutes outside, but with a 10.5-minute hole

        ExcursionStep next = chilled.accept(new TemperatureReading(Readings.PROBE, trace.now(), 10.0));
        assertThat(next.events()).singleElement().isInstanceOf(ExcursionStarted.class);
        assertThat(next.events().get(0).start()).isEqualTo(resumed);
    }

    @Test
    void aRealStepIsAcceptedAfterTheConfiguredRejections() {
        // a step bigger than any plausible air change (a probe re-plugged into another channel): 5 °C -> 45 °C at
        // 10 s sampling; the allowance grows with the time since the last accepted reading (10, 20, 30 °C) and the
        // fourth reading is accepted as the new level
        List<TemperatureReading> readings = Readings.every(Duration.ofSeconds(10))
                .hold(5.0, min(1)).hold(45.0, min(1)).build();

        List<ReadingVerdict> verdicts = readings.stream().map(r -> chilled.accept(r).verdict()).toList();

        assertThat(verdicts.subList(6, 12)).containsExactly(ReadingVerdict.GLITCH, ReadingVerdict.GLITCH,
                ReadingVerdict.GLITCH, ReadingVerdict.ACCEPTED, ReadingVerdict.ACCEPTED, ReadingVerdict.ACCEPTED);
    }

    @Test
    void readingsBeyondThePlausibleRangeAreAlwaysRejected() {
        List<TemperatureReading> readings = Readings.every30s().hold(5.0, min(1)).hold(85.0, min(5)).build();

        List<ReadingVerdict> verdicts = readings.stream().map(r -> chilled.accept(r).verdict()).toList();

        assertThat(verdicts.subList(2, verdicts.size())).containsOnly(ReadingVerdict.GLITCH);
    }

    @Test
    void aDetectorServesOneProbe() {
        chilled.accept(new TemperatureReading("probe-a", T0, 5.0));

        assertThatThrownBy(() -> chilled.accept(new TemperatureReading("probe-b", T0.plusSeconds(30), 5.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probe-b");
    }

    @Test
    void openExcursionIsVisibleWhileItLasts() {
        List<TemperatureReading> readings = Readings.every30s().hold(5.0, min(10)).hold(10.0, min(8)).build();
        run(chilled, readings);

        assertThat(chilled.openExcursion()).hasValueSatisfying(x -> {
            assertThat(x.isOpen()).isTrue();
            assertThat(x.duration()).isEqualTo(Duration.ofMinutes(7).plusSeconds(30));
        });
    }
}

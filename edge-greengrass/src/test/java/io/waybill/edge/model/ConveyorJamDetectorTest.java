package io.waybill.edge.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ConveyorJamDetectorTest {
    private static final Instant T0 = Instant.parse("2026-01-05T06:00:00Z");
    private static final String DRIVE = "sorter-1-drive-1";
    private static final double AMPS = 4.0;
    private static final double SIGMA = 0.08;

    /** A drive signal at 1 Hz: Gaussian noise around 4 A, with whatever the test adds. */
    private static final class Signal {
        final Random rnd;
        final List<ConveyorReading> readings = new ArrayList<>();

        Signal(long seed) {
            rnd = new Random(seed);
        }

        Signal normal(int samples) {
            for (int i = 0; i < samples; i++) {
                add(AMPS + rnd.nextGaussian() * SIGMA);
            }
            return this;
        }

        Signal level(double amps, int samples) {
            for (int i = 0; i < samples; i++) {
                add(amps + rnd.nextGaussian() * SIGMA);
            }
            return this;
        }

        int size() {
            return readings.size();
        }

        private void add(double v) {
            readings.add(new ConveyorReading(DRIVE, T0.plusSeconds(readings.size()), v));
        }
    }

    private static List<JamEvent> run(ConveyorJamDetector d, List<ConveyorReading> readings) {
        List<JamEvent> events = new ArrayList<>();
        for (ConveyorReading r : readings) {
            events.addAll(d.accept(r));
        }
        return events;
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 8})
    void jamIsFlaggedWithinTheConfiguredSamples(int maxSamplesToDetect) {
        for (long seed = 1; seed <= 20; seed++) {
            Signal s = new Signal(seed).normal(600);
            int jamIndex = s.size();
            s.level(AMPS + 6 * SIGMA, 60); // a jam just above the 4 σ full-count level
            ConveyorJamDetector d = new ConveyorJamDetector(
                    JamConfig.builder().maxSamplesToDetect(maxSamplesToDetect).build());

            List<JamEvent> events = run(d, s.readings);

            JamDetected jam = (JamDetected) events.get(0);
            assertThat(jam.sampleIndex()).as("seed %d", seed)
                    .isBetween((long) jamIndex, (long) jamIndex + maxSamplesToDetect - 1);
            assertThat(events).filteredOn(e -> e instanceof JamDetected).hasSize(1);
        }
    }

    @Test
    void normalConveyorNoiseRaisesNoAlarm() {
        for (long seed = 1; seed <= 3; seed++) {
            ConveyorJamDetector d = new ConveyorJamDetector();

            List<JamEvent> events = run(d, new Signal(seed).normal(86_400).readings); // 24 h at 1 Hz

            assertThat(events).as("seed %d", seed).isEmpty();
            assertThat(d.baseline()).isCloseTo(AMPS, within(SIGMA));
            assertThat(d.scale()).isCloseTo(SIGMA, within(SIGMA * 0.2));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void briefSpikeIsNotAJam(int spikeSamples) {
        // with maxSamplesToDetect = 5 a spike of up to 3 samples is immune, however high
        for (long seed = 1; seed <= 20; seed++) {
            Signal s = new Signal(seed).normal(600).level(AMPS + 30 * SIGMA, spikeSamples).normal(600);
            ConveyorJamDetector d = new ConveyorJamDetector();

            assertThat(run(d, s.readings)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void aSmallerSustainedShiftIsStillCaughtJustLater() {
        // a half-blocked belt: +2.5 σ; each sample adds 2 to the CUSUM, 15.75 is reached on the 8th
        Signal s = new Signal(7).normal(600);
        int onset = s.size();
        s.level(AMPS + 2.5 * SIGMA, 120);

        List<JamEvent> events = run(new ConveyorJamDetector(), s.readings);

        JamDetected jam = (JamDetected) events.get(0);
        assertThat(jam.sampleIndex() - onset + 1).isBetween(6L, 20L);
    }

    @Test
    void noAlarmDuringWarmUp() {
        ConveyorJamDetector d = new ConveyorJamDetector();
        Signal s = new Signal(3).normal(50).level(AMPS + 20 * SIGMA, 30).normal(39);

        assertThat(run(d, s.readings)).isEmpty();
        assertThat(d.isWarmedUp()).isFalse();
        assertThat(d.baseline()).isNaN();

        d.accept(new ConveyorReading(DRIVE, T0.plusSeconds(119), AMPS));
        assertThat(d.isWarmedUp()).isTrue();
        assertThat(d.baseline()).isCloseTo(AMPS, within(SIGMA)); // the median ignores the 30 high samples
    }

    @Test
    void jamClearsWhenTheCurrentReturnsToNormal() {
        Signal s = new Signal(11).normal(600);
        int onset = s.size();
        s.level(6.2, 90);
        int cleared = s.size();
        s.normal(120);

        List<JamEvent> events = run(new ConveyorJamDetector(), s.readings);

        assertThat(events).hasSize(2);
        JamDetected detected = (JamDetected) events.get(0);
        assertThat(detected.onsetSampleIndex()).isBetween(onset - 3L, (long) onset);
        assertThat(detected.zScore()).isGreaterThan(4.0);
        JamCleared clear = (JamCleared) events.get(1);
        assertThat(clear.endedAt()).isEqualTo(T0.plusSeconds(cleared));
        assertThat(clear.at()).isEqualTo(T0.plusSeconds(cleared + 9)); // 10 samples back near the baseline
        assertThat(clear.duration().toSeconds()).isBetween(90L, 93L);
        assertThat(clear.peakValue()).isGreaterThan(6.2);
    }

    @Test
    void theBaselineIsNotLearntFromTheJam() {
        ConveyorJamDetector d = new ConveyorJamDetector();
        Signal s = new Signal(5).normal(600).level(6.2, 600);

        run(d, s.readings);

        assertThat(d.isJammed()).isTrue();
        assertThat(d.baseline()).isCloseTo(AMPS, within(2 * SIGMA));
    }

    @Test
    void outOfOrderSamplesAreIgnored() {
        ConveyorJamDetector d = new ConveyorJamDetector();
        d.accept(new ConveyorReading(DRIVE, T0, AMPS));

        assertThat(d.accept(new ConveyorReading(DRIVE, T0, 99.0))).isEmpty();
        assertThat(d.rejectedOutOfOrder()).isEqualTo(1);
        assertThat(d.sampleCount()).isEqualTo(1);
    }

    @Test
    void theDecisionThresholdFollowsFromTheSampleBudget() {
        assertThat(JamConfig.defaults().decisionThreshold()).isEqualTo(15.75);
        assertThat(JamConfig.builder().maxSamplesToDetect(3).build().decisionThreshold()).isEqualTo(8.75);
    }

    @Test
    void configRejectsNonsense() {
        assertThatThrownBy(() -> JamConfig.builder().allowanceSigmas(5).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JamConfig.builder().baselineAlpha(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JamConfig.builder().maxSamplesToDetect(0).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}

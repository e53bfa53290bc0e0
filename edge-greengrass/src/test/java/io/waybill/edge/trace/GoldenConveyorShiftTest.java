package io.waybill.edge.trace;

import io.waybill.edge.model.ConveyorJamDetector;
import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.JamCleared;
import io.waybill.edge.model.JamConfig;
import io.waybill.edge.model.JamDetected;
import io.waybill.edge.model.JamEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The golden conveyor shift through the jam detector: the jam within the sample budget, not the spike. */
class GoldenConveyorShiftTest {

    private static List<JamEvent> run(ConveyorTrace shift, ConveyorJamDetector detector) {
        List<JamEvent> events = new ArrayList<>();
        for (ConveyorReading r : shift.readings()) {
            events.addAll(detector.accept(r));
        }
        return events;
    }

    private static void assertOnlyTheJamWithinBudget(ConveyorTrace shift, int maxSamplesToDetect) {
        List<JamEvent> events = run(shift,
                new ConveyorJamDetector(JamConfig.builder().maxSamplesToDetect(maxSamplesToDetect).build()));
        ExpectedJam jam = shift.expectedJams().get(0);

        assertThat(events).hasSize(2);
        JamDetected detected = (JamDetected) events.get(0);
        assertThat(detected.sampleIndex() - jam.onsetIndex() + 1).isBetween(1L, (long) maxSamplesToDetect);
        assertThat(detected.onsetAt()).isBetween(jam.onsetAt().minusSeconds(3), jam.onsetAt());
        JamCleared cleared = (JamCleared) events.get(1);
        // cleared once 10 samples in a row are below 2 σ: a noisy sample above that restarts the count
        assertThat(cleared.endedAt()).isBetween(jam.endAt(), jam.endAt().plusSeconds(30));
    }

    @Test
    void jamIsFlaggedWithinTheConfiguredSamples() {
        assertOnlyTheJamWithinBudget(GoldenTraces.conveyorShift(), JamConfig.DEFAULT_MAX_SAMPLES_TO_DETECT);
    }

    @ParameterizedTest(name = "maxSamplesToDetect {0}")
    @ValueSource(ints = {3, 4, 6, 10})
    void jamIsFlaggedWithinOtherSampleBudgetsToo(int maxSamplesToDetect) {
        assertOnlyTheJamWithinBudget(GoldenTraces.conveyorShift(), maxSamplesToDetect);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void theSpikeIsNotAJamWhateverTheNoise(long seed) {
        assertOnlyTheJamWithinBudget(GoldenTraces.conveyorShift(seed), JamConfig.DEFAULT_MAX_SAMPLES_TO_DETECT);
    }

    @Test
    void normalConveyorNoiseRaisesNoAlarm() {
        // a full day of load swing and noise at 1 Hz
        assertThat(run(GoldenTraces.conveyorNormalOperation(GoldenTraces.DEFAULT_SEED, 86_400),
                new ConveyorJamDetector())).isEmpty();
    }
}

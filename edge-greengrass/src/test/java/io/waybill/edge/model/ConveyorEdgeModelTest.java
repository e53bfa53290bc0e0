package io.waybill.edge.model;

import io.waybill.domain.event.ConveyorJammed;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.edge.trace.ConveyorTrace;
import io.waybill.edge.trace.ExpectedJam;
import io.waybill.edge.trace.GoldenTraces;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConveyorEdgeModelTest {
    static final String HUB = "dc-hamburg-01";
    static final String GLN = "4012345000009";

    static ConveyorConfig config() {
        return new ConveyorConfig(HUB, GLN, ConveyorJammed.SignalUnit.A, JamConfig.defaults());
    }

    static List<EdgeMessage> run(ConveyorEdgeModel model, List<ConveyorReading> readings) {
        List<EdgeMessage> out = new ArrayList<>();
        for (ConveyorReading r : readings) {
            out.addAll(model.accept(r));
        }
        return out;
    }

    @Test
    void goldenShiftGivesOneDetectedAndOneClearedJamAlertAndNothingForTheSpike() {
        ConveyorTrace shift = GoldenTraces.conveyorShift();
        ExpectedJam jam = shift.expectedJams().get(0);
        List<EdgeMessage> out = run(new ConveyorEdgeModel(config(), new SequenceCounter(0)), shift.readings());

        assertThat(out).hasSize(2).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo(EdgeMessage.Kind.ALERT);
            assertThat(m.deviceId()).isEqualTo(HUB);
            assertThat(m.excursion()).isNull();
            assertThat(m.payload()).isInstanceOf(ConveyorJammed.class);
            assertThat(m.severity()).isEqualTo(((ConveyorJammed) m.payload()).edgeSeverity());
        });
        assertThat(out).extracting(EdgeMessage::sequence).containsExactly(0L, 1L);
        ConveyorJammed detected = (ConveyorJammed) out.get(0).payload();
        ConveyorJammed cleared = (ConveyorJammed) out.get(1).payload();

        assertThat(detected.phase()).isEqualTo(ConveyorJammed.Phase.DETECTED);
        assertThat(detected.subject()).isEqualTo("urn:waybill:equipment:dc-hamburg-01:sorter-3-drive-2");
        assertThat(detected.facilityGln()).isEqualTo(GLN);
        assertThat(detected.signalUnit()).isEqualTo(ConveyorJammed.SignalUnit.A);
        // flagged within the sample budget of the true onset, the onset estimate at most 3 samples early
        long samplesFromTrueOnset = Duration.between(jam.onsetAt(), detected.detectedTime()).toSeconds() + 1;
        assertThat(samplesFromTrueOnset).isBetween(1L, (long) JamConfig.DEFAULT_MAX_SAMPLES_TO_DETECT);
        assertThat(detected.onsetTime()).isBetween(jam.onsetAt().minusSeconds(3), jam.onsetAt());
        assertThat(out.get(0).deviceTime()).isEqualTo(detected.detectedTime());
        assertThat(detected.clearedTime()).isNull();
        assertThat(detected.durationSeconds()).isNull();
        assertThat(detected.baselineValue()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.15));
        assertThat(detected.zScore()).isCloseTo((detected.signalValue() - detected.baselineValue())
                / detected.sigmaValue(), org.assertj.core.data.Offset.offset(0.05));

        assertThat(cleared.phase()).isEqualTo(ConveyorJammed.Phase.CLEARED);
        assertThat(cleared.onsetTime()).isEqualTo(detected.onsetTime());
        assertThat(cleared.detectedTime()).isEqualTo(detected.detectedTime());
        assertThat(cleared.baselineValue()).isEqualTo(detected.baselineValue());
        assertThat(cleared.sigmaValue()).isEqualTo(detected.sigmaValue());
        assertThat(cleared.clearedTime()).isBetween(jam.endAt(), jam.endAt().plusSeconds(30));
        assertThat(cleared.durationSeconds())
                .isEqualTo(Duration.between(cleared.onsetTime(), cleared.clearedTime()).toSeconds());
        assertThat(cleared.signalValue()).as("the peak").isGreaterThanOrEqualTo(detected.signalValue());
        assertThat(out.get(1).deviceTime()).isAfterOrEqualTo(cleared.clearedTime());
        assertThat(out.get(1).severity()).isGreaterThan(out.get(0).severity());
        // the documented figures (README-models, JamSeverityScorer)
        assertThat(out).extracting(EdgeMessage::severity).containsExactly(42, 61);
    }

    @Test
    void normalOperationRaisesNoAlert() {
        ConveyorTrace day = GoldenTraces.conveyorNormalOperation(7L, 20_000);
        assertThat(run(new ConveyorEdgeModel(config(), new SequenceCounter(0)), day.readings())).isEmpty();
    }

    @Test
    void jamAlertsTakeTheirNumbersFromTheDevicesSequenceSharedWithTheReeferModel() {
        SequenceCounter sequence = new SequenceCounter(40);
        ReeferEdgeModel reefer = new ReeferEdgeModel(ReeferConfig.builder().deviceId(HUB)
                .shipmentSscc(GoldenTraces.SHIPMENT_SSCC).band(ProductBand.CHILLED).build(), sequence);
        ConveyorEdgeModel conveyor = new ConveyorEdgeModel(config(), sequence);
        List<EdgeMessage> out = new ArrayList<>(run(conveyor, GoldenTraces.conveyorShift().readings()));
        for (TemperatureReading r : GoldenTraces.reeferTrip().readings()) {
            out.addAll(reefer.accept(r));
        }
        out.addAll(reefer.flush());

        assertThat(out).extracting(EdgeMessage::sequence).first().isEqualTo(40L);
        assertThat(out).extracting(EdgeMessage::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(out.get(out.size() - 1).sequence()).isEqualTo(40L + out.size() - 1);
        assertThat(reefer.nextSequence()).isEqualTo(sequence.peek()).isEqualTo(40L + out.size());
        assertThat(out).filteredOn(m -> m.payload() instanceof TemperatureBreached).isNotEmpty();
    }

    @Test
    void eachDriveHasItsOwnDetector() {
        ConveyorEdgeModel model = new ConveyorEdgeModel(config(), new SequenceCounter(0));
        List<EdgeMessage> out = new ArrayList<>();
        for (ConveyorReading r : GoldenTraces.conveyorShift().readings()) {
            out.addAll(model.accept(r));
            out.addAll(model.accept(new ConveyorReading("sorter-3-drive-1", r.at(), 2.0 + (r.at().getEpochSecond() % 3) * 0.01)));
        }
        assertThat(out).extracting(m -> ((ConveyorJammed) m.payload()).equipmentId())
                .containsExactly("sorter-3-drive-2", "sorter-3-drive-2");
        assertThat(model.isJammed("sorter-3-drive-1")).isFalse();
    }

    @Test
    void jamAlertsSurviveTheJsonRoundTrip() {
        List<EdgeMessage> out = run(new ConveyorEdgeModel(config(), new SequenceCounter(0)),
                GoldenTraces.conveyorShift().readings());
        for (EdgeMessage m : out) {
            String json = EdgeMessageJson.toJson(m);
            assertThat(json).contains("\"kind\":\"ALERT\"", "\"signalUnit\":\"A\"", "\"zScore\":")
                    .doesNotContain("excursion", "bandTime");
            assertThat(EdgeMessageJson.fromJson(json)).isEqualTo(m);
        }
    }

    @Test
    void jamSeverityGrowsWithHeightAndDurationAndFallsWithTheSamplesItTookToDetect() {
        assertThat(JamSeverityScorer.score(8, 2, 0)).isLessThan(JamSeverityScorer.score(16, 2, 0));
        assertThat(JamSeverityScorer.score(8, 2, 30)).isLessThan(JamSeverityScorer.score(8, 2, 300));
        assertThat(JamSeverityScorer.score(8, 5, 0)).isLessThan(JamSeverityScorer.score(8, 1, 0));
        assertThat(JamSeverityScorer.score(-3, 5, 0)).isEqualTo(JamSeverityScorer.score(0, 5, 0)).isEqualTo(4);
        assertThat(JamSeverityScorer.score(1e9, 1, Long.MAX_VALUE / 2)).isEqualTo(100);
        // 8 σ flagged on its 2nd sample: 0.5·0.5 + 0.2/2 = 0.35
        assertThat(JamSeverityScorer.score(8, 2, 0)).isEqualTo(35);
        assertThatThrownBy(() -> JamSeverityScorer.score(8, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

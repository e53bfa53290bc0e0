package io.waybill.domain.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.util.Arrays;

/**
 * A conveyor jam, as detected at the edge from a drive's motor current or vibration (a sustained rise of the signal
 * above its learnt baseline), or its end. One event when the jam is detected ({@link Phase#DETECTED}) and one when it
 * has cleared ({@link Phase#CLEARED}); both name the same onset, so the cloud can pair them.
 *
 * <p>The subject is the equipment, not a shipment: {@code urn:waybill:equipment:<edgeDeviceId>:<equipmentId>} (the
 * sensor id is unique only on its edge device, whose thing name is also the event source's producer id).
 *
 * @param edgeDeviceId    the edge device (AWS IoT thing name of the Greengrass core) the drive's sensor is wired to
 * @param equipmentId     the drive / its sensor, unique on that edge device, e.g. {@code sorter-3-drive-2}
 * @param facilityGln     GLN of the site the conveyor is in, if configured
 * @param phase           DETECTED or CLEARED
 * @param onsetTime       estimated start of the jam (device clock, UTC): the first of the samples that led to the alarm
 * @param detectedTime    when the jam was flagged (the sample that crossed the decision threshold)
 * @param clearedTime     CLEARED only: the first sample of the run back near the baseline
 * @param samplesToDetect samples from the onset to the alarm, both included (≥ 1)
 * @param signalUnit      unit of {@code signalValue}, {@code baselineValue} and {@code sigmaValue}: A or mm/s
 * @param signalValue     DETECTED: the sample that raised the alarm; CLEARED: the peak during the jam
 * @param baselineValue   the learnt normal level the jam is measured against (frozen while jammed)
 * @param sigmaValue      the learnt noise (robust standard deviation) of the signal, > 0
 * @param zScore          (signalValue - baselineValue) / sigmaValue, dimensionless
 * @param durationSeconds CLEARED only: clearedTime - onsetTime, whole seconds
 * @param edgeSeverity    the edge's severity score 0..100
 */
public record ConveyorJammed(String edgeDeviceId, String equipmentId, String facilityGln, Phase phase,
                             Instant onsetTime, Instant detectedTime, Instant clearedTime, int samplesToDetect,
                             SignalUnit signalUnit, double signalValue, double baselineValue, double sigmaValue,
                             double zScore, Long durationSeconds, int edgeSeverity) implements EventData {

    /** Prefix of the subject URN. */
    public static final String SUBJECT_PREFIX = "urn:waybill:equipment:";

    public enum Phase { DETECTED, CLEARED }

    /** The unit of the drive's health signal. */
    public enum SignalUnit {
        /** Motor current, ampere. */
        A("A"),
        /** RMS vibration velocity, millimetres per second. */
        MM_PER_S("mm/s");

        private final String symbol;

        SignalUnit(String symbol) {
            this.symbol = symbol;
        }

        @JsonValue
        public String symbol() {
            return symbol;
        }

        /** @throws IllegalArgumentException for anything but {@code A} or {@code mm/s} */
        @JsonCreator
        public static SignalUnit ofSymbol(String symbol) {
            return Arrays.stream(values()).filter(u -> u.symbol.equals(symbol)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unit '" + symbol + "' is not A or mm/s"));
        }
    }

    /** {@code urn:waybill:equipment:<edgeDeviceId>:<equipmentId>}. */
    @Override
    public String subject() {
        return SUBJECT_PREFIX + edgeDeviceId + ":" + equipmentId;
    }
}

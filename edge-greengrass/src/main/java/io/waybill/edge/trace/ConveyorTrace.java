package io.waybill.edge.trace;

import io.waybill.edge.model.ConveyorReading;

import java.util.List;

/**
 * A conveyor drive trace with its ground truth.
 *
 * @param readings     the samples in time order
 * @param incidents    everything that happens in the trace (spikes, jams)
 * @param expectedJams the jams a detector must flag, and no others
 */
public record ConveyorTrace(List<ConveyorReading> readings, List<TraceIncident> incidents,
                            List<ExpectedJam> expectedJams) {
    public ConveyorTrace {
        readings = List.copyOf(readings);
        incidents = List.copyOf(incidents);
        expectedJams = List.copyOf(expectedJams);
    }

    public List<TraceSample> samples() {
        return readings.stream().map(TraceSample::of).toList();
    }

    public List<TraceIncident> incidents(TraceIncident.Kind kind) {
        return incidents.stream().filter(i -> i.kind() == kind).toList();
    }
}

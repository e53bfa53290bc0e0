package io.waybill.domain.ingestion;

import io.waybill.domain.normalize.RejectionReason;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The result of one batch: an outcome per record, in input order; the first record to retry from (the partial
 * batch response); and what it cost.
 *
 * @param outcomes         one per input record
 * @param firstRetryIndex  index of the first record to redeliver, if a transient failure stopped the batch
 * @param failure          what failed, if anything
 * @param projectionWrites projection items written (one per changed shipment at most)
 * @param rejections       dead-lettered records by reason
 * @param stored           boundary timestamps of the events this batch stored (for latency per boundary)
 */
public record BatchOutcome(List<RecordOutcome> outcomes, OptionalInt firstRetryIndex, String failure,
                           int projectionWrites, Map<RejectionReason, Integer> rejections,
                           List<BoundaryTimes> stored) {

    /** An outcome without boundary timestamps. */
    public BatchOutcome(List<RecordOutcome> outcomes, OptionalInt firstRetryIndex, String failure,
                        int projectionWrites, Map<RejectionReason, Integer> rejections) {
        this(outcomes, firstRetryIndex, failure, projectionWrites, rejections, List.of());
    }

    public BatchOutcome {
        outcomes = List.copyOf(outcomes);
        stored = List.copyOf(stored);
        rejections = rejections.isEmpty() ? Map.of() : new EnumMap<>(rejections);
    }

    public long count(RecordOutcome outcome) {
        return outcomes.stream().filter(o -> o == outcome).count();
    }
}

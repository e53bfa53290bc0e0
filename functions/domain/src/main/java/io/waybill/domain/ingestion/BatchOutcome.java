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
 */
public record BatchOutcome(List<RecordOutcome> outcomes, OptionalInt firstRetryIndex, String failure,
                           int projectionWrites, Map<RejectionReason, Integer> rejections) {

    public BatchOutcome {
        outcomes = List.copyOf(outcomes);
        rejections = rejections.isEmpty() ? Map.of() : new EnumMap<>(rejections);
    }

    public long count(RecordOutcome outcome) {
        return outcomes.stream().filter(o -> o == outcome).count();
    }
}

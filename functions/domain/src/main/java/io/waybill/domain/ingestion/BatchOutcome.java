package io.waybill.domain.ingestion;

import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.ops.SourceWatermarks;

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
 * @param legacyReads      event store reads under a scheme-1 key ({@link LegacyIdWindow}), one per record looked up
 * @param legacyDuplicates finished records that were duplicates of an event stored under id scheme 1, found by those
 *                         reads (counted in {@link RecordOutcome#DUPLICATE_IN_STORE} too)
 * @param devices          what the device registry checks did beyond dead letters (which are in {@code rejections})
 * @param sources          per source (adapter) of the events this batch stored, the newest of them
 *                         ({@link SourceWatermarks#newestPerSource}); what {@code /health}'s last event per source
 *                         advances to
 */
public record BatchOutcome(List<RecordOutcome> outcomes, OptionalInt firstRetryIndex, String failure,
                           int projectionWrites, Map<RejectionReason, Integer> rejections,
                           List<BoundaryTimes> stored, int legacyReads, int legacyDuplicates, Devices devices,
                           List<SourceWatermarks.Mark> sources) {

    /**
     * @param unassignedFlagged       finished records accepted flagged {@code unassigned} (the stage's policy is flag)
     * @param sequenceAdvanceFailures 1 when advancing the registry's signing sequences after the batch failed (the
     *                                batch is not failed for it), else 0
     * @param sequenceAdvanceFailure  what failed, or null
     */
    public record Devices(int unassignedFlagged, int sequenceAdvanceFailures, String sequenceAdvanceFailure) {
        /** Nothing flagged, nothing failed. */
        public static final Devices NONE = new Devices(0, 0, null);
    }

    /** An outcome without per-source marks. */
    public BatchOutcome(List<RecordOutcome> outcomes, OptionalInt firstRetryIndex, String failure,
                        int projectionWrites, Map<RejectionReason, Integer> rejections,
                        List<BoundaryTimes> stored, int legacyReads, int legacyDuplicates, Devices devices) {
        this(outcomes, firstRetryIndex, failure, projectionWrites, rejections, stored, legacyReads, legacyDuplicates,
                devices, List.of());
    }

    /** An outcome of a batch whose producers were not checked against a device registry. */
    public BatchOutcome(List<RecordOutcome> outcomes, OptionalInt firstRetryIndex, String failure,
                        int projectionWrites, Map<RejectionReason, Integer> rejections,
                        List<BoundaryTimes> stored, int legacyReads, int legacyDuplicates) {
        this(outcomes, firstRetryIndex, failure, projectionWrites, rejections, stored, legacyReads, legacyDuplicates,
                Devices.NONE);
    }

    /** An outcome of a batch that read nothing under scheme-1 keys. */
    public BatchOutcome(List<RecordOutcome> outcomes, OptionalInt firstRetryIndex, String failure,
                        int projectionWrites, Map<RejectionReason, Integer> rejections, List<BoundaryTimes> stored) {
        this(outcomes, firstRetryIndex, failure, projectionWrites, rejections, stored, 0, 0);
    }

    /** An outcome without boundary timestamps. */
    public BatchOutcome(List<RecordOutcome> outcomes, OptionalInt firstRetryIndex, String failure,
                        int projectionWrites, Map<RejectionReason, Integer> rejections) {
        this(outcomes, firstRetryIndex, failure, projectionWrites, rejections, List.of());
    }

    public BatchOutcome {
        outcomes = List.copyOf(outcomes);
        stored = List.copyOf(stored);
        rejections = rejections.isEmpty() ? Map.of() : new EnumMap<>(rejections);
        devices = devices == null ? Devices.NONE : devices;
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    public long count(RecordOutcome outcome) {
        return outcomes.stream().filter(o -> o == outcome).count();
    }
}

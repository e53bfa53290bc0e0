package io.waybill.domain.epcis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One {@code POST /epcis/capture}: processed within its request, so a job is stored finished ({@code running} false);
 * its status is GS1's capture job (EPCIS 2.0 REST binding).
 *
 * @param captureId      the server's id
 * @param capturedBy     the partner who captured
 * @param createdAt      when the document arrived
 * @param finishedAt     when the capture finished
 * @param errorBehaviour {@code rollback} or {@code proceed} (GS1-Capture-Error-Behaviour)
 * @param captured       how many events were captured (new or corrected)
 * @param errors         per refused event, why; empty on success
 */
public record CaptureJob(String captureId, String capturedBy, Instant createdAt, Instant finishedAt,
                         String errorBehaviour, int captured, List<CaptureError> errors) {
    /** GS1's default: an error rejects every event of the document. */
    public static final String ROLLBACK = "rollback";
    /** Every event that can be captured is, the others are reported. */
    public static final String PROCEED = "proceed";

    /**
     * One refused event.
     *
     * @param index    its position in {@code eventList}
     * @param eventKey its identity ({@link CapturedEvent#keyOf}), or null
     * @param kind     {@code already-captured}, {@code duplicate-in-document}, {@code stream-refused},
     *                 {@code rolled-back}
     * @param detail   what happened, for a person
     */
    public record CaptureError(int index, String eventKey, String kind, String detail) {
        public CaptureError {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }
    }

    public CaptureJob {
        Objects.requireNonNull(captureId, "captureId");
        Objects.requireNonNull(capturedBy, "capturedBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(errorBehaviour, "errorBehaviour");
        errors = List.copyOf(errors);
    }

    public boolean success() {
        return errors.isEmpty();
    }
}

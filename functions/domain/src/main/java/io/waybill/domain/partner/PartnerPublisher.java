package io.waybill.domain.partner;

import java.util.List;

/** The partner event bus: one {@code PutEvents} call. */
public interface PartnerPublisher {

    /**
     * The outcome of one entry, in the order of the call's entries.
     *
     * @param eventBusId the id the bus gave the event, when accepted
     * @param errorCode  the per-entry {@code ErrorCode} (e.g. {@code ThrottlingException}, {@code InternalFailure}),
     *                   null when accepted
     * @param message    the per-entry {@code ErrorMessage}, or null
     */
    record Result(String eventBusId, String errorCode, String message) {
        public static Result accepted(String id) {
            return new Result(id, null, null);
        }

        public static Result failed(String code, String message) {
            return new Result(null, code, message);
        }

        public boolean ok() {
            return errorCode == null;
        }
    }

    /**
     * Puts at most {@value PutEventsBatcher#MAX_ENTRIES_PER_CALL} entries; one result per entry, same order.
     *
     * @throws io.waybill.domain.ingestion.TransientDependencyException when the call as a whole failed (every entry
     *                                                                  is then treated as failed and retried)
     */
    List<Result> putEvents(List<OutboundEntry> entries);
}

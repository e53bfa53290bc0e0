package io.waybill.domain.epcis;

import java.util.List;
import java.util.Optional;

/**
 * The captured EPCIS events and capture jobs (the capture and query interfaces' store). Implementations make
 * {@link #add} atomic: of two concurrent adds of one key exactly one returns true.
 */
public interface EpcisRepository {

    /** One page of events in event-time order and the cursor of the next page (null when this is the last). */
    record EventPage(List<CapturedEvent> events, String nextCursor) {
        public EventPage {
            events = List.copyOf(events);
        }
    }

    /** A cursor this store did not issue, or issued for another query: the caller's input error. */
    final class CursorRefused extends RuntimeException {
        public CursorRefused(String reason) {
            super(reason);
        }
    }

    /** @return the event, or empty */
    Optional<CapturedEvent> event(String key);

    /**
     * Stores a new event with what queries find it by.
     *
     * @return false when an event with this key is already stored (nothing is written)
     */
    boolean add(CapturedEvent event);

    /** Replaces a stored event's body (a correction: the event now carries its {@code errorDeclaration}). */
    void correct(CapturedEvent event);

    /** Removes an event added by a capture that could not forward it (so a retry of the capture succeeds). */
    void remove(String key);

    /**
     * @param cursor  the previous page's {@link EventPage#nextCursor()}, or null for the first page
     * @param perPage at most this many events
     * @throws CursorRefused when the cursor was not issued by this store for this query
     */
    EventPage events(EpcisQuery query, String cursor, int perPage);

    void saveJob(CaptureJob job);

    Optional<CaptureJob> job(String captureId);

    /** The partner's latest jobs, newest first. */
    List<CaptureJob> jobs(String capturedBy, int limit);
}

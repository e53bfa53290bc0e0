package io.waybill.domain.ingestion;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.EventIds;
import io.waybill.domain.normalize.NormalizationResult;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The transition window of a stage whose event store holds events stored under id scheme 1 (ids hashed from the
 * adapter's output, {@link EventIds#scheme1}) before id scheme 2 was deployed at {@link #cutover()}.
 *
 * <p>A resend of such a fact, or a redelivery in flight across the deploy, gets a scheme-2 id and would be stored a
 * second time. So an event whose device time is before the cutover is also looked up under its scheme-1 key (one
 * consistent read): found, it is a duplicate of that legacy fact, and the stored copy is folded and published as for
 * any duplicate. A scheme-1 hash id covers source, type, subject, device time and the canonical data, so an equal id
 * means equal canonical content; a scheme-1 id that was the producer's message id proves nothing about content, so the
 * two are compared (the same canonical content hash, {@link EventIds#deterministic}), and a difference is an id
 * conflict. An event at or after the cutover cannot have been stored under scheme 1 and pays nothing; where the
 * scheme-1 key equals the scheme-2 key (a producer message id scheme 2 keeps as sent) the conditional put meets the
 * stored item itself and no read is needed.
 *
 * <p>The match needs today's adapter to produce what the scheme-1 adapter did for that message: deploy adapter
 * changes after the window closes, not with the cutover.
 *
 * @param cutover when id scheme 2 was deployed on the stage (the last scheme-1 write was before it); a later instant
 *                is safe (more events pay the read), an earlier one misses legacy facts
 * @param lookup  the event store's reads
 */
public record LegacyIdWindow(Instant cutover, StoredEventLookup lookup) {
    /** No legacy data: nothing is ever read. */
    public static final LegacyIdWindow NONE = new LegacyIdWindow(Instant.MIN, key -> Optional.empty());

    public LegacyIdWindow {
        Objects.requireNonNull(cutover, "cutover");
        Objects.requireNonNull(lookup, "lookup");
    }

    /** The window when a cutover is configured, else {@link #NONE}. */
    public static LegacyIdWindow of(Optional<Instant> cutover, StoredEventLookup lookup) {
        return cutover.map(c -> new LegacyIdWindow(c, lookup)).orElse(NONE);
    }

    /**
     * The key the event would have been stored under by id scheme 1, when it must be looked up: its device time is
     * before the cutover and that key is not the one the append writes anyway.
     */
    public Optional<String> legacyKey(NormalizationResult.Normalized n) {
        CanonicalEvent e = n.event();
        if (e.devicetime() == null || !e.devicetime().isBefore(cutover)) {
            return Optional.empty();
        }
        String key = e.source() + "#" + EventIds.scheme1(e.source(), n.vendorMessageId(), e.data(), e.devicetime());
        return key.equals(e.eventKey()) ? Optional.empty() : Optional.of(key);
    }

    /**
     * Whether a stored scheme-1 event is the same fact as this record: always when its id was a content hash (equal
     * ids are equal content); by the content hash of both when its id was the producer's message id.
     */
    static boolean sameFact(NormalizationResult.Normalized n, CanonicalEvent stored) {
        if (n.vendorMessageId() == null) {
            return true;
        }
        CanonicalEvent e = n.event();
        return EventIds.deterministic(e.source(), e.data(), e.devicetime())
                .equals(EventIds.deterministic(stored.source(), stored.data(), stored.devicetime()));
    }
}

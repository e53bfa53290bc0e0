package io.waybill.domain.ops;

import io.waybill.domain.event.CanonicalEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The last event Waybill stored from each source, for {@code /health}. A source here is the event's {@code adapter}
 * (the CloudEvents extension attribute: {@code thermotrack}, {@code frostbyte}, {@code swiftlog}, {@code waybill-edge},
 * ...), that is a vendor's device fleet or a partner's channel: the unit operations act on when "nothing arrives" (a
 * vendor cloud or partner gateway down, an IoT rule broken). The event's {@code source}
 * ({@code urn:waybill:<adapter>:<device or partner>}) names one producer, too fine for a health page: a single probe
 * going quiet is the devices view's business ({@code /devices}, last seen).
 *
 * <p>Ingest advances a source's mark at most once per batch with the newest event time it stored from that source
 * (and that event's stream arrival); a mark never moves back. Port; DynamoDB adapter in {@code functions/aws}.
 */
public interface SourceWatermarks {

    /**
     * One source's mark.
     *
     * @param source        the adapter id, e.g. {@code thermotrack}
     * @param lastEventAt   the event time ({@code time}: corrected for device clock skew, never ahead of Waybill's
     *                      reference) of the newest event stored from that source
     * @param lastArrivalAt when that event reached the raw stream (Kinesis arrival, {@code streamtime}); null when not
     *                      known
     */
    record Mark(String source, Instant lastEventAt, Instant lastArrivalAt) {
        public Mark {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(lastEventAt, "lastEventAt");
        }
    }

    /** Raises the source's mark to {@code mark} when its event time is newer than the stored one; else nothing. */
    void advance(Mark mark);

    /** Every source's mark, by source (a handful of items: one per adapter). */
    List<Mark> all();

    /**
     * The mark each source of these events reaches: per adapter, the event with the newest {@code time} (of two with
     * the same time, the later arrival), in order of first appearance. Events without an adapter are left out.
     */
    static List<Mark> newestPerSource(Collection<CanonicalEvent> events) {
        Comparator<Mark> newer = Comparator.comparing(Mark::lastEventAt)
                .thenComparing(Mark::lastArrivalAt, Comparator.nullsFirst(Comparator.naturalOrder()));
        Map<String, Mark> newest = new LinkedHashMap<>();
        for (CanonicalEvent e : events) {
            if (e.adapter() == null || e.adapter().isBlank()) {
                continue;
            }
            Mark m = new Mark(e.adapter(), e.time(), e.streamtime());
            newest.merge(m.source(), m, (a, b) -> newer.compare(b, a) > 0 ? b : a);
        }
        return new ArrayList<>(newest.values());
    }
}

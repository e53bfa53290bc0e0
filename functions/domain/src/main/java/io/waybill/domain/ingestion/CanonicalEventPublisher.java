package io.waybill.domain.ingestion;

import io.waybill.domain.event.CanonicalEvent;

import java.util.List;

/**
 * The canonical event stream every downstream consumer reads (cold chain now; provenance anchoring, partner egress
 * and KPI aggregation later): events in order per shipment, partitioned by {@link #partitionKey(CanonicalEvent)}.
 * Ingest publishes every event it stored and every duplicate it confirmed, so a publish lost after a store is
 * repaired by the redelivery; consumers therefore see an event at least once and dedupe by {@code source + id}.
 */
public interface CanonicalEventPublisher {

    /** One event to publish: the event and its canonical JSON (the stored copy for a duplicate). */
    record Publication(CanonicalEvent event, String json) {
    }

    /**
     * Publishes the events in the given order (per partition key, a later event is never visible before an earlier
     * one that failed).
     *
     * @return how many of the events, counted from the first, are published for certain; fewer than all when a
     *         transient failure stopped the rest (the caller redelivers from the first one not published)
     */
    int publish(List<Publication> events);

    /** The shipment's SSCC for shipment-scoped events; else the event's subject; else its source. */
    static String partitionKey(CanonicalEvent e) {
        return io.waybill.domain.projection.ShipmentProjection.shipmentOf(e)
                .orElse(e.subject() != null ? e.subject() : e.source());
    }

    /** Publishes nothing (a pipeline without a canonical stream). */
    CanonicalEventPublisher NONE = events -> events.size();
}

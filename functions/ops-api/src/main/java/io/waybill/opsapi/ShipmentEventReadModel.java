package io.waybill.opsapi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A shipment's stored canonical events, in event-time order, as the ops API reads them (port; DynamoDB adapter over
 * the event store's {@code bySubject} index in {@code io.waybill.opsapi.aws}).
 */
public interface ShipmentEventReadModel {
    /**
     * @param type only events of this type, or null
     * @param from only events at or after this instant, or null
     * @param to   only events at or before this instant, or null
     */
    record Filter(String type, Instant from, Instant to) {
    }

    /**
     * One stored event.
     *
     * @param eventTime  the event's time (the index's sort key)
     * @param recordedAt when the event store stored it, or null when not recorded
     * @param json       the stored canonical event JSON
     */
    record StoredEvent(String eventId, String type, Instant eventTime, Instant recordedAt, String source,
                       String adapter, String json) {
        public StoredEvent {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(eventTime, "eventTime");
            Objects.requireNonNull(json, "json");
        }
    }

    /**
     * One page of the shipment's events, earliest first.
     *
     * @throws PageTokenRefused when the token was not issued for this shipment and filter
     */
    Page<StoredEvent> history(String sscc, Filter filter, String pageToken, int limit);

    /**
     * The shipment's first {@code max} matching events, earliest first; {@code max + 1} when there are more (so a
     * caller can tell it cut).
     */
    List<StoredEvent> first(String sscc, Filter filter, int max);
}

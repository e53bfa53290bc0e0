package io.waybill.domain.kpi;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;

/**
 * Reads canonical events for the KPIs from their stored JSON (the event store's {@code eventJson} attribute), via
 * {@link CanonicalEventJson#fromJson}.
 */
public final class KpiEvents {
    private KpiEvents() {
    }

    /**
     * @throws IllegalArgumentException when the text is not JSON, the type is unknown or the data does not fit it
     */
    public static CanonicalEvent parse(String eventJson) {
        try {
            return CanonicalEventJson.fromJson(CanonicalEventJson.MAPPER.readTree(eventJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a canonical event: " + e.getOriginalMessage(), e);
        }
    }
}

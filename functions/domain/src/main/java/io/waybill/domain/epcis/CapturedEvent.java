package io.waybill.domain.epcis;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;

/**
 * One EPCIS event as the capture interface stored it.
 *
 * @param key        its identity: the {@code eventID}, or the CBV 2.0 event hash ({@link EpcisEventHash}) when it has
 *                   none; a second capture of the same key is a re-capture (409) unless it declares an error
 * @param event      the event object as captured (as it was in {@code eventList}); after a correction, the event
 *                   with its {@code errorDeclaration}
 * @param capturedBy the authenticated partner who captured it (never a field of the document)
 * @param recordTime when Waybill recorded it
 */
public record CapturedEvent(String key, JsonNode event, String capturedBy, Instant recordTime) {
    public CapturedEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(capturedBy, "capturedBy");
        Objects.requireNonNull(recordTime, "recordTime");
    }

    /** The identity of an event: its {@code eventID}, else its CBV 2.0 event hash. */
    public static String keyOf(JsonNode event) {
        JsonNode id = event.get("eventID");
        if (id != null && id.isTextual() && !id.asText().isBlank()) {
            return id.asText().strip();
        }
        return EpcisEventHash.hash(event);
    }

    /** The facts queries filter on. */
    public EpcisEventIndex index() {
        return EpcisEventIndex.of(event);
    }

    /** Whether the event declares an error ({@code errorDeclaration}): a correction of an earlier capture. */
    public static boolean declaresError(JsonNode event) {
        JsonNode d = event.get("errorDeclaration");
        return d != null && d.isObject();
    }
}

package io.waybill.kpi;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.kpi.KpiEvents;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads every event of the event store table: a paginated Scan that projects only the {@value #EVENT_JSON_ATTRIBUTE}
 * attribute, each value parsed with {@link KpiEvents#parse}. Items without it, or whose JSON is not a canonical event,
 * are counted and skipped. Used by the KPI publisher and by the local {@code ./waybill kpis} report.
 *
 * <p>Cost: O(events) read per call (a Scan reads the whole table, 1 MB pages; read capacity is charged on the full
 * item size even with the projection). Fine at pilot volumes; see {@link KpiPublisherHandler} for the scalable
 * design.
 */
public final class EventStoreScan {
    /** The event store attribute holding the canonical event JSON ({@code io.waybill.aws.eventstore.EventItem}). */
    public static final String EVENT_JSON_ATTRIBUTE = "eventJson";

    private EventStoreScan() {
    }

    /**
     * Events read from the store.
     *
     * @param events     the parsed events, in scan order
     * @param items      items scanned
     * @param unreadable items without {@code eventJson} or whose JSON is not a canonical event (skipped)
     */
    public record ScannedEvents(List<CanonicalEvent> events, int items, int unreadable) {
        public ScannedEvents {
            events = List.copyOf(events);
        }
    }

    /** Scans the whole table, page by page (only {@value #EVENT_JSON_ATTRIBUTE} is read). */
    public static ScannedEvents scan(DynamoDbClient dynamo, String eventsTable) {
        return scan(dynamo, eventsTable, null);
    }

    /**
     * @param pageLimit items per Scan page (DynamoDB {@code Limit}), or null for DynamoDB's 1 MB pages
     */
    public static ScannedEvents scan(DynamoDbClient dynamo, String eventsTable, Integer pageLimit) {
        Objects.requireNonNull(dynamo, "dynamo");
        Objects.requireNonNull(eventsTable, "eventsTable");
        List<CanonicalEvent> events = new ArrayList<>();
        int items = 0;
        int unreadable = 0;
        ScanRequest request = ScanRequest.builder().tableName(eventsTable).limit(pageLimit)
                .projectionExpression("#j").expressionAttributeNames(Map.of("#j", EVENT_JSON_ATTRIBUTE)).build();
        for (ScanResponse page : dynamo.scanPaginator(request)) {
            for (Map<String, AttributeValue> item : page.items()) {
                items++;
                AttributeValue json = item.get(EVENT_JSON_ATTRIBUTE);
                if (json == null || json.s() == null) {
                    unreadable++;
                    continue;
                }
                try {
                    events.add(KpiEvents.parse(json.s()));
                } catch (IllegalArgumentException | DateTimeException e) {
                    unreadable++;
                }
            }
        }
        return new ScannedEvents(events, items, unreadable);
    }
}

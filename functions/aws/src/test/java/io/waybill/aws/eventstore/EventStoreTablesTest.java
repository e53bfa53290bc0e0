package io.waybill.aws.eventstore;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

import static org.assertj.core.api.Assertions.assertThat;

class EventStoreTablesTest {

    @Test
    void eventTableIsKeyedBySourceAndIdWithAShipmentHistoryIndex() {
        CreateTableRequest events = EventStoreTables.events("waybill-events");

        assertThat(events.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("eventKey");
        assertThat(events.globalSecondaryIndexes()).singleElement().satisfies(gsi -> {
            assertThat(gsi.indexName()).isEqualTo(EventItem.BY_SUBJECT_INDEX);
            assertThat(gsi.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("subject", "time");
        });
        assertThat(events.billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
    }

    @Test
    void shipmentTableIsKeyedBySscc() {
        assertThat(EventStoreTables.shipments("waybill-shipments").keySchema())
                .extracting(KeySchemaElement::attributeName).containsExactly("shipmentSscc");
    }
}

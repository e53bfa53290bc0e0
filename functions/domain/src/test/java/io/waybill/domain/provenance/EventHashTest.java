package io.waybill.domain.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventHashTest {

    /** schemas/src/test/resources/valid/waybill.custody.transferred.v1.json, as the schema module keeps it. */
    private static final String CUSTODY = """
            {
              "specversion": "1.0",
              "id": "pod-20250314-000981",
              "source": "urn:waybill:pod-api:partner-5412345",
              "type": "waybill.custody.transferred.v1",
              "time": "2025-03-14T13:05:41Z",
              "subject": "006141411234567890",
              "dataschema": "https://schemas.waybill.io/events/waybill.custody.transferred.v1.schema.json",
              "datacontenttype": "application/json",
              "devicetime": "2025-03-14T13:05:41Z",
              "processingtime": "2025-03-14T13:05:49.204Z",
              "streamtime": "2025-03-14T13:05:46.871Z",
              "clockskewms": 8204,
              "clockskewed": false,
              "adapter": "pod-api",
              "data": {
                "shipmentSscc": "006141411234567890",
                "fromPartyGln": "4012345000009",
                "toPartyGln": "5412345000136",
                "atGln": "5412345000136"
              }
            }
            """;

    /** The same event: fields in another order (envelope and data), other whitespace, 8204 spelt 8.204e3. */
    private static final String CUSTODY_REORDERED = "{\"data\":{\"atGln\":\"5412345000136\",\"toPartyGln\":"
            + "\"5412345000136\",  \"fromPartyGln\":\"4012345000009\",\"shipmentSscc\":\"006141411234567890\"},"
            + "\n\t\"adapter\":\"pod-api\",\"clockskewed\":false,\"clockskewms\":8.204e3,\"type\":"
            + "\"waybill.custody.transferred.v1\",\"time\":\"2025-03-14T13:05:41Z\",\"subject\":\"006141411234567890\","
            + "\"streamtime\":\"2025-03-14T13:05:46.871Z\",\"specversion\":\"1.0\",\"source\":"
            + "\"urn:waybill:pod-api:partner-5412345\",\"processingtime\":\"2025-03-14T13:05:49.204Z\",\"devicetime\":"
            + "\"2025-03-14T13:05:41Z\",\"dataschema\":"
            + "\"https://schemas.waybill.io/events/waybill.custody.transferred.v1.schema.json\","
            + "\"datacontenttype\":\"application/json\",\"id\":\"pod-20250314-000981\"}";

    private static ObjectNode parse(String json) throws IOException {
        return (ObjectNode) CanonicalEventJson.MAPPER.readTree(json);
    }

    @Test
    void hashesTheCanonicalJsonWithoutTheIdComputedByHand() throws IOException {
        // RFC 8785 form of CUSTODY without "id" (keys sorted, no whitespace), hashed outside Java:
        // printf '%s' '{"adapter":"pod-api","clockskewed":false,"clockskewms":8204,"data":{"atGln":"5412345000136","fromPartyGln":"4012345000009","shipmentSscc":"006141411234567890","toPartyGln":"5412345000136"},"datacontenttype":"application/json","dataschema":"https://schemas.waybill.io/events/waybill.custody.transferred.v1.schema.json","devicetime":"2025-03-14T13:05:41Z","processingtime":"2025-03-14T13:05:49.204Z","source":"urn:waybill:pod-api:partner-5412345","specversion":"1.0","streamtime":"2025-03-14T13:05:46.871Z","subject":"006141411234567890","time":"2025-03-14T13:05:41Z","type":"waybill.custody.transferred.v1"}' | sha256sum
        // d07b67811ad868b0dc97b8cf98a2218c32d01e28f9c95461bc3b84f458916f41
        EventHash hash = EventHash.of(parse(CUSTODY));
        assertThat(hash.hex()).isEqualTo("d07b67811ad868b0dc97b8cf98a2218c32d01e28f9c95461bc3b84f458916f41");
        assertThat(hash.leafValue()).isEqualTo("0x" + hash.hex());
        assertThat(hash.bytes()).hasSize(32);
    }

    @Test
    void fieldOrderWhitespaceAndNumberSpellingDoNotChangeTheHash() throws IOException {
        assertThat(EventHash.of(parse(CUSTODY_REORDERED))).isEqualTo(EventHash.of(parse(CUSTODY)));
    }

    @Test
    void theEventsOwnIdIsNotCommittedTo() throws IOException {
        ObjectNode renamed = parse(CUSTODY);
        renamed.put("id", "another-id");
        ObjectNode without = parse(CUSTODY);
        without.remove("id");
        assertThat(EventHash.of(renamed)).isEqualTo(EventHash.of(parse(CUSTODY))).isEqualTo(EventHash.of(without));
    }

    @Test
    void everyOtherFieldIsCommittedTo() throws IOException {
        EventHash original = EventHash.of(parse(CUSTODY));
        List<String> changedFields = new ArrayList<>();
        ObjectNode event = parse(CUSTODY);
        event.fieldNames().forEachRemaining(changedFields::add);
        changedFields.remove("id");
        for (String field : changedFields) {
            ObjectNode changed = parse(CUSTODY);
            changed.set(field, TextNode.valueOf("changed"));
            assertThat(EventHash.of(changed)).as(field).isNotEqualTo(original);
            ObjectNode dropped = parse(CUSTODY);
            dropped.remove(field);
            assertThat(EventHash.of(dropped)).as("without " + field).isNotEqualTo(original);
        }
        for (String dataField : List.of("shipmentSscc", "fromPartyGln", "toPartyGln", "atGln")) {
            ObjectNode changed = parse(CUSTODY);
            ((ObjectNode) changed.get("data")).put(dataField, "5412345000143");
            assertThat(EventHash.of(changed)).as("data." + dataField).isNotEqualTo(original);
        }
        ObjectNode added = parse(CUSTODY);
        added.put("late", true);
        assertThat(EventHash.of(added)).as("an added field").isNotEqualTo(original);
        assertThat(changedFields).hasSize(14);
    }

    @Test
    void theTypedEventHashesAsItsJsonForm() throws IOException {
        CanonicalEvent event = CanonicalEventJson.fromJson(parse(CUSTODY));
        assertThat(EventHash.of(event)).isEqualTo(EventHash.of(CanonicalEventJson.toJson(event)));
        CanonicalEvent sameButId = CanonicalEventJson.fromJson(parse(CUSTODY).put("id", "pod-20250314-000982"));
        assertThat(EventHash.of(sameButId)).isEqualTo(EventHash.of(event));
    }

    @Test
    void hashingLeavesTheEventUntouched() throws IOException {
        ObjectNode event = parse(CUSTODY);
        EventHash.of(event);
        assertThat(event).isEqualTo(parse(CUSTODY));
    }
}

package io.waybill.domain.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.waybill.domain.epcis.Gs1EpcisSchema.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The CBV 2.0 event hash against the published vectors of the reference implementation (test resources
 * {@code epcis/hash-vectors/}, see SOURCE.md there): the expected pre-hash string and hash are theirs, not ours.
 */
class EpcisEventHashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VECTORS = "epcis/hash-vectors/";

    private static JsonNode singleEvent() throws Exception {
        return JSON.readTree(resource(VECTORS + "epcisDocWithSingleEvent.jsonld")).at("/epcisBody/eventList/0");
    }

    @Test
    void preHashStringIsThePublishedOne() throws Exception {
        assertEquals(resource(VECTORS + "epcisDocWithSingleEvent.prehashes").strip(),
                EpcisEventHash.preHash(singleEvent()));
    }

    @Test
    void hashIsThePublishedOne() throws Exception {
        assertEquals(resource(VECTORS + "epcisDocWithSingleEvent.hashes").strip(), EpcisEventHash.hash(singleEvent()));
    }

    @Test
    void eventIdAndFieldOrderDoNotChangeTheHashButAValueDoes() throws Exception {
        ObjectNode event = (ObjectNode) singleEvent();
        String expected = resource(VECTORS + "epcisDocWithSingleEvent.hashes").strip();
        ObjectNode reordered = JSON.createObjectNode();
        reordered.put("eventID", "urn:uuid:ab8ad1b6-8a64-4a2b-bd34-c9ae5f42f5a7");
        reordered.set("readPoint", event.get("readPoint"));
        reordered.set("epcList", JSON.createArrayNode().add("urn:epc:id:sgtin:0614141.107346.2018")
                .add("urn:epc:id:sgtin:0614141.107346.2017"));
        event.fields().forEachRemaining(f -> reordered.putIfAbsent(f.getKey(), f.getValue()));
        assertEquals(expected, EpcisEventHash.hash(reordered));

        ObjectNode changed = event.deepCopy();
        changed.put("disposition", "in_progress");
        assertNotEquals(expected, EpcisEventHash.hash(changed));
    }

    @Test
    void timesAreUtcMillisecondsRoundedHalfUp() {
        assertEquals("2022-02-17T02:33:31.116Z", EpcisEventHash.utcMillis("2022-02-16T20:33:31.116000-06:00"));
        assertEquals("2020-01-01T00:00:00.000Z", EpcisEventHash.utcMillis("2020-01-01T01:00:00+01:00"));
        assertEquals("2020-01-01T00:00:00.124Z", EpcisEventHash.utcMillis("2020-01-01T00:00:00.1235Z"));
    }

    @Test
    void epcUrnsBecomeDigitalLinks() {
        // worked by hand: GTIN-14 = indicator 8 + 0614141 + 12345 + check digit 8 (GS1 mod-10)
        assertEquals("https://id.gs1.org/01/80614141123458/21/6789",
                EpcisKeys.canonical("urn:epc:id:sgtin:0614141.812345.6789"));
        // SSCC = extension 1 + 0614141 + 234567890 + check digit 8
        assertEquals("https://id.gs1.org/00/106141412345678908",
                EpcisKeys.canonical("urn:epc:id:sscc:0614141.1234567890"));
        // GLN 0614141 + 00001 + check digit 2; extension 0 is the GLN itself
        assertEquals("https://id.gs1.org/414/0614141000012", EpcisKeys.canonical("urn:epc:id:sgln:0614141.00001.0"));
        assertEquals("https://id.gs1.org/414/0614141000012/254/7",
                EpcisKeys.canonical("urn:epc:id:sgln:0614141.00001.7"));
        assertEquals("geo:47.5,11.1", EpcisKeys.canonical("geo:47.5,11.1"));
    }
}

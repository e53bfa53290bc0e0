package io.waybill.domain.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CustodyTransferred;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.InventoryObserved;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureObserved;
import io.waybill.domain.event.WorkOrderCompleted;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each canonical type's EPCIS mapping against JSON written by hand (the table in functions/domain/README.md,
 * "GS1 EPCIS 2.0 export"),
 * and every exported document against GS1's official EPCIS 2.0 JSON Schema.
 */
class EpcisExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-11-27T08:00:00Z");
    private static final String SSCC = "106141412345678908";
    private static final String DOCK = "0614141000012";
    private static final String HUB = "0614141000029";
    private static final String CARRIER = "0614141000036";
    private static final String RECEIVER = "0614141000043";

    private static CanonicalEvent event(EventData data, Instant time) {
        return new CanonicalEvent("id-" + time.toEpochMilli(), "urn:waybill:test:dev", EventType.of(data).type(),
                time, data.subject(), time, null, null, time, 0, false, "test", null, data);
    }

    /** The mapped events with their eventIDs left out, as JSON text parsed again (numbers compare by value). */
    private static JsonNode mapped(EventData data) throws Exception {
        List<ObjectNode> events = EpcisExport.map(event(data, T));
        List<JsonNode> out = new ArrayList<>();
        for (ObjectNode e : events) {
            assertTrue(e.path("eventID").asText().matches("ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2\\.0"), e.toString());
            ObjectNode copy = e.deepCopy();
            copy.remove("eventID");
            out.add(JSON.readTree(copy.toString()));
        }
        return JSON.valueToTree(out);
    }

    private static void assertMapped(String expectedJson, EventData data) throws Exception {
        assertEquals(JSON.readTree(expectedJson), mapped(data));
    }

    @Test
    void departureIsObservedDepartingInTransitAtThePlaceLeft() throws Exception {
        assertMapped("""
                [{"type":"ObjectEvent","eventTime":"2026-11-27T08:00:00Z","eventTimeZoneOffset":"+00:00",
                  "action":"OBSERVE","epcList":["https://id.gs1.org/00/106141412345678908"],
                  "bizStep":"departing","disposition":"in_transit",
                  "readPoint":{"id":"https://id.gs1.org/414/0614141000012"}}]""",
                new ShipmentDeparted(SSCC, DOCK, null, 812.5, "ACME"));
    }

    @Test
    void eventIdIsTheSha256OfTheHandWrittenPreHashString() throws Exception {
        String preHash = "eventType=ObjectEventeventTime=2026-11-27T08:00:00.000ZeventTimeZoneOffset=+00:00"
                + "epcListepc=https://id.gs1.org/00/106141412345678908action=OBSERVE"
                + "bizStep=https://ref.gs1.org/cbv/BizStep-departingdisposition=https://ref.gs1.org/cbv/Disp-in_transit"
                + "readPointid=https://id.gs1.org/414/0614141000012";
        String expected = "ni:///sha-256;" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(preHash.getBytes(StandardCharsets.UTF_8))) + "?ver=CBV2.0";
        ObjectNode exported = EpcisExport.map(event(new ShipmentDeparted(SSCC, DOCK, null, null, null), T)).get(0);
        assertEquals(expected, exported.get("eventID").asText());
    }

    @Test
    void arrivalIsArrivingWithReadPointAndBusinessLocation() throws Exception {
        assertMapped("""
                [{"type":"ObjectEvent","eventTime":"2026-11-27T08:00:00Z","eventTimeZoneOffset":"+00:00",
                  "action":"OBSERVE","epcList":["https://id.gs1.org/00/106141412345678908"],"bizStep":"arriving",
                  "readPoint":{"id":"https://id.gs1.org/414/0614141000029"},
                  "bizLocation":{"id":"https://id.gs1.org/414/0614141000029"}}]""",
                new ShipmentArrived(SSCC, HUB, null, null));
    }

    @Test
    void custodyTransferIsAcceptingFromOnePossessingPartyToAnother() throws Exception {
        assertMapped("""
                [{"type":"ObjectEvent","eventTime":"2026-11-27T08:00:00Z","eventTimeZoneOffset":"+00:00",
                  "action":"OBSERVE","epcList":["https://id.gs1.org/00/106141412345678908"],"bizStep":"accepting",
                  "readPoint":{"id":"https://id.gs1.org/414/0614141000029"},
                  "bizLocation":{"id":"https://id.gs1.org/414/0614141000029"},
                  "sourceList":[{"type":"possessing_party","source":"https://id.gs1.org/417/0614141000036"}],
                  "destinationList":[{"type":"possessing_party",
                                      "destination":"https://id.gs1.org/417/0614141000043"}]}]""",
                new CustodyTransferred(SSCC, CARRIER, RECEIVER, HUB));
    }

    @Test
    void aPalletReadWithItsItemsIsAnObservationAndAnAggregation() throws Exception {
        assertMapped("""
                [{"type":"ObjectEvent","eventTime":"2026-11-27T08:00:00Z","eventTimeZoneOffset":"+00:00",
                  "action":"OBSERVE",
                  "epcList":["urn:epc:id:sgtin:0614141.812345.6789","urn:epc:id:sgtin:0614141.812345.6790",
                             "urn:epc:id:sscc:0614141.1234567890"],
                  "readPoint":{"id":"https://id.gs1.org/414/0614141000012"}},
                 {"type":"AggregationEvent","eventTime":"2026-11-27T08:00:00Z","eventTimeZoneOffset":"+00:00",
                  "parentID":"urn:epc:id:sscc:0614141.1234567890",
                  "childEPCs":["urn:epc:id:sgtin:0614141.812345.6789","urn:epc:id:sgtin:0614141.812345.6790"],
                  "action":"ADD","readPoint":{"id":"https://id.gs1.org/414/0614141000012"}}]""",
                new InventoryObserved(DOCK, "DOCK-DOOR-3", List.of("urn:epc:id:sgtin:0614141.812345.6789",
                        "urn:epc:id:sgtin:0614141.812345.6790", "urn:epc:id:sscc:0614141.1234567890"), SSCC));
    }

    @Test
    void itemsReadWithoutAPalletAreAnObservationOnly() throws Exception {
        assertMapped("""
                [{"type":"ObjectEvent","eventTime":"2026-11-27T08:00:00Z","eventTimeZoneOffset":"+00:00",
                  "action":"OBSERVE","epcList":["urn:epc:id:sgtin:0614141.812345.6789"],
                  "readPoint":{"id":"https://id.gs1.org/414/0614141000012"}}]""",
                new InventoryObserved(DOCK, "DOCK-DOOR-3", List.of("urn:epc:id:sgtin:0614141.812345.6789"), null));
    }

    @Test
    void aWorkOrderCommissionsItsOutputByQuantityOrBySerial() throws Exception {
        assertMapped("""
                [{"type":"ObjectEvent","eventTime":"2026-11-27T08:00:00Z","eventTimeZoneOffset":"+00:00",
                  "action":"ADD",
                  "quantityList":[{"epcClass":"https://id.gs1.org/01/80614141123458","quantity":120.5,"uom":"KGM"}],
                  "bizStep":"commissioning","disposition":"active",
                  "readPoint":{"id":"https://id.gs1.org/414/0614141000012"},
                  "bizLocation":{"id":"https://id.gs1.org/414/0614141000012"},
                  "bizTransactionList":[{"type":"prodorder","bizTransaction":"urn:waybill:workorder:WO-7"}]}]""",
                new WorkOrderCompleted("WO-7", "80614141123458", 120.5, "KGM", DOCK, List.of()));
        assertMapped("""
                [{"type":"ObjectEvent","eventTime":"2026-11-27T08:00:00Z","eventTimeZoneOffset":"+00:00",
                  "action":"ADD","epcList":["urn:epc:id:sgtin:0614141.812345.6789"],
                  "bizStep":"commissioning","disposition":"active",
                  "readPoint":{"id":"https://id.gs1.org/414/0614141000012"},
                  "bizLocation":{"id":"https://id.gs1.org/414/0614141000012"},
                  "bizTransactionList":[{"type":"prodorder","bizTransaction":"urn:waybill:workorder:WO-8"}]}]""",
                new WorkOrderCompleted("WO-8", "80614141123458", 1, "EA", DOCK,
                        List.of("urn:epc:id:sgtin:0614141.812345.6789")));
        // a count in each (EA) has no uom in EPCIS (CBV: a quantity without uom counts instances)
        assertFalse(mapped(new WorkOrderCompleted("WO-9", "80614141123458", 24, "EA", DOCK, List.of()))
                .at("/0/quantityList/0").has("uom"));
    }

    @Test
    void aBreachIsASensorAlarmAndACloudDecisionMarksTheShipmentNonConformant() throws Exception {
        assertMapped("""
                [{"type":"ObjectEvent","eventTime":"2026-11-27T08:00:00Z","eventTimeZoneOffset":"+00:00",
                  "action":"OBSERVE","epcList":["https://id.gs1.org/00/106141412345678908"],
                  "bizStep":"sensor_reporting",
                  "sensorElementList":[{"sensorReport":[{"type":"Temperature","exception":"ALARM_CONDITION",
                                                         "value":9.4,"uom":"CEL"}]}]}]""",
                new TemperatureBreached(SSCC, "CC-0009", 9.4, 8.0, TemperatureBreached.Limit.UPPER, 540L));
        TemperatureBreached.Decision decision = new TemperatureBreached.Decision("vaccines-2-8", "MAJOR",
                List.of("TOR_BUDGET_EXCEEDED"), Instant.parse("2026-11-27T06:00:00Z"),
                Instant.parse("2026-11-27T07:30:00Z"), 90, 1800, 45, 0, 6.1, "INC-1", 0);
        assertMapped("""
                [{"type":"ObjectEvent","eventTime":"2026-11-27T08:00:00Z","eventTimeZoneOffset":"+00:00",
                  "action":"OBSERVE","epcList":["https://id.gs1.org/00/106141412345678908"],
                  "bizStep":"sensor_reporting","disposition":"non_conformant",
                  "sensorElementList":[{"sensorMetadata":{"startTime":"2026-11-27T06:00:00Z",
                                                          "endTime":"2026-11-27T07:30:00Z"},
                                        "sensorReport":[{"type":"Temperature","exception":"ALARM_CONDITION",
                                                         "value":10.2,"uom":"CEL"}]}]}]""",
                new TemperatureBreached(SSCC, "CC-0009", 10.2, 8.0, TemperatureBreached.Limit.UPPER, 1800L, null,
                        decision));
    }

    @Test
    void temperatureSummariesBecomeOneSensorReportPerShipment() throws Exception {
        String other = "006141410000004515";
        EpcisExport export = new EpcisExport();
        export.add(event(new TemperatureObserved(SSCC, "TT-1", T, T.plusSeconds(600), 3.0, 5.0, 4.0, 10, null),
                T.plusSeconds(600)));
        export.add(event(new TemperatureObserved(other, "TT-2", T, T, 4.1, 4.1, 4.1, 1, null), T));
        export.add(event(new TemperatureObserved(SSCC, "TT-1", T.plusSeconds(600), T.plusSeconds(1200), 2.5, 7.5,
                6.0, 30, null), T.plusSeconds(1200)));
        export.add(event(new TemperatureObserved(other, "TT-2", T.plusSeconds(60), T.plusSeconds(120), 4.0, 4.4,
                4.2, 2, null), T.plusSeconds(120)));
        ObjectNode document = export.document(T.plusSeconds(3600));
        ObjectNode reparsed = (ObjectNode) JSON.readTree(document.toString());
        reparsed.withArray("/epcisBody/eventList").forEach(e -> ((ObjectNode) e).remove("eventID"));
        // by hand: SSCC min(3.0, 2.5) = 2.5, max(5.0, 7.5) = 7.5, mean (4.0*10 + 6.0*30) / 40 = 5.5;
        // other: min 4.0, max 4.4, mean (4.1*1 + 4.2*2) / 3 = 4.1667 -> 4.17
        assertEquals(JSON.readTree("""
                {"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
                 "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-27T09:00:00Z",
                 "epcisBody":{"eventList":[
                  {"type":"ObjectEvent","eventTime":"2026-11-27T08:20:00Z","eventTimeZoneOffset":"+00:00",
                   "action":"OBSERVE","epcList":["https://id.gs1.org/00/106141412345678908"],
                   "bizStep":"sensor_reporting",
                   "sensorElementList":[{"sensorMetadata":{"startTime":"2026-11-27T08:00:00Z",
                                                           "endTime":"2026-11-27T08:20:00Z"},
                     "sensorReport":[{"type":"Temperature","minValue":2.5,"maxValue":7.5,"meanValue":5.50,
                                      "uom":"CEL"}]}]},
                  {"type":"ObjectEvent","eventTime":"2026-11-27T08:02:00Z","eventTimeZoneOffset":"+00:00",
                   "action":"OBSERVE","epcList":["https://id.gs1.org/00/006141410000004515"],
                   "bizStep":"sensor_reporting",
                   "sensorElementList":[{"sensorMetadata":{"startTime":"2026-11-27T08:00:00Z",
                                                           "endTime":"2026-11-27T08:02:00Z"},
                     "sensorReport":[{"type":"Temperature","minValue":4.0,"maxValue":4.4,"meanValue":4.17,
                                      "uom":"CEL"}]}]}]}}"""), reparsed);
    }

    @Test
    void theSameBusinessEventFromTwoSourcesIsExportedOnce() {
        EpcisExport export = new EpcisExport();
        ShipmentDeparted departed = new ShipmentDeparted(SSCC, DOCK, null, null, null);
        export.add(event(departed, T));
        export.add(new CanonicalEvent("SL-1", "urn:waybill:swiftlog:SWIFTLOG", EventType.of(departed).type(), T,
                SSCC, T, null, null, T, 0, false, "swiftlog", null,
                new ShipmentDeparted(SSCC, DOCK, null, 1204.3, "SWIFTLOG")));
        export.add(event(departed, T.plusSeconds(1)));
        assertEquals(1, export.duplicates());
        assertEquals(2, export.document(T).at("/epcisBody/eventList").size());
    }

    @Test
    void everyMappedTypeInOneDocumentValidatesAgainstGs1Schema() {
        EpcisExport export = new EpcisExport();
        List<EventData> all = List.of(
                new ShipmentDeparted(SSCC, DOCK, null, null, null),
                new ShipmentDeparted(SSCC, null, null, null, null),
                new ShipmentArrived(SSCC, HUB, null, null),
                new CustodyTransferred(SSCC, CARRIER, RECEIVER, HUB),
                new InventoryObserved(DOCK, "R", List.of("urn:epc:id:sgtin:0614141.812345.6789",
                        "urn:epc:id:sscc:0614141.1234567890"), SSCC),
                new WorkOrderCompleted("WO", "80614141123458", 3, "EA", DOCK, List.of()),
                new WorkOrderCompleted("WO", "80614141123458", 2.5, "KGM", DOCK, List.of()),
                new TemperatureBreached(SSCC, "D", 9.4, 8.0, TemperatureBreached.Limit.UPPER, null),
                new TemperatureObserved(SSCC, "D", T, T.plusSeconds(60), 3, 5, 4, 2, 50.0));
        all.forEach(d -> export.add(event(d, T)));
        ObjectNode document = export.document(T);
        assertEquals(10, document.at("/epcisBody/eventList").size());
        assertEquals(List.of(), Gs1EpcisSchema.violations(document.toString()));
    }

    @Test
    void theSchemaCheckAcceptsGs1ExamplesAndRejectsABrokenDocument() throws Exception {
        for (String example : List.of("Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.3-AggregationEvent.jsonld",
                "Example_9.6.4-TransformationEvent.jsonld", "SensorDataExample1.jsonld")) {
            assertEquals(List.of(), Gs1EpcisSchema.violations(Gs1EpcisSchema.resource("epcis/gs1/" + example)),
                    example);
        }
        EpcisExport export = new EpcisExport();
        export.add(event(new ShipmentArrived(SSCC, HUB, null, null), T));
        ObjectNode broken = export.document(T);
        ((ObjectNode) broken.at("/epcisBody/eventList/0")).remove("action");
        assertFalse(Gs1EpcisSchema.violations(broken.toString()).isEmpty());
        ObjectNode badStep = export.document(T);
        ((ObjectNode) badStep.at("/epcisBody/eventList/0")).put("bizStep", "sailing away");
        assertFalse(Gs1EpcisSchema.violations(badStep.toString()).isEmpty());
    }
}

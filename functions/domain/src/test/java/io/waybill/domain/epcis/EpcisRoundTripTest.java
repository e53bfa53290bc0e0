package io.waybill.domain.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.ErrorDeclared;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.WorkOrderCompleted;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.projection.ShipmentProjection;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.waybill.domain.epcis.EpcisImportTest.normalize;
import static io.waybill.domain.epcis.EpcisImportTest.normalized;
import static io.waybill.domain.epcis.EpcisImportTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Export then import gives back the canonical facts: the expected values are the ORIGINAL canonical events of
 * {@code events-samples/canonical/} (what {@code ./waybill normalize} prints), read by JSON path, never the import's
 * output. Only the fields the EPCIS table carries can come back; not carried (so not compared): a departure's
 * carrier, gross weight and position, an arrival's weight and position, a read's reader id, a summary's device id and
 * reading count, and breaches (the band limit is not in EPCIS, so they are refused on import).
 */
class EpcisRoundTripTest {
    private static final Instant CREATED = Instant.parse("2026-11-28T00:00:00Z");
    private static final Set<String> MAPPED = Set.of("waybill.shipment.departed.v1", "waybill.shipment.arrived.v1",
            "waybill.custody.transferred.v1", "waybill.inventory.observed.v1", "waybill.temperature.observed.v1");
    /** The data fields each type's round trip keeps. */
    private static final Map<String, List<String>> KEPT = Map.of(
            "waybill.shipment.departed.v1", List.of("shipmentSscc", "fromGln"),
            "waybill.shipment.arrived.v1", List.of("shipmentSscc", "atGln"),
            "waybill.custody.transferred.v1", List.of("shipmentSscc", "fromPartyGln", "toPartyGln", "atGln"),
            "waybill.inventory.observed.v1", List.of("readPointGln", "epcs", "shipmentSscc"),
            "waybill.temperature.observed.v1", List.of("shipmentSscc", "windowStart", "windowEnd", "minCelsius",
                    "maxCelsius"));

    private static List<JsonNode> exportedEvents(CanonicalEvent... events) {
        EpcisExport export = new EpcisExport();
        for (CanonicalEvent e : events) {
            export.add(e);
        }
        ObjectNode document = export.document(CREATED);
        assertThat(Gs1EpcisSchema.violations(document.toString())).isEmpty();
        List<JsonNode> out = new ArrayList<>();
        document.at("/epcisBody/eventList").forEach(out::add);
        return out;
    }

    @Test
    void everyMappedSampleComesBackWithTheFieldsTheTableCarries() {
        int compared = 0;
        for (SampleCatalog.ValidCase sample : SampleCatalog.valid()) {
            JsonNode original = sample.canonical();
            String type = original.path("type").asText();
            if (!MAPPED.contains(type)) {
                continue;
            }
            List<JsonNode> exported = exportedEvents(CanonicalEventJson.fromJson(original));
            JsonNode first = exported.get(0);
            CanonicalEvent back = normalized(first);
            JsonNode data = CanonicalEventJson.dataJson(back.data());
            assertThat(back.type()).as(sample.name()).isEqualTo(type);
            for (String field : KEPT.get(type)) {
                assertThat(data.path(field)).as("%s %s", sample.name(), field)
                        .isEqualTo(original.path("data").path(field));
            }
            if (type.equals("waybill.temperature.observed.v1")) {
                // one summary per shipment: time = the window end; the mean is exported to 0.01 °C
                assertThat(back.time()).isEqualTo(Instant.parse(original.at("/data/windowEnd").asText()));
                assertThat(data.path("meanCelsius").asDouble()).as(sample.name())
                        .isCloseTo(original.at("/data/meanCelsius").asDouble(), within(0.005));
            } else {
                assertThat(back.time()).as(sample.name()).isEqualTo(Instant.parse(original.path("time").asText()));
            }
            // a read of a pallet with its items also exports the packing as an AggregationEvent: refused on import
            for (JsonNode other : exported.subList(1, exported.size())) {
                assertThat(other.path("type").asText()).isEqualTo("AggregationEvent");
                assertThat(normalize(other, "NORTHWIND")).isInstanceOf(NormalizationResult.Rejected.class);
            }
            compared++;
        }
        // swiftlog departed, arrived, proof of delivery; gps geofence exit and enter; rfid dock door;
        // thermotrack, coldchainco, frostbyte and edge summaries
        assertThat(compared).isEqualTo(10);
    }

    private static CanonicalEvent canonical(EventData data, String id, Instant time) {
        return new CanonicalEvent(id, "urn:waybill:test:PLANT", EventType.of(data).type(), time, data.subject(), time,
                null, null, time, 0, false, "test", null, data);
    }

    @Test
    void aWorkOrderComesBackWhole() {
        Instant t = Instant.parse("2026-11-27T06:00:00Z");
        List<WorkOrderCompleted> orders = List.of(
                new WorkOrderCompleted("WO 7/α", "80614141123458", 120.5, "KGM", "0614141000012", List.of()),
                new WorkOrderCompleted("WO-8", "80614141123458", 24, "EA", "0614141000012", List.of()),
                new WorkOrderCompleted("WO-9", "80614141123458", 2, "EA", "0614141000012",
                        List.of("urn:epc:id:sgtin:0614141.812345.6789", "urn:epc:id:sgtin:0614141.812345.6790")));
        for (WorkOrderCompleted order : orders) {
            List<JsonNode> exported = exportedEvents(canonical(order, "wo", t));
            CanonicalEvent back = normalized(exported.get(0));
            assertThat(back.data()).isEqualTo(order);
            assertThat(back.time()).isEqualTo(t);
        }
    }

    @Test
    void anErrorDeclarationExportsAsTheErroneousEventRepeatedWithItsDeclarationAndComesBack() throws Exception {
        JsonNode departure = resource("epcis/partner/northwind-document.jsonld").at("/epcisBody/eventList/0");
        ObjectNode withDeclaration = departure.deepCopy();
        withDeclaration.putObject("errorDeclaration").put("declarationTime", "2026-11-27T12:00:00+01:00")
                .put("reason", "urn:epcglobal:cbv:er:did_not_occur")
                .putArray("correctiveEventIDs").add("urn:uuid:3c0b8f4e-1d2a-4e6b-9f7c-0a1b2c3d4e99");
        CanonicalEvent erroneous = normalized(departure);
        CanonicalEvent correction = normalized(withDeclaration);
        assertThat(correction.data()).isEqualTo(new ErrorDeclared("urn:uuid:3c0b8f4e-1d2a-4e6b-9f7c-0a1b2c3d4e01",
                "106141412345678908", Instant.parse("2026-11-27T11:00:00Z"), "did_not_occur",
                List.of("urn:uuid:3c0b8f4e-1d2a-4e6b-9f7c-0a1b2c3d4e99")));
        assertThat(correction.id()).isEqualTo("msg-sha256-" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(
                        "urn:uuid:3c0b8f4e-1d2a-4e6b-9f7c-0a1b2c3d4e01#error-declared".getBytes())));

        // the declaration first: it is resolved against the erroneous event whatever the order
        List<JsonNode> exported = exportedEvents(correction, erroneous);
        assertThat(exported).hasSize(2);
        JsonNode original = exported.get(0);
        JsonNode declared = exported.get(1);
        assertThat(declared.path("eventID")).isEqualTo(original.path("eventID"));
        ObjectNode withoutDeclaration = declared.deepCopy();
        withoutDeclaration.remove("errorDeclaration");
        assertThat(withoutDeclaration).isEqualTo(original);
        assertThat(declared.path("errorDeclaration")).isEqualTo(EpcisImportTest.JSON_MAPPER.readTree("""
                {"declarationTime":"2026-11-27T11:00:00Z","reason":"did_not_occur",
                 "correctiveEventIDs":["urn:uuid:3c0b8f4e-1d2a-4e6b-9f7c-0a1b2c3d4e99"]}"""));

        CanonicalEvent originalBack = normalized(original);
        CanonicalEvent declarationBack = normalized(declared);
        assertThat(declarationBack.data()).isInstanceOfSatisfying(ErrorDeclared.class, d -> {
            assertThat(d.declaredEventId()).isEqualTo(originalBack.id());
            assertThat(d.declarationTime()).isEqualTo(Instant.parse("2026-11-27T11:00:00Z"));
            assertThat(d.reason()).isEqualTo("did_not_occur");
        });
        assertThat(declarationBack.id()).isNotEqualTo(originalBack.id());
    }

    @Test
    void aDeclarationWithoutItsErroneousEventIsCountedNotExported() throws Exception {
        JsonNode departure = resource("epcis/partner/northwind-document.jsonld").at("/epcisBody/eventList/0");
        ObjectNode withDeclaration = departure.deepCopy();
        withDeclaration.putObject("errorDeclaration").put("declarationTime", "2026-11-27T11:00:00Z");
        EpcisExport export = new EpcisExport();
        export.add(normalized(withDeclaration));
        assertThat(export.document(CREATED).at("/epcisBody/eventList")).isEmpty();
        assertThat(export.skipped()).containsExactly(Map.entry("waybill.error.declared.v1", 1));
    }

    @Test
    void projectionsIgnoreAnErrorDeclaration() throws Exception {
        JsonNode departure = resource("epcis/partner/northwind-document.jsonld").at("/epcisBody/eventList/0");
        ObjectNode withDeclaration = departure.deepCopy();
        withDeclaration.putObject("errorDeclaration").put("declarationTime", "2026-11-27T11:00:00Z");
        CanonicalEvent correction = normalized(withDeclaration);
        assertThat(ShipmentProjection.shipmentOf(correction)).isEmpty();
        assertThat(ShipmentProjection.shipmentOf(normalized(departure))).contains("106141412345678908");
    }
}

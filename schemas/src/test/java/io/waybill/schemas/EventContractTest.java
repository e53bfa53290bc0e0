package io.waybill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventContract CONTRACT = EventContract.instance();
    private static final Path EVENTS = SchemasFolder.locate().resolve("events");

    static Stream<String> knownTypes() {
        return EventContract.instance().knownTypes().stream();
    }

    /** The valid example of a type, from {@code src/test/resources/valid/<type>.json}, as a mutable copy. */
    private static ObjectNode valid(String type) {
        String resource = "valid/" + type + ".json";
        try (InputStream in = EventContractTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("example %s", resource).isNotNull();
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.get("data");
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownTypes")
    void aValidEventOfEveryTypePasses(String type) {
        assertThat(CONTRACT.violations(valid(type))).isEmpty();
    }

    @Test
    void knownTypesAreExactlyTheSchemasInTheEventsFolder() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(EVENTS)) {
            files = list.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".schema.json"))
                    .map(name -> name.substring(0, name.length() - ".schema.json".length()))
                    .toList();
        }

        assertThat(CONTRACT.knownTypes())
                .as("schemas/catalog.json must list every events/*.schema.json and nothing else")
                .containsExactlyInAnyOrderElementsOf(files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownTypes")
    void eachEventSchemaIsIdentifiedByItsTypeAndDescribesEveryField(String type) {
        JsonNode schema = read(EVENTS.resolve(type + ".schema.json"));

        assertThat(schema.path("$id").asText()).isEqualTo(EventContract.dataschemaOf(type));
        assertThat(schema.path("title").asText()).isEqualTo(type);
        assertThat(schema.path("additionalProperties").isBoolean()
                && !schema.path("additionalProperties").booleanValue()).as("additionalProperties: false").isTrue();
        List<String> undescribed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : schema.path("properties").properties()) {
            if (field.getValue().path("description").asText().isBlank()) {
                undescribed.add(field.getKey());
            }
        }
        assertThat(undescribed).as("fields without a description").isEmpty();
    }

    /** The edge summary example with the optional {@code exposure} object ({@code valid/<type>.exposure.json}). */
    private static ObjectNode withExposure() {
        String resource = "valid/waybill.temperature.observed.v1.exposure.json";
        try (InputStream in = EventContractTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("example %s", resource).isNotNull();
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode exposure(ObjectNode event) {
        return (ObjectNode) data(event).get("exposure");
    }

    @Test
    void aSummaryWithExposureStatisticsPassesAndEveryExposureFieldIsDescribed() {
        assertThat(CONTRACT.violations(withExposure())).isEmpty();
        JsonNode schema = read(EVENTS.resolve("waybill.temperature.observed.v1.schema.json"))
                .path("properties").path("exposure");
        assertThat(schema.path("additionalProperties").isBoolean()
                && !schema.path("additionalProperties").booleanValue()).as("exposure is closed").isTrue();
        List<String> undescribed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : schema.path("properties").properties()) {
            if (field.getValue().path("description").asText().isBlank()) {
                undescribed.add(field.getKey());
            }
        }
        assertThat(undescribed).as("exposure fields without a description").isEmpty();
    }

    @Test
    void anExposureWithOneOpenBandSidePassesButOneWithoutAnyBoundDoesNot() {
        ObjectNode frozen = withExposure();
        exposure(frozen).remove("bandLowCelsius");
        assertThat(CONTRACT.violations(frozen)).isEmpty();

        exposure(frozen).remove("bandHighCelsius");
        assertThat(CONTRACT.violations(frozen)).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"maxGapSeconds", "observedMillis", "unknownMillis", "aboveMillis", "belowMillis",
            "degreeMinutesAbove", "degreeMinutesBelow", "arrheniusSum"})
    void anExposureMissingAFieldIsRejected(String field) {
        ObjectNode event = withExposure();
        exposure(event).remove(field);

        assertThat(CONTRACT.violations(event)).anySatisfy(v -> assertThat(v).contains(field));
    }

    @Test
    void anExposureWithANegativeOrFractionalDurationOrAnExtraFieldIsRejected() {
        ObjectNode negative = withExposure();
        exposure(negative).put("unknownMillis", -1);
        assertThat(CONTRACT.violations(negative)).anySatisfy(v -> assertThat(v).contains("unknownMillis"));

        ObjectNode fractional = withExposure();
        exposure(fractional).put("observedMillis", 780000.5);
        assertThat(CONTRACT.violations(fractional)).anySatisfy(v -> assertThat(v).contains("observedMillis"));

        ObjectNode zeroGap = withExposure();
        exposure(zeroGap).put("maxGapSeconds", 0);
        assertThat(CONTRACT.violations(zeroGap)).anySatisfy(v -> assertThat(v).contains("maxGapSeconds"));

        ObjectNode extra = withExposure();
        exposure(extra).put("meanKineticCelsius", 5.4);
        assertThat(CONTRACT.violations(extra)).isNotEmpty();
    }

    @Test
    void knownTypesCannotBeModified() {
        Set<String> types = CONTRACT.knownTypes();

        assertThat(types).contains("waybill.shipment.departed.v1", "waybill.provenance.recorded.v1",
                "waybill.conveyor.jammed.v1", "waybill.incident.actioned.v1", "waybill.shipment.planned.v1",
                "waybill.error.declared.v1").hasSize(13);
        assertThatThrownBy(() -> types.add("waybill.x.y.v1")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theContractIsBuiltOnceAndShared() {
        assertThat(EventContract.instance()).isSameAs(CONTRACT);
    }

    @Test
    void anSsccOfTheWrongLengthIsRejected() {
        ObjectNode event = valid("waybill.shipment.departed.v1");
        data(event).put("shipmentSscc", "00614141123456789");

        assertThat(CONTRACT.violations(event))
                .containsExactly("/data/shipmentSscc: does not match the regex pattern ^[0-9]{18}$");
    }

    @Test
    void aMissingRequiredDataFieldIsRejected() {
        ObjectNode event = valid("waybill.temperature.observed.v1");
        data(event).remove("readingCount");

        assertThat(CONTRACT.violations(event)).singleElement().asString()
                .startsWith("/data: ").contains("required property 'readingCount' not found");
    }

    @Test
    void aMissingRequiredEnvelopeAttributeIsRejected() {
        ObjectNode event = valid("waybill.shipment.located.v1");
        event.remove("processingtime");

        assertThat(CONTRACT.violations(event)).singleElement().asString()
                .startsWith("/: ").contains("required property 'processingtime' not found");
    }

    @Test
    void anExtraPropertyInDataIsRejected() {
        ObjectNode event = valid("waybill.custody.transferred.v1");
        data(event).put("signedBy", "J. Jansen");

        assertThat(CONTRACT.violations(event)).singleElement().asString()
                .startsWith("/data: ").contains("'signedBy'").contains("not defined in the schema");
    }

    @Test
    void anExtraPropertyInAGeoPointIsRejected() {
        ObjectNode event = valid("waybill.shipment.located.v1");
        ((ObjectNode) data(event).get("position")).put("altitude", 12);

        assertThat(CONTRACT.violations(event)).singleElement().asString()
                .startsWith("/data/position: ").contains("'altitude'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-14T10:26:53+01:00", "2025-03-14T09:26:53", "2025-03-14T09:26:53+00:00"})
    void aTimeWithoutZIsRejected(String time) {
        ObjectNode event = valid("waybill.shipment.departed.v1");
        event.put("time", time);

        assertThat(CONTRACT.violations(event)).isNotEmpty()
                .allSatisfy(violation -> assertThat(violation).startsWith("/time: "))
                .anySatisfy(violation -> assertThat(violation).contains("does not match the regex pattern"));
    }

    @Test
    void aDataTimeWithoutZIsRejected() {
        ObjectNode event = valid("waybill.temperature.observed.v1");
        data(event).put("windowEnd", "2025-03-14T11:15:00+02:00");

        assertThat(CONTRACT.violations(event)).singleElement().asString().startsWith("/data/windowEnd: ");
    }

    @Test
    void anImpossibleDateIsRejectedByTheDateTimeFormat() {
        ObjectNode event = valid("waybill.shipment.departed.v1");
        event.put("processingtime", "2025-02-30T09:27:01Z");

        assertThat(CONTRACT.violations(event)).singleElement().asString()
                .startsWith("/processingtime: ").contains("date-time");
    }

    @Test
    void anUnknownTypeIsRejected() {
        ObjectNode event = valid("waybill.shipment.departed.v1");
        event.put("type", "waybill.shipment.teleported.v1");

        assertThat(CONTRACT.violations(event)).singleElement().asString()
                .startsWith("/type: unknown event type 'waybill.shipment.teleported.v1'")
                .contains("waybill.shipment.departed.v1");
    }

    @Test
    void aTypeOutsideTheNamingRuleIsRejected() {
        ObjectNode event = valid("waybill.shipment.departed.v1");
        event.put("type", "com.acme.shipment.departed");

        assertThat(CONTRACT.violations(event))
                .contains("/type: does not match the regex pattern ^waybill\\.[a-z]+\\.[a-z]+\\.v[0-9]+$")
                .anySatisfy(violation -> assertThat(violation).startsWith("/type: unknown event type"));
    }

    @Test
    void specversion03IsRejected() {
        ObjectNode event = valid("waybill.workorder.completed.v1");
        event.put("specversion", "0.3");

        assertThat(CONTRACT.violations(event)).containsExactly("/specversion: must be the constant value '1.0'");
    }

    @Test
    void fiveHundredDegreesCelsiusIsRejected() {
        ObjectNode event = valid("waybill.temperature.breached.v1");
        data(event).put("observedCelsius", 500);

        assertThat(CONTRACT.violations(event))
                .containsExactly("/data/observedCelsius: must have a maximum value of 150");
    }

    @Test
    void aLimitOutsideTheEnumIsRejected() {
        ObjectNode event = valid("waybill.temperature.breached.v1");
        data(event).put("limit", "upper");

        assertThat(CONTRACT.violations(event)).singleElement().asString().startsWith("/data/limit: ");
    }

    @Test
    void anEpcThatIsNotAnEpcUrnIsRejected() {
        ObjectNode event = valid("waybill.inventory.observed.v1");
        data(event).withArray("epcs").add("3074257bf7194e4000001a85");

        assertThat(CONTRACT.violations(event)).isNotEmpty()
                .allSatisfy(violation -> assertThat(violation).startsWith("/data/epcs/3: "));
    }

    @Test
    void aConveyorJamMissingItsEquipmentIdIsRejected() {
        ObjectNode event = valid("waybill.conveyor.jammed.v1");
        data(event).remove("equipmentId");

        assertThat(CONTRACT.violations(event)).singleElement().asString()
                .startsWith("/data: ").contains("required property 'equipmentId' not found");
    }

    @Test
    void aClearedConveyorJamNeedsItsClearedTimeAndDurationAndADetectedOneHasNeither() {
        ObjectNode cleared = valid("waybill.conveyor.jammed.v1");
        data(cleared).put("phase", "CLEARED");
        assertThat(CONTRACT.violations(cleared)).isNotEmpty()
                .anySatisfy(v -> assertThat(v).contains("'clearedTime'"))
                .anySatisfy(v -> assertThat(v).contains("'durationSeconds'"));

        data(cleared).put("clearedTime", "2026-03-02T07:11:30Z").put("durationSeconds", 90);
        assertThat(CONTRACT.violations(cleared)).isEmpty();

        ObjectNode detected = valid("waybill.conveyor.jammed.v1");
        data(detected).put("durationSeconds", 90);
        assertThat(CONTRACT.violations(detected)).isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("/data"));
    }

    @Test
    void aConveyorSignalUnitOtherThanAmpereOrMillimetresPerSecondIsRejected() {
        ObjectNode event = valid("waybill.conveyor.jammed.v1");
        data(event).put("signalUnit", "mA");

        assertThat(CONTRACT.violations(event)).singleElement().asString().startsWith("/data/signalUnit: ");
    }

    @Test
    void aDataschemaThatIsNotTheTypesSchemaIsRejected() {
        ObjectNode event = valid("waybill.shipment.arrived.v1");
        event.put("dataschema", EventContract.dataschemaOf("waybill.shipment.departed.v1"));

        assertThat(CONTRACT.violations(event)).singleElement().asString()
                .startsWith("/dataschema: must be " + EventContract.dataschemaOf("waybill.shipment.arrived.v1"));
    }

    @Test
    void otherLowercaseExtensionsAreAllowedButOtherNamesAreNot() {
        ObjectNode event = valid("waybill.shipment.arrived.v1");
        event.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(CONTRACT.violations(event)).isEmpty();

        event.put("data_base64", "e30=");
        assertThat(CONTRACT.violations(event)).singleElement().asString()
                .startsWith("/: ").contains("'data_base64'");
    }

    @Test
    void dataThatIsNotAnObjectIsRejectedByTheEnvelope() {
        ObjectNode event = valid("waybill.shipment.arrived.v1");
        event.put("data", "{\"shipmentSscc\":\"006141411234567890\"}");

        assertThat(CONTRACT.violations(event)).singleElement().asString().startsWith("/data: ");
    }

    @Test
    void aNonObjectEventIsRejected() {
        assertThat(CONTRACT.violations(JSON.createArrayNode())).singleElement().asString().startsWith("/: ");
    }

    @Test
    void violationsCannotBeModified() {
        ObjectNode event = valid("waybill.shipment.departed.v1");
        event.put("specversion", "0.3");

        List<String> violations = CONTRACT.violations(event);

        assertThatThrownBy(() -> violations.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theContractCanBeUsedFromManyThreadsAtOnce() {
        List<ObjectNode> events = knownTypes().map(EventContractTest::valid).toList();

        List<String> violations = IntStream.range(0, 400).parallel()
                .mapToObj(i -> CONTRACT.violations(events.get(i % events.size())))
                .flatMap(List::stream)
                .toList();

        assertThat(violations).isEmpty();
    }

    @Test
    void anErrorDeclarationNamesTheErroneousEventAndWhenItWasDeclared() {
        assertThat(CONTRACT.violations(valid("waybill.error.declared.v1"))).isEmpty();

        ObjectNode noReason = valid("waybill.error.declared.v1");
        data(noReason).remove("reason");
        data(noReason).putArray("correctiveEventIds");
        assertThat(CONTRACT.violations(noReason)).as("reason optional, no corrective events").isEmpty();

        ObjectNode noDeclared = valid("waybill.error.declared.v1");
        data(noDeclared).remove("declaredEventId");
        assertThat(CONTRACT.violations(noDeclared)).singleElement().asString()
                .contains("required property 'declaredEventId' not found");

        ObjectNode localTime = valid("waybill.error.declared.v1");
        data(localTime).put("declarationTime", "2026-03-03T08:59:40+01:00");
        assertThat(CONTRACT.violations(localTime)).anySatisfy(v -> assertThat(v).contains("declarationTime"));

        ObjectNode repeated = valid("waybill.error.declared.v1");
        data(repeated).putArray("correctiveEventIds").add("urn:uuid:1").add("urn:uuid:1");
        assertThat(CONTRACT.violations(repeated)).anySatisfy(v -> assertThat(v).contains("correctiveEventIds"));

        ObjectNode extra = valid("waybill.error.declared.v1");
        data(extra).put("declaredEventType", "waybill.shipment.departed.v1");
        assertThat(CONTRACT.violations(extra)).isNotEmpty();

        ObjectNode hyphenType = valid("waybill.error.declared.v1");
        hyphenType.put("type", "waybill.event.error-declared.v1");
        assertThat(CONTRACT.violations(hyphenType)).as("the envelope's type pattern has no hyphen").isNotEmpty();
    }
}

package io.waybill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A small released schema the tests evolve. Single quotes stand for double quotes. */
    private static final String RELEASED = """
            {'$id': 'https://schemas.waybill.io/events/waybill.test.thing.v1.schema.json',
             'type': 'object',
             'required': ['sscc'],
             'properties': {
               'sscc': {'$ref': 'https://schemas.waybill.io/defs/gs1.v1.schema.json#/$defs/sscc'},
               'carrier': {'type': 'string', 'description': 'carrier name'},
               'weightKg': {'type': 'number', 'minimum': 0, 'maximum': 40000},
               'count': {'type': 'integer'},
               'limit': {'type': 'string', 'enum': ['UPPER', 'LOWER']},
               'note': {'type': 'string', 'maxLength': 200},
               'position': {'type': 'object',
                            'properties': {'latitude': {'type': 'number', 'minimum': -90, 'maximum': 90}}},
               'epcs': {'type': 'array', 'items': {'type': 'string', 'pattern': '^urn:epc:id:'}},
               'id': {'anyOf': [{'type': 'string'}, {'type': 'integer'}]}
             },
             '$defs': {'celsius': {'type': 'number', 'minimum': -100, 'maximum': 150}}}
            """;

    private static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    private static JsonNode released() {
        return json(RELEASED);
    }

    /** The released schema with each {@code from} fragment replaced by the following {@code to} fragment. */
    private static JsonNode changed(String... fromTo) {
        String text = RELEASED;
        for (int i = 0; i < fromTo.length; i += 2) {
            assertThat(text).as("test set-up: fragment to replace").contains(fromTo[i]);
            text = text.replace(fromTo[i], fromTo[i + 1]);
        }
        return json(text);
    }

    private static List<String> breakingChanges(JsonNode current) {
        return SchemaCompatibility.breakingChanges(released(), current);
    }

    @Nested
    class BreakingChanges {

        @Test
        void removingAPropertyIsBreaking() {
            JsonNode current = changed("'carrier': {'type': 'string', 'description': 'carrier name'},", "");

            assertThat(breakingChanges(current)).containsExactly("property 'carrier' was removed");
        }

        @Test
        void makingAnExistingPropertyRequiredIsBreaking() {
            JsonNode current = changed("'required': ['sscc']", "'required': ['sscc', 'carrier']");

            assertThat(breakingChanges(current)).containsExactly("property 'carrier' is newly required");
        }

        @Test
        void addingARequiredPropertyIsBreaking() {
            JsonNode current = changed("'required': ['sscc']", "'required': ['sscc', 'deviceId']",
                    "'properties': {", "'properties': {'deviceId': {'type': 'string'},");

            assertThat(breakingChanges(current)).containsExactly("property 'deviceId' is newly required");
        }

        @Test
        void changingAPropertyTypeIsBreaking() {
            JsonNode current = changed("'carrier': {'type': 'string'", "'carrier': {'type': 'integer'");

            assertThat(breakingChanges(current)).singleElement().asString()
                    .startsWith("'carrier': type changed from [string] to [integer]");
        }

        @Test
        void narrowingNumberToIntegerIsBreaking() {
            JsonNode current = changed("'weightKg': {'type': 'number'", "'weightKg': {'type': 'integer'");

            assertThat(breakingChanges(current)).singleElement().asString()
                    .contains("'weightKg': type changed").contains("no longer accepts number");
        }

        @Test
        void addingATypeWhereThereWasNoneIsBreaking() {
            JsonNode current = changed("'id': {'anyOf'", "'id': {'type': 'string', 'anyOf'");

            assertThat(breakingChanges(current)).containsExactly("'id': type added: [string]");
        }

        @Test
        void removingAnEnumValueIsBreaking() {
            JsonNode current = changed("'enum': ['UPPER', 'LOWER']", "'enum': ['UPPER']");

            assertThat(breakingChanges(current)).containsExactly("'limit': enum lost value(s) \"LOWER\"");
        }

        @Test
        void addingAnEnumToAFreeStringIsBreaking() {
            JsonNode current = changed("'carrier': {'type': 'string'", "'carrier': {'type': 'string', 'enum': ['DHL']");

            assertThat(breakingChanges(current)).containsExactly("'carrier': enum added: [\"DHL\"]");
        }

        @Test
        void addingAConstIsBreaking() {
            JsonNode current = changed("'carrier': {'type': 'string'", "'carrier': {'type': 'string', 'const': 'DHL'");

            assertThat(breakingChanges(current)).containsExactly("'carrier': const added: DHL");
        }

        @Test
        void changingAConstIsBreaking() {
            JsonNode released = json("{'properties': {'v': {'const': '1.0'}}}");
            JsonNode current = json("{'properties': {'v': {'const': '1.1'}}}");

            assertThat(SchemaCompatibility.breakingChanges(released, current))
                    .containsExactly("'v': const changed from 1.0 to 1.1");
        }

        @Test
        void addingAPatternIsBreaking() {
            JsonNode current = changed("'carrier': {'type': 'string'", "'carrier': {'type': 'string', 'pattern': '^[A-Z]+$'");

            assertThat(breakingChanges(current)).containsExactly("'carrier': pattern added: ^[A-Z]+$");
        }

        @Test
        void changingAPatternIsBreaking() {
            JsonNode current = changed("'pattern': '^urn:epc:id:'", "'pattern': '^urn:epc:id:sgtin:'");

            assertThat(breakingChanges(current))
                    .containsExactly("'epcs[]': pattern changed from ^urn:epc:id: to ^urn:epc:id:sgtin:");
        }

        @Test
        void addingAFormatIsBreaking() {
            JsonNode current = changed("'carrier': {'type': 'string'", "'carrier': {'type': 'string', 'format': 'uri'");

            assertThat(breakingChanges(current)).containsExactly("'carrier': format added: uri");
        }

        @Test
        void raisingAMinimumIsBreaking() {
            JsonNode current = changed("'minimum': 0, 'maximum': 40000", "'minimum': 1, 'maximum': 40000");

            assertThat(breakingChanges(current)).containsExactly("'weightKg': minimum raised from 0 to 1");
        }

        @Test
        void addingALowerBoundIsBreaking() {
            JsonNode current = changed("'count': {'type': 'integer'}", "'count': {'type': 'integer', 'exclusiveMinimum': 0}");

            assertThat(breakingChanges(current)).containsExactly("'count': exclusiveMinimum added: 0");
        }

        @Test
        void addingAMinLengthOrMinItemsIsBreaking() {
            JsonNode current = changed("'carrier': {'type': 'string'", "'carrier': {'type': 'string', 'minLength': 1");
            JsonNode currentWithMinItems = changed("'epcs': {'type': 'array'", "'epcs': {'type': 'array', 'minItems': 1");

            assertThat(breakingChanges(current)).containsExactly("'carrier': minLength added: 1");
            assertThat(breakingChanges(currentWithMinItems)).containsExactly("'epcs': minItems added: 1");
        }

        @Test
        void tighteningAMaximumIsBreaking() {
            JsonNode current = changed("'maximum': 40000", "'maximum': 30000.5");

            assertThat(breakingChanges(current)).containsExactly("'weightKg': maximum lowered from 40000 to 30000.5");
        }

        @Test
        void loweringAMaxLengthOrAddingAMaxItemsIsBreaking() {
            JsonNode shorter = changed("'maxLength': 200", "'maxLength': 100");
            JsonNode capped = changed("'epcs': {'type': 'array'", "'epcs': {'type': 'array', 'maxItems': 500");

            assertThat(breakingChanges(shorter)).containsExactly("'note': maxLength lowered from 200 to 100");
            assertThat(breakingChanges(capped)).containsExactly("'epcs': maxItems added: 500");
        }

        @Test
        void closingAdditionalPropertiesIsBreaking() {
            JsonNode current = changed("'required': ['sscc']", "'additionalProperties': false, 'required': ['sscc']");

            assertThat(breakingChanges(current)).containsExactly("schema root: additionalProperties turned to false");
        }

        @Test
        void changingARefTargetIsBreaking() {
            JsonNode current = changed("#/$defs/sscc'}", "#/$defs/gln'}");

            assertThat(breakingChanges(current)).singleElement().asString()
                    .startsWith("'sscc': $ref changed from https://schemas.waybill.io/defs/gs1.v1.schema.json#/$defs/sscc")
                    .endsWith("to https://schemas.waybill.io/defs/gs1.v1.schema.json#/$defs/gln");
        }

        @Test
        void changingTheSchemaIdIsBreaking() {
            JsonNode current = changed("waybill.test.thing.v1.schema.json", "waybill.test.thing.v2.schema.json");

            assertThat(breakingChanges(current)).singleElement().asString().startsWith("schema root: $id changed");
        }

        @Test
        void turningOnUniqueItemsIsBreaking() {
            JsonNode current = changed("'epcs': {'type': 'array'", "'epcs': {'type': 'array', 'uniqueItems': true");

            assertThat(breakingChanges(current)).containsExactly("'epcs': uniqueItems turned on");
        }

        @Test
        void removingAnAnyOfAlternativeIsBreaking() {
            JsonNode current = changed("'anyOf': [{'type': 'string'}, {'type': 'integer'}]", "'anyOf': [{'type': 'string'}]");

            assertThat(breakingChanges(current))
                    .containsExactly("'id': anyOf alternative removed or changed: {\"type\":\"integer\"}");
        }

        @Test
        void changesInsideNestedPropertiesItemsAndDefsAreFound() {
            JsonNode current = changed("'minimum': -90, 'maximum': 90", "'minimum': -80, 'maximum': 90");
            JsonNode itemsNarrowed = changed("'items': {'type': 'string', 'pattern'", "'items': {'type': 'string', 'minLength': 5, 'pattern'");
            JsonNode defNarrowed = changed("'minimum': -100, 'maximum': 150", "'minimum': -100, 'maximum': 100");
            JsonNode defRemoved = changed("'$defs': {'celsius': {'type': 'number', 'minimum': -100, 'maximum': 150}}", "'$defs': {}");

            assertThat(breakingChanges(current)).containsExactly("'position.latitude': minimum raised from -90 to -80");
            assertThat(breakingChanges(itemsNarrowed)).containsExactly("'epcs[]': minLength added: 5");
            assertThat(breakingChanges(defNarrowed)).containsExactly("'$defs.celsius': maximum lowered from 150 to 100");
            assertThat(breakingChanges(defRemoved)).containsExactly("'$defs.celsius' was removed");
        }

        @Test
        void removingANestedPropertyNamesItsPath() {
            JsonNode released = json("{'properties': {'position': {'properties': {'accuracyMetres': {'type': 'number'}}}}}");
            JsonNode current = json("{'properties': {'position': {'properties': {}}}}");

            assertThat(SchemaCompatibility.breakingChanges(released, current))
                    .containsExactly("property 'position.accuracyMetres' was removed");
        }

        @Test
        void addingItemsConstraintsWhereThereWereNoneIsBreaking() {
            JsonNode released = json("{'type': 'array'}");
            JsonNode current = json("{'type': 'array', 'items': {'type': 'string'}}");

            assertThat(SchemaCompatibility.breakingChanges(released, current)).containsExactly("'[]': type added: [string]");
        }
    }

    @Nested
    class CompatibleChanges {

        @Test
        void anUnchangedSchemaIsCompatible() {
            assertThat(breakingChanges(released())).isEmpty();
        }

        @Test
        void addingAnOptionalPropertyIsCompatible() {
            JsonNode current = changed("'count': {'type': 'integer'},",
                    "'count': {'type': 'integer'}, 'humidityPercent': {'type': 'number', 'minimum': 0, 'maximum': 100},");

            assertThat(breakingChanges(current)).isEmpty();
        }

        @Test
        void loosenedBoundsAreCompatible() {
            JsonNode current = changed("'minimum': 0, 'maximum': 40000", "'maximum': 50000");
            JsonNode longerNote = changed("'maxLength': 200", "'maxLength': 500");

            assertThat(breakingChanges(current)).isEmpty();
            assertThat(breakingChanges(longerNote)).isEmpty();
        }

        @Test
        void addingEnumValuesIsCompatible() {
            JsonNode current = changed("'enum': ['UPPER', 'LOWER']", "'enum': ['UPPER', 'LOWER', 'BOTH']");

            assertThat(breakingChanges(current)).isEmpty();
        }

        @Test
        void addingOrChangingADescriptionIsCompatible() {
            JsonNode current = changed("'description': 'carrier name'", "'description': 'carrier name or SCAC code', 'title': 'Carrier'");
            JsonNode described = changed("'count': {'type': 'integer'}", "'count': {'type': 'integer', 'description': 'a count'}");

            assertThat(breakingChanges(current)).isEmpty();
            assertThat(breakingChanges(described)).isEmpty();
        }

        @Test
        void wideningIntegerToNumberIsCompatible() {
            JsonNode current = changed("'count': {'type': 'integer'}", "'count': {'type': 'number'}");

            assertThat(breakingChanges(current)).isEmpty();
        }

        @Test
        void droppingAPatternOrMakingAPropertyOptionalIsCompatible() {
            JsonNode noPattern = changed(", 'pattern': '^urn:epc:id:'", "");
            JsonNode released = json("{'required': ['a', 'b'], 'properties': {'a': {}, 'b': {}}}");
            JsonNode current = json("{'required': ['a'], 'properties': {'a': {}, 'b': {}}}");

            assertThat(breakingChanges(noPattern)).isEmpty();
            assertThat(SchemaCompatibility.breakingChanges(released, current)).isEmpty();
        }

        @Test
        void addingAnAnyOfAlternativeIsCompatible() {
            JsonNode current = changed("'anyOf': [{'type': 'string'}, {'type': 'integer'}]",
                    "'anyOf': [{'type': 'string'}, {'type': 'integer'}, {'type': 'null'}]");

            assertThat(breakingChanges(current)).isEmpty();
        }

        @Test
        void openingAClosedObjectIsCompatible() {
            JsonNode released = json("{'type': 'object', 'additionalProperties': false, 'properties': {'a': {}}}");
            JsonNode current = json("{'type': 'object', 'properties': {'a': {}}}");

            assertThat(SchemaCompatibility.breakingChanges(released, current)).isEmpty();
        }
    }

    @Nested
    class FolderCheck {

        private static final String DEPARTED = "events/waybill.shipment.departed.v1.schema.json";

        @TempDir
        Path schemas;

        private void write(String relative, String singleQuotedJson) throws IOException {
            Path file = schemas.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, singleQuotedJson.replace('\'', '"'));
        }

        @Test
        void reportsEachBreakingChangePrefixedWithTheSchemaPath() throws IOException {
            write("released/" + DEPARTED, "{'properties': {'shipmentSscc': {}, 'carrier': {'type': 'string'}}}");
            write(DEPARTED, "{'properties': {'shipmentSscc': {}}}");

            assertThat(SchemaCompatibility.compareFolder(schemas))
                    .containsExactly(DEPARTED + ": property 'carrier' was removed");
        }

        @Test
        void aReleasedSchemaMissingFromCurrentIsBreaking() throws IOException {
            write("released/events/waybill.shipment.located.v1.schema.json", "{}");

            assertThat(SchemaCompatibility.compareFolder(schemas)).containsExactly(
                    "events/waybill.shipment.located.v1.schema.json: schema was removed (present in released/, missing from current)");
        }

        @Test
        void aNewSchemaWithoutAReleasedCopyIsNotChecked() throws IOException {
            write("released/" + DEPARTED, "{'properties': {'a': {}}}");
            write(DEPARTED, "{'properties': {'a': {}}}");
            write("events/waybill.shipment.delayed.v1.schema.json", "{'required': ['x']}");

            assertThat(SchemaCompatibility.compareFolder(schemas)).isEmpty();
        }

        @Test
        void commandLineExitsNonZeroAndPrintsEachBreakingChange() throws IOException {
            write("released/" + DEPARTED, "{'properties': {'carrier': {'type': 'string'}}}");
            write(DEPARTED, "{'properties': {}}");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = SchemaCompatibility.run(new String[] {schemas.toString()},
                    new PrintStream(out, true), new PrintStream(err, true));

            assertThat(status).isEqualTo(1);
            assertThat(err.toString()).contains(DEPARTED + ": property 'carrier' was removed");
            assertThat(out.toString()).isEmpty();
        }

        @Test
        void commandLineExitsTwoWithoutAReleasedFolder() {
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = SchemaCompatibility.run(new String[] {schemas.toString()},
                    new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true));

            assertThat(status).isEqualTo(2);
            assertThat(err.toString()).contains("no released/ folder");
        }

        @Test
        void anUnreadableSchemaFailsTheCheckLoudly() throws IOException {
            write("released/" + DEPARTED, "{'properties': ");
            write(DEPARTED, "{}");

            assertThatThrownBy(() -> SchemaCompatibility.compareFolder(schemas))
                    .hasMessageContaining("cannot read");
        }
    }
}

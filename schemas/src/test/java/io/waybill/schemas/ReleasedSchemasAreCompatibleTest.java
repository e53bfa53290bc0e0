package io.waybill.schemas;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build check: every schema in {@code schemas/released/} must still be satisfied, compatibly, by its current
 * version. A failure here means a breaking change within a major version: make it additive, or add a new
 * {@code .v<N+1>} type (see {@code schemas/README.md}).
 */
class ReleasedSchemasAreCompatibleTest {

    private static final Path SCHEMAS = SchemasFolder.locate();
    private static final Path RELEASED = SCHEMAS.resolve("released");

    @Test
    void releasedFolderHoldsTheEnvelopeTheDefsAndEveryEventSchema() {
        List<String> released = SchemaCompatibility.releasedFiles(RELEASED).stream()
                .map(file -> RELEASED.relativize(file).toString().replace('\\', '/'))
                .toList();

        assertThat(released).contains("envelope/cloudevent.v1.schema.json", "defs/gs1.v1.schema.json");
        assertThat(released).filteredOn(path -> path.startsWith("events/")).isNotEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyReleasedSchemaIsCompatibleWithItsCurrentVersion() {
        List<String> changes = SchemaCompatibility.compareFolder(SCHEMAS);
        return SchemaCompatibility.releasedFiles(RELEASED).stream().map(file -> {
            String relative = RELEASED.relativize(file).toString().replace('\\', '/');
            return DynamicTest.dynamicTest(relative + " has no breaking change", () ->
                    assertThat(changes)
                            .as("breaking changes in %s against schemas/released/", relative)
                            .filteredOn(change -> change.startsWith(relative + ": "))
                            .isEmpty());
        });
    }

    @Test
    void commandLineCheckPassesOnTheRepositorySchemas() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();

        int status = SchemaCompatibility.run(new String[] {SCHEMAS.toString()},
                new PrintStream(out, true), new PrintStream(err, true));

        assertThat(err.toString()).isEmpty();
        assertThat(status).isZero();
        assertThat(out.toString()).contains("schemas compatible");
    }
}

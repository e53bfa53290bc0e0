package io.waybill.opsapi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema capture checks against (and the local demo's export is checked against) is GS1's file unchanged: byte
 * for byte the repository's reference copy ({@code functions/domain/src/test/resources/epcis/gs1/}, with its
 * SOURCE.md); GS1's own example document passes it, and the same document without its required {@code eventTime}
 * does not.
 */
class EpcisDocumentSchemaTest {

    @Test
    void theRuntimeCopyIsGs1sFileUnchanged() throws IOException {
        byte[] runtime;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(EpcisDocumentSchema.RESOURCE)) {
            assertThat(in).isNotNull();
            runtime = in.readAllBytes();
        }
        assertThat(runtime).isEqualTo(Files.readAllBytes(
                Path.of("..", "domain", "src", "test", "resources", "epcis", "gs1", "EPCIS-JSON-Schema.json")));
    }

    @Test
    void gs1sExampleIsValidAndLosingItsEventTimeIsNot() throws IOException {
        String example = Files.readString(Path.of("src", "test", "resources", "epcis", "gs1",
                "Example_9.6.1-ObjectEvent.jsonld"));
        assertThat(EpcisDocumentSchema.violations(example)).isEmpty();
        String broken = example.replaceFirst("\"eventTime\"\\s*:\\s*\"[^\"]*\",", "");
        assertThat(broken).isNotEqualTo(example);
        assertThat(EpcisDocumentSchema.violations(broken)).isNotEmpty();
    }
}

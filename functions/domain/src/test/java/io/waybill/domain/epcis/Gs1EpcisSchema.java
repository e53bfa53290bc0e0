package io.waybill.domain.epcis;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * GS1's official EPCIS 2.0 JSON Schema (draft-07), as GS1 publishes it (test resource
 * {@code epcis/gs1/EPCIS-JSON-Schema.json}, an unchanged copy: see {@code epcis/gs1/SOURCE.md}), compiled with the
 * networknt validator with format assertions on (so {@code format: uri} and {@code date-time} are checked).
 * Shared with local-runtime's tests through the domain test-jar.
 */
public final class Gs1EpcisSchema {
    public static final String RESOURCE = "epcis/gs1/EPCIS-JSON-Schema.json";
    private static final Schema SCHEMA = compile();

    private Gs1EpcisSchema() {
    }

    /** Violations of the document (JSON text) against GS1's schema, each {@code <pointer>: <message>}. */
    public static List<String> violations(String json) {
        List<Error> errors = SCHEMA.validate(json, InputFormat.JSON);
        return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    /** A GS1 test resource as text. */
    public static String resource(String path) {
        try (InputStream in = Gs1EpcisSchema.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema compile() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemaRegistryConfig(config)
                        .schemaLoader(loader -> loader.fetchRemoteResources(false)));
        Schema schema = registry.getSchema(resource(RESOURCE), InputFormat.JSON);
        schema.initializeValidators();
        return schema;
    }
}

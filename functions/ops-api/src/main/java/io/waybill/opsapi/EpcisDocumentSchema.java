package io.waybill.opsapi;

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
 * GS1's official EPCIS 2.0 JSON Schema ({@value #RESOURCE}, copied unchanged from gs1/EPCIS), which every captured
 * document and event must satisfy (networknt json-schema-validator, draft 7, formats asserted, no remote fetches).
 * Compiled once, on first use. Public so the local demo validates its export with the same schema and code.
 */
public final class EpcisDocumentSchema {
    static final String RESOURCE = "waybill/epcis/EPCIS-JSON-Schema.json";
    /** Violations reported at most (a bad document can have thousands). */
    static final int MAX_REPORTED = 10;

    private EpcisDocumentSchema() {
    }

    private static final class Holder {
        static final Schema SCHEMA = compile();
    }

    /** The violations of a document or event (JSON text), each {@code <pointer>: <message>}; empty when valid. */
    public static List<String> violations(String json) {
        List<Error> errors = Holder.SCHEMA.validate(json, InputFormat.JSON);
        return errors.stream().limit(MAX_REPORTED).map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    private static Schema compile() {
        String text;
        try (InputStream in = EpcisDocumentSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                b -> b.schemaRegistryConfig(config).schemaLoader(l -> l.fetchRemoteResources(false)));
        Schema schema = registry.getSchema(text, InputFormat.JSON);
        schema.initializeValidators();
        return schema;
    }
}

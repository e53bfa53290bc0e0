package io.waybill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The canonical event contract: validates a CloudEvents 1.0 JSON event against the Waybill envelope schema and its
 * {@code data} against the schema of its {@code type}.
 *
 * <p>The schemas are read from the classpath ({@code waybill/schemas/...}, packaged from the {@code schemas/} module):
 * the {@code https://schemas.waybill.io/} id prefix is mapped to {@code classpath:waybill/schemas/} and remote
 * fetching is disabled, so validation never touches the network. Format assertions are on, so {@code date-time},
 * {@code uri} and {@code uri-reference} are checked, not just annotated.
 *
 * <p>Instances are immutable and thread-safe. Building one parses and compiles every schema, so obtain the shared
 * instance with {@link #instance()} (built lazily on first use) and call {@link #violations(JsonNode)} as often as
 * needed.
 */
public final class EventContract {

    /** Prefix of every schema {@code $id}. */
    public static final String SCHEMA_BASE_URI = "https://schemas.waybill.io/";
    /** Classpath folder the schema files are packaged under; mirrors {@link #SCHEMA_BASE_URI}. */
    public static final String CLASSPATH_BASE = "waybill/schemas/";
    /** {@code $id} of the envelope schema. */
    public static final String ENVELOPE_SCHEMA_ID = SCHEMA_BASE_URI + "envelope/cloudevent.v1.schema.json";

    private static final String CATALOG = CLASSPATH_BASE + "catalog.json";
    private static final String EVENTS_BASE_URI = SCHEMA_BASE_URI + "events/";

    private final Schema envelope;
    private final Map<String, Schema> dataSchemas;

    private EventContract() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder
                        .schemaRegistryConfig(config)
                        .schemaLoader(loader -> loader
                                .fetchRemoteResources(false)
                                .schemaIdResolvers(ids -> ids.mapPrefix(SCHEMA_BASE_URI,
                                        "classpath:" + CLASSPATH_BASE))));
        this.envelope = compile(registry, ENVELOPE_SCHEMA_ID);
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (String type : catalogTypes()) {
            schemas.put(type, compile(registry, dataschemaOf(type)));
        }
        this.dataSchemas = Collections.unmodifiableMap(schemas);
    }

    /**
     * The shared contract, built on first use from the schemas on the classpath.
     *
     * @return the shared, thread-safe instance
     * @throws IllegalStateException (wrapped in an {@link ExceptionInInitializerError} on the first call) if a schema
     *                               is missing from the classpath or does not compile
     */
    public static EventContract instance() {
        return Holder.INSTANCE;
    }

    /**
     * Validates a canonical event: first the envelope, then, if its {@code type} is known, its {@code data} against
     * that type's schema. An unknown type, or a {@code dataschema} that is not the type's schema, is a violation.
     *
     * @param cloudEvent the whole CloudEvents JSON object
     * @return readable violations, each {@code <JSON pointer in the event>: <message>}, e.g.
     *         {@code /data/shipmentSscc: does not match the regex pattern ^[0-9]{18}$}; empty when the event is valid
     */
    public List<String> violations(JsonNode cloudEvent) {
        Objects.requireNonNull(cloudEvent, "cloudEvent");
        return violations(cloudEvent.toString());
    }

    /**
     * Validates a canonical event given as JSON text, parsed once (the validator works on its own Jackson 3 tree).
     *
     * @param cloudEventJson the whole CloudEvents JSON object
     * @return readable violations as for {@link #violations(JsonNode)}; empty when the event is valid
     */
    public List<String> violations(String cloudEventJson) {
        Objects.requireNonNull(cloudEventJson, "cloudEventJson");
        tools.jackson.databind.JsonNode event;
        try {
            event = JACKSON3.readTree(cloudEventJson);
        } catch (tools.jackson.core.JacksonException e) {
            return List.of("/: not valid JSON: " + e.getOriginalMessage());
        }
        List<String> violations = new ArrayList<>();
        collect(envelope.validate(event), "", violations);

        tools.jackson.databind.JsonNode type = event.get("type");
        if (type == null || !type.isString()) {
            return List.copyOf(violations); // already reported by the envelope schema
        }
        String typeName = type.asString();
        Schema dataSchema = dataSchemas.get(typeName);
        if (dataSchema == null) {
            violations.add("/type: unknown event type '" + typeName + "', known types: " + knownTypes());
            return List.copyOf(violations);
        }
        tools.jackson.databind.JsonNode dataschema = event.get("dataschema");
        String expected = dataschemaOf(typeName);
        if (dataschema != null && dataschema.isString() && !expected.equals(dataschema.asString())) {
            violations.add("/dataschema: must be " + expected + " for type " + typeName
                    + ", was " + dataschema.asString());
        }
        tools.jackson.databind.JsonNode data = event.get("data");
        if (data != null && data.isObject()) {
            collect(dataSchema.validate(data), "/data", violations);
        }
        return List.copyOf(violations);
    }

    /**
     * The event types this contract knows, e.g. {@code waybill.shipment.departed.v1}.
     *
     * @return an unmodifiable set, in catalog order
     */
    public Set<String> knownTypes() {
        return Collections.unmodifiableSet(dataSchemas.keySet());
    }

    /**
     * The {@code dataschema} URI (the schema {@code $id}) of an event type.
     *
     * @param type an event type such as {@code waybill.shipment.departed.v1}
     * @return {@code https://schemas.waybill.io/events/<type>.schema.json}
     */
    public static String dataschemaOf(String type) {
        return EVENTS_BASE_URI + type + ".schema.json";
    }

    /** networknt 3.x validates Jackson 3 trees; one shared, thread-safe mapper parses the event text once. */
    private static final tools.jackson.databind.json.JsonMapper JACKSON3 = tools.jackson.databind.json.JsonMapper.builder().build();

    private static void collect(List<Error> errors, String prefix, List<String> into) {
        for (Error error : errors) {
            String location = prefix + error.getInstanceLocation().toString();
            into.add((location.isEmpty() ? "/" : location) + ": " + error.getMessage());
        }
    }

    private static Schema compile(SchemaRegistry registry, String id) {
        try {
            Schema schema = registry.getSchema(SchemaLocation.of(id));
            schema.initializeValidators(); // resolve every $ref now: fail at start-up, not on the first event
            return schema;
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot load schema " + id + " from classpath:" + CLASSPATH_BASE, e);
        }
    }

    private static List<String> catalogTypes() {
        ClassLoader loader = EventContract.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(CATALOG)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + CATALOG);
            }
            List<String> types = new ArrayList<>();
            new ObjectMapper().readTree(in).path("events").forEach(type -> types.add(type.asText()));
            if (types.isEmpty()) {
                throw new IllegalStateException(CATALOG + " lists no event types");
            }
            return types;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CATALOG, e);
        }
    }

    private static final class Holder {
        private static final EventContract INSTANCE = new EventContract();
    }
}

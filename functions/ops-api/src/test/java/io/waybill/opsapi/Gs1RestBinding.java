package io.waybill.opsapi;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The second, independent oracle of the {@code /epcis} responses: GS1's own EPCIS 2.0 REST binding
 * ({@value #RESOURCE}, GS1's {@code openapi.json} copied unchanged), each response validated (networknt, OpenAPI 3.0
 * dialect, formats asserted) against the schema GS1 documents for its path (without Waybill's {@code /epcis}
 * prefix), method, status and media type; the headers GS1 lists for that response ({@code GS1-EPCIS-Version},
 * {@code Location}) must be present. A status GS1 does not document is a violation.
 *
 * <p>Where GS1 leaves a gap, the oracle says so explicitly: a status the operation does not list is checked against
 * GS1's shared response of that status ({@code 400QueryIssues} for a GET - GS1 lists it on the other query resources
 * and requires a 400 {@code QueryParameterException} for an unknown parameter -, {@code 501NotImplemented}), and a
 * 503 (GS1 has none) against GS1's problem body. Two defects of GS1's document are tolerated, each only where it
 * bites: the known erratum (the 409 schema says {@code status} 406; a conflict answers 409), and the capture job's
 * {@code oneOf [errors, errorFile]}, whose branches require nothing, so every job matches both (a job with
 * {@code errors} and without {@code errorFile} is what GS1's own examples show).
 */
final class Gs1RestBinding {
    static final String RESOURCE = "epcis/gs1/rest-bindings/openapi.json";
    private static final String DOC_URI = "https://gs1.github.io/EPCIS/openapi.json";
    private static final JsonNode DOC;
    private static final SchemaRegistry REGISTRY;
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    static {
        String text;
        try (InputStream in = Gs1RestBinding.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        DOC = JsonMapper.builder().build().readTree(text);
        REGISTRY = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(), b -> b
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                .schemaLoader(l -> l.fetchRemoteResources(false).resourceLoaders(r -> r.resources(Map.of(DOC_URI,
                        text)))));
    }

    private Gs1RestBinding() {
    }

    /** The violations of a response to {@code method} on GS1's {@code gs1Path} (e.g. {@code /events/{eventID}}). */
    static List<String> violations(String method, String gs1Path, ApiResponse response) {
        JsonNode op = DOC.get("paths").path(gs1Path).get(method.toLowerCase(Locale.ROOT));
        if (op == null) {
            return List.of("GS1 documents no " + method + " " + gs1Path);
        }
        String pointer = "#/paths/" + gs1Path.replace("~", "~0").replace("/", "~1") + "/"
                + method.toLowerCase(Locale.ROOT) + "/responses/" + response.status();
        JsonNode r = op.path("responses").get(String.valueOf(response.status()));
        if (r == null) {
            String shared = switch (response.status()) {
                case 400 -> method.equals("GET") ? "#/components/responses/400QueryIssues" : null;
                case 501 -> "#/components/responses/501NotImplemented";
                case 503 -> "#/components/schemas/RFC7807ProblemResponseBody";
                default -> null;
            };
            if (shared == null) {
                return List.of(method + " " + gs1Path + ": GS1 documents no status " + response.status());
            }
            if (shared.contains("/schemas/")) {
                return validate(shared, response, JsonMapper.builder().build().readTree(response.body()));
            }
            r = JsonMapper.builder().build().createObjectNode().put("$ref", shared);
        }
        if (r.get("$ref") != null) {
            pointer = r.get("$ref").asString();
            r = at(pointer);
        }
        List<String> out = new ArrayList<>();
        JsonNode headers = r.get("headers");
        if (headers != null) {
            for (String h : List.of("GS1-EPCIS-Version", "Location")) {
                if (headers.get(h) != null && response.headers().keySet().stream().noneMatch(h::equalsIgnoreCase)) {
                    out.add("missing header " + h);
                }
            }
        }
        JsonNode content = r.get("content");
        if (content == null) {
            if (!response.body().isEmpty()) {
                out.add(method + " " + gs1Path + " " + response.status() + ": GS1 documents no body, got one");
            }
            return out;
        }
        String media = response.contentType();
        if (content.get(media) == null) {
            out.add("content type " + media + ", GS1 documents " + content.propertyNames());
            return out;
        }
        String schemaPointer = pointer + "/content/" + media.replace("/", "~1") + "/schema";
        out.addAll(validate(schemaPointer, response, JsonMapper.builder().build().readTree(response.body())));
        return out;
    }

    private static List<String> validate(String schemaPointer, ApiResponse response, JsonNode body) {
        Schema schema = SCHEMAS.computeIfAbsent(schemaPointer, p -> {
            Schema s = REGISTRY.getSchema(SchemaLocation.of(DOC_URI + p));
            s.initializeValidators();
            return s;
        });
        List<String> out = new ArrayList<>();
        for (Error e : schema.validate(body)) {
            String where = e.getInstanceLocation().toString();
            boolean erratum409 = response.status() == 409 && where.endsWith("status")
                    && body.path("status").asInt() == 409;
            JsonNode job = where.isEmpty() || where.equals("$") ? body : body.at(where.startsWith("$")
                    ? "/" + where.substring(where.lastIndexOf('[') + 1).replace("]", "") : where);
            boolean jobOneOf = e.getMessage().contains("must be valid to one and only one schema, but 2 are valid")
                    && job.isObject() && job.has("captureID") && job.has("errors") && !job.has("errorFile");
            if (!erratum409 && !jobOneOf) {
                out.add(schemaPointer + " " + where + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static JsonNode at(String pointer) {
        JsonNode n = DOC;
        for (String part : pointer.substring(2).split("/")) {
            n = n.get(part.replace("~1", "/").replace("~0", "~"));
        }
        return n;
    }
}

package io.waybill.opsapi;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The independent oracle of the API's responses: {@code waybill/openapi/ops-api.yaml} as packaged, read with Jackson
 * YAML, and each response validated (networknt json-schema-validator, draft 2020-12 = OpenAPI 3.1's dialect, formats
 * asserted) against the component schema the document names for its route, method, status and content type. A
 * request that matches no documented operation must be answered with a {@code Problem}.
 */
final class OpsApiContract {
    static final String RESOURCE = "waybill/openapi/ops-api.yaml";
    private static final String DOC_URI = "https://schemas.waybill.io/openapi/ops-api.json";
    private static final JsonNode DOC;
    private static final SchemaRegistry REGISTRY;
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    /** Every (operation, status) the tests' responses covered: "GET /shipments 200". */
    static final Set<String> COVERED = ConcurrentHashMap.newKeySet();

    static {
        try (InputStream in = OpsApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            DOC = new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String json = JsonMapper.builder().build().writeValueAsString(DOC);
        REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                .schemaLoader(l -> l.fetchRemoteResources(false)
                        .resourceLoaders(r -> r.resources(Map.of(DOC_URI, json)))));
    }

    private OpsApiContract() {
    }

    static JsonNode document() {
        return DOC;
    }

    /** The documented operations: "GET /shipments/{sscc}", ... */
    static Set<String> operations() {
        Set<String> ops = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> p : DOC.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> m : p.getValue().properties()) {
                if (Set.of("get", "post", "put", "patch", "delete").contains(m.getKey())) {
                    ops.add(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey());
                }
            }
        }
        return ops;
    }

    /** The documented path template a raw path matches, or null. */
    static String template(String rawPath) {
        String[] actual = rawPath.replaceAll("^/+|/+$", "").split("/", -1);
        for (Map.Entry<String, JsonNode> p : DOC.get("paths").properties()) {
            String[] t = p.getKey().replaceAll("^/+", "").split("/", -1);
            if (t.length != actual.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < t.length && match; i++) {
                match = t[i].startsWith("{") || t[i].equals(actual[i]);
            }
            if (match) {
                return p.getKey();
            }
        }
        return null;
    }

    /** The violations of a response to {@code method rawPath}; empty when it conforms. */
    static List<String> violations(String method, String rawPath, ApiResponse response) {
        String template = template(rawPath);
        JsonNode op = template == null ? null : DOC.get("paths").get(template).get(method.toLowerCase(Locale.ROOT));
        String schemaRef;
        String mediaType;
        if (op == null) {
            schemaRef = "#/components/schemas/Problem";
            mediaType = ApiResponse.PROBLEM_JSON;
            COVERED.add("(no operation) " + response.status());
        } else {
            JsonNode r = op.path("responses").get(String.valueOf(response.status()));
            if (r == null) {
                return List.of(method + " " + template + " does not document status " + response.status());
            }
            r = resolve(r);
            COVERED.add(method + " " + template + " " + response.status());
            if (r.get("content") == null) { // e.g. 304: no body
                return response.body().isEmpty() ? List.of()
                        : List.of(method + " " + template + " " + response.status() + " documents no body, got one");
            }
            // the documented media type the response names (JSON routes document exactly one)
            Map.Entry<String, JsonNode> chosen = null;
            for (Map.Entry<String, JsonNode> c : r.get("content").properties()) {
                if (chosen == null || c.getKey().equals(response.contentType())) {
                    chosen = c;
                }
            }
            mediaType = chosen.getKey();
            schemaRef = chosen.getValue().get("schema").get("$ref").asString();
            if (!mediaType.endsWith("json")) { // the dashboard's text: its type and a body
                List<String> out = new ArrayList<>();
                if (!mediaType.equals(response.contentType())) {
                    out.add("content type " + response.contentType() + ", documented " + r.get("content")
                            .propertyNames());
                }
                if (response.body().isEmpty()) {
                    out.add("empty " + mediaType + " body");
                }
                return out;
            }
        }
        List<String> out = new ArrayList<>();
        if (!mediaType.equals(response.contentType())) {
            out.add("content type " + response.contentType() + ", documented " + mediaType);
        }
        Schema schema = SCHEMAS.computeIfAbsent(schemaRef, ref -> {
            Schema s = REGISTRY.getSchema(SchemaLocation.of(DOC_URI + ref));
            s.initializeValidators();
            return s;
        });
        JsonNode body;
        try {
            body = JsonMapper.builder().build().readTree(response.body());
        } catch (RuntimeException e) {
            return List.of("body is not JSON: " + response.body());
        }
        for (Error e : schema.validate(body)) {
            out.add(schemaRef + " " + e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    private static JsonNode resolve(JsonNode n) {
        JsonNode ref = n.get("$ref");
        if (ref == null) {
            return n;
        }
        JsonNode target = DOC;
        for (String part : ref.asString().substring(2).split("/")) {
            target = target.get(part);
        }
        return target;
    }
}

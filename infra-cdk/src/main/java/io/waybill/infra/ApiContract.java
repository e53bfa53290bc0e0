package io.waybill.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations of an OpenAPI document, as {@link OpsApi} deploys them: one per method of each entry of
 * {@code paths}, with the scopes of its security requirement (the operation's own {@code security}, else the
 * document's). The document is the contract the ops API function is tested against, so the routes API Gateway serves
 * are read from it rather than written a second time here.
 *
 * <p>An operation whose own {@code security} is {@code []} is <em>anonymous</em>: a route without authorizer (the
 * dashboard's page and assets, which a browser loads before it has a token). Only a GET may be anonymous.
 *
 * <p>Refused at synth, naming the operation: an anonymous operation that is not a GET; an operation without any
 * scope otherwise (a requirement naming none, or no {@code security} and no document default), since every other
 * route of the ops API sits behind the JWT authorizer; and a method API Gateway cannot route.
 */
record ApiContract(String title, List<Operation> operations) {
    /** The HTTP methods an OpenAPI path item may hold operations under (its other keys are not operations). */
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");

    /**
     * One operation.
     *
     * @param method upper case, e.g. {@code GET}
     * @param path   the document's path, e.g. {@code /incidents/{incidentId}} (API Gateway's parameter syntax too)
     * @param scopes    the scopes its security requirement names, sorted (empty when anonymous)
     * @param anonymous true for {@code security: []}: no authorizer on the route
     */
    record Operation(String operationId, String method, String path, List<String> scopes, boolean anonymous) {
        /** API Gateway's route key, {@code GET /shipments}. */
        String routeKey() {
            return method + " " + path;
        }
    }

    static ApiContract read(Path document) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(
                    BuildArtifacts.requireFile(document, "it is part of the repository").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document " + document, e);
        }
        JsonNode paths = root.path("paths");
        if (!paths.isObject() || paths.isEmpty()) {
            throw new IllegalArgumentException(document + " has no paths: nothing to deploy");
        }
        List<String> defaultScopes = scopes(root.get("security"));
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> m = path.getValue().fields(); m.hasNext(); ) {
                Map.Entry<String, JsonNode> method = m.next();
                String name = method.getKey().toLowerCase(Locale.ROOT);
                if (!METHODS.contains(name)) {
                    continue; // parameters, summary, servers, $ref ...
                }
                JsonNode op = method.getValue();
                String id = op.path("operationId").asText(name.toUpperCase(Locale.ROOT) + " " + path.getKey());
                JsonNode security = op.get("security");
                boolean anonymous = security != null && security.isArray() && security.isEmpty();
                if (anonymous && !"get".equals(name)) {
                    throw new IllegalArgumentException("operation " + id + " of " + document + " is anonymous "
                            + "(security: []) but not a GET: only pages and assets may be served without a token");
                }
                List<String> scopes = security != null ? scopes(security) : defaultScopes;
                if (scopes.isEmpty() && !anonymous) {
                    throw new IllegalArgumentException("operation " + id + " of " + document + " names no scope: "
                            + "every ops API route but an anonymous GET (security: []) needs the JWT authorizer "
                            + "and a scope");
                }
                operations.add(new Operation(id, name.toUpperCase(Locale.ROOT), path.getKey(), scopes, anonymous));
            }
        }
        return new ApiContract(root.path("info").path("title").asText(), List.copyOf(operations));
    }

    /** Every scope named by a security requirement list ({@code [{scheme: [scopes]}, ...]}), sorted. */
    private static List<String> scopes(JsonNode security) {
        Set<String> scopes = new TreeSet<>();
        if (security != null) {
            for (JsonNode requirement : security) {
                requirement.fields().forEachRemaining(scheme -> scheme.getValue()
                        .forEach(scope -> scopes.add(scope.asText())));
            }
        }
        return List.copyOf(scopes);
    }
}

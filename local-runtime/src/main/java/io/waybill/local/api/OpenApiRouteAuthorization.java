package io.waybill.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gateway's per-route authorization read from an OpenAPI document, so the local gateway enforces the scopes the
 * contract declares and no list kept beside it: each operation's {@code security} (or the document's top-level
 * {@code security} when the operation has none) becomes that route's authorization scopes.
 *
 * <ul>
 *   <li>A requirement's scopes become the route's authorization scopes as API Gateway imports them from an OpenAPI
 *   document ({@code authorizationScopes}): the authorizer lets a token through with <em>any one</em> of them. API
 *   Gateway cannot require two scopes at once, so where the document requires several (the POST routes:
 *   {@code [ops.read, ops.write]}), the rest is the handler's check ({@code Caller.require}), locally as deployed.</li>
 *   <li>{@code security: []} (an operation anyone may call, such as a page a browser loads before it has a token) is a
 *   route without authorizer: {@code null}.</li>
 *   <li>A request that matches no operation (unknown path, or a method the path does not serve) gets the top-level
 *   requirement: the handler's 404 or 405 is only readable with a valid token, as behind a {@code $default} route
 *   with the authorizer.</li>
 * </ul>
 * A path template's {@code {name}} matches one non-empty segment (an incident id arrives URL-encoded, {@code %2F}).
 */
public final class OpenApiRouteAuthorization implements OpsApiGateway.RouteAuthorization {
    /** The ops API's contract as the ops API module packages it. */
    public static final String OPS_API_DOCUMENT = "waybill/openapi/ops-api.yaml";
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{[^/{}]+}");
    private static final Set<String> HTTP_METHODS = Set.of("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH",
            "TRACE");

    /** @param templated how many {@code {name}} segments the path has: concrete paths are matched first */
    private record Operation(String method, Pattern path, int templated, List<String> scopes) {
    }

    private final List<Operation> operations;
    private final List<String> fallback;

    private OpenApiRouteAuthorization(List<Operation> operations, List<String> fallback) {
        this.operations = List.copyOf(operations);
        this.fallback = fallback;
    }

    /** The ops API's document, read from the class path ({@value #OPS_API_DOCUMENT}). */
    public static OpenApiRouteAuthorization opsApi() {
        try (InputStream in = OpenApiRouteAuthorization.class.getClassLoader().getResourceAsStream(OPS_API_DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(OPS_API_DOCUMENT + " is not on the class path (waybill-ops-api)");
            }
            return of(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OPS_API_DOCUMENT, e);
        }
    }

    /**
     * @param document an OpenAPI 3 document, parsed
     * @throws IllegalArgumentException for a document without {@code paths}
     */
    public static OpenApiRouteAuthorization of(JsonNode document) {
        JsonNode paths = document.path("paths");
        if (!paths.isObject()) {
            throw new IllegalArgumentException("the OpenAPI document has no paths");
        }
        List<String> topLevel = scopes(document.get("security"));
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            Pattern pattern = template(path.getKey());
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(Locale.ROOT);
                if (!HTTP_METHODS.contains(method)) {
                    continue; // parameters, summary, servers, ... of the path item
                }
                JsonNode security = op.getValue().get("security");
                operations.add(new Operation(method, pattern, (int) TEMPLATE_PARAMETER.matcher(path.getKey()).results()
                        .count(), security == null ? topLevel : scopes(security)));
            }
        }
        operations.sort(java.util.Comparator.comparingInt(Operation::templated));
        return new OpenApiRouteAuthorization(operations, topLevel);
    }

    /**
     * The scopes of a {@code security} list: null for none ({@code []}: no authorizer), else every scope its
     * requirements name (an empty list: any valid token).
     */
    private static List<String> scopes(JsonNode security) {
        if (security == null || security.isNull()) {
            return null;
        }
        if (!security.isArray()) {
            throw new IllegalArgumentException("security must be a list of requirements, was " + security);
        }
        if (security.isEmpty()) {
            return null;
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (JsonNode requirement : security) {
            if (requirement.isEmpty()) {
                return null; // {} : the requirement that anonymous calls satisfy
            }
            requirement.fields().forEachRemaining(scheme -> scheme.getValue().forEach(s -> scopes.add(s.asText())));
        }
        return List.copyOf(scopes);
    }

    private static Pattern template(String path) {
        StringBuilder regex = new StringBuilder();
        java.util.regex.Matcher m = TEMPLATE_PARAMETER.matcher(path);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start()))).append("[^/]+");
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return Pattern.compile(regex.toString());
    }

    @Override
    public List<String> scopesOf(String method, String rawPath) {
        String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        for (Operation op : operations) {
            if (op.method().equals(m) && op.path().matcher(path).matches()) {
                return op.scopes();
            }
        }
        return fallback;
    }
}

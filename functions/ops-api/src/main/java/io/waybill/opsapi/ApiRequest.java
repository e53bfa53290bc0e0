package io.waybill.opsapi;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request as the ops API sees it, free of AWS types: the handler builds it from API Gateway's payload 2.0,
 * a local server could build it from a socket.
 *
 * @param method      HTTP method, upper case
 * @param rawPath     the path as sent (percent-encoding kept; an incident id's {@code %2F} stays in its segment)
 * @param rawQuery    the query string as sent, without {@code ?}, or empty
 * @param headers     header names compared case-insensitively
 * @param body        the body text, or null
 * @param claims      the JWT claims the authorizer validated (strings, as API Gateway passes them); empty when none
 * @param scopes      the scopes API Gateway lists separately ({@code requestContext.authorizer.jwt.scopes}), or empty
 */
public record ApiRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, String body,
                         Map<String, String> claims, List<String> scopes) {
    public ApiRequest {
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        rawQuery = rawQuery == null ? "" : rawQuery;
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k != null && v != null) {
                    h.put(k, v);
                }
            });
        }
        headers = java.util.Collections.unmodifiableMap(h);
        Map<String, String> c = new java.util.HashMap<>();
        if (claims != null) {
            claims.forEach((k, v) -> {
                if (k != null && v != null) {
                    c.put(k, v);
                }
            });
        }
        claims = Map.copyOf(c);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** A header's value, whatever the case of its name; null when absent. */
    public String header(String name) {
        return headers.get(name);
    }
}

package io.waybill.opsapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One request as a route family sees it: the raw path split into segments (still percent-encoded), the parsed query
 * and the caller from the validated token claims.
 */
public record Call(ApiRequest request, List<String> segments, Query query, Caller caller) {

    public int size() {
        return segments.size();
    }

    /** The raw (percent-encoded) segment {@code i}. */
    public String segment(int i) {
        return segments.get(i);
    }

    /** Segment {@code i} percent-decoded; a malformed escape is a 400 naming {@code param}. */
    public String decoded(int i, String param) {
        return OpsApi.decode(segments.get(i), param);
    }

    /**
     * Checks the method (405 naming the allowed one) and then the scopes (403): a write route asks for both
     * {@link Caller#READ} and {@link Caller#WRITE}.
     */
    public void allow(String method, String... scopes) {
        if (!request.method().equals(method)) {
            throw Problem.methodNotAllowed(request.method(), request.rawPath(), method);
        }
        for (String scope : scopes) {
            caller.require(scope);
        }
    }

    /** A 200 with one JSON object. */
    public ApiResponse ok(ObjectNode body) {
        return ApiResponse.json(200, Json.write(body), Map.of());
    }

    /** A page of items: {@code {"items": [...], "nextPageToken": ...}} and a {@code Link: rel="next"} header. */
    public <T> ApiResponse page(Page<T> page, Function<T, ObjectNode> json) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ArrayNode items = n.putArray("items");
        page.items().forEach(i -> items.add(json.apply(i)));
        Map<String, String> headers = new LinkedHashMap<>();
        if (page.nextPageToken() != null) {
            n.put("nextPageToken", page.nextPageToken());
            headers.put("Link", "<" + request.rawPath() + "?" + query.with("pageToken", page.nextPageToken())
                    + ">; rel=\"next\"");
        }
        return ApiResponse.json(200, Json.write(n), headers);
    }
}

package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem: what the API answers instead of a result. Thrown inside the routes, turned into an
 * {@code application/problem+json} response in one place ({@link OpsApi}).
 */
public final class Problem extends RuntimeException {
    /** Base of the problem type URIs (documentation anchors, not fetched). */
    public static final String TYPE_BASE = "https://waybill.io/problems/";

    /** A parameter (query, path or body field) and why it was refused. */
    public record InvalidParam(String name, String reason) {
    }

    private final int status;
    private final String type;
    private final String title;
    private final List<InvalidParam> invalidParams;
    private final Map<String, String> headers;
    /** Extension members (RFC 9457 section 3.2) written after the standard ones, e.g. a 503 that still carries data. */
    private final Map<String, JsonNode> members;

    public Problem(int status, String type, String title, String detail, List<InvalidParam> invalidParams,
                   Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.invalidParams = invalidParams == null ? List.of() : List.copyOf(invalidParams);
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.members = Map.of();
    }

    private Problem(Problem p, Map<String, JsonNode> members) {
        super(p.getMessage());
        this.status = p.status;
        this.type = p.type;
        this.title = p.title;
        this.invalidParams = p.invalidParams;
        this.headers = p.headers;
        this.members = members;
    }

    /** This problem with one more extension member {@code name} (RFC 9457 section 3.2). */
    public Problem with(String name, JsonNode value) {
        Map<String, JsonNode> m = new LinkedHashMap<>(members);
        m.put(name, value);
        return new Problem(this, java.util.Collections.unmodifiableMap(m));
    }

    /** 400 naming the parameter. */
    public static Problem invalidParam(String name, String reason) {
        return new Problem(400, "invalid-parameter", "Invalid parameter", name + ": " + reason,
                List.of(new InvalidParam(name, reason)), null);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "unauthorized", "Unauthorized", detail, null,
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static Problem forbidden(String scope) {
        return new Problem(403, "insufficient-scope", "Forbidden", "this route needs the scope " + scope, null,
                Map.of("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\""));
    }

    /** A write by a caller with the write scope who is not in the group that may write. */
    public static Problem forbiddenGroup(String group) {
        return new Problem(403, "not-a-writer", "Forbidden", "this route needs the scope " + Caller.WRITE
                + " and membership of the group " + group, null, null);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail, null, null);
    }

    /** 404 for a path the API does not serve (type {@code no-route}, unlike a missing resource's {@code not-found}). */
    public static Problem noRoute(String method, String path) {
        return new Problem(404, "no-route", "No such route", "no route " + method + " " + path, null, null);
    }

    public static Problem methodNotAllowed(String method, String path, String allow) {
        return new Problem(405, "method-not-allowed", "Method not allowed",
                method + " is not served on " + path + " (allowed: " + allow + ")", null, Map.of("Allow", allow));
    }

    public static Problem conflict(String detail) {
        return new Problem(409, "conflict", "Conflict", detail, null, null);
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, "dependency-unavailable", "Service unavailable", detail, null,
                Map.of("Retry-After", "1"));
    }

    public static Problem internal(String detail) {
        return new Problem(500, "internal", "Internal error", detail, null, null);
    }

    public int status() {
        return status;
    }

    public List<InvalidParam> invalidParams() {
        return invalidParams;
    }

    /** The problem response; {@code instance} is the request path. */
    ApiResponse toResponse(String instance) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", TYPE_BASE + type);
        n.put("title", title);
        n.put("status", status);
        if (getMessage() != null) {
            n.put("detail", getMessage());
        }
        n.put("instance", instance);
        if (!invalidParams.isEmpty()) {
            ArrayNode a = n.putArray("invalidParams");
            invalidParams.forEach(p -> a.addObject().put("name", p.name()).put("reason", p.reason()));
        }
        members.forEach(n::set);
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", ApiResponse.PROBLEM_JSON);
        h.put("Cache-Control", "no-store");
        return new ApiResponse(status, h, Json.write(n));
    }
}

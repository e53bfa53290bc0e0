package io.waybill.opsapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP response: status, headers, body text (JSON or problem JSON).
 */
public record ApiResponse(int status, Map<String, String> headers, String body) {
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    public ApiResponse {
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(body, "body");
    }

    static ApiResponse json(int status, String body, Map<String, String> extraHeaders) {
        Map<String, String> h = new LinkedHashMap<>(extraHeaders);
        h.put("Content-Type", JSON);
        h.put("Cache-Control", "no-store");
        return new ApiResponse(status, h, body);
    }

    /** The content type (without parameters). */
    public String contentType() {
        String ct = headers.get("Content-Type");
        return ct == null ? null : ct.split(";", 2)[0].trim();
    }
}

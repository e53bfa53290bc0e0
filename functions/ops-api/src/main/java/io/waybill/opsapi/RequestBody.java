package io.waybill.opsapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Set;

/** A request body read as a JSON object, every refusal a 400 naming the field. */
final class RequestBody {
    private RequestBody() {
    }

    /** The body, when it is declared JSON (or its type is not declared); the header name in any case. */
    static String jsonBody(ApiRequest request) {
        String type = request.header("Content-Type");
        if (request.body() != null && !request.body().isBlank() && type != null
                && !type.split(";", 2)[0].strip().equalsIgnoreCase(ApiResponse.JSON)) {
            throw Problem.invalidParam("Content-Type", "the body must be " + ApiResponse.JSON + ", was " + type);
        }
        return request.body();
    }

    /** The body as a JSON object; an empty object when absent and not required. */
    static JsonNode body(String body, boolean required) {
        if (body == null || body.isBlank()) {
            if (required) {
                throw Problem.invalidParam("body", "a JSON object is required");
            }
            return Json.MAPPER.createObjectNode();
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw Problem.invalidParam("body", "not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw Problem.invalidParam("body", "must be a JSON object");
        }
        return n;
    }

    static void fields(JsonNode body, Set<String> known) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw Problem.invalidParam(f, "not a field of this request" + (known.isEmpty() ? ""
                        : " (fields: " + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
        }
    }

    static String note(JsonNode body, int maxLength) {
        JsonNode n = body.get("note");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw Problem.invalidParam("note", "must be a string");
        }
        if (n.asText().length() > maxLength) {
            throw Problem.invalidParam("note", "at most " + maxLength + " characters");
        }
        return n.asText();
    }
}

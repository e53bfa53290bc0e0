package io.waybill.opsapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls of the ops API through {@link OpsApiHandler} with hand-built API Gateway payload 2.0 events carrying a JWT's
 * claims, every response validated against the contract ({@link OpsApiContract}) before the test looks at it. Shared
 * by this module's tests and, through the test jar, by the local runtime's tests against the emulators.
 */
final class ContractCheckedCalls {
    /** A reader's token: the scope {@code ops.read} only. */
    static final Map<String, String> READER = Map.of("sub", "u-1", "username", "alice", "scope", "ops.read");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param body the JSON body, or null for a body that is not JSON ({@code text} holds every body as sent) */
    record Reply(int status, Map<String, String> headers, JsonNode body, String text) {
        String header(String name) {
            return headers.get(name);
        }

        /** The JSON body, after asserting the status (the body is the assertion's description). */
        JsonNode expect(int expectedStatus) {
            assertThat(status).as(text).isEqualTo(expectedStatus);
            return body;
        }
    }

    private ContractCheckedCalls() {
    }

    /**
     * @param claims the JWT's claims, or null for a request without an authorizer
     * @param scopes the JWT's scopes (API Gateway's list), or null
     */
    static Reply call(OpsApiHandler handler, String method, String path, String query, Map<String, String> claims,
                      List<String> scopes, Map<String, String> headers, String body) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = claims == null ? null
                : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(
                APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims)
                        .withScopes(scopes).build()).build();
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default")
                .withRawPath(path).withRawQueryString(query == null ? "" : query).withHeaders(headers)
                .withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                                .build())
                        .withAuthorizer(authorizer).build())
                .build();
        APIGatewayV2HTTPResponse r = handler.handleRequest(event, null);
        ApiResponse response = new ApiResponse(r.getStatusCode(), r.getHeaders(), r.getBody());
        assertThat(OpsApiContract.violations(method, path, response)).as(method + " " + path + " -> " + r.getBody())
                .isEmpty();
        String contentType = response.contentType();
        if (contentType == null || !contentType.endsWith("json")) {
            return new Reply(r.getStatusCode(), r.getHeaders(), null, r.getBody());
        }
        try {
            return new Reply(r.getStatusCode(), r.getHeaders(), JSON.readTree(r.getBody()), r.getBody());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A call with a JSON body (sent as {@code application/json}), or none when {@code body} is null. */
    static Reply call(OpsApiHandler handler, String method, String path, String query, Map<String, String> claims,
                      String body) {
        return call(handler, method, path, query, claims, null,
                body == null ? Map.of() : Map.of("content-type", "application/json"), body);
    }

    static Reply get(OpsApiHandler handler, String path, String query, Map<String, String> claims) {
        return call(handler, "GET", path, query, claims, null);
    }

    /** A call with {@link #READER}'s token and no body. */
    static Reply call(OpsApiHandler handler, String method, String path, String query) {
        return call(handler, method, path, query, READER, null);
    }

    /** A GET with {@link #READER}'s token. */
    static Reply get(OpsApiHandler handler, String path, String query) {
        return get(handler, path, query, READER);
    }

    static void assertProblem(Reply r, int status, String type, String invalidParam) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(r.body().get("status").asInt()).isEqualTo(status);
        assertThat(r.body().get("type").asText()).isEqualTo("https://waybill.io/problems/" + type);
        if (invalidParam != null) {
            assertThat(r.body().get("invalidParams").get(0).get("name").asText()).isEqualTo(invalidParam);
        }
    }
}

package io.waybill.opsapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls of the operational views' routes (KPIs, devices, health) through {@link OpsApiHandler} with a reader's token,
 * every response validated against the contract ({@link OpsApiContract}) before the test looks at it.
 */
final class ViewCalls {
    static final Map<String, String> READER = Map.of("sub", "u-1", "username", "alice", "scope", "ops.read");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, Map<String, String> headers, JsonNode body) {
    }

    private ViewCalls() {
    }

    static Reply call(OpsApiHandler handler, String method, String path, String query) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default")
                .withRawPath(path).withRawQueryString(query == null ? "" : query).withHeaders(Map.of())
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                                .build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(
                                APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(READER)
                                        .build()).build()).build())
                .build();
        APIGatewayV2HTTPResponse r = handler.handleRequest(event, null);
        assertThat(OpsApiContract.violations(method, path, new ApiResponse(r.getStatusCode(), r.getHeaders(),
                r.getBody()))).as(method + " " + path + " -> " + r.getBody()).isEmpty();
        try {
            return new Reply(r.getStatusCode(), r.getHeaders(), JSON.readTree(r.getBody()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Reply get(OpsApiHandler handler, String path, String query) {
        return call(handler, "GET", path, query);
    }

    static void assertProblem(Reply r, int status, String type, String invalidParam) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(r.body().get("type").asText()).isEqualTo("https://waybill.io/problems/" + type);
        if (invalidParam != null) {
            assertThat(r.body().get("invalidParams").get(0).get("name").asText()).isEqualTo(invalidParam);
        }
    }
}

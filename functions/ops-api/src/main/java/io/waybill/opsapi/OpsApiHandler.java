package io.waybill.opsapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * API Gateway HTTP API (payload format 2.0) -> {@link OpsApi}. Thin: the event becomes an {@link ApiRequest} (method,
 * raw path and query, headers, body, the JWT claims and scopes the authorizer placed at
 * {@code requestContext.authorizer.jwt}), the response goes back as is.
 */
public final class OpsApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final OpsApi api;

    /** Lambda entry point: clients and configuration built once per execution environment. */
    public OpsApiHandler() {
        this(OpsApiFunction.fromEnvironment());
    }

    public OpsApiHandler(OpsApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiResponse r = api.handle(request(event));
        return APIGatewayV2HTTPResponse.builder().withStatusCode(r.status()).withHeaders(r.headers())
                .withBody(r.body()).withIsBase64Encoded(false).build();
    }

    static ApiRequest request(APIGatewayV2HTTPEvent e) {
        APIGatewayV2HTTPEvent.RequestContext ctx = e.getRequestContext();
        String method = ctx != null && ctx.getHttp() != null && ctx.getHttp().getMethod() != null
                ? ctx.getHttp().getMethod() : "GET";
        String path = e.getRawPath() != null ? e.getRawPath()
                : ctx != null && ctx.getHttp() != null ? ctx.getHttp().getPath() : "/";
        Map<String, String> claims = Map.of();
        List<String> scopes = List.of();
        if (ctx != null && ctx.getAuthorizer() != null && ctx.getAuthorizer().getJwt() != null) {
            APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = ctx.getAuthorizer().getJwt();
            claims = jwt.getClaims() == null ? Map.of() : jwt.getClaims();
            scopes = jwt.getScopes() == null ? List.of() : jwt.getScopes();
        }
        String body = e.getBody();
        if (body != null && e.getIsBase64Encoded()) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException ex) {
                body = "\u0000not base64"; // read as invalid JSON: a 400 on the body
            }
        }
        return new ApiRequest(method, path, e.getRawQueryString(), e.getHeaders(), body, claims, scopes);
    }
}

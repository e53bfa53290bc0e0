package io.waybill.local.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.util.Map;

/**
 * Bench P4's baseline: the smallest HTTP API handler (aws-lambda-java-core and -events only, nothing at class load).
 * It lives in the local runtime, which is no Lambda artifact; the bench packs it with the two libraries into a jar of
 * its own under {@code local-runtime/target/bench-p4/} ({@link io.waybill.local.bench.ColdStart}).
 */
public final class HelloWorldHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody("{\"hello\":\"" + event.getRawPath() + "\"}").withIsBase64Encoded(false).build();
    }
}

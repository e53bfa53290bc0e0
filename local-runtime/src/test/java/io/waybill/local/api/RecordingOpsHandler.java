package io.waybill.local.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A stand-in for the ops API's handler: records every event and answers with what the test chose. */
final class RecordingOpsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    final List<APIGatewayV2HTTPEvent> events = new CopyOnWriteArrayList<>();
    volatile Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> answer = e -> APIGatewayV2HTTPResponse.builder()
            .withStatusCode(200).withBody("{\"ok\":true}")
            .withHeaders(java.util.Map.of("Content-Type", "application/json")).build();

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        events.add(event);
        return answer.apply(event);
    }
}

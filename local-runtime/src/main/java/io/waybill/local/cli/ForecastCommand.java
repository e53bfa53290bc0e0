package io.waybill.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.modelserver.deepar.BadRequest;
import io.waybill.modelserver.deepar.Invocations;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code ./waybill forecast}: one SageMaker invocation body (DeepAR's JSON inference format) on stdin, the response
 * body the endpoint would return on stdout. The same {@link Invocations} the model server runs, in process: what an
 * analyst gets here is what the endpoint answers.
 */
final class ForecastCommand {
    private final Invocations invocations;

    ForecastCommand(Invocations invocations) {
        this.invocations = invocations;
    }

    /**
     * @return 0 answered; 2 the request was refused (its reason as {@code {"message": ...}} on stderr, as the endpoint
     *         answers a 4xx)
     */
    int run(InputStream in, PrintStream out, PrintStream err) throws IOException {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        try {
            out.println(invocations.invoke(body));
            out.flush();
            return 0;
        } catch (BadRequest e) {
            err.println(new ObjectMapper().writeValueAsString(Map.of("message", e.getMessage())));
            return UserError.USAGE;
        }
    }
}

package io.waybill.aws.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.forecast.DemandForecast;
import io.waybill.domain.forecast.DemandForecaster;
import io.waybill.domain.forecast.DemandHistory;
import io.waybill.domain.forecast.ForecastSettings;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@link DemandForecaster} through the SageMaker runtime's {@code InvokeEndpoint}, in DeepAR's JSON inference format:
 * <pre>{"instances":[{"start":"2026-03-01 00:00:00","target":[...],"freq":"D","prediction_length":28}],
 *  "configuration":{"num_samples":200,"output_types":["mean","quantiles","samples"],"quantiles":["0.1","0.5","0.9"]}}</pre>
 * answered by {@code {"predictions":[{"mean":[..],"quantiles":{"0.1":[..]},"samples":[[..]],"model":"ETS(A,N,A)"}]}}
 * ({@code model} is our model server's addition; DeepAR leaves it out). Missing values would go as {@code "NaN"}.
 *
 * <p>Failures: {@code ModelError} and other 4xx answers (a series the model refuses) are
 * {@link ForecastRejected}; throttling, 5xx, {@code ModelNotReady} and I/O failures are {@link ForecasterUnavailable}.
 */
public final class SageMakerDemandForecaster implements DemandForecaster {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String CONTENT_TYPE = "application/json";

    private final SageMakerRuntimeClient client;
    private final String endpointName;
    private final ModelIdentity model;

    public SageMakerDemandForecaster(SageMakerRuntimeClient client, String endpointName, ModelIdentity model) {
        this.client = Objects.requireNonNull(client, "client");
        this.endpointName = Objects.requireNonNull(endpointName, "endpointName");
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public ModelIdentity model() {
        return model;
    }

    /** The DeepAR request body for {@code histories}. */
    public static byte[] requestBody(List<DemandHistory> histories, ForecastRequest request) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode instances = body.putArray("instances");
        for (DemandHistory h : histories) {
            ObjectNode i = instances.addObject();
            i.put("start", h.firstDay() + " 00:00:00");
            ArrayNode target = i.putArray("target");
            for (double v : h.unitsPerDay()) {
                if (Double.isNaN(v)) {
                    target.add("NaN");
                } else {
                    target.add(v);
                }
            }
            i.put("freq", "D");
            i.put("prediction_length", request.horizonDays());
        }
        ObjectNode config = body.putObject("configuration");
        config.put("num_samples", request.numSamples());
        ArrayNode types = config.putArray("output_types");
        types.add("mean").add("quantiles");
        if (request.numSamples() > 0) {
            types.add("samples");
        }
        ArrayNode levels = config.putArray("quantiles");
        request.quantileLevels().forEach(q -> levels.add(ForecastSettings.levelKey(q)));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("request not serialisable", e);
        }
    }

    @Override
    public List<DemandForecast> forecast(List<DemandHistory> histories, ForecastRequest request) {
        if (histories.isEmpty()) {
            return List.of();
        }
        byte[] body = requestBody(histories, request);
        InvokeEndpointResponse response;
        try {
            response = client.invokeEndpoint(b -> b.endpointName(endpointName).contentType(CONTENT_TYPE)
                    .accept(CONTENT_TYPE).body(SdkBytes.fromByteArray(body)));
        } catch (ModelErrorException refused) {
            throw new ForecastRejected("endpoint " + endpointName + " model error (original status "
                    + refused.originalStatusCode() + "): " + refused.originalMessage());
        } catch (AwsServiceException e) {
            int status = e.statusCode();
            if (!e.isThrottlingException() && status >= 400 && status < 500 && status != 408 && status != 429) {
                throw new ForecastRejected("endpoint " + endpointName + " refused the request (" + status + "): "
                        + e.getMessage());
            }
            throw new ForecasterUnavailable("endpoint " + endpointName + " unavailable (" + status + ")", e);
        } catch (SdkException e) {
            throw new ForecasterUnavailable("endpoint " + endpointName + " not reached: " + e.getMessage(), e);
        }
        return parse(histories, request, response.body().asByteArray());
    }

    /** The forecasts in a DeepAR response, one per history in order. */
    public static List<DemandForecast> parse(List<DemandHistory> histories, ForecastRequest request, byte[] body) {
        JsonNode predictions;
        try {
            predictions = JSON.readTree(body).path("predictions");
        } catch (IOException e) {
            throw new ForecastRejected("the endpoint's answer is not JSON: " + e.getMessage());
        }
        if (!predictions.isArray() || predictions.size() != histories.size()) {
            throw new ForecastRejected("the endpoint returned " + predictions.size() + " predictions for "
                    + histories.size() + " series");
        }
        List<DemandForecast> out = new ArrayList<>(histories.size());
        for (int i = 0; i < histories.size(); i++) {
            JsonNode p = predictions.get(i);
            DemandHistory h = histories.get(i);
            double[] mean = values(p.path("mean"), "mean");
            SortedMap<Double, double[]> quantiles = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = p.path("quantiles").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> q = fields.next();
                try {
                    quantiles.put(Double.parseDouble(q.getKey()), values(q.getValue(), "quantile " + q.getKey()));
                } catch (NumberFormatException e) {
                    throw new ForecastRejected("quantile key is not a number: " + q.getKey());
                }
            }
            JsonNode s = p.path("samples");
            double[][] samples = new double[s.isArray() ? s.size() : 0][];
            for (int j = 0; j < samples.length; j++) {
                samples[j] = values(s.get(j), "sample " + j);
            }
            String method = p.hasNonNull("model") ? p.get("model").asText() : null;
            out.add(new DemandForecast(h.key(), h.nextDay(), mean, quantiles, samples, method));
        }
        return out;
    }

    private static double[] values(JsonNode array, String what) {
        if (!array.isArray()) {
            throw new ForecastRejected("the endpoint's answer has no " + what + " array");
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            out[i] = v.isNumber() ? v.asDouble() : "NaN".equals(v.asText()) ? Double.NaN : fail(what);
        }
        return out;
    }

    private static double fail(String what) {
        throw new ForecastRejected("the endpoint's " + what + " holds a value that is not a number");
    }
}

package io.waybill.modelserver.deepar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.modelserver.methods.AutomaticForecast;
import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;
import io.waybill.modelserver.model.UnfittableSeries;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * One SageMaker invocation in DeepAR's JSON inference format: parse, fit each instance, answer. Shared by the HTTP
 * server and the command line ({@code ./waybill forecast}). Thread-safe; output is deterministic for a given body
 * (sample paths are seeded by the instance's position).
 *
 * <p>Request: {@code {"instances":[{"start":"2024-01-01 00:00:00","target":[1,"NaN",3],"cat":[0],"dynamic_feat":[[..]],
 * "freq":"M","prediction_length":12}],"configuration":{"num_samples":100,"output_types":["mean","quantiles","samples"],
 * "quantiles":["0.1","0.5","0.9"]}}}. {@code cat} and {@code dynamic_feat} are accepted and ignored (the statistical
 * methods are univariate). {@code freq} and {@code prediction_length} are our per-instance extensions (DeepAR fixes
 * them at training): see {@link Frequency} for defaults and limits. Defaults: {@code num_samples} 100,
 * {@code output_types} ["mean","quantiles"], {@code quantiles} "0.1".."0.9".
 *
 * <p>Response: {@code {"predictions":[{"mean":[..],"quantiles":{"0.1":[..]},"samples":[[..]],"model":"Theta"}]}} with
 * only the requested output types, plus {@code model}, the fitted model's name (DeepAR clients ignore unknown fields).
 */
public final class Invocations {

    /** Instances per request. */
    public static final int MAX_INSTANCES = 1_000;
    /** Observations per target. */
    public static final int MAX_TARGET_LENGTH = 20_000;
    /** Sample paths per instance. */
    public static final int MAX_SAMPLES = 1_000;
    /** Numbers in one response (mean, quantiles and samples of all instances): keeps it under 4 MB, serverless's limit. */
    public static final int MAX_RESPONSE_VALUES = 200_000;
    public static final int DEFAULT_NUM_SAMPLES = 100;
    static final List<String> DEFAULT_OUTPUT_TYPES = List.of("mean", "quantiles");
    static final List<String> DEFAULT_QUANTILES = List.of("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9");
    private static final long SEED = 0x5EEDL;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ForecastMethod method;

    public Invocations(ForecastMethod method) {
        this.method = method;
    }

    /** The server's invocations: {@link AutomaticForecast#standard()}. */
    public static Invocations standard() {
        return new Invocations(AutomaticForecast.standard());
    }

    private record Instance(double[] target, Frequency frequency, int horizon) {
    }

    private record Configuration(int numSamples, boolean mean, boolean quantiles, boolean samples, List<String> levels,
                                 double[] levelValues) {
    }

    /**
     * Answers one request body.
     *
     * @throws BadRequest when the body is not a valid request (the message says why)
     */
    public String invoke(String requestBody) {
        JsonNode root;
        try {
            root = JSON.readTree(requestBody);
        } catch (JsonProcessingException e) {
            throw new BadRequest("malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("the body must be a JSON object with \"instances\"");
        }
        JsonNode instancesNode = root.get("instances");
        if (instancesNode == null || !instancesNode.isArray() || instancesNode.isEmpty()) {
            throw new BadRequest("\"instances\" must be a non-empty array");
        }
        if (instancesNode.size() > MAX_INSTANCES) {
            throw new BadRequest(413, "too many instances: " + instancesNode.size() + " (at most " + MAX_INSTANCES + ")");
        }
        Configuration config = configuration(root.get("configuration"));
        List<Instance> instances = new ArrayList<>();
        long values = 0;
        for (int i = 0; i < instancesNode.size(); i++) {
            Instance instance = instance(instancesNode.get(i), i);
            instances.add(instance);
            values += (long) instance.horizon() * ((config.mean() ? 1 : 0) + (config.quantiles() ? config.levels().size() : 0)
                    + (config.samples() ? config.numSamples() : 0));
        }
        if (values > MAX_RESPONSE_VALUES) {
            throw new BadRequest(413, "the response would hold " + values + " numbers (at most " + MAX_RESPONSE_VALUES
                    + "): ask for fewer instances, samples, quantiles or a shorter prediction_length");
        }
        List<ObjectNode> predictions = IntStream.range(0, instances.size()).parallel()
                .mapToObj(i -> predict(instances.get(i), config, i)).toList();
        ObjectNode response = JSON.createObjectNode();
        response.putArray("predictions").addAll(predictions);
        return response.toString();
    }

    private ObjectNode predict(Instance instance, Configuration config, int index) {
        FittedForecast fit;
        try {
            fit = method.fit(instance.target(), instance.frequency().period());
        } catch (UnfittableSeries e) {
            throw new BadRequest("instance " + index + ": " + e.getMessage());
        }
        int h = instance.horizon();
        ObjectNode out = JSON.createObjectNode();
        if (config.mean()) {
            put(out.putArray("mean"), fit.mean(h));
        }
        if (config.quantiles()) {
            ObjectNode q = out.putObject("quantiles");
            for (int k = 0; k < config.levels().size(); k++) {
                put(q.putArray(config.levels().get(k)), fit.quantile(config.levelValues()[k], h));
            }
        }
        if (config.samples()) {
            ArrayNode s = out.putArray("samples");
            for (double[] path : fit.samples(config.numSamples(), h, new SplittableRandom(SEED + index))) {
                put(s.addArray(), path);
            }
        }
        out.put("model", fit.model());
        return out;
    }

    private static void put(ArrayNode array, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                array.add(v);
            } else {
                array.add("NaN");
            }
        }
    }

    private static Instance instance(JsonNode node, int index) {
        String where = "instance " + index + ": ";
        if (node == null || !node.isObject()) {
            throw new BadRequest(where + "must be a JSON object");
        }
        JsonNode start = node.get("start");
        if (start == null || !start.isTextual()) {
            throw new BadRequest(where + "\"start\" is required, e.g. \"2024-01-01 00:00:00\"");
        }
        parseStart(start.asText(), where);
        JsonNode targetNode = node.get("target");
        if (targetNode == null || !targetNode.isArray()) {
            throw new BadRequest(where + "\"target\" must be an array of numbers or \"NaN\"");
        }
        if (targetNode.isEmpty()) {
            throw new BadRequest(where + "\"target\" is empty");
        }
        if (targetNode.size() > MAX_TARGET_LENGTH) {
            throw new BadRequest(413, where + "\"target\" has " + targetNode.size() + " values (at most " + MAX_TARGET_LENGTH + ")");
        }
        double[] target = new double[targetNode.size()];
        for (int t = 0; t < target.length; t++) {
            JsonNode v = targetNode.get(t);
            if (v.isNumber()) {
                target[t] = v.asDouble();
            } else if (v.isNull() || (v.isTextual() && v.asText().equalsIgnoreCase("NaN"))) {
                target[t] = Double.NaN;
            } else {
                throw new BadRequest(where + "target[" + t + "] is " + v + ": use a number or \"NaN\"");
            }
            if (Double.isInfinite(target[t])) {
                throw new BadRequest(where + "target[" + t + "] is not finite");
            }
        }
        checkArray(node.get("cat"), where + "\"cat\"");
        JsonNode dynamic = node.get("dynamic_feat");
        checkArray(dynamic, where + "\"dynamic_feat\"");
        JsonNode freqNode = node.get("freq");
        Frequency frequency = Frequency.DEFAULT;
        if (freqNode != null && !freqNode.isNull()) {
            if (!freqNode.isTextual()) {
                throw new BadRequest(where + "unknown frequency " + freqNode + ": use one of M, Q, W, D, H");
            }
            try {
                frequency = Frequency.parse(freqNode.asText());
            } catch (BadRequest e) {
                throw new BadRequest(where + e.getMessage());
            }
        }
        int horizon = frequency.defaultHorizon();
        JsonNode lengthNode = node.get("prediction_length");
        if (lengthNode != null && !lengthNode.isNull()) {
            if (!lengthNode.canConvertToExactIntegral() || lengthNode.asLong() < 1) {
                throw new BadRequest(where + "\"prediction_length\" must be a positive integer, got " + lengthNode);
            }
            if (lengthNode.asLong() > frequency.maxHorizon()) {
                throw new BadRequest(where + "horizon too long: prediction_length " + lengthNode.asLong() + " exceeds "
                        + frequency.maxHorizon() + " for freq " + frequency);
            }
            horizon = lengthNode.asInt();
        }
        try {
            return new Instance(MissingValues.fill(target), frequency, horizon);
        } catch (BadRequest e) {
            throw new BadRequest(where + e.getMessage());
        }
    }

    private static void checkArray(JsonNode node, String what) {
        if (node != null && !node.isNull() && !node.isArray()) {
            throw new BadRequest(what + " must be an array");
        }
    }

    private static void parseStart(String text, String where) {
        try {
            if (text.length() == 10) {
                LocalDate.parse(text);
            } else {
                LocalDateTime.parse(text, START);
            }
        } catch (DateTimeParseException e) {
            throw new BadRequest(where + "\"start\" is \"" + text + "\": use \"YYYY-MM-DD HH:MM:SS\" or \"YYYY-MM-DD\"");
        }
    }

    private static Configuration configuration(JsonNode node) {
        if (node == null || node.isNull()) {
            node = JSON.createObjectNode();
        }
        if (!node.isObject()) {
            throw new BadRequest("\"configuration\" must be a JSON object");
        }
        int numSamples = DEFAULT_NUM_SAMPLES;
        JsonNode n = node.get("num_samples");
        if (n != null && !n.isNull()) {
            if (!n.canConvertToExactIntegral() || n.asLong() < 1) {
                throw new BadRequest("\"num_samples\" must be a positive integer, got " + n);
            }
            if (n.asLong() > MAX_SAMPLES) {
                throw new BadRequest(413, "too many samples: num_samples " + n.asLong() + " (at most " + MAX_SAMPLES + ")");
            }
            numSamples = n.asInt();
        }
        List<String> types = strings(node.get("output_types"), "output_types", DEFAULT_OUTPUT_TYPES);
        for (String type : types) {
            if (!List.of("mean", "quantiles", "samples").contains(type)) {
                throw new BadRequest("unknown output type \"" + type + "\": use mean, quantiles or samples");
            }
        }
        List<String> levels = strings(node.get("quantiles"), "quantiles", DEFAULT_QUANTILES);
        Map<String, Double> parsed = new LinkedHashMap<>();
        for (String level : levels) {
            double p;
            try {
                p = new BigDecimal(level.trim()).doubleValue();
            } catch (NumberFormatException e) {
                throw new BadRequest("quantile \"" + level + "\" is not a number");
            }
            if (!(p > 0 && p < 1)) {
                throw new BadRequest("quantile \"" + level + "\" must be strictly between 0 and 1");
            }
            parsed.put(level, p);
        }
        return new Configuration(numSamples, types.contains("mean"), types.contains("quantiles"), types.contains("samples"),
                List.copyOf(parsed.keySet()), parsed.values().stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static List<String> strings(JsonNode node, String field, List<String> defaults) {
        if (node == null || node.isNull()) {
            return defaults;
        }
        if (!node.isArray()) {
            throw new BadRequest("\"" + field + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isTextual() && !v.isNumber()) {
                throw new BadRequest("\"" + field + "\" must be an array of strings, got " + v);
            }
            out.add(v.asText());
        }
        return out;
    }
}

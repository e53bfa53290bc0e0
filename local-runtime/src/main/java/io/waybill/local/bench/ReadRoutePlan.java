package io.waybill.local.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which read routes P10 calls, taken from the ops API's OpenAPI document rather than a list kept beside it: every
 * {@code get} operation of {@code paths}, in the document's order. A path parameter is filled from the list route
 * above it: {@code {sscc}} in {@code /shipments/{sscc}/history} from the {@code sscc} of an item of
 * {@code GET /shipments}; {@code {incidentId}} from {@code GET /incidents}; a {@code ...Id} parameter the items do not
 * name from their {@code id}; a parameter with an example in the document from that example. Pure: the HTTP calls are the caller's
 * ({@link #resolve}).
 */
public final class ReadRoutePlan {
    private static final Pattern PARAMETER = Pattern.compile("\\{([^/{}]+)}");

    /**
     * A read route: its path template, its path parameters in order, and the document's example of those that have
     * one (a parameter with an example is filled from it, not from a list: the dashboard's {@code {asset}}).
     */
    public record Route(String template, List<String> parameters, Map<String, String> examples) {
        public Route {
            parameters = List.copyOf(parameters);
            examples = Map.copyOf(examples);
        }

        public Route(String template, List<String> parameters) {
            this(template, parameters, Map.of());
        }

        /** The label in the bench's table and figure lines, e.g. {@code GET /shipments/{sscc}}. */
        public String label() {
            return "GET " + template;
        }
    }

    /** A concrete path to call, or the reason the route cannot be called. */
    public sealed interface Target permits Call, Skip {
    }

    /** @param path the raw path, parameters filled and URL-encoded as one segment each */
    public record Call(Route route, String path) implements Target {
    }

    public record Skip(Route route, String reason) implements Target {
    }

    /** GETs a concrete raw path and returns its JSON body, or empty when it did not answer 200 with JSON. */
    @FunctionalInterface
    public interface Reader {
        Optional<JsonNode> get(String rawPath);
    }

    private final List<Route> routes;
    private final Set<String> templates;

    private ReadRoutePlan(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.templates = new TreeSet<>();
        routes.forEach(r -> templates.add(r.template()));
    }

    /**
     * @param document an OpenAPI 3 document, parsed
     * @throws IllegalArgumentException for a document without {@code paths}
     */
    public static ReadRoutePlan of(JsonNode document) {
        JsonNode paths = document.path("paths");
        if (!paths.isObject()) {
            throw new IllegalArgumentException("the OpenAPI document has no paths");
        }
        List<Route> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            if (path.getValue().has("get")) {
                List<String> parameters = new ArrayList<>();
                Matcher m = PARAMETER.matcher(path.getKey());
                while (m.find()) {
                    parameters.add(m.group(1));
                }
                Map<String, String> examples = new java.util.HashMap<>();
                for (JsonNode p : path.getValue().path("get").path("parameters")) {
                    JsonNode example = p.path("examples").path(0);
                    if ("path".equals(p.path("in").asText()) && example.isValueNode() && !example.asText().isBlank()) {
                        examples.put(p.path("name").asText(), example.asText());
                    }
                }
                routes.add(new Route(path.getKey(), parameters, examples));
            }
        }
        return new ReadRoutePlan(routes);
    }

    public List<Route> routes() {
        return routes;
    }

    /**
     * The list route a parameter is taken from: the template up to the segment before the parameter's, e.g.
     * {@code /shipments} for {@code sscc} in {@code /shipments/{sscc}/history}; empty when the document has no GET
     * for it.
     */
    public Optional<String> sourceOf(Route route, String parameter) {
        int at = route.template().indexOf("/{" + parameter + "}");
        if (at <= 0) {
            return Optional.empty();
        }
        String list = route.template().substring(0, at);
        return templates.contains(list) ? Optional.of(list) : Optional.empty();
    }

    /**
     * Every route as a path to call, parameters filled from the first item of the list route above each that carries
     * a non-blank text field of the parameter's name ({@code items} of a page, or the elements of a bare array).
     */
    public List<Target> resolve(Reader reader) {
        List<Target> targets = new ArrayList<>();
        for (Route route : routes) {
            targets.add(resolve(route, reader));
        }
        return targets;
    }

    private Target resolve(Route route, Reader reader) {
        String path = route.template();
        for (String parameter : route.parameters()) {
            if (route.examples().containsKey(parameter)) {
                path = path.replace("{" + parameter + "}", segment(route.examples().get(parameter)));
                continue;
            }
            Optional<String> source = sourceOf(route, parameter);
            if (source.isEmpty()) {
                return new Skip(route, "no list route in the document to take {" + parameter + "} from");
            }
            // the list route with the parameters filled so far (its template is a prefix of this one's)
            String listPath = path.substring(0, path.indexOf("/{" + parameter + "}"));
            Optional<JsonNode> list = reader.get(listPath);
            if (list.isEmpty()) {
                return new Skip(route, "GET " + listPath + " did not answer 200 with JSON");
            }
            Optional<String> value = firstValue(list.get(), parameter);
            if (value.isEmpty() && parameter.endsWith("Id")) {
                value = firstValue(list.get(), "id"); // {deadLetterId} from the items' id
            }
            if (value.isEmpty()) {
                return new Skip(route, "no item of GET " + listPath + " has '" + parameter + "' (none stored)");
            }
            path = path.replace("{" + parameter + "}", segment(value.get()));
        }
        return new Call(route, path);
    }

    private static Optional<String> firstValue(JsonNode list, String field) {
        JsonNode items = list.isArray() ? list : list.path("items");
        for (JsonNode item : items) {
            JsonNode v = item.get(field);
            if (v != null && v.isValueNode() && !v.asText().isBlank()) {
                return Optional.of(v.asText());
            }
        }
        return Optional.empty();
    }

    /** One path segment: URL-encoded, a space as {@code %20} (an incident id's {@code /} becomes {@code %2F}). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

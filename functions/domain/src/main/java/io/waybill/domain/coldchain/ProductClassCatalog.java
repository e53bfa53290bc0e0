package io.waybill.domain.coldchain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The named {@link ProductClass}es a deployment judges shipments by: configuration, not code. Immutable.
 *
 * <p>{@link #defaults()} is the catalog file {@value #DEFAULT_RESOURCE} in this module's resources, which holds the
 * {@link ProductClass#presets()}; a deployment {@link #overriddenBy(ProductClassCatalog) overrides} or adds classes by
 * name with a JSON document of the same shape (the cold-chain function's {@code WAYBILL_PRODUCT_CLASSES}, the edge
 * component's {@code productClasses}). Names are looked up case-insensitively.
 *
 * <h2>JSON</h2>
 * <pre>
 * {"productClasses": [
 *   {"name": "vaccines-2-8",            // required: [a-z0-9][a-z0-9._-]{0,63}, unique in the document
 *    "lowCelsius": 2, "highCelsius": 8, // the band, bounds included; either may be absent (or null): open side;
 *                                       // not both
 *    "torBudget": "PT60M",              // required: time out of range allowed (ISO-8601 duration, not negative)
 *    "majorDegreeMinutes": 60,          // optional, default BreachPolicy.DEFAULT_MAJOR_DEGREE_MINUTES
 *    "hardHighCelsius": 25,             // optional: any reading above is CRITICAL
 *    "hardLowCelsius": 0,               // optional: any reading below is CRITICAL
 *    "mktLimitCelsius": 8,              // optional: an MKT above is MAJOR
 *    "maxInterpolationGap": "PT15M",    // optional, default BreachPolicy.DEFAULT_MAX_INTERPOLATION_GAP (positive)
 *    "unknownTimeCounts": true}         // optional, default BreachPolicy.DEFAULT_UNKNOWN_TIME_COUNTS
 * ], "description": "..."}              // optional free text
 * </pre>
 * Parsing is strict: an unknown key, a value of the wrong JSON type (a number as a string, a duration as a number), a
 * duplicate name or a contradiction (low above high, hard low above hard high) is a
 * {@link InvalidCatalogException} naming where, e.g. {@code WAYBILL_PRODUCT_CLASSES: productClasses[1].torBudget:
 * "30 min" is not an ISO-8601 duration such as "PT30M"}.
 */
public final class ProductClassCatalog {
    /** The classpath resource of the default catalog. */
    public static final String DEFAULT_RESOURCE = "waybill/product-classes.json";
    /** A product class name as catalogs write it (lower case). */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** Strict JSON; a key given twice in one object is an error, not "the last one wins". */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();
    private static final Set<String> DOCUMENT_KEYS = Set.of("productClasses", "description");
    private static final Set<String> ENTRY_KEYS = Set.of("name", "lowCelsius", "highCelsius", "torBudget",
            "majorDegreeMinutes", "hardHighCelsius", "hardLowCelsius", "mktLimitCelsius", "maxInterpolationGap",
            "unknownTimeCounts");

    private static volatile ProductClassCatalog defaults;

    private final Map<String, ProductClass> byName;

    /** A catalog that is not valid, with where and why in the message. */
    public static final class InvalidCatalogException extends IllegalArgumentException {
        public InvalidCatalogException(String message) {
            super(message);
        }

        public InvalidCatalogException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ProductClassCatalog(Map<String, ProductClass> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /**
     * These classes, in this order.
     *
     * @throws InvalidCatalogException when two share a name (case-insensitively) or a name is not {@link #NAME}
     */
    public static ProductClassCatalog of(Collection<ProductClass> classes) {
        Map<String, ProductClass> m = new LinkedHashMap<>();
        for (ProductClass c : classes) {
            if (!NAME.matcher(c.name()).matches()) {
                throw new InvalidCatalogException("product class name '" + c.name() + "' must match " + NAME.pattern());
            }
            if (m.put(c.name(), c) != null) {
                throw new InvalidCatalogException("product class '" + c.name() + "' is defined twice");
            }
        }
        return new ProductClassCatalog(m);
    }

    /** The default catalog, {@value #DEFAULT_RESOURCE}: the {@link ProductClass#presets()}. Loaded once. */
    public static ProductClassCatalog defaults() {
        ProductClassCatalog d = defaults;
        if (d == null) {
            try (InputStream in = ProductClassCatalog.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
                }
                d = parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), DEFAULT_RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
            }
            defaults = d;
        }
        return d;
    }

    /**
     * Parses a catalog document ({@code {"productClasses": [...]}}).
     *
     * @param origin where the text came from, for the messages (an environment variable, a file)
     * @throws InvalidCatalogException naming the origin, the entry and the key
     */
    public static ProductClassCatalog parse(String json, String origin) {
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw new InvalidCatalogException(origin + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new InvalidCatalogException(origin + ": must be a JSON object {\"productClasses\": [...]}");
        }
        checkKeys(root, origin + ": ", DOCUMENT_KEYS);
        JsonNode list = root.get("productClasses");
        if (list == null) {
            throw new InvalidCatalogException(origin + ": productClasses is required");
        }
        JsonNode description = root.get("description");
        if (description != null && !description.isTextual()) {
            throw new InvalidCatalogException(origin + ": description must be a string");
        }
        return fromEntries(list, origin + ": productClasses");
    }

    /**
     * Parses a JSON array of product class entries (the {@code productClasses} array alone, as the edge component's
     * configuration carries it).
     *
     * @param where the array's place, for the messages (e.g. {@code productClasses})
     */
    public static ProductClassCatalog fromEntries(JsonNode array, String where) {
        if (array == null || !array.isArray()) {
            throw new InvalidCatalogException(where + " must be an array of product classes");
        }
        List<ProductClass> classes = new ArrayList<>(array.size());
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < array.size(); i++) {
            String at = where + "[" + i + "]";
            ProductClass c = entry(array.get(i), at);
            Integer before = seen.put(c.name(), i);
            if (before != null) {
                throw new InvalidCatalogException(at + ": product class '" + c.name() + "' is already defined at "
                        + where + "[" + before + "]");
            }
            classes.add(c);
        }
        return of(classes);
    }

    private static ProductClass entry(JsonNode e, String at) {
        if (e == null || !e.isObject()) {
            throw new InvalidCatalogException(at + " must be an object");
        }
        checkKeys(e, at + ": ", ENTRY_KEYS);
        JsonNode nameNode = e.get("name");
        if (nameNode == null || !nameNode.isTextual()) {
            throw new InvalidCatalogException(at + ".name is required (a string)");
        }
        String name = nameNode.asText();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidCatalogException(at + ".name '" + name + "' must match " + NAME.pattern()
                    + " (lower case letters, digits, '.', '_', '-')");
        }
        String named = at + " (" + name + ")";
        Double low = number(e, "lowCelsius", named);
        Double high = number(e, "highCelsius", named);
        if (low == null && high == null) {
            throw new InvalidCatalogException(named + ": the band needs lowCelsius, highCelsius or both");
        }
        TemperatureBand band;
        try {
            band = new TemperatureBand(low == null ? Double.NEGATIVE_INFINITY : low,
                    high == null ? Double.POSITIVE_INFINITY : high);
        } catch (IllegalArgumentException ex) {
            throw new InvalidCatalogException(named + ": " + ex.getMessage(), ex);
        }
        if (!e.hasNonNull("torBudget")) {
            throw new InvalidCatalogException(named + ".torBudget is required (an ISO-8601 duration such as \"PT30M\")");
        }
        BreachPolicy.Builder policy = BreachPolicy.builder();
        try {
            policy.torBudget(duration(e, "torBudget", named));
            Double major = number(e, "majorDegreeMinutes", named);
            if (major != null) {
                policy.majorDegreeMinutes(major);
            }
            Double hardHigh = number(e, "hardHighCelsius", named);
            if (hardHigh != null) {
                policy.hardHighCelsius(hardHigh);
            }
            Double hardLow = number(e, "hardLowCelsius", named);
            if (hardLow != null) {
                policy.hardLowCelsius(hardLow);
            }
            Double mkt = number(e, "mktLimitCelsius", named);
            if (mkt != null) {
                policy.mktLimitCelsius(mkt);
            }
            if (e.hasNonNull("maxInterpolationGap")) {
                policy.maxInterpolationGap(duration(e, "maxInterpolationGap", named));
            }
            JsonNode unknown = e.get("unknownTimeCounts");
            if (unknown != null && !unknown.isNull()) {
                if (!unknown.isBoolean()) {
                    throw new InvalidCatalogException(named + ".unknownTimeCounts must be true or false, was " + unknown);
                }
                policy.unknownTimeCounts(unknown.booleanValue());
            }
            return new ProductClass(name, band, policy.build());
        } catch (InvalidCatalogException ex) {
            throw ex;
        } catch (IllegalArgumentException ex) {
            throw new InvalidCatalogException(named + ": " + ex.getMessage(), ex);
        }
    }

    private static void checkKeys(JsonNode node, String prefix, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new InvalidCatalogException(prefix + "unknown key '" + key + "' (known: "
                        + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    private static Double number(JsonNode e, String key, String at) {
        JsonNode v = e.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new InvalidCatalogException(at + "." + key + " must be a number (°C or °C·min), was " + v);
        }
        return v.doubleValue();
    }

    private static Duration duration(JsonNode e, String key, String at) {
        JsonNode v = e.get(key);
        if (!v.isTextual()) {
            throw new InvalidCatalogException(at + "." + key + " must be an ISO-8601 duration string such as \"PT30M\", was "
                    + v);
        }
        try {
            return Duration.parse(v.asText());
        } catch (DateTimeParseException ex) {
            throw new InvalidCatalogException(at + "." + key + ": \"" + v.asText()
                    + "\" is not an ISO-8601 duration such as \"PT30M\"", ex);
        }
    }

    /**
     * This catalog with {@code overrides} applied by name: a class of the same name is replaced (in its place), a new
     * name is added at the end.
     */
    public ProductClassCatalog overriddenBy(ProductClassCatalog overrides) {
        Map<String, ProductClass> m = new LinkedHashMap<>(byName);
        m.putAll(overrides.byName);
        return new ProductClassCatalog(m);
    }

    /** The class of this name, case-insensitively (surrounding blanks ignored). */
    public Optional<ProductClass> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byName.get(name.strip().toLowerCase(Locale.ROOT)));
    }

    /**
     * The class of this name.
     *
     * @throws IllegalArgumentException naming the known classes, when there is none of that name
     */
    public ProductClass require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("'" + name
                + "' is not a product class of the catalog (known: " + String.join(", ", names()) + ")"));
    }

    /** The names, in catalog order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The classes, in catalog order. */
    public List<ProductClass> classes() {
        return List.copyOf(byName.values());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductClassCatalog c && byName.equals(c.byName);
    }

    @Override
    public int hashCode() {
        return byName.hashCode();
    }

    @Override
    public String toString() {
        return "ProductClassCatalog" + names();
    }
}

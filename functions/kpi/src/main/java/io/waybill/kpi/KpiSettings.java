package io.waybill.kpi;

import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ProductClassCatalog;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The KPI publisher's configuration, read from the environment in this one place.
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><th>variable</th><th>meaning</th></tr>
 * <tr><td>{@value #ENV_AGGREGATES_TABLE}</td><td>the KPI aggregates kept from the canonical stream
 *     ({@link KpiAggregatorHandler}): lanes and facilities read with one Query each (required)</td></tr>
 * <tr><td>{@value #ENV_INCIDENTS_TABLE}</td><td>incidents table, scanned (required)</td></tr>
 * <tr><td>{@value #ENV_EXPOSURE_TABLE}</td><td>the cold-chain function's exposure table: standings and evidence
 *     (required)</td></tr>
 * <tr><td>{@value #ENV_PRODUCT_CLASSES}</td><td>product classes as JSON ({@link ProductClassCatalog} format), over
 *     the presets: the cold-chain functions' catalog, deployed with the same value; default none (the presets)</td></tr>
 * <tr><td>{@value #ENV_PRODUCT_CLASS}</td><td>product class (of the catalog above) whose band the exposure is measured
 *     against, default {@code chilled-biologics-2-8} ({@link ColdChainConfig#DEFAULT_PRODUCT_CLASS}, the cold-chain
 *     function's own default); case-insensitive</td></tr>
 * <tr><td>{@value #ENV_CONSUMER_WATERMARKS_TABLE}</td><td>the aggregator's consumer watermark (optional)</td></tr>
 * <tr><td>{@value #ENV_REGION}</td><td>AWS region; absent: the SDK's default chain</td></tr>
 * <tr><td>{@value #ENV_ENDPOINT_URL}</td><td>a DynamoDB endpoint to use instead of AWS's (emulators); absent:
 *     AWS's</td></tr>
 * </table>
 *
 * <p>The EMF namespace and the {@code Service} dimension are Powertools' own variables
 * ({@code POWERTOOLS_METRICS_NAMESPACE}, {@code POWERTOOLS_SERVICE_NAME}), read by {@link KpiMetrics#fromEnvironment}.
 *
 * @param aggregatesTable  KPI aggregates table
 * @param incidentsTable   incidents table
 * @param exposureTable    exposure table
 * @param productClass     product class of every shipment (as the cold-chain function decides them)
 * @param region           AWS region, or null for the SDK's default chain
 * @param endpointOverride a local endpoint (emulators), or null
 */
public record KpiSettings(String aggregatesTable, String incidentsTable, String exposureTable, ProductClass productClass,
                          String region, URI endpointOverride) {
    public static final String ENV_AGGREGATES_TABLE = "WAYBILL_KPI_AGGREGATES_TABLE";
    /**
     * The consumer watermarks table: after each batch the aggregator records the stream arrival of the newest record
     * it processed (one conditional write, newer wins; {@code /health}'s lag); absent: nothing recorded. Read by
     * {@link #consumerWatermarksTable(Map)}, beside the settings record (the aggregator only).
     */
    public static final String ENV_CONSUMER_WATERMARKS_TABLE = "WAYBILL_CONSUMER_WATERMARKS_TABLE";
    public static final String ENV_INCIDENTS_TABLE = "WAYBILL_INCIDENTS_TABLE";
    public static final String ENV_EXPOSURE_TABLE = "WAYBILL_EXPOSURE_TABLE";
    public static final String ENV_PRODUCT_CLASS = "WAYBILL_PRODUCT_CLASS";
    public static final String ENV_PRODUCT_CLASSES = "WAYBILL_PRODUCT_CLASSES";
    public static final String ENV_REGION = "AWS_REGION";
    public static final String ENV_ENDPOINT_URL = "AWS_ENDPOINT_URL";

    public KpiSettings {
        for (String[] required : new String[][] {{aggregatesTable, ENV_AGGREGATES_TABLE}, {incidentsTable, ENV_INCIDENTS_TABLE},
                {exposureTable, ENV_EXPOSURE_TABLE}}) {
            if (required[0] == null || required[0].isBlank()) {
                throw new IllegalStateException(required[1] + " is not set: the KPI publisher cannot start without it");
            }
        }
        Objects.requireNonNull(productClass, "productClass");
    }

    public static KpiSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static KpiSettings fromEnvironment(Map<String, String> env) {
        ProductClassCatalog catalog = value(env, ENV_PRODUCT_CLASSES)
                .map(json -> ProductClassCatalog.defaults().overriddenBy(ProductClassCatalog.parse(json, ENV_PRODUCT_CLASSES)))
                .orElse(ProductClassCatalog.defaults());
        ProductClass product = value(env, ENV_PRODUCT_CLASS).map(name -> catalog.find(name)
                        .orElseThrow(() -> new IllegalStateException(ENV_PRODUCT_CLASS + " '" + name
                                + "' is not a product class of the catalog (known: "
                                + String.join(", ", catalog.names()) + ")")))
                .orElseGet(() -> catalog.find(ColdChainConfig.DEFAULT_PRODUCT_CLASS.name())
                        .orElse(ColdChainConfig.DEFAULT_PRODUCT_CLASS));
        return new KpiSettings(env.get(ENV_AGGREGATES_TABLE), env.get(ENV_INCIDENTS_TABLE), env.get(ENV_EXPOSURE_TABLE),
                product, value(env, ENV_REGION).orElse(null),
                value(env, ENV_ENDPOINT_URL).map(URI::create).orElse(null));
    }

    /** The consumer watermarks table named in the environment, or null (nothing recorded). */
    public static String consumerWatermarksTable(Map<String, String> env) {
        return value(env, ENV_CONSUMER_WATERMARKS_TABLE).orElse(null);
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** A DynamoDB client for an environment's region and endpoint ({@link KpiAggregatorHandler}'s). */
    static DynamoDbClient dynamoDbClient(Map<String, String> env) {
        return client(value(env, ENV_REGION).orElse(null), value(env, ENV_ENDPOINT_URL).map(URI::create).orElse(null));
    }

    /** A DynamoDB client for these settings: URLConnection HTTP client (small cold start), region and endpoint. */
    public DynamoDbClient dynamoDbClient() {
        return client(region, endpointOverride);
    }

    private static DynamoDbClient client(String region, URI endpointOverride) {
        DynamoDbClientBuilder dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (region != null) {
            dynamo.region(Region.of(region));
        }
        if (endpointOverride != null) {
            dynamo.endpointOverride(endpointOverride);
        }
        return dynamo.build();
    }
}

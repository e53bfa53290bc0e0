package io.waybill.opsapi;

import io.waybill.domain.coldchain.ProductClassCatalog;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The ops API function's configuration, read from the environment in this one place.
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><th>variable</th><th>meaning</th></tr>
 * <tr><td>{@value #ENV_EVENTS_TABLE}</td><td>event store table: incident actions are appended to it (required)</td></tr>
 * <tr><td>{@value #ENV_SHIPMENTS_TABLE}</td><td>shipment projection: the shipment routes read it (required)</td></tr>
 * <tr><td>{@value #ENV_INCIDENTS_TABLE}</td><td>shipment exceptions: the incident routes (required)</td></tr>
 * <tr><td>{@value #ENV_DEAD_LETTER_QUEUE_URL}</td><td>the dead-letter queue whose depth {@code /health} reports;
 *     default none (health then reports no dead-letter depth)</td></tr>
 * <tr><td>{@value #ENV_WRITER_GROUP}</td><td>the group whose members may write; default none (the write scope
 *     alone decides; read by {@link #writerGroup})</td></tr>
 * <tr><td>{@value #ENV_VERSION}</td><td>what {@code /health} reports as the version, default
 *     {@value #DEFAULT_VERSION}</td></tr>
 * <tr><td>{@value #ENV_EXPOSURE_TABLE}</td><td>the cold-chain evidence store (running exposure per probe and the
 *     decision's standing): {@code GET /shipments/{sscc}} shows it; default none (no {@code exposure} then)</td></tr>
 * <tr><td>{@value #ENV_PRODUCT_CLASSES}</td><td>product classes as JSON over the default catalog, the same value the
 *     cold-chain function is given: the band and gap rule of {@code /temperatures}; default the built-in catalog</td></tr>
 * </table>
 *
 * @param eventsTable            event store table
 * @param shipmentsTable         shipment projection table
 * @param incidentsTable         incidents table
 * @param deadLetterQueueUrl     dead-letter queue, or null
 * @param version                the deployed version
 * @param region                 AWS region, when not the SDK's default chain's
 * @param endpointOverride       a local endpoint (emulators), or null
 * @param exposureTable          the cold-chain evidence store table, or null
 * @param productClasses         the product class catalog
 */
public record OpsApiSettings(String eventsTable, String shipmentsTable, String incidentsTable,
                             String deadLetterQueueUrl, String version, String region, URI endpointOverride,
                             String exposureTable, ProductClassCatalog productClasses) {
    public static final String ENV_EVENTS_TABLE = "WAYBILL_EVENTS_TABLE";
    /**
     * The Cognito group whose members may write (acknowledge, resolve, disposition, replay); unset: the write scope
     * alone decides. The CDK stack sets it to its user pool's writers group.
     */
    public static final String ENV_WRITER_GROUP = "WAYBILL_OPS_WRITER_GROUP";
    public static final String ENV_SHIPMENTS_TABLE = "WAYBILL_SHIPMENTS_TABLE";
    public static final String ENV_INCIDENTS_TABLE = "WAYBILL_INCIDENTS_TABLE";
    public static final String ENV_DEAD_LETTER_QUEUE_URL = "WAYBILL_DEAD_LETTER_QUEUE_URL";
    public static final String ENV_VERSION = "WAYBILL_VERSION";
    /** The cold-chain function's name for the same table. */
    public static final String ENV_EXPOSURE_TABLE = "WAYBILL_EXPOSURE_TABLE";
    /** The cold-chain function's name for the same catalog. */
    public static final String ENV_PRODUCT_CLASSES = "WAYBILL_PRODUCT_CLASSES";
    /** The version reported when none is configured: says so rather than guess. */
    public static final String DEFAULT_VERSION = "unknown";

    public OpsApiSettings {
        for (String[] required : new String[][] {{eventsTable, ENV_EVENTS_TABLE}, {shipmentsTable, ENV_SHIPMENTS_TABLE},
                {incidentsTable, ENV_INCIDENTS_TABLE}}) {
            if (required[0] == null || required[0].isBlank()) {
                throw new IllegalStateException(required[1] + " is not set: the ops API cannot start without it");
            }
        }
        deadLetterQueueUrl = deadLetterQueueUrl == null || deadLetterQueueUrl.isBlank() ? null : deadLetterQueueUrl;
        version = version == null || version.isBlank() ? DEFAULT_VERSION : version;
        exposureTable = exposureTable == null || exposureTable.isBlank() ? null : exposureTable;
        productClasses = productClasses == null ? ProductClassCatalog.defaults() : productClasses;
    }

    /** Without the evidence store, with the default catalog. */
    public OpsApiSettings(String eventsTable, String shipmentsTable, String incidentsTable,
                          String deadLetterQueueUrl, String version, String region, URI endpointOverride) {
        this(eventsTable, shipmentsTable, incidentsTable, deadLetterQueueUrl, version, region, endpointOverride, null,
                null);
    }

    /** The group whose members may write ({@value #ENV_WRITER_GROUP}), or null. */
    public static String writerGroup(Map<String, String> env) {
        String g = env.get(ENV_WRITER_GROUP);
        return g == null || g.isBlank() ? null : g.strip();
    }

    public static OpsApiSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static OpsApiSettings fromEnvironment(Map<String, String> env) {
        return new OpsApiSettings(env.get(ENV_EVENTS_TABLE), env.get(ENV_SHIPMENTS_TABLE), env.get(ENV_INCIDENTS_TABLE),
                env.get(ENV_DEAD_LETTER_QUEUE_URL), env.get(ENV_VERSION), env.get("AWS_REGION"),
                Optional.ofNullable(env.get("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank()).map(URI::create)
                        .orElse(null), env.get(ENV_EXPOSURE_TABLE), catalog(env.get(ENV_PRODUCT_CLASSES)));
    }

    private static ProductClassCatalog catalog(String json) {
        return json == null || json.isBlank() ? ProductClassCatalog.defaults()
                : ProductClassCatalog.defaults().overriddenBy(ProductClassCatalog.parse(json, ENV_PRODUCT_CLASSES));
    }
}

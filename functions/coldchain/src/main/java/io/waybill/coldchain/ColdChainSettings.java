package io.waybill.coldchain;

import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ProductClassCatalog;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cold-chain function's configuration, read from the environment in this one place.
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><th>variable</th><th>meaning</th></tr>
 * <tr><td>{@value #ENV_EVENTS_TABLE}</td><td>event store table: decision events are appended to it (required)</td></tr>
 * <tr><td>{@value #ENV_SHIPMENTS_TABLE}</td><td>shipment projection: the quality hold (required)</td></tr>
 * <tr><td>{@value #ENV_EXPOSURE_TABLE}</td><td>evidence and standing per shipment (required)</td></tr>
 * <tr><td>{@value #ENV_INCIDENTS_TABLE}</td><td>shipment exceptions (required)</td></tr>
 * <tr><td>{@value #ENV_COMPLIANCE_TABLE}</td><td>compliance records (required)</td></tr>
 * <tr><td>{@value #ENV_CONSUMER_WATERMARKS_TABLE}</td><td>consumer watermarks table: after each batch the
 * function records the stream arrival of the newest record it processed (the ops API's consumer lag); default none.
 * Read by {@link #consumerWatermarksTable(Map)}, beside the settings record</td></tr>
 * <tr><td>{@value #ENV_INCIDENT_TOPIC_ARN}</td><td>SNS topic every new or escalated incident is published to
 *     (required on Lambda; the local runtime passes its SQS queue instead)</td></tr>
 * <tr><td>{@value #ENV_CANONICAL_STREAM_NAME}</td><td>the canonical Kinesis stream (the one this function consumes):
 *     every recorded decision event is put on it as stored, for the anchorer and partner egress (required on Lambda;
 *     elsewhere, when absent, decisions are stored but published nowhere)</td></tr>
 * <tr><td>{@value #ENV_PRODUCT_CLASSES}</td><td>product classes as JSON ({@link ProductClassCatalog} format,
 *     {@code {"productClasses": [...]}}): each replaces the default catalog's class of the same name or adds one;
 *     default none (the catalog is {@link ProductClassCatalog#defaults()}, the presets). Parsed strictly: a bad
 *     document stops the function with the variable, the entry and the key named</td></tr>
 * <tr><td>{@value #ENV_PRODUCT_CLASS}</td><td>the default product class (a name in the catalog above): the class a
 *     shipment is judged under when it is UNCLASSIFIED (no plan, or a plan naming a class the catalog does not
 *     hold), default {@link ColdChainConfig#DEFAULT_PRODUCT_CLASS}</td></tr>
 * <tr><td>{@value #ENV_CONFIRM_AFTER_SECONDS}</td><td>how long a breach verdict must hold before it is acted on,
 *     default {@link ColdChainConfig#DEFAULT_CONFIRM_AFTER}; 0 acts at once</td></tr>
 * <tr><td>{@value #ENV_ATTENTION_SEVERITY}</td><td>edge severity that raises attention, default
 *     {@value ColdChainConfig#DEFAULT_ATTENTION_SEVERITY}</td></tr>
 * </table>
 *
 * @param eventsTable      event store table
 * @param shipmentsTable   shipment projection table
 * @param exposureTable    exposure table
 * @param incidentsTable   incidents table
 * @param complianceTable  compliance table
 * @param incidentTopicArn the incident notification topic, or null where the caller passes its own notifier
 * @param decisions        product class and attention threshold
 * @param region           AWS region, when not the SDK's default chain's
 * @param endpointOverride a local endpoint (emulators), or null
 * @param productClasses   the product classes shipments' plans may name
 * @param canonicalStreamName the canonical stream decision events are published to, or null (published nowhere)
 */
public record ColdChainSettings(String eventsTable, String shipmentsTable, String exposureTable,
                                String incidentsTable, String complianceTable, String incidentTopicArn,
                                ColdChainConfig decisions, String region, URI endpointOverride,
                                ProductClassCatalog productClasses, String canonicalStreamName) {
    public static final String ENV_EVENTS_TABLE = "WAYBILL_EVENTS_TABLE";
    public static final String ENV_CONSUMER_WATERMARKS_TABLE = "WAYBILL_CONSUMER_WATERMARKS_TABLE";
    public static final String ENV_SHIPMENTS_TABLE = "WAYBILL_SHIPMENTS_TABLE";
    public static final String ENV_EXPOSURE_TABLE = "WAYBILL_EXPOSURE_TABLE";
    public static final String ENV_INCIDENTS_TABLE = "WAYBILL_INCIDENTS_TABLE";
    public static final String ENV_COMPLIANCE_TABLE = "WAYBILL_COMPLIANCE_TABLE";
    public static final String ENV_INCIDENT_TOPIC_ARN = "WAYBILL_INCIDENT_TOPIC_ARN";
    public static final String ENV_PRODUCT_CLASS = "WAYBILL_PRODUCT_CLASS";
    public static final String ENV_PRODUCT_CLASSES = "WAYBILL_PRODUCT_CLASSES";
    public static final String ENV_ATTENTION_SEVERITY = "WAYBILL_ATTENTION_SEVERITY";
    public static final String ENV_CONFIRM_AFTER_SECONDS = "WAYBILL_CONFIRM_AFTER_SECONDS";
    /** The same variable ingest publishes to: both put canonical events on the one canonical stream. */
    public static final String ENV_CANONICAL_STREAM_NAME = "WAYBILL_CANONICAL_STREAM_NAME";

    public ColdChainSettings {
        for (String[] required : new String[][] {{eventsTable, ENV_EVENTS_TABLE}, {shipmentsTable, ENV_SHIPMENTS_TABLE},
                {exposureTable, ENV_EXPOSURE_TABLE}, {incidentsTable, ENV_INCIDENTS_TABLE},
                {complianceTable, ENV_COMPLIANCE_TABLE}}) {
            if (required[0] == null || required[0].isBlank()) {
                throw new IllegalStateException(required[1] + " is not set: the cold-chain function cannot start without it");
            }
        }
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(productClasses, "productClasses");
        canonicalStreamName = canonicalStreamName == null || canonicalStreamName.isBlank() ? null
                : canonicalStreamName.trim();
    }

    /** Publishing decisions nowhere (no canonical stream named). */
    public ColdChainSettings(String eventsTable, String shipmentsTable, String exposureTable, String incidentsTable,
                             String complianceTable, String incidentTopicArn, ColdChainConfig decisions, String region,
                             URI endpointOverride, ProductClassCatalog productClasses) {
        this(eventsTable, shipmentsTable, exposureTable, incidentsTable, complianceTable, incidentTopicArn, decisions,
                region, endpointOverride, productClasses, null);
    }

    /** These settings publishing decision events to the named canonical stream (null: nowhere). */
    public ColdChainSettings withCanonicalStreamName(String streamName) {
        return new ColdChainSettings(eventsTable, shipmentsTable, exposureTable, incidentsTable, complianceTable,
                incidentTopicArn, decisions, region, endpointOverride, productClasses, streamName);
    }

    /** With the default product class catalog ({@link ProductClassCatalog#defaults()}). */
    public ColdChainSettings(String eventsTable, String shipmentsTable, String exposureTable, String incidentsTable,
                             String complianceTable, String incidentTopicArn, ColdChainConfig decisions, String region,
                             URI endpointOverride) {
        this(eventsTable, shipmentsTable, exposureTable, incidentsTable, complianceTable, incidentTopicArn, decisions,
                region, endpointOverride, ProductClassCatalog.defaults());
    }

    /**
     * Lambda's environment: the incident topic is required there (no incident goes untold), and so is the canonical
     * stream (no decision goes unanchored).
     */
    public static ColdChainSettings fromEnvironment() {
        return requiredOnLambda(fromEnvironment(System.getenv()));
    }

    static ColdChainSettings requiredOnLambda(ColdChainSettings s) {
        if (s.incidentTopicArn() == null || s.incidentTopicArn().isBlank()) {
            throw new IllegalStateException(ENV_INCIDENT_TOPIC_ARN
                    + " is not set: the cold-chain function cannot start without it");
        }
        if (s.canonicalStreamName() == null) {
            throw new IllegalStateException(ENV_CANONICAL_STREAM_NAME + " is not set: the cold-chain function cannot"
                    + " start without it (its decision events go onto the canonical stream for anchoring and partners)");
        }
        return s;
    }

    /** The consumer watermarks table named in the environment, or null (nothing recorded). */
    public static String consumerWatermarksTable(Map<String, String> env) {
        String t = env.get(ENV_CONSUMER_WATERMARKS_TABLE);
        return t == null || t.isBlank() ? null : t;
    }

    static ColdChainSettings fromEnvironment(Map<String, String> env) {
        ColdChainConfig.Builder decisions = ColdChainConfig.builder();
        ProductClassCatalog catalog = ProductClassCatalog.defaults();
        String classes = env.get(ENV_PRODUCT_CLASSES);
        if (classes != null && !classes.isBlank()) {
            try {
                catalog = catalog.overriddenBy(ProductClassCatalog.parse(classes, ENV_PRODUCT_CLASSES));
            } catch (ProductClassCatalog.InvalidCatalogException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        ProductClassCatalog known = catalog;
        Optional.ofNullable(env.get(ENV_PRODUCT_CLASS)).filter(s -> !s.isBlank()).ifPresent(name ->
                decisions.defaultProductClass(known.find(name).orElseThrow(() -> new IllegalStateException(
                        ENV_PRODUCT_CLASS + " '" + name + "' is not a product class of the catalog (known: "
                                + known.names() + ")"))));
        // The default class when none is named: the catalog's class of that name (an override of it applies).
        if (env.get(ENV_PRODUCT_CLASS) == null || env.get(ENV_PRODUCT_CLASS).isBlank()) {
            decisions.defaultProductClass(known.find(ColdChainConfig.DEFAULT_PRODUCT_CLASS.name())
                    .orElse(ColdChainConfig.DEFAULT_PRODUCT_CLASS));
        }
        Optional.ofNullable(env.get(ENV_ATTENTION_SEVERITY)).filter(s -> !s.isBlank())
                .ifPresent(s -> decisions.attentionSeverity(Integer.parseInt(s.trim())));
        Optional.ofNullable(env.get(ENV_CONFIRM_AFTER_SECONDS)).filter(s -> !s.isBlank())
                .ifPresent(s -> decisions.confirmAfter(java.time.Duration.ofSeconds(Long.parseLong(s.trim()))));
        return new ColdChainSettings(env.get(ENV_EVENTS_TABLE), env.get(ENV_SHIPMENTS_TABLE),
                env.get(ENV_EXPOSURE_TABLE), env.get(ENV_INCIDENTS_TABLE), env.get(ENV_COMPLIANCE_TABLE),
                env.get(ENV_INCIDENT_TOPIC_ARN), decisions.build(), env.get("AWS_REGION"),
                Optional.ofNullable(env.get("AWS_ENDPOINT_URL")).map(URI::create).orElse(null), catalog,
                env.get(ENV_CANONICAL_STREAM_NAME));
    }
}

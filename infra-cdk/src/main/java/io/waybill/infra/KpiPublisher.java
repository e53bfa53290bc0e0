package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.Map;

/**
 * The KPI publisher ({@code functions/kpi}, {@code KpiPublisherHandler}) and the schedule that runs it every
 * {@link StageConfig#kpiScheduleMinutes()} minutes (default 15). Each run reads the lane and facility aggregates the
 * {@link KpiAggregator} keeps (one Query each: O(lanes + facilities), not O(events); the event store is not read),
 * scans the incidents table and the exposure table's standings (plus one Query of evidence per decided shipment), computes the supply-chain
 * KPIs (issue 5) and writes one EMF document per lane and per facility to its log: CloudWatch turns them into metrics
 * in namespace {@value #METRICS_NAMESPACE} with dimensions {@code Service=}{@value #METRICS_SERVICE} and
 * {@code Lane} or {@code Facility}.
 *
 * <p>Its role may only Query and GetItem the KPI aggregates table, Scan the incidents table, Scan and Query the
 * exposure table, decrypt with the two stores' keys and write its own log group: no access to the event store.
 */
public final class KpiPublisher extends ScheduledJob {
    public static final String HANDLER = "io.waybill.kpi.KpiPublisherHandler::handleRequest";

    /*
     * A Scan of every event held in memory plus the KPI calculation: 1024 MB (memory also buys CPU for JSON parsing
     * and the Scan's throughput) and 5 minutes, far above what pilot volumes need (seconds), so a growing table shows
     * up as a rising Duration long before a timeout. No SnapStart, alias or X-Ray: nobody waits on it, and there is no
     * request path to follow; the log line and the metrics are the whole story.
     */
    public static final int MEMORY_MB = 1024;
    public static final Duration TIMEOUT = Duration.minutes(5);
    /** Powertools EMF: the {@code Service} dimension of every KPI document. */
    public static final String METRICS_SERVICE = "kpi";
    public static final String METRICS_NAMESPACE = IngestService.METRICS_NAMESPACE;


    public KpiPublisher(Construct scope, String id, StageConfig config, Path kpiJar, KpiAggregator aggregator,
                        ColdChainStore coldChainStore) {
        super(scope, id);
        String functionName = config.resourceName("kpi");
        int minutes = config.kpiScheduleMinutes();
        JavaFunction kpi = JavaFunction.in(this, functionName)
                .roleDescription("Waybill " + config.stage() + " KPI publisher function")
                .description("Every " + minutes + " minutes: supply-chain KPIs per lane and facility as EMF metrics")
                .handler(HANDLER)
                .code(kpiJar, "functions/kpi")
                .memoryMb(MEMORY_MB)
                .timeout(TIMEOUT)
                .environment(environment(config, aggregator, coldChainStore))
                .build();
        adopt(kpi);
        aggregator.grantAggregateReads(role());
        coldChainStore.grantKpiReads(role());

        // The next run recomputes everything.
        runEvery(minutes, config.resourceName("kpi"),
                "Publish the supply-chain KPIs every " + minutes + " minutes");
    }

    /**
     * The tables, the stage's default product class and, when the stage names a catalog file, the catalog
     * ({@code WAYBILL_PRODUCT_CLASSES}, as the cold-chain functions get it: a default class the file adds is measured
     * with the file's band). Names: {@code io.waybill.kpi.KpiSettings} (a test compares).
     */
    private static Map<String, String> environment(StageConfig config, KpiAggregator aggregator,
                                                   ColdChainStore coldChainStore) {
        Map<String, String> env = new java.util.LinkedHashMap<>(Map.of(
                "WAYBILL_KPI_AGGREGATES_TABLE", aggregator.aggregates().getTableName(),
                "WAYBILL_INCIDENTS_TABLE", coldChainStore.incidents().getTableName(),
                "WAYBILL_EXPOSURE_TABLE", coldChainStore.exposure().getTableName(),
                "WAYBILL_PRODUCT_CLASS", config.productClass(),
                "POWERTOOLS_SERVICE_NAME", METRICS_SERVICE,
                "POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE));
        config.productClassesJson().ifPresent(json -> env.put(ColdChainService.PRODUCT_CLASSES_VARIABLE, json));
        return Map.copyOf(env);
    }
}

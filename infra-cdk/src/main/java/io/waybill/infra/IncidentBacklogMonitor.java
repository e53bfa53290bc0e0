package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.Map;

/**
 * The incident-backlog function ({@code IncidentBacklogHandler}, same jar as the decision function) and the schedule
 * that runs it every {@value #RATE_MINUTES} minutes. Each run queries the incidents table's {@code byStatus} index and
 * publishes {@code OpenIncidents}, {@code AcknowledgedIncidents} and {@code OldestOpenIncidentAgeSeconds} (0 when
 * nothing is open) as EMF metrics, {@code Service=}{@value #METRICS_SERVICE}: the exception-age alarm watches the last.
 */
public final class IncidentBacklogMonitor extends ScheduledJob {
    public static final String HANDLER = "io.waybill.coldchain.IncidentBacklogHandler::handleRequest";
    /** How often the backlog is measured: the exception-age alarm's 15-minute period sees three data points. */
    public static final int RATE_MINUTES = 5;

    /*
     * Two Query pages on an index and three metrics: 512 MB and 30 s are plenty. No SnapStart (nor alias/version):
     * the function is not latency-sensitive (nobody waits on it; a cold start adds a second or two to a run every five
     * minutes), and a run every five minutes keeps an execution environment warm most of the time anyway. No X-Ray
     * either: there is no request path to follow, the function's metrics and log line are the whole story.
     */
    public static final int MEMORY_MB = 512;
    public static final Duration TIMEOUT = Duration.seconds(30);
    /** Powertools EMF metrics: the {@code Service} dimension the exception-age alarm selects on. */
    public static final String METRICS_SERVICE = "incident-backlog";
    public static final String METRICS_NAMESPACE = IngestService.METRICS_NAMESPACE;


    public IncidentBacklogMonitor(Construct scope, String id, StageConfig config, Path coldChainJar,
                                  ColdChainStore store) {
        super(scope, id);
        String functionName = config.resourceName("incident-backlog");
        JavaFunction backlog = JavaFunction.in(this, functionName)
                .roleDescription("Waybill " + config.stage() + " incident-backlog function")
                .description("Every " + RATE_MINUTES + " minutes: open/acknowledged incidents and the oldest open "
                        + "incident's age as metrics")
                .handler(HANDLER)
                .code(coldChainJar, "functions/coldchain")
                .memoryMb(MEMORY_MB)
                .timeout(TIMEOUT)
                .environment(Map.of(
                        "WAYBILL_INCIDENTS_TABLE", store.incidents().getTableName(),
                        "POWERTOOLS_SERVICE_NAME", METRICS_SERVICE,
                        "POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE))
                .build();
        adopt(backlog);
        store.grantBacklogReads(role());

        runEvery(RATE_MINUTES, config.resourceName("incident-backlog"),
                "Measure the incident backlog every " + RATE_MINUTES + " minutes");
    }
}

package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.constructs.Construct;

import java.nio.file.Path;

/**
 * The breach confirmer ({@code PendingBreachHandler}, same jar as the decision function) and the schedule that runs
 * it every {@link StageConfig#breachConfirmScheduleMinutes()} minutes (default 1). The decision function acts on a
 * breach verdict only once it has held for {@link StageConfig#breachConfirmSeconds()} ({@code
 * WAYBILL_CONFIRM_AFTER_SECONDS}), so late, out-of-order readings can still take a shipment back under its budget;
 * a breach seen while new evidence arrives is confirmed by the decision function itself. A shipment whose evidence
 * stops is confirmed here: each run queries the exposure table's sparse {@value ColdChainStore#BY_PENDING_BREACH_INDEX}
 * index and acts on every breach whose delay has passed, exactly as the decision function would (incident, decision
 * event, quality hold, compliance record, the decision on the canonical stream). Same environment as the decision function except
 * {@code POWERTOOLS_SERVICE_NAME=}{@value #METRICS_SERVICE}, same table grants plus the index Query.
 */
public final class BreachConfirmer extends ScheduledJob {
    public static final String HANDLER = "io.waybill.coldchain.PendingBreachHandler::handleRequest";

    /*
     * It does the decision function's writes for the pending shipments of a run: 1024 MB (the decision function's
     * sizing, the same SDK and JSON work) and 120 s, twice the decision function's timeout, since a run may confirm
     * the breaches of many quiet shipments at once. No SnapStart (nor alias/version): schedule-driven, nobody waits on
     * it, a cold start adds a second or two to a run whose purpose is to act within minutes, and a run every minute
     * keeps an execution environment warm anyway. No X-Ray, like the other scheduled functions: its log line and
     * metrics are the whole story.
     */
    public static final int MEMORY_MB = 1024;
    public static final Duration TIMEOUT = Duration.seconds(120);
    /** Powertools EMF metrics: its own {@code Service} dimension, apart from the decision function's. */
    public static final String METRICS_SERVICE = "breach-confirmer";
    /**
     * One run at a time (issue 12, "decisions that cannot race"): a run that outlasts its minute, or a schedule event
     * delivered twice, must not confirm the same pending breaches concurrently with another run. A second invocation
     * while one runs is throttled; EventBridge retries it (2 attempts within the period) and the next run finds
     * whatever is still pending.
     */
    public static final int RESERVED_CONCURRENCY = 1;


    public BreachConfirmer(Construct scope, String id, StageConfig config, Path coldChainJar, EventStore eventStore,
                           ColdChainStore store, IncidentNotifications notifications, CanonicalEventStream stream) {
        super(scope, id);
        String functionName = config.resourceName("breach-confirmer");
        int minutes = config.breachConfirmScheduleMinutes();
        JavaFunction confirmer = JavaFunction.in(this, functionName)
                .roleDescription("Waybill " + config.stage() + " breach confirmer function")
                .description("Every " + minutes + " minute(s): act on breaches that held "
                        + config.breachConfirmSeconds() + " s with no further evidence")
                .handler(HANDLER)
                .code(coldChainJar, "functions/coldchain")
                .memoryMb(MEMORY_MB)
                .timeout(TIMEOUT)
                .reservedConcurrency(RESERVED_CONCURRENCY)
                .environment(ColdChainService.decisionEnvironment(config, eventStore, store, notifications, stream,
                        METRICS_SERVICE))
                .build();
        adopt(confirmer);
        ColdChainService.grantDecisionTables(role(), eventStore, store, notifications);
        // the decisions it records go onto the canonical stream too
        ColdChainService.grantDecisionPublish(role(), stream);
        store.grantPendingBreachQuery(role());

        // A pending breach not confirmed by one run is found again by the next.
        runEvery(minutes, functionName,
                "Confirm pending cold-chain breaches every " + minutes + " minute(s)");
    }
}

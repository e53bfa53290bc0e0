package io.waybill.kpi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.kpi.KpiCalculator;
import io.waybill.domain.kpi.KpiConfig;
import io.waybill.domain.kpi.SupplyChainKpis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entries;

/**
 * Scheduled (EventBridge, every 15 minutes by default): the supply-chain KPIs of issue 5 as CloudWatch metrics. Each
 * run reads
 * <ol>
 * <li>every event of the event store ({@link EventStoreScan}: a paginated Scan projecting {@code eventJson}),</li>
 * <li>every incident ({@link DynamoDbIncidentStore#all()}, a Scan of the incidents table),</li>
 * <li>each decided shipment's exposure ({@link ShipmentExposures}: a Scan of the exposure table for the standing items,
 *     then one Query of evidence per shipment, measured against {@link KpiSettings#productClass()}),</li>
 * </ol>
 * computes {@link SupplyChainKpis} as of now with {@link KpiCalculator} (default {@link KpiConfig}, no shipment
 * schedule: on-time percentages stay undefined and are omitted until plans exist), emits one EMF document per lane and
 * per facility with {@link KpiMetrics} (namespace {@code POWERTOOLS_METRICS_NAMESPACE}, dimension
 * {@code Service=POWERTOOLS_SERVICE_NAME} plus {@code Lane} or {@code Facility}), logs one structured line with the
 * totals and returns a one-line summary.
 *
 * <p><b>Cost and limits, honestly: this v1 scans the whole event store on every run</b> (and the incidents and
 * exposure tables): read cost and duration are O(stored events) per run, every 15 minutes, and everything is held in
 * memory. Fine for pilot volumes (tens of thousands of events: seconds, a few hundred thousand RCUs a day at most);
 * it does not scale to a production network. The scalable design, <i>future work</i>, keeps incremental per-lane and
 * per-facility aggregates (counts, percentile sketches, open legs/visits) updated by a consumer of the event store's
 * stream, so a run reads O(lanes + facilities) items instead of O(events). A run that fails throws: EventBridge retries
 * it (the schedule's target policy) and the next scheduled run recomputes everything anyway.
 */
public final class KpiPublisherHandler implements RequestHandler<ScheduledEvent, String> {
    private static final Logger LOG = LoggerFactory.getLogger(KpiPublisherHandler.class);

    private final KpiSettings settings;
    private final DynamoDbClient dynamo;
    private final DynamoDbIncidentStore incidents;
    private final ShipmentExposures exposures;
    private final KpiMetrics metrics;
    private final KpiCalculator calculator;
    private final Clock clock;

    /** Lambda entry point: everything from the environment ({@link KpiSettings}, {@link KpiMetrics#fromEnvironment}). */
    public KpiPublisherHandler() {
        this(KpiSettings.fromEnvironment());
    }

    private KpiPublisherHandler(KpiSettings settings) {
        this(settings, settings.dynamoDbClient(), KpiMetrics.fromEnvironment(), Clock.systemUTC());
    }

    /** Any environment: a given client (the local runtime points it at the emulators), EMF writer and clock. */
    public KpiPublisherHandler(KpiSettings settings, DynamoDbClient dynamo, KpiMetrics metrics, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.incidents = new DynamoDbIncidentStore(DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build(),
                settings.incidentsTable());
        this.exposures = new ShipmentExposures(dynamo, settings.exposureTable());
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.calculator = new KpiCalculator(KpiConfig.defaults());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What one run did.
     *
     * @param kpis      the KPIs emitted
     * @param scanned   event store items scanned
     * @param skipped   of those, items without a readable {@code eventJson}
     * @param exposures shipments with exposure figures
     * @param documents EMF documents flushed (lanes + facilities)
     * @param took      wall time of the run
     */
    public record Run(SupplyChainKpis kpis, int scanned, int skipped, int exposures, int documents, Duration took) {
        /** The totals, as logged (one structured line). */
        public Map<String, Object> totals() {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("asOf", kpis.asOf().toString());
            t.put("itemsScanned", scanned);
            t.put("itemsSkipped", skipped);
            t.put("events", kpis.events());
            t.put("shipments", kpis.shipments());
            t.put("lanes", kpis.lanes().size());
            t.put("facilities", kpis.facilities().size());
            t.put("exceptions", kpis.exceptions().total());
            t.put("openExceptions", kpis.exceptions().open());
            t.put("spoilageIncidents", kpis.exceptions().spoilage());
            t.put("unattributedExceptions", kpis.unattributedExceptions());
            t.put("shipmentsWithExposure", exposures);
            t.put("emfDocuments", documents);
            t.put("durationMs", took.toMillis());
            return t;
        }

        /** {@code key=value ...}: the handler's return value. */
        public String summary() {
            return totals().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
        }
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        return publish().summary();
    }

    /** One run: read, compute as of the clock's now, emit, log. */
    public Run publish() {
        long started = System.nanoTime();
        Instant asOf = clock.instant();
        EventStoreScan.ScannedEvents scanned = EventStoreScan.scan(dynamo, settings.eventsTable());
        List<ShipmentIncident> all = incidents.all();
        Map<String, ExposureFigures> exposure = exposures.measure(settings.productClass());
        SupplyChainKpis kpis = calculator.compute(scanned.events(), all, exposure, null, asOf);
        int documents = metrics.emit(kpis);
        Run run = new Run(kpis, scanned.items(), scanned.unreadable(), exposure.size(), documents,
                Duration.ofNanos(System.nanoTime() - started));
        LOG.info("kpis published", entries(run.totals()));
        return run;
    }
}

package io.waybill.kpi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.aws.kpi.DynamoDbKpiAggregates;
import io.waybill.domain.kpi.FacilityAggregate;
import io.waybill.domain.kpi.LaneAggregate;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entries;

/**
 * Scheduled (EventBridge, every 15 minutes by default): the supply-chain KPIs of issue 5 as CloudWatch metrics. Each
 * run reads
 * <ol>
 * <li>the lane and facility aggregates and the network totals that {@link KpiAggregatorHandler} keeps from the
 *     canonical stream ({@link DynamoDbKpiAggregates}: one Query of lanes, one of facilities, one GetItem): O(lanes +
 *     facilities) items, <b>not</b> O(stored events) — the event store is not read at all (issue 12),</li>
 * <li>every incident ({@link DynamoDbIncidentStore#all()}, a Scan of the incidents table),</li>
 * <li>each decided shipment's exposure ({@link ShipmentExposures}: a Scan of the exposure table for the standing items,
 *     then one Query of evidence per shipment, measured against {@link KpiSettings#productClass()}),</li>
 * <li>the movements of the shipments named by an incident or an exposure figure (one GetItem each), to attribute
 *     exceptions and exposure to lanes and facilities exactly as {@link KpiCalculator} does,</li>
 * </ol>
 * assembles {@link SupplyChainKpis} as of now ({@link KpiCalculator#assemble}, default {@link KpiConfig}, no shipment
 * schedule: on-time percentages stay undefined and are omitted until plans exist), emits one EMF document per lane and
 * per facility with {@link KpiMetrics} (namespace {@code POWERTOOLS_METRICS_NAMESPACE}, dimension
 * {@code Service=POWERTOOLS_SERVICE_NAME} plus {@code Lane} or {@code Facility}), logs one structured line with the
 * totals and returns a one-line summary. Percentiles come from the aggregates' t-digest sketches
 * ({@link io.waybill.domain.kpi.DurationSketch}); counts and means are exact.
 *
 * <p>What still grows: the incidents Scan and the exposure recomputation are O(incidents) and O(evidence of decided
 * shipments) per run (issue 12 leaves them to the cold-chain work). A run that fails throws: EventBridge retries it.
 */
public final class KpiPublisherHandler implements RequestHandler<ScheduledEvent, String> {
    private static final Logger LOG = LoggerFactory.getLogger(KpiPublisherHandler.class);

    private final KpiSettings settings;
    private final DynamoDbClient dynamo;
    private final DynamoDbIncidentStore incidents;
    private final ShipmentExposures exposures;
    private final DynamoDbKpiAggregates aggregates;
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
        this.aggregates = new DynamoDbKpiAggregates(dynamo, settings.aggregatesTable());
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.calculator = new KpiCalculator(KpiConfig.defaults());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What one run did.
     *
     * @param kpis      the KPIs emitted
     * @param aggregateItemsRead lane and facility aggregate items read (the publication's cost: not events)
     * @param exposures shipments with exposure figures
     * @param documents EMF documents flushed (lanes + facilities)
     * @param took      wall time of the run
     */
    public record Run(SupplyChainKpis kpis, int aggregateItemsRead, int exposures, int documents, Duration took) {
        /** The totals, as logged (one structured line). */
        public Map<String, Object> totals() {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("asOf", kpis.asOf().toString());
            t.put("aggregateItemsRead", aggregateItemsRead);
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
        List<LaneAggregate> lanes = aggregates.lanes();
        List<FacilityAggregate> facilities = aggregates.facilities();
        DynamoDbKpiAggregates.Totals totals = aggregates.totals();
        List<ShipmentIncident> all = incidents.all();
        Map<String, ExposureFigures> exposure = exposures.measure(settings.productClass());
        Set<String> named = new TreeSet<>(exposure.keySet());
        all.forEach(i -> named.add(i.shipmentSscc()));
        SupplyChainKpis kpis = calculator.assemble(asOf, (int) totals.movements(), (int) totals.shipments(), lanes,
                facilities, aggregates.movements(named), all, exposure);
        int documents = metrics.emit(kpis);
        Run run = new Run(kpis, lanes.size() + facilities.size(), exposure.size(), documents,
                Duration.ofNanos(System.nanoTime() - started));
        LOG.info("kpis published", entries(run.totals()));
        return run;
    }
}

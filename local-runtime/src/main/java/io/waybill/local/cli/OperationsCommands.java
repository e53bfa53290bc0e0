package io.waybill.local.cli;

import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.domain.event.IncidentActioned;
import io.waybill.domain.incident.IncidentActionRefused;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.coldchain.BreachReason;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.kpi.ShipmentExposures;
import io.waybill.local.kpi.KpiReport;
import io.waybill.local.pipeline.PipelineNames;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What operations staff do with a running pipeline, from the command line (the API Gateway routes come later):
 * {@code ./waybill kpis} and {@code ./waybill incidents [--ack ID | --resolve ID (--resolution TEXT | --disposition
 * release|reject|destroy) | --release-hold SSCC] [--actor NAME]}. Both read the tables of a deployment by its
 * {@link PipelineNames}. The actions go through {@link IncidentDesk}, the same domain service the ops API (issue 13)
 * calls with the caller from its JWT: each is a ledger event in the event store carrying the actor.
 */
public final class OperationsCommands {
    private final DynamoDbClient dynamo;
    private final PipelineNames names;
    private final DynamoDbIncidentStore incidents;
    private final IncidentDesk desk;
    private final Clock clock;

    public OperationsCommands(DynamoDbClient dynamo, PipelineNames names, Clock clock) {
        this.dynamo = dynamo;
        this.names = names;
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        this.incidents = new DynamoDbIncidentStore(enhanced, names.incidentsTable());
        this.desk = new IncidentDesk(incidents, new DynamoDbEventLedger(enhanced, names.eventsTable(), clock),
                new DynamoDbShipmentStateStore(enhanced, names.shipmentsTable()), clock);
        this.clock = clock;
    }

    /**
     * The exposure figures of every shipment the cold-chain function has decided on, computed from its stored
     * evidence with {@code product}'s band (the function's product class).
     */
    public Map<String, ExposureFigures> exposure(ProductClass product) {
        return new ShipmentExposures(dynamo, names.exposureTable()).measure(product);
    }

    /**
     * {@code ./waybill kpis [--as-of INSTANT] [--emf]}: the report on {@code out}; with {@code emf} the EMF documents
     * on {@code out} and the report on {@code err}, so stdout can be piped to a metrics agent as it is.
     */
    public int kpis(String asOf, boolean emf, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        if (asOf != null) {
            options.put(KpiReport.OPTION_AS_OF, asOf);
        }
        if (emf) {
            options.put(KpiReport.OPTION_EMF, "true");
        }
        int exit = KpiReport.main(options, dynamo, names.kpiAggregatesTable(), incidents.all(),
                exposure(ColdChainConfig.DEFAULT_PRODUCT_CLASS), out, err);
        if (exit == 2) {
            throw UserError.usage("see the message above (./waybill kpis --help)");
        }
        return exit;
    }

    /** {@code ./waybill incidents --ack ID [--actor NAME]}. */
    public int acknowledge(String incidentId, String actor, PrintStream out) {
        try {
            ShipmentIncident i = desk.acknowledge(incidentId, actor);
            out.printf(Locale.ROOT, "acknowledged %s at %s by %s (%s after it opened)%n", i.incidentId(),
                    millis(i.acknowledgedAt()), actor, human(i.acknowledgementTime().orElseThrow()));
            return 0;
        } catch (IncidentActionRefused | IllegalArgumentException | IllegalStateException e) {
            throw UserError.failed(e.getMessage());
        }
    }

    /** {@code ./waybill incidents --resolve ID --resolution TEXT [--actor NAME]}. */
    public int resolve(String incidentId, String resolution, String actor, PrintStream out) {
        try {
            ShipmentIncident i = desk.resolve(incidentId, resolution, actor);
            out.printf(Locale.ROOT, "resolved %s at %s by %s: %s (%s after it opened)%n", i.incidentId(),
                    millis(i.resolvedAt()), actor, resolution, human(i.resolutionTime().orElseThrow()));
            return 0;
        } catch (IncidentActionRefused | IllegalArgumentException | IllegalStateException e) {
            throw UserError.failed(e.getMessage());
        }
    }

    /** {@code ./waybill incidents --resolve ID --disposition release|reject|destroy [--resolution TEXT]}. */
    public int disposition(String incidentId, IncidentActioned.Disposition disposition, String note, String actor,
                           PrintStream out) {
        try {
            ShipmentIncident i = desk.disposition(incidentId, disposition, note, actor);
            out.printf(Locale.ROOT, "dispositioned %s %s at %s by %s (%s after it opened)%n", i.incidentId(),
                    disposition, millis(i.resolvedAt()), actor, human(i.resolutionTime().orElseThrow()));
            return 0;
        } catch (IncidentActionRefused | IllegalArgumentException | IllegalStateException e) {
            throw UserError.failed(e.getMessage());
        }
    }

    /** {@code ./waybill incidents --release-hold SSCC [--resolution TEXT]}. */
    public int releaseHold(String shipmentSscc, String note, String actor, PrintStream out) {
        try {
            ShipmentState s = desk.releaseHold(shipmentSscc, note, actor);
            out.printf(Locale.ROOT, "released the quality hold of %s (incident %s) at %s by %s%n", shipmentSscc,
                    s.qualityHoldIncidentId(), millis(s.qualityHoldReleasedAt()), actor);
            return 0;
        } catch (IncidentActionRefused | IllegalArgumentException | IllegalStateException e) {
            throw UserError.failed(e.getMessage());
        }
    }

    /**
     * {@code ./waybill incidents}: every incident, oldest first, with why it breaches: the verdict's reasons (code,
     * severity, figure against the limit) from the shipment's stored evidence judged by the incident's product class
     * (named in its id), as the cold-chain function judged it.
     */
    public int list(PrintStream out) {
        Instant now = clock.instant();
        List<ShipmentIncident> all = incidents.all().stream()
                .sorted(Comparator.comparing(ShipmentIncident::openedAt).thenComparing(ShipmentIncident::incidentId))
                .toList();
        Map<ProductClass, Map<String, ExposureFigures>> exposures = new HashMap<>();
        out.printf(Locale.ROOT, "%d incident(s) in %s%n", all.size(), names.incidentsTable());
        for (ShipmentIncident i : all) {
            ProductClass product = productClass(i);
            ExposureFigures figures = exposures.computeIfAbsent(product, this::exposure).get(i.shipmentSscc());
            out.print(describe(i, figures == null ? null : product.policy().judge(figures).reasons(), now));
        }
        return 0;
    }

    /**
     * One incident as the listing prints it: status, severity, id, opened (to the millisecond) and age, edge
     * attention; the decision's summary; the reasons it breaches ({@code null}: no stored evidence to judge).
     */
    static String describe(ShipmentIncident i, List<BreachReason> reasons, Instant now) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "  %-13s %-8s %-50s opened %s (%s ago), edge attention %d%n    %s%n",
                i.status(), i.severity(), i.incidentId(), millis(i.openedAt()),
                human(Duration.between(i.openedAt(), now)), i.edgeAttention(), i.summary()));
        if (reasons == null) {
            b.append("    why: no stored evidence for ").append(i.shipmentSscc()).append(" to judge\n");
        } else if (reasons.isEmpty()) {
            b.append("    why: no breach on the evidence stored now\n");
        } else {
            for (BreachReason r : reasons) {
                b.append("    why: ").append(r.code()).append(" (").append(r.severity()).append("): ")
                        .append(r.text()).append('\n');
            }
        }
        if (i.acknowledgedAt() != null) {
            b.append("    acknowledged ").append(millis(i.acknowledgedAt())).append('\n');
        }
        if (i.resolvedAt() != null) {
            b.append("    resolved ").append(millis(i.resolvedAt())).append(": ").append(i.resolution()).append('\n');
        }
        return b.toString();
    }

    /** The product class an incident's id names ({@code cold-chain/<sscc>/<product>}), else the default one. */
    static ProductClass productClass(ShipmentIncident i) {
        // cold-chain/<sscc>/<product class>[/episode-<n>]
        String id = io.waybill.domain.incident.ExcursionEpisodes.firstEpisodeId(i.incidentId());
        int slash = id.lastIndexOf('/');
        return slash < 0 ? ColdChainConfig.DEFAULT_PRODUCT_CLASS
                : ProductClass.preset(id.substring(slash + 1)).orElse(ColdChainConfig.DEFAULT_PRODUCT_CLASS);
    }

    /** UTC, always with milliseconds: {@code 2026-11-21T00:00:00.000Z}. */
    static String millis(Instant t) {
        return MILLIS.format(t);
    }

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, (s % 86_400) / 3600);
        }
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}

package io.waybill.local.cli;

import io.waybill.coldchain.store.DynamoDbIncidentStore;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What operations staff do with a running pipeline, from the command line (the API Gateway routes come later):
 * {@code ./waybill kpis} and {@code ./waybill incidents [ack|resolve]}. Both read the tables of a deployment by its
 * {@link PipelineNames}.
 */
public final class OperationsCommands {
    private final DynamoDbClient dynamo;
    private final PipelineNames names;
    private final DynamoDbIncidentStore incidents;
    private final Clock clock;

    public OperationsCommands(DynamoDbClient dynamo, PipelineNames names, Clock clock) {
        this.dynamo = dynamo;
        this.names = names;
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        this.incidents = new DynamoDbIncidentStore(enhanced, names.incidentsTable());
        this.clock = clock;
    }

    /**
     * The exposure figures of every shipment the cold-chain function has decided on, computed from its stored
     * evidence with {@code product}'s band (the function's product class).
     */
    public Map<String, ExposureFigures> exposure(ProductClass product) {
        return new ShipmentExposures(dynamo, names.exposureTable()).measure(product);
    }

    /** {@code ./waybill kpis [--as-of INSTANT] [--emf]}. */
    public int kpis(Map<String, String> options, PrintStream out) {
        Map<String, String> dashed = new LinkedHashMap<>();
        options.forEach((k, v) -> dashed.put("--" + k, v));
        return KpiReport.main(dashed, dynamo, names.eventsTable(), incidents.all(),
                exposure(ColdChainConfig.DEFAULT_PRODUCT_CLASS), out);
    }

    /**
     * {@code ./waybill incidents} lists them; {@code ./waybill incidents --ack ID} acknowledges one;
     * {@code ./waybill incidents --resolve ID --resolution TEXT} resolves one.
     */
    public int incidents(Map<String, String> options, PrintStream out) {
        Instant now = clock.instant();
        try {
            if (options.containsKey("ack")) {
                ShipmentIncident i = incidents.acknowledge(options.get("ack"), now);
                out.printf(Locale.ROOT, "acknowledged %s at %s (%s after it opened)%n", i.incidentId(), now,
                        human(i.acknowledgementTime().orElseThrow()));
                return 0;
            }
            if (options.containsKey("resolve")) {
                String resolution = options.getOrDefault("resolution", "").trim();
                if (resolution.isEmpty() || "true".equals(resolution)) {
                    out.println("incidents: --resolve needs --resolution TEXT (the disposition: released, destroyed, ...)");
                    return 2;
                }
                ShipmentIncident i = incidents.resolve(options.get("resolve"), now, resolution);
                out.printf(Locale.ROOT, "resolved %s at %s: %s (%s after it opened)%n", i.incidentId(), now,
                        resolution, human(i.resolutionTime().orElseThrow()));
                return 0;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.println("incidents: " + e.getMessage());
            return 1;
        }
        List<ShipmentIncident> all = incidents.all().stream()
                .sorted(Comparator.comparing(ShipmentIncident::openedAt).thenComparing(ShipmentIncident::incidentId))
                .toList();
        out.printf(Locale.ROOT, "%d incident(s) in %s%n", all.size(), names.incidentsTable());
        for (ShipmentIncident i : all) {
            out.printf(Locale.ROOT, "  %-13s %-8s %-50s opened %s (%s ago), edge attention %d%n    %s%n",
                    i.status(), i.severity(), i.incidentId(), i.openedAt(), human(Duration.between(i.openedAt(), now)),
                    i.edgeAttention(), i.summary());
        }
        return 0;
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, (s % 86_400) / 3600);
        }
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}

package io.waybill.kpi;

import io.waybill.domain.kpi.DurationStats;
import io.waybill.domain.kpi.ExceptionStats;
import io.waybill.domain.kpi.FacilityKpis;
import io.waybill.domain.kpi.LaneKpis;
import io.waybill.domain.kpi.SupplyChainKpis;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.internal.EmfMetricsLogger;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Emits {@link SupplyChainKpis} as CloudWatch Embedded Metric Format documents with Powertools metrics, in the
 * namespace given ({@value #NAMESPACE} by default, {@code POWERTOOLS_METRICS_NAMESPACE} in Lambda). The one EMF writer
 * of the project: the scheduled {@link KpiPublisherHandler} on AWS and the local {@code ./waybill kpis --emf} report
 * both use it.
 *
 * <p><b>One EMF document per lane and per facility</b>, each with one dimension set: {@value #LANE_DIMENSION} =
 * {@code origin->destination}, or {@value #FACILITY_DIMENSION} = GLN, preceded by {@value #SERVICE_DIMENSION} when a
 * service is configured ({@code POWERTOOLS_SERVICE_NAME}, {@code kpi} in Lambda, as every other Waybill function's
 * metrics carry {@code Service}; the local report has none). In EMF a metric's value is a top-level key of the
 * document and each dimension has one value per document, so two lanes' {@code OnTimeArrivalPercent} cannot share a
 * document; Powertools {@link Metrics} accumulates one context and writes it on {@code flush()}. So {@link #emit}
 * takes a fresh {@link Metrics} per lane/facility and flushes each once: one call = one report = one flush per
 * dimension value, nothing left buffered. Metrics whose value is undefined (a percentile of no values, a percentage
 * with nothing judged) are omitted rather than sent as 0. {@code asOf} rides along as metadata; the EMF timestamp is
 * the emission time (Powertools rejects timestamps more than 14 days old).
 *
 * <p>Fresh instances come from a {@code Supplier<Metrics>}, not from {@code MetricsBuilder}/{@code MetricsFactory},
 * whose instance is a process-wide singleton.
 */
public final class KpiMetrics {
    public static final String NAMESPACE = "Waybill";
    public static final String LANE_DIMENSION = "Lane";
    public static final String FACILITY_DIMENSION = "Facility";
    /** Powertools' service dimension (the other functions' metrics carry it too). */
    public static final String SERVICE_DIMENSION = "Service";
    /** Powertools' variables: the namespace and the service dimension's value. */
    public static final String ENV_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";
    public static final String ENV_SERVICE = "POWERTOOLS_SERVICE_NAME";

    private final Supplier<Metrics> documents;
    private final String namespace;
    private final String service;

    /** @param documents a new, empty {@link Metrics} per call (one EMF document each); namespace {@value #NAMESPACE}, no service */
    public KpiMetrics(Supplier<Metrics> documents) {
        this(documents, NAMESPACE, null);
    }

    /**
     * @param documents a new, empty {@link Metrics} per call (one EMF document each)
     * @param namespace CloudWatch namespace
     * @param service   value of the {@value #SERVICE_DIMENSION} dimension, or null for none
     */
    public KpiMetrics(Supplier<Metrics> documents, String namespace, String service) {
        this.documents = Objects.requireNonNull(documents, "documents");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.service = service == null || service.isBlank() ? null : service;
    }

    /**
     * Powertools' own EMF provider: the environment is resolved as in Lambda ({@code AWS_EMF_ENVIRONMENT=Local}
     * prints to stdout, in Lambda the documents go to the function's log); namespace and service from
     * {@value #ENV_NAMESPACE} (default {@value #NAMESPACE}) and {@value #ENV_SERVICE} (default: none).
     */
    public static KpiMetrics fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** As {@link #fromEnvironment()}, with the variables given. */
    public static KpiMetrics fromEnvironment(Map<String, String> env) {
        EmfMetricsProvider provider = new EmfMetricsProvider();
        return new KpiMetrics(provider::getMetricsInstance, namespaceOf(env), env.get(ENV_SERVICE));
    }

    /** {@value #ENV_NAMESPACE}, or {@value #NAMESPACE} when unset or blank. */
    static String namespaceOf(Map<String, String> env) {
        String ns = env.get(ENV_NAMESPACE);
        return ns == null || ns.isBlank() ? NAMESPACE : ns.trim();
    }

    /**
     * EMF documents written as JSON lines to {@code out}, whatever {@code AWS_EMF_ENVIRONMENT} says (the behaviour
     * of EMF's "Local" environment, with a chosen stream instead of stdout; no agent, no EC2 probe).
     */
    public static KpiMetrics toStream(PrintStream out) {
        return toStream(out, NAMESPACE, null);
    }

    /** As {@link #toStream(PrintStream)}, with a namespace and a {@value #SERVICE_DIMENSION} (or null for none). */
    public static KpiMetrics toStream(PrintStream out, String namespace, String service) {
        Objects.requireNonNull(out, "out");
        StreamEnvironment environment = new StreamEnvironment(out);
        EnvironmentProvider provider = new EnvironmentProvider() {
            @Override
            public CompletableFuture<Environment> resolveEnvironment() {
                return CompletableFuture.completedFuture(environment);
            }

            @Override
            public Environment getDefaultEnvironment() {
                return environment;
            }
        };
        return new KpiMetrics(() -> new EmfMetricsLogger(provider, new MetricsContext()), namespace, service);
    }

    /** @return the number of EMF documents flushed (lanes + facilities) */
    public int emit(SupplyChainKpis kpis) {
        int documentsFlushed = 0;
        for (LaneKpis lane : kpis.lanes().values()) {
            Metrics m = open(kpis, LANE_DIMENSION, lane.lane().label());
            m.addMetric("Shipments", lane.shipments(), MetricUnit.COUNT);
            m.addMetric("InTransit", lane.inTransit(), MetricUnit.COUNT);
            seconds(m, "TransitTimeP50Seconds", lane.transit().p50());
            seconds(m, "TransitTimeP90Seconds", lane.transit().p90());
            seconds(m, "TransitTimeMeanSeconds", lane.transit().mean());
            percent(m, "OnTimeDeparturePercent", lane.departures().percent());
            percent(m, "OnTimeArrivalPercent", lane.arrivals().percent());
            m.addMetric("UnplannedDepartures", lane.departures().unplanned(), MetricUnit.COUNT);
            m.addMetric("UnplannedArrivals", lane.arrivals().unplanned(), MetricUnit.COUNT);
            m.addMetric("TemperatureExposureMinutes", lane.exposure().torMinutes(), MetricUnit.NONE);
            m.addMetric("DegreeMinutesAbove", lane.exposure().degreeMinutesAbove(), MetricUnit.NONE);
            m.addMetric("DegreeMinutesBelow", lane.exposure().degreeMinutesBelow(), MetricUnit.NONE);
            m.addMetric("ShipmentsWithTimeOutOfRange", lane.exposure().shipmentsWithTor(), MetricUnit.COUNT);
            exceptions(m, lane.exceptions());
            m.flush();
            documentsFlushed++;
        }
        for (FacilityKpis facility : kpis.facilities().values()) {
            Metrics m = open(kpis, FACILITY_DIMENSION, facility.gln());
            m.addMetric("ShipmentsArrived", facility.shipmentsArrived(), MetricUnit.COUNT);
            m.addMetric("ShipmentsDeparted", facility.shipmentsDeparted(), MetricUnit.COUNT);
            m.addMetric("Visits", facility.visits(), MetricUnit.COUNT);
            m.addMetric("ShipmentsPresent", facility.present(), MetricUnit.COUNT);
            seconds(m, "DwellTimeP50Seconds", facility.dwell().p50());
            seconds(m, "DwellTimeP90Seconds", facility.dwell().p90());
            seconds(m, "DwellTimeMeanSeconds", facility.dwell().mean());
            exceptions(m, facility.exceptions());
            m.flush();
            documentsFlushed++;
        }
        return documentsFlushed;
    }

    private Metrics open(SupplyChainKpis kpis, String dimension, String value) {
        Metrics m = documents.get();
        m.setNamespace(namespace);
        m.setDefaultDimensions(service == null ? DimensionSet.of(dimension, value)
                : DimensionSet.of(SERVICE_DIMENSION, service, dimension, value));
        m.addMetadata("asOf", kpis.asOf().toString());
        return m;
    }

    private static void exceptions(Metrics m, ExceptionStats e) {
        m.addMetric("Exceptions", e.total(), MetricUnit.COUNT);
        m.addMetric("SpoilageIncidents", e.spoilage(), MetricUnit.COUNT);
        m.addMetric("OpenExceptions", e.open(), MetricUnit.COUNT);
        DurationStats r = e.resolution();
        seconds(m, "ExceptionResolutionP50Seconds", r.p50());
        seconds(m, "ExceptionResolutionP90Seconds", r.p90());
        seconds(m, "OldestOpenExceptionAgeSeconds", e.oldestOpenAge());
    }

    private static void seconds(Metrics m, String name, Optional<Duration> d) {
        d.ifPresent(v -> m.addMetric(name, v.toMillis() / 1000.0, MetricUnit.SECONDS));
    }

    private static void percent(Metrics m, String name, OptionalDouble p) {
        if (p.isPresent()) {
            m.addMetric(name, p.getAsDouble(), MetricUnit.PERCENT);
        }
    }

    /** EMF's "Local" environment behaviour (serialise, one JSON document per line) on a chosen stream. */
    private static final class StreamEnvironment implements Environment {
        private final PrintStream out;

        StreamEnvironment(PrintStream out) {
            this.out = out;
        }

        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return "Local";
        }

        @Override
        public String getType() {
            return "Local";
        }

        @Override
        public String getLogGroupName() {
            return "waybill-kpis";
        }

        @Override
        public void configureContext(MetricsContext context) {
            // nothing: the dimensions are the ones emit() sets
        }

        @Override
        public ISink getSink() {
            return new ISink() {
                @Override
                public void accept(MetricsContext context) {
                    try {
                        for (String document : context.serialize()) {
                            out.println(document);
                        }
                        out.flush();
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException("EMF document not serialisable", e);
                    }
                }

                @Override
                public CompletableFuture<Void> shutdown() {
                    return CompletableFuture.completedFuture(null);
                }
            };
        }
    }
}

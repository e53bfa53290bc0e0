package io.waybill.forecast;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.forecast.ForecastAccuracy;
import io.waybill.domain.forecast.ForecastJournal;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.domain.forecast.StoredForecast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The forecast function's journal as structured JSON logs and CloudWatch EMF: per invocation one document of counts
 * (DemandUnitsRecorded, UnattributableDepartures, ForecastsStored, SeriesSkipped, ForecastsRejected,
 * EndpointUnavailable, ForecastsScored), and per facility scored in a run one document with dimension
 * {@value #FACILITY_DIMENSION} = GLN carrying the business metrics ForecastMASE and ForecastBias (means over the
 * forecasts scored; ForecastMASE left out when no forecast had a defined MASE). In EMF each dimension has one value per
 * document, so each facility gets a fresh {@link Metrics} from {@code documents} (as the KPI publisher does).
 * Not shared across threads.
 */
public final class ForecastTelemetry implements ForecastJournal {
    private static final Logger LOG = LoggerFactory.getLogger(ForecastTelemetry.class);
    public static final String FACILITY_DIMENSION = "Facility";
    public static final String NAMESPACE = "Waybill";

    enum Count { DemandUnitsRecorded, UnattributableDepartures, ForecastsStored, SeriesSkipped, ForecastsRejected,
        EndpointUnavailable, ForecastsScored }

    record FacilityAccuracy(String gln, double meanMase, double meanBias, int forecasts) {
    }

    private final Metrics metrics;
    private final Supplier<Metrics> documents;
    private final String namespace;
    private final Map<Count, Long> counts = new EnumMap<>(Count.class);
    private final List<FacilityAccuracy> facilities = new ArrayList<>();

    /**
     * @param metrics   Powertools metrics for the counts, or null to log only (tests, the local runtime)
     * @param documents a new, empty {@link Metrics} per call for the per-facility documents, or null to log only
     * @param namespace CloudWatch namespace of the facility documents
     */
    public ForecastTelemetry(Metrics metrics, Supplier<Metrics> documents, String namespace) {
        this.metrics = metrics;
        this.documents = documents;
        this.namespace = namespace == null || namespace.isBlank() ? NAMESPACE : namespace;
    }

    /** Logs only. */
    public static ForecastTelemetry logsOnly() {
        return new ForecastTelemetry(null, null, NAMESPACE);
    }

    private void add(Count c, long n) {
        counts.merge(c, n, Long::sum);
    }

    long count(Count c) {
        return counts.getOrDefault(c, 0L);
    }

    List<FacilityAccuracy> facilities() {
        return List.copyOf(facilities);
    }

    @Override
    public void unitsRecorded(SeriesKey key, LocalDate day, int units) {
        add(Count.DemandUnitsRecorded, units);
    }

    @Override
    public void unattributableDeparture(CanonicalEvent event, String reason) {
        add(Count.UnattributableDepartures, 1);
        LOG.warn("departure not attributable to a location, its units are not demand: event={} shipment={} ({})",
                event.id(), event.subject(), reason);
    }

    @Override
    public void stored(StoredForecast f) {
        add(Count.ForecastsStored, 1);
        LOG.info("forecast stored series={} firstDay={} method={} reorderPoint={} safetyStock={} basis={}",
                f.key().id(), f.firstDay(), f.method(), f.reorder().reorderPoint(), f.reorder().safetyStock(),
                f.reorder().basis());
    }

    @Override
    public void skipped(SeriesKey key, String reason) {
        add(Count.SeriesSkipped, 1);
        LOG.debug("series skipped series={}: {}", key.id(), reason);
    }

    @Override
    public void endpointUnavailable(RuntimeException cause) {
        add(Count.EndpointUnavailable, 1);
        LOG.warn("forecast endpoint unavailable, the next run forecasts again: {}", cause.getMessage());
    }

    @Override
    public void rejected(SeriesKey key, String message) {
        add(Count.ForecastsRejected, 1);
        LOG.error("forecast endpoint refused series={}: {}", key.id(), message);
    }

    @Override
    public void scored(ForecastAccuracy a) {
        add(Count.ForecastsScored, 1);
        LOG.info("forecast scored series={} firstDay={} days={} mase={} bias={}", a.key().id(), a.firstDay(),
                a.daysCompared(), a.mase(), a.bias());
    }

    @Override
    public void facilityAccuracy(String gln, double meanMase, double meanBias, int forecasts) {
        facilities.add(new FacilityAccuracy(gln, meanMase, meanBias, forecasts));
        LOG.info("forecast accuracy facility={} forecasts={} meanMase={} meanBias={}", gln, forecasts, meanMase,
                meanBias);
    }

    /** Writes this invocation's EMF documents (counts, then one per facility) and starts counting again. */
    public void flush() {
        if (metrics != null) {
            for (Count c : Count.values()) {
                metrics.addMetric(c.name(), count(c), MetricUnit.COUNT);
            }
            metrics.flush();
        }
        if (documents != null) {
            for (FacilityAccuracy f : facilities) {
                Metrics m = documents.get();
                m.setNamespace(namespace);
                m.setDefaultDimensions(DimensionSet.of(FACILITY_DIMENSION, f.gln()));
                if (!Double.isNaN(f.meanMase())) {
                    m.addMetric("ForecastMASE", f.meanMase(), MetricUnit.NONE);
                }
                m.addMetric("ForecastBias", f.meanBias(), MetricUnit.NONE);
                m.addMetadata("forecastsScored", f.forecasts());
                m.flush();
            }
        }
        counts.clear();
        facilities.clear();
    }
}

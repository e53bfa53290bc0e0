package io.waybill.coldchain;

import io.waybill.domain.coldchain.ColdChainDecision;
import io.waybill.domain.coldchain.ExposureStatus;
import io.waybill.domain.decision.ColdChainLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One structured log line and one EMF document per batch: the business signals (breaches decided, incidents opened,
 * shipments on attention) beside the technical ones, and the "decided" boundary: from the stream arrival of the
 * newest record in the batch to the decision.
 */
public final class ColdChainTelemetry {
    private static final Logger LOG = LoggerFactory.getLogger(ColdChainTelemetry.class);

    /** Receives every batch outcome in-process (the local runtime's report); Lambda has none. */
    public interface DecisionListener {
        void onBatch(ColdChainLoop.Outcome outcome);
    }

    private final Metrics metrics;
    private final DecisionListener listener;

    public ColdChainTelemetry(Metrics metrics, DecisionListener listener) {
        this.metrics = metrics;
        this.listener = listener;
    }

    public static ColdChainTelemetry logOnly() {
        return new ColdChainTelemetry(null, null);
    }

    void publish(ColdChainLoop.Outcome o, int unreadable, Instant newestArrival, Instant started, Instant finished) {
        long arrivalToDecidedMs = newestArrival == null ? -1 : Math.max(0, Duration.between(newestArrival, finished).toMillis());
        if (listener != null) {
            listener.onBatch(o);
        }
        List<ColdChainDecision> d = o.decisions();
        long breached = d.stream().filter(ColdChainDecision::breached).count();
        long attention = d.stream().filter(x -> x.status() == ExposureStatus.ATTENTION).count();
        long handlerMs = Duration.between(started, finished).toMillis();
        LOG.info("batch records={} evidence={} shipmentsDecided={} breached={} attention={} incidentsOpened={} "
                        + "retryFrom={} failure={} streamToDecidedMs={} handlerMs={}", o.records(), o.evidence(),
                d.size(), breached, attention, o.incidentsOpened(),
                o.firstRetryIndex().isPresent() ? o.firstRetryIndex().getAsInt() : -1, o.failure(), arrivalToDecidedMs,
                handlerMs);
        if (metrics == null) {
            return;
        }
        metrics.addMetric("EvidenceReceived", o.evidence(), MetricUnit.COUNT);
        metrics.addMetric("UnreadableCanonicalEvents", unreadable, MetricUnit.COUNT);
        metrics.addMetric("ShipmentsDecided", d.size(), MetricUnit.COUNT);
        metrics.addMetric("ShipmentsBreached", breached, MetricUnit.COUNT);
        metrics.addMetric("ShipmentsOnAttention", attention, MetricUnit.COUNT);
        metrics.addMetric("IncidentsOpened", o.incidentsOpened(), MetricUnit.COUNT);
        metrics.addMetric("DecisionRetries", o.firstRetryIndex().isPresent() ? 1 : 0, MetricUnit.COUNT);
        if (arrivalToDecidedMs >= 0) {
            metrics.addMetric("StreamToDecidedLatency", arrivalToDecidedMs, MetricUnit.MILLISECONDS);
        }
        metrics.addMetric("HandlerDuration", handlerMs, MetricUnit.MILLISECONDS);
        // The "decided" boundary per piece of evidence (EMF keeps up to 100 values per metric and document).
        List<io.waybill.domain.decision.EvidenceArrival> decided = o.decided();
        int step = Math.max(1, (decided.size() + 99) / 100);
        for (int i = 0; i < decided.size(); i += step) {
            decided.get(i).streamToDecidedMs().ifPresent(ms ->
                    metrics.addMetric("EvidenceStreamToDecidedLatency", ms, MetricUnit.MILLISECONDS));
        }
        metrics.flush();
    }
}

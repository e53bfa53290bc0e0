package io.waybill.partneregress;

import io.waybill.domain.partner.PartnerEgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Partner egress metrics as CloudWatch EMF (namespace from {@code POWERTOOLS_METRICS_NAMESPACE}): entries sent,
 * entries dead-lettered (alarm on any), shipments held for unknown parties. Each dead letter is also logged with its
 * partner, event and reason.
 */
public final class PartnerEgressTelemetry {
    private static final Logger LOG = LoggerFactory.getLogger(PartnerEgressTelemetry.class);

    private final Metrics metrics;

    /** @param metrics Powertools metrics, or null to log only (tests, the local runtime) */
    public PartnerEgressTelemetry(Metrics metrics) {
        this.metrics = metrics;
    }

    public void record(PartnerEgress.Outcome outcome) {
        outcome.deadLettered().forEach(d -> LOG.error("partner entry dead-lettered partner={} eventId={} reason={}",
                d.entry().partnerId(), d.entry().eventId(), d.reason()));
        if (metrics != null) {
            metrics.addMetric("PartnerEntriesSent", outcome.sent().size(), MetricUnit.COUNT);
            metrics.addMetric("PartnerEntriesDeadLettered", outcome.deadLettered().size(), MetricUnit.COUNT);
            metrics.addMetric("PartnerShipmentsHeld", outcome.held().size(), MetricUnit.COUNT);
        }
    }

    public void flush() {
        if (metrics != null) {
            metrics.flush();
        }
    }
}

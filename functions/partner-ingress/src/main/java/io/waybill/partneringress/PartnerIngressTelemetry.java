package io.waybill.partneringress;

import io.waybill.domain.partner.ingress.PartnerIngress;
import io.waybill.domain.partner.ingress.RefusedPartnerEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Partner ingress metrics as CloudWatch EMF (namespace from {@code POWERTOOLS_METRICS_NAMESPACE}): events admitted
 * onto the ingest stream, events refused to the ingress dead-letter queue (alarm on any: a partner or its master data
 * is wrong), delivery failures (the event is retried). Each outcome is also logged with the partner or the origin.
 */
public final class PartnerIngressTelemetry {
    private static final Logger LOG = LoggerFactory.getLogger(PartnerIngressTelemetry.class);

    private final Metrics metrics;

    /** @param metrics Powertools metrics, or null to log only (tests, the local runtime) */
    public PartnerIngressTelemetry(Metrics metrics) {
        this.metrics = metrics;
    }

    public void record(PartnerIngress.Outcome outcome) {
        if (outcome instanceof PartnerIngress.Admitted a) {
            LOG.info("partner event admitted eventId={} partner={} adapter={} partitionKey={}", a.record().eventId(),
                    a.record().partnerId(), a.record().adapter(), a.record().partitionKey());
        } else if (outcome instanceof PartnerIngress.Refused r) {
            RefusedPartnerEvent f = r.refusal();
            LOG.error("partner event refused eventId={} account={} source={} detailType={} reason={} detail={}",
                    f.event().id(), f.event().account(), f.event().source(), f.event().detailType(), f.reason(),
                    f.detail());
        }
        count(outcome instanceof PartnerIngress.Admitted ? 1 : 0, outcome instanceof PartnerIngress.Refused ? 1 : 0, 0);
    }

    public void failed(String eventId, RuntimeException failure) {
        LOG.warn("partner event not delivered, failing the invocation so it is retried eventId={}: {}", eventId,
                failure.getMessage());
        count(0, 0, 1);
    }

    private void count(int admitted, int refused, int failed) {
        if (metrics != null) {
            metrics.addMetric("PartnerEventsAdmitted", admitted, MetricUnit.COUNT);
            metrics.addMetric("PartnerEventsRefused", refused, MetricUnit.COUNT);
            metrics.addMetric("PartnerEventsFailed", failed, MetricUnit.COUNT);
        }
    }

    public void flush() {
        if (metrics != null) {
            metrics.flush();
        }
    }
}

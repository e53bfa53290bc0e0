package io.waybill.partneringress;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.partner.ingress.PartnerEvent;
import io.waybill.domain.partner.ingress.PartnerIngress;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The partner bus rule's target ({@code infra-cdk/event-rules/partner-ingress-shipment-status.json}): one EventBridge
 * event per invocation (Lambda hands it over as a JSON map: {@code version, id, detail-type, source, account, time,
 * region, resources, detail}) to {@link PartnerIngress}. Admitted or refused (to the ingress dead-letter queue), the
 * invocation succeeds; when the ingest stream, master data or the queue cannot be reached it throws, so the event is
 * delivered again (Lambda's asynchronous retries, then the function's on-failure destination). Returns
 * {@code {"outcome": "ADMITTED"|"REFUSED", "reason"?, "partner"?}}. The no-argument Lambda constructor reads
 * {@link PartnerIngressFunction#fromEnvironment}.
 */
public final class PartnerIngressHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PartnerIngress ingress;
    private final PartnerIngressTelemetry telemetry;

    /** Lambda's constructor. */
    public PartnerIngressHandler() {
        this(PartnerIngressFunction.fromEnvironment(System.getenv()),
                new PartnerIngressTelemetry(MetricsFactory.getMetricsInstance()));
    }

    public PartnerIngressHandler(PartnerIngress ingress, PartnerIngressTelemetry telemetry) {
        this.ingress = Objects.requireNonNull(ingress, "ingress");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        try {
            return handle(JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One event as EventBridge delivers it, as JSON text (what the local bus hands its targets). */
    public Map<String, Object> handle(String eventJson) {
        JsonNode event;
        try {
            event = JSON.readTree(eventJson);
        } catch (JsonProcessingException e) {
            event = null; // refused as MALFORMED_EVENT with the raw text
        }
        PartnerEvent partnerEvent = PartnerEvent.of(event, eventJson);
        PartnerIngress.Outcome outcome;
        try {
            outcome = ingress.receive(partnerEvent);
        } catch (TransientDependencyException failure) {
            telemetry.failed(partnerEvent.id(), failure);
            telemetry.flush();
            throw failure;
        }
        telemetry.record(outcome);
        telemetry.flush();
        Map<String, Object> response = new LinkedHashMap<>();
        if (outcome instanceof PartnerIngress.Admitted a) {
            response.put("outcome", "ADMITTED");
            response.put("partner", a.record().partnerId());
        } else if (outcome instanceof PartnerIngress.Refused r) {
            response.put("outcome", "REFUSED");
            response.put("reason", r.refusal().reason().name());
        }
        return response;
    }
}

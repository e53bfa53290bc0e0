package io.waybill.aws.coldchain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.decision.IncidentNotifier;
import io.waybill.domain.event.CanonicalEventJson;

import java.time.Instant;

/**
 * The message body of an incident notification, the same on SNS and SQS:
 * {@code {"noticeId","reason","incidentId","shipmentSscc","severity","summary","decidedAt"}} (times RFC 3339 UTC).
 */
public final class IncidentNoticeJson {
    private IncidentNoticeJson() {
    }

    public static String toJson(IncidentNotifier.Notice n) {
        ObjectNode o = CanonicalEventJson.MAPPER.createObjectNode();
        o.put("noticeId", n.noticeId());
        o.put("reason", n.reason().name());
        o.put("incidentId", n.incidentId());
        o.put("shipmentSscc", n.shipmentSscc());
        o.put("severity", n.severity());
        if (n.summary() != null) {
            o.put("summary", n.summary());
        }
        o.put("decidedAt", n.decidedAt().toString());
        return o.toString();
    }

    public static IncidentNotifier.Notice fromJson(String json) {
        try {
            var o = CanonicalEventJson.MAPPER.readTree(json);
            return new IncidentNotifier.Notice(o.path("noticeId").asText(),
                    IncidentNotifier.Reason.valueOf(o.path("reason").asText()), o.path("incidentId").asText(),
                    o.path("shipmentSscc").asText(), o.path("severity").asText(),
                    o.has("summary") ? o.path("summary").asText() : null, Instant.parse(o.path("decidedAt").asText()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not an incident notice: " + e.getOriginalMessage(), e);
        }
    }
}

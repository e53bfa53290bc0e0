package io.waybill.domain.normalize;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.adapter.AdaptedEvent;
import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.adapter.VendorAdapter;
import io.waybill.domain.adapter.VendorPayload;
import io.waybill.domain.device.PayloadSignature;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.EventIdentity;
import io.waybill.domain.event.EventType;
import io.waybill.domain.time.ClockSkewPolicy;
import io.waybill.schemas.EventContract;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Raw stream record in, canonical event (or a rejection with its reason) out. This is the one normalisation path:
 * the ingest Lambda, {@code waybill normalize} and the DLQ replay all call it.
 *
 * <p>Every raw record carries a routing field {@value #ROUTE_FIELD} = {@code <adapter>/<producerId>}, set by the
 * IoT rule from the MQTT topic (so the producer id is the authenticated thing name, not a payload claim) or by
 * the partner gateway; and optionally {@value #RECEIVED_FIELD}, the broker's receive time in epoch ms.
 */
public final class RecordNormalizer {
    public static final String ROUTE_FIELD = "wb_route";
    public static final String RECEIVED_FIELD = "wb_received_ms";
    /** The fields the IoT rule (or the partner gateway) adds: never part of the producer's message. */
    public static final Set<String> ROUTING_FIELDS = Set.of(ROUTE_FIELD, RECEIVED_FIELD);
    /**
     * The EventBridge event id the partner gateway ({@code io.waybill.domain.partner.ingress.PartnerIngress}) stamps on
     * a partner's record: a transport stamp (a partner putting the same message again gets a new one), so not content.
     */
    public static final String PARTNER_EVENT_ID_FIELD = "wb_partner_event_id";
    private static final Pattern ROUTE_CHARS = Pattern.compile("[A-Za-z0-9._:/-]+");

    private final AdapterRegistry adapters;
    private final NormalizerConfig config;
    private final Clock clock;
    private final EventContract contract;

    public RecordNormalizer(AdapterRegistry adapters, NormalizerConfig config, Clock clock) {
        this.adapters = adapters;
        this.config = config;
        this.clock = clock;
        this.contract = config.contractCheckEvery() > 0 ? EventContract.instance() : null;
    }

    /** The standard adapters, default config, system UTC clock. */
    public static RecordNormalizer standard() {
        return new RecordNormalizer(AdapterRegistry.standard(), NormalizerConfig.defaults(), Clock.systemUTC());
    }

    public NormalizationResult normalize(RawRecord raw) {
        String adapterId = null;
        try {
            if (raw.payload().length > config.maxRecordBytes()) {
                throw new RejectedRecordException(RejectionReason.OVERSIZED,
                        "record is " + raw.payload().length + " bytes, more than the " + config.maxRecordBytes() + " allowed");
            }
            ObjectNode root = parseObject(raw.payload());
            String route = routeOf(root);
            int slash = route.indexOf('/');
            String producerId = route.substring(slash + 1);
            VendorAdapter adapter = adapters.require(route.substring(0, slash));
            adapterId = adapter.id();
            AdaptedEvent adapted = adapter.adapt(new VendorPayload(root), producerId);
            byte[] data = CanonicalEventJson.dataBytes(adapted.data());
            String source = "urn:waybill:" + adapter.id() + ":" + producerId;
            EventIdentity identity = EventIdentity.of(source, adapted.vendorMessageId(), adapted.sequence(),
                    RawContent.canonical(root, excludedFields(adapter)));
            CanonicalEvent event = envelope(adapter.id(), source, identity, adapted, brokerTime(root),
                    raw.streamArrival());
            String json = CanonicalEventJson.toJsonString(event, data);
            if (contract != null && config.contractChecked(event.id())) {
                List<String> violations = contract.violations(json);
                if (!violations.isEmpty()) {
                    throw new RejectedRecordException(RejectionReason.SCHEMA_VIOLATION, String.join("; ", violations));
                }
            }
            return new NormalizationResult.Normalized(raw, event, json, adapted.vendorMessageId(),
                    new NormalizationResult.Producer(producerId, adapter.device(), root));
        } catch (RejectedRecordException e) {
            return new NormalizationResult.Rejected(raw, e.reason(), e.detail(), adapterId);
        } catch (RuntimeException e) {
            // A bug in an adapter (or in the contract check): this record only, with what went wrong.
            return new NormalizationResult.Rejected(raw, RejectionReason.INTERNAL_ERROR,
                    e.getClass().getName() + ": " + abbreviate(String.valueOf(e.getMessage()), 512), adapterId);
        }
    }

    /**
     * Left out of the raw content an event's id and content hash are computed over: the routing fields, the partner
     * gateway's event id stamp {@value #PARTNER_EVENT_ID_FIELD}, the device's
     * signature {@value PayloadSignature#FIELD} (a transport field: a resend of the same message signed again, with
     * another sequence, is still the same message, a duplicate rather than an id conflict) and the adapter's own
     * transport stamps.
     */
    private static Set<String> excludedFields(VendorAdapter adapter) {
        Set<String> transport = adapter.transportFields();
        if (transport.isEmpty()) {
            return NOT_CONTENT;
        }
        Set<String> all = new HashSet<>(NOT_CONTENT);
        all.addAll(transport);
        return all;
    }

    private static final Set<String> NOT_CONTENT = Set.of(ROUTE_FIELD, RECEIVED_FIELD, PARTNER_EVENT_ID_FIELD,
            PayloadSignature.FIELD);

    private CanonicalEvent envelope(String adapterId, String source, EventIdentity identity, AdaptedEvent a,
                                    Instant brokerTime, Instant streamTime) {
        Instant processing = clock.instant();
        Instant reference = brokerTime != null ? brokerTime : streamTime != null ? streamTime : processing;
        ClockSkewPolicy.TimeAssessment t = config.clockSkewPolicy().assess(a.deviceTime(), a.sentTime(), brokerTime,
                reference);
        return new CanonicalEvent(identity.id(), source, EventType.of(a.data()).type(), t.eventTime(),
                a.data().subject(), a.deviceTime(), brokerTime, streamTime, processing, t.skewMillis(), t.flagged(),
                adapterId, a.sequence(), a.data(), a.edgeTime(), identity.scheme(), identity.contentHash(),
                t.offsetMillis(), t.late());
    }

    private static ObjectNode parseObject(byte[] payload) {
        JsonNode node;
        try {
            node = CanonicalEventJson.MAPPER.readTree(payload);
        } catch (JacksonException e) {
            throw new RejectedRecordException(RejectionReason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RejectedRecordException(RejectionReason.MALFORMED_JSON, "unreadable payload: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new RejectedRecordException(RejectionReason.MALFORMED_JSON, "empty payload");
        }
        if (!node.isObject()) {
            throw new RejectedRecordException(RejectionReason.MALFORMED_JSON, "expected a JSON object, got " + node.getNodeType());
        }
        return (ObjectNode) node;
    }

    private static String routeOf(ObjectNode root) {
        JsonNode r = root.get(ROUTE_FIELD);
        if (r == null || !r.isTextual()) {
            throw new RejectedRecordException(RejectionReason.UNKNOWN_ADAPTER,
                    ROUTE_FIELD + " is missing: the record did not come through the IoT rule or the partner gateway");
        }
        String route = r.asText();
        int slash = route.indexOf('/');
        if (slash <= 0 || slash == route.length() - 1 || route.indexOf('/', slash + 1) >= 0
                || route.length() > 256 || !ROUTE_CHARS.matcher(route).matches()) {
            throw new RejectedRecordException(RejectionReason.UNKNOWN_ADAPTER,
                    ROUTE_FIELD + " '" + abbreviate(route) + "' is not <adapter>/<producerId>");
        }
        return route;
    }

    private static Instant brokerTime(ObjectNode root) {
        JsonNode n = root.get(RECEIVED_FIELD);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToLong() || !n.isIntegralNumber()) {
            throw new RejectedRecordException(RejectionReason.INVALID_TIME, RECEIVED_FIELD + " must be epoch milliseconds");
        }
        return Instant.ofEpochMilli(n.longValue());
    }

    private static String abbreviate(String s) {
        return abbreviate(s, 64);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}

package io.waybill.domain.partner.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.identity.Sscc;
import io.waybill.domain.normalize.RecordNormalizer;

import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Partner events from the partner bus to raw records on the ingest stream: the partner gateway. The sender is
 * resolved from master data ({@link SenderDirectory}) by the envelope's {@code account} (set by EventBridge) and
 * {@code source} (registered for that partner), never from the payload; the record is the detail plus
 * <ul>
 *   <li>{@code wb_route} = {@code <adapter>/<partnerId>}: the partner's ONE registered adapter;</li>
 *   <li>{@code wb_received_ms} = when this function received the event, by its own clock: the envelope's {@code time}
 *       is the sender's (PutEvents takes a {@code Time}), so it cannot be the trusted reference the clock-skew rule
 *       caps a sender's time against;</li>
 *   <li>{@code wb_partner_event_id} = the EventBridge event id (a transport stamp, not part of the event's content).</li>
 * </ul>
 * Anything else is refused with its {@link RefusalReason} to the {@link RefusedEventQueue}, with the raw event: never
 * dropped. The partner functions are the only writers of partner routes: the IoT rule drops partner adapters' topics
 * and any payload carrying a {@code wb_*} field, and a detail carrying one is refused here.
 */
public final class PartnerIngress {
    /** The EventBridge event id on the raw record. */
    public static final String EVENT_ID_FIELD = RecordNormalizer.PARTNER_EVENT_ID_FIELD;
    /** Fields a detail may not carry: Waybill's routing fields all start with it. */
    public static final String ROUTING_PREFIX = "wb_";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What happened to one event. */
    public sealed interface Outcome permits Admitted, Refused {
    }

    /** Put on the ingest stream. */
    public record Admitted(PartnerRecord record) implements Outcome {
    }

    /** Dead-lettered to the refused-event queue. */
    public record Refused(RefusedPartnerEvent refusal) implements Outcome {
    }

    private final SenderDirectory senders;
    private final Set<String> partnerAdapters;
    private final PartnerRecordSink stream;
    private final RefusedEventQueue refused;
    private final Clock clock;
    private final String bus;

    /**
     * @param partnerAdapters the adapters a partner may be registered with (the non-device ones Waybill ships)
     * @param bus             the partner bus's name, written into dead letters as the origin (may be null)
     */
    public PartnerIngress(SenderDirectory senders, Set<String> partnerAdapters, PartnerRecordSink stream,
                          RefusedEventQueue refused, Clock clock, String bus) {
        this.senders = Objects.requireNonNull(senders, "senders");
        this.partnerAdapters = Set.copyOf(partnerAdapters);
        this.stream = Objects.requireNonNull(stream, "stream");
        this.refused = Objects.requireNonNull(refused, "refused");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bus = bus;
    }

    /** The partner adapters of {@link AdapterRegistry#standard()}: those that are not devices. */
    public static Set<String> standardPartnerAdapters() {
        AdapterRegistry registry = AdapterRegistry.standard();
        return registry.ids().stream().filter(id -> !registry.require(id).device()).collect(Collectors.toSet());
    }

    /**
     * Admits or refuses one event.
     *
     * @throws io.waybill.domain.ingestion.TransientDependencyException when master data, the stream or the queue
     *         cannot be reached: nothing is decided, the event must be delivered again
     */
    public Outcome receive(PartnerEvent event) {
        Outcome outcome = decide(event);
        if (outcome instanceof Admitted a) {
            stream.put(a.record());
        } else if (outcome instanceof Refused r) {
            refused.refuse(r.refusal());
        }
        return outcome;
    }

    private Outcome decide(PartnerEvent e) {
        if (e.id() == null || e.account() == null || e.source() == null || e.detailType() == null) {
            return refuse(RefusalReason.MALFORMED_EVENT, "the event lacks one of id, account, source, detail-type", e);
        }
        if (e.detail() == null || !e.detail().isObject()) {
            return refuse(RefusalReason.MALFORMED_EVENT, "detail is not a JSON object", e);
        }
        List<PartnerSender> matches = senders.senders().stream().filter(s -> s.sends(e.account(), e.source())).toList();
        if (matches.isEmpty()) {
            return refuse(RefusalReason.UNKNOWN_SENDER, "no partner is registered for account " + e.account()
                    + " with source " + e.source(), e);
        }
        if (matches.size() > 1) {
            return refuse(RefusalReason.AMBIGUOUS_SENDER, "partners " + matches.stream().map(PartnerSender::partnerId)
                    .sorted().toList() + " are all registered for account " + e.account() + " with source "
                    + e.source(), e);
        }
        PartnerSender sender = matches.get(0);
        if (!sender.detailTypes().contains(e.detailType())) {
            return refuse(RefusalReason.DETAIL_TYPE_NOT_REGISTERED, "partner " + sender.partnerId()
                    + " is not registered for detail-type " + e.detailType() + " (registered: "
                    + new TreeSet<>(sender.detailTypes()) + ")", e);
        }
        if (!partnerAdapters.contains(sender.adapter())) {
            return refuse(RefusalReason.ADAPTER_NOT_PARTNER, "partner " + sender.partnerId() + " is registered with adapter '"
                    + sender.adapter() + "', which is not a partner adapter (" + new TreeSet<>(partnerAdapters) + ")", e);
        }
        Set<String> routing = new TreeSet<>();
        for (Iterator<String> names = e.detail().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.startsWith(ROUTING_PREFIX)) {
                routing.add(name);
            }
        }
        if (!routing.isEmpty()) {
            return refuse(RefusalReason.ROUTING_FIELD_IN_DETAIL, "detail carries routing field(s) " + routing
                    + ": the route is Waybill's to set", e);
        }
        ObjectNode record = ((ObjectNode) e.detail()).deepCopy();
        record.put(RecordNormalizer.ROUTE_FIELD, sender.adapter() + "/" + sender.partnerId());
        record.put(RecordNormalizer.RECEIVED_FIELD, clock.millis());
        record.put(EVENT_ID_FIELD, e.id());
        String json;
        try {
            json = JSON.writeValueAsString(record);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("a JSON tree always serialises", ex);
        }
        return new Admitted(new PartnerRecord(partitionKey(e.detail(), sender.partnerId()), json,
                sender.partnerId(), sender.adapter(), e.id()));
    }

    /** The SSCC (18 digits, any GS1 form in {@code detail.sscc}) when valid, else the partner id. */
    static String partitionKey(JsonNode detail, String partnerId) {
        JsonNode sscc = detail.get("sscc");
        if (sscc != null && sscc.isValueNode()) {
            try {
                return Sscc.parse(sscc.asText());
            } catch (RuntimeException invalid) {
                // the adapter dead-letters it with its reason; the partner's key keeps its order meanwhile
            }
        }
        return partnerId;
    }

    private Refused refuse(RefusalReason reason, String detail, PartnerEvent e) {
        return new Refused(new RefusedPartnerEvent(reason, detail, e, bus));
    }
}

package io.waybill.domain.partner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.CustodyTransferred;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.IncidentActioned;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.event.ShipmentPlanned;
import io.waybill.domain.event.TemperatureBreached;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Partner egress: which canonical events each partner receives, as {@code PutEvents} entries.
 *
 * <p>A partner receives an event when the event's type is one it chose and it is party to the event's shipment
 * ({@link Partner#sees}): its GLN is the shipment's origin, destination, shipper, consignee, or a custody party, as
 * {@code ShipmentPlanned} and {@code CustodyTransferred} say ({@link ShipmentParties}). An event for a shipment
 * whose parties are not known yet is held (kept in {@link ShipmentParties}) and sent when the first party fact for
 * that shipment arrives; a party named later also receives the shipment's earlier events. So the result does not
 * depend on the order of the stream, and redelivering a batch sends nothing already settled.
 *
 * <p>The entry: {@code Source} = the configured source ({@value #DEFAULT_SOURCE} by default), {@code DetailType} =
 * the canonical type, {@code Time} = the event's time, no {@code Resources}, and {@code Detail} =
 * {@code {"partner": <partner id>, "eventId": <canonical id>, "event": <the canonical event as CloudEvents JSON>}}.
 * Each partner's rule matches {@code {"source": [<source>], "detail": {"partner": [<its id>]}}}; {@code eventId} is
 * the partner's dedupe key (EventBridge delivers at least once, and so does this function on a redelivered batch).
 */
public final class PartnerEgress {
    public static final String DEFAULT_SOURCE = "io.waybill";

    /** The canonical types partners can choose. */
    public static final Set<EventType> EGRESS_TYPES = Set.copyOf(EnumSet.of(EventType.SHIPMENT_DEPARTED,
            EventType.SHIPMENT_ARRIVED, EventType.CUSTODY_TRANSFERRED, EventType.TEMPERATURE_BREACHED,
            EventType.INCIDENT_ACTIONED));

    /**
     * What a batch did.
     *
     * @param sent         entries accepted by the bus
     * @param deadLettered entries dead-lettered, with reasons
     * @param held         shipments whose parties are not known yet (their events wait)
     */
    public record Outcome(List<OutboundEntry> sent, List<PartnerDelivery.DeadLettered> deadLettered,
                          Set<String> held) {
    }

    private final PartnerDirectory directory;
    private final ShipmentParties parties;
    private final PartnerDelivery delivery;
    private final String source;

    public PartnerEgress(PartnerDirectory directory, ShipmentParties parties, PartnerDelivery delivery,
                         String source) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.parties = Objects.requireNonNull(parties, "parties");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.source = Objects.requireNonNull(source, "source");
        if (source.isBlank()) {
            throw new IllegalArgumentException("source is blank");
        }
    }

    /**
     * Records the batch's facts, then sends each affected shipment's unsettled events to the partners that may see
     * them, and settles what was delivered or dead-lettered.
     *
     * @throws io.waybill.domain.ingestion.TransientDependencyException when a store failed (redeliver the batch)
     */
    public Outcome accept(List<CanonicalEvent> batch) {
        Set<String> affected = new LinkedHashSet<>();
        for (CanonicalEvent e : batch) {
            Optional<String> sscc = shipmentOf(e.data());
            if (sscc.isEmpty()) {
                continue;
            }
            Set<String> named = partiesNamed(e.data());
            if (!named.isEmpty()) {
                parties.addParties(sscc.get(), named);
                affected.add(sscc.get());
            }
            if (EGRESS_TYPES.contains(e.eventType())) {
                parties.keep(sscc.get(), e);
                affected.add(sscc.get());
            }
        }
        if (affected.isEmpty()) {
            return new Outcome(List.of(), List.of(), Set.of());
        }
        List<Partner> partners = directory.partners();
        List<OutboundEntry> entries = new ArrayList<>();
        Set<String> held = new LinkedHashSet<>();
        for (String sscc : affected) {
            ShipmentFile file = parties.file(sscc);
            if (!file.partiesKnown()) {
                if (!file.events().isEmpty()) {
                    held.add(sscc);
                }
                continue;
            }
            entries.addAll(entries(file, partners));
        }
        PartnerDelivery.Outcome outcome = delivery.deliver(entries);
        for (OutboundEntry e : outcome.delivered()) {
            parties.settle(e.sscc(), e.partnerId(), e.eventId());
        }
        for (PartnerDelivery.DeadLettered d : outcome.deadLettered()) {
            parties.settle(d.entry().sscc(), d.entry().partnerId(), d.entry().eventId());
        }
        return new Outcome(outcome.delivered(), outcome.deadLettered(), held);
    }

    /** The unsettled entries of one shipment whose parties are known, partner by partner. */
    List<OutboundEntry> entries(ShipmentFile file, List<Partner> partners) {
        List<OutboundEntry> out = new ArrayList<>();
        for (Partner p : partners) {
            if (!p.sees(file.sscc(), file.parties())) {
                continue;
            }
            for (CanonicalEvent e : file.events()) {
                if (p.eventTypes().contains(e.eventType())
                        && !file.settled().contains(ShipmentFile.settledKey(p.id(), e.id()))) {
                    out.add(entry(p.id(), file.sscc(), e));
                }
            }
        }
        return out;
    }

    /** The entry for one partner and one event (the documented partner view). */
    public OutboundEntry entry(String partnerId, String sscc, CanonicalEvent e) {
        ObjectNode detail = CanonicalEventJson.MAPPER.createObjectNode();
        detail.put("partner", partnerId);
        detail.put("eventId", e.id());
        detail.set("event", CanonicalEventJson.toJson(e));
        try {
            return new OutboundEntry(partnerId, sscc, e.id(), source, e.type(),
                    CanonicalEventJson.MAPPER.writeValueAsString(detail), List.of(), e.time());
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The shipment an event is about, for the types egress looks at. */
    static Optional<String> shipmentOf(EventData d) {
        if (d instanceof ShipmentPlanned p) {
            return Optional.of(p.shipmentSscc());
        } else if (d instanceof CustodyTransferred c) {
            return Optional.of(c.shipmentSscc());
        } else if (d instanceof ShipmentDeparted s) {
            return Optional.of(s.shipmentSscc());
        } else if (d instanceof ShipmentArrived s) {
            return Optional.of(s.shipmentSscc());
        } else if (d instanceof TemperatureBreached t) {
            return Optional.ofNullable(t.shipmentSscc());
        } else if (d instanceof IncidentActioned i) {
            return Optional.ofNullable(i.shipmentSscc());
        }
        return Optional.empty();
    }

    /** The parties a fact names: a plan's origin, destination, shipper and consignee; a hand-over's two parties. */
    static Set<String> partiesNamed(EventData d) {
        Stream<String> glns;
        if (d instanceof ShipmentPlanned p) {
            glns = Stream.of(p.originGln(), p.destinationGln(), p.shipperGln(), p.consigneeGln());
        } else if (d instanceof CustodyTransferred c) {
            glns = Stream.of(c.fromPartyGln(), c.toPartyGln());
        } else {
            return Set.of();
        }
        return glns.filter(Objects::nonNull).filter(g -> !g.isBlank()).collect(Collectors.toUnmodifiableSet());
    }
}

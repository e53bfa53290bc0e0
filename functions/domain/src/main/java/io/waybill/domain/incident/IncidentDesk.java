package io.waybill.domain.incident;

import io.waybill.domain.decision.IncidentStore;
import io.waybill.domain.decision.ProjectionWriter;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.EventIds;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.IncidentActioned;
import io.waybill.domain.event.IncidentActioned.Action;
import io.waybill.domain.event.IncidentActioned.Disposition;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.ingestion.ShipmentStateStore;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.projection.ShipmentState;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * What people do with incidents and quality holds: acknowledge, resolve, disposition (release, reject, destroy) and
 * hold release. Every action is a canonical {@code waybill.incident.actioned.v1} event appended to the event store
 * (append-only, conditional put) carrying the actor, then the incident store (or, for a hold release, the shipment
 * projection) follows it. The caller passes who acts: the local CLI the OS user (or {@code --actor}), the ops API
 * (issue 13) the caller's identity from its JWT; nothing here knows where the name came from.
 * <p>
 * Idempotent: an action's event id is derived from the incident and the action (a hold release: also the hold it
 * releases), so a retry after a crash between the two writes finds the event stored and completes the store with the
 * stored event's time; the first record of an action stands.
 * <p>
 * A disposition resolves the incident; its resolution reads {@code <DISPOSITION>} or {@code <DISPOSITION>: <note>}.
 * A hold is released only when the incident whose decision put it was dispositioned {@code RELEASE}.
 */
public final class IncidentDesk {
    /** Source of the desk's events. */
    public static final String SOURCE = "urn:waybill:incident-desk";
    /** The {@code adapter} of the desk's events in the event store. */
    public static final String ADAPTER = "waybill-incident-desk";

    private final IncidentStore incidents;
    private final EventLedger events;
    private final ShipmentStateStore shipments;
    private final Clock clock;

    public IncidentDesk(IncidentStore incidents, EventLedger events, ShipmentStateStore shipments, Clock clock) {
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.events = Objects.requireNonNull(events, "events");
        this.shipments = Objects.requireNonNull(shipments, "shipments");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** OPEN -> ACKNOWLEDGED. */
    public ShipmentIncident acknowledge(String incidentId, String actor) {
        ShipmentIncident current = existing(incidentId, "acknowledge");
        allowed(current, IncidentStatus.ACKNOWLEDGED, "acknowledged");
        Instant at = record(new IncidentActioned(current.shipmentSscc(), incidentId, Action.ACKNOWLEDGED, null,
                actor, null), incidentId + "/" + Action.ACKNOWLEDGED);
        return incidents.acknowledge(incidentId, at);
    }

    /** -> RESOLVED without a disposition of the goods (the note says why). */
    public ShipmentIncident resolve(String incidentId, String note, String actor) {
        ShipmentIncident current = existing(incidentId, "resolve");
        allowed(current, IncidentStatus.RESOLVED, "resolved");
        Instant at = record(new IncidentActioned(current.shipmentSscc(), incidentId, Action.RESOLVED, null, actor,
                note), incidentId + "/" + Action.RESOLVED);
        return incidents.resolve(incidentId, at, note);
    }

    /** -> RESOLVED with QA's disposition of the goods. */
    public ShipmentIncident disposition(String incidentId, Disposition disposition, String note, String actor) {
        Objects.requireNonNull(disposition, "disposition");
        ShipmentIncident current = existing(incidentId, "disposition " + disposition);
        allowed(current, IncidentStatus.RESOLVED, "dispositioned");
        Instant at = record(new IncidentActioned(current.shipmentSscc(), incidentId, Action.DISPOSITIONED,
                disposition, actor, note), incidentId + "/" + Action.DISPOSITIONED);
        return incidents.resolve(incidentId, at, resolution(disposition, note));
    }

    /**
     * Releases the shipment's quality hold: refused unless the shipment is on hold and the incident whose decision
     * put it there was dispositioned {@code RELEASE}.
     *
     * @return the shipment's state after the release
     */
    public ShipmentState releaseHold(String shipmentSscc, String note, String actor) {
        ShipmentStateStore.Versioned v = shipments.load(shipmentSscc);
        ShipmentState state = v == null ? null : v.state();
        if (state == null || !state.onQualityHold()) {
            throw new IncidentActionRefused(IncidentActionRefused.Reason.NOT_ON_HOLD, shipmentSscc,
                    "shipment " + shipmentSscc + " is not on quality hold: nothing to release");
        }
        String incidentId = state.qualityHoldIncidentId();
        ShipmentIncident holding = existing(incidentId, "release the hold of shipment " + shipmentSscc + " for");
        if (holding.status() != IncidentStatus.RESOLVED || holding.resolution() == null
                || !holding.resolution().startsWith(Disposition.RELEASE.name())) {
            throw new IncidentActionRefused(IncidentActionRefused.Reason.NOT_RELEASED_BY_QA, shipmentSscc,
                    "shipment " + shipmentSscc + " is held for incident " + incidentId + ", which is "
                            + holding.status() + (holding.resolution() == null ? "" : " (" + holding.resolution() + ")")
                            + ": QA must disposition it RELEASE before the hold is released");
        }
        IncidentActioned data = new IncidentActioned(shipmentSscc, incidentId, Action.HOLD_RELEASED, null, actor,
                note);
        CanonicalEvent event = event(data, incidentId + "/" + Action.HOLD_RELEASED + "/" + state.qualityHoldAt());
        return ProjectionWriter.apply(shipments, append(event));
    }

    /** The resolution text of a disposition. */
    public static String resolution(Disposition disposition, String note) {
        return note == null || note.isBlank() ? disposition.name() : disposition.name() + ": " + note;
    }

    private ShipmentIncident existing(String incidentId, String what) {
        return incidents.find(incidentId).orElseThrow(() -> new IncidentActionRefused(
                IncidentActionRefused.Reason.NO_SUCH_INCIDENT, incidentId,
                "no incident " + incidentId + ": cannot " + what + " it"));
    }

    private static void allowed(ShipmentIncident current, IncidentStatus next, String verb) {
        if (!current.status().canMoveTo(next)) {
            throw new IncidentActionRefused(IncidentActionRefused.Reason.WRONG_STATUS, current.incidentId(),
                    "incident " + current.incidentId() + " is " + current.status() + ": it cannot be " + verb);
        }
    }

    /** Appends the action's event; returns the time of the event as stored (the first record stands). */
    private Instant record(IncidentActioned data, String idSeed) {
        return append(event(data, idSeed)).time();
    }

    private CanonicalEvent event(IncidentActioned data, String idSeed) {
        Instant now = clock.instant();
        String id = EventIds.deterministic(SOURCE, data, null, idSeed.getBytes(StandardCharsets.UTF_8));
        return new CanonicalEvent(id, SOURCE, EventType.of(data).type(), now, data.shipmentSscc(), null, null, null,
                now, 0, false, ADAPTER, null, data);
    }

    /** Appends the event; returns it as stored (this one, or the one stored before under the same id). */
    private CanonicalEvent append(CanonicalEvent event) {
        String json = CanonicalEventJson.toJsonString(event);
        EventLedger.Append a = events.append(new NormalizationResult.Normalized(RawRecord.of(
                json.getBytes(StandardCharsets.UTF_8), "incident desk " + event.id()), event, json), clock.instant());
        if (a.kind() == EventLedger.Append.Kind.APPENDED) {
            return event;
        }
        try {
            return CanonicalEventJson.fromJson(CanonicalEventJson.MAPPER.readTree(a.storedJson()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " is stored unreadable", e);
        }
    }
}

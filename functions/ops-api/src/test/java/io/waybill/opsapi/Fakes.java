package io.waybill.opsapi;

import io.waybill.domain.decision.IncidentStore;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.ingestion.ShipmentStateStore;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.projection.ShipmentState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test doubles of the API's ports: canned pages that record what they were asked, and maps for the desk's stores. */
final class Fakes {
    private Fakes() {
    }

    /** Serves canned pages by token ("" = first page) and records the last filter, token and limit. */
    static class Shipments implements ShipmentReadModel {
        final Map<String, Page<ShipmentState>> pages = new LinkedHashMap<>();
        final Map<String, ShipmentState> bySscc = new LinkedHashMap<>();
        Filter lastFilter;
        String lastToken;
        int lastLimit;

        @Override
        public Page<ShipmentState> list(Filter filter, String pageToken, int limit) {
            lastFilter = filter;
            lastToken = pageToken;
            lastLimit = limit;
            Page<ShipmentState> p = pages.get(pageToken == null ? "" : pageToken);
            if (p == null) {
                throw new PageTokenRefused("not a page token of this list");
            }
            return p;
        }

        @Override
        public Optional<ShipmentState> find(String sscc) {
            return Optional.ofNullable(bySscc.get(sscc));
        }
    }

    static final class Incidents implements IncidentReadModel, IncidentStore {
        final Map<String, ShipmentIncident> byId = new LinkedHashMap<>();
        Filter lastFilter;
        int lastLimit;

        @Override
        public Page<ShipmentIncident> list(Filter filter, String pageToken, int limit) {
            lastFilter = filter;
            lastLimit = limit;
            return new Page<>(new ArrayList<>(byId.values()), null);
        }

        @Override
        public Optional<ShipmentIncident> find(String incidentId) {
            return Optional.ofNullable(byId.get(incidentId));
        }

        @Override
        public Stored open(ShipmentIncident incident, String decisionEventJson) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void markDecisionRecorded(String incidentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void raiseSeverity(String incidentId, String severity) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ShipmentIncident> forShipment(String shipmentSscc) {
            return byId.values().stream().filter(i -> i.shipmentSscc().equals(shipmentSscc)).toList();
        }

        @Override
        public List<ShipmentIncident> all() {
            return List.copyOf(byId.values());
        }

        @Override
        public ShipmentIncident acknowledge(String incidentId, Instant at) {
            ShipmentIncident next = byId.get(incidentId).acknowledge(at);
            byId.put(incidentId, next);
            return next;
        }

        @Override
        public ShipmentIncident resolve(String incidentId, Instant at, String resolution) {
            ShipmentIncident next = byId.get(incidentId).resolve(at, resolution);
            byId.put(incidentId, next);
            return next;
        }
    }

    /** Keeps every appended event's JSON. */
    static final class Ledger implements EventLedger {
        final Map<String, String> json = new LinkedHashMap<>();

        @Override
        public Append append(NormalizationResult.Normalized event, Instant handlerStartedAt) {
            String stored = json.putIfAbsent(event.event().id(), event.json());
            return stored == null ? Append.APPENDED : Append.existing(stored, null, null);
        }
    }

    static final class NoShipmentStates implements ShipmentStateStore {
        @Override
        public Versioned load(String shipmentSscc) {
            return new Versioned(null, null);
        }

        @Override
        public boolean save(ShipmentState state, Long expectedVersion) {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * A shipment's stored events in a list: filters applied as written in the port's contract, pages by an offset
     * token ("@n"), and the last filter and limit recorded.
     */
    static final class ShipmentEvents implements ShipmentEventReadModel {
        final Map<String, List<StoredEvent>> bySscc = new LinkedHashMap<>();
        Filter lastFilter;
        int lastLimit;

        void add(String sscc, StoredEvent e) {
            bySscc.computeIfAbsent(sscc, k -> new ArrayList<>()).add(e);
        }

        private List<StoredEvent> matching(String sscc, Filter f) {
            return bySscc.getOrDefault(sscc, List.of()).stream()
                    .filter(e -> f.type() == null || f.type().equals(e.type()))
                    .filter(e -> f.from() == null || !e.eventTime().isBefore(f.from()))
                    .filter(e -> f.to() == null || !e.eventTime().isAfter(f.to()))
                    .sorted(java.util.Comparator.comparing(StoredEvent::eventTime)).toList();
        }

        @Override
        public Page<StoredEvent> history(String sscc, Filter filter, String pageToken, int limit) {
            lastFilter = filter;
            lastLimit = limit;
            if (pageToken != null && !pageToken.matches("@[0-9]+")) {
                throw new PageTokenRefused("not a page token of this list");
            }
            int from = pageToken == null ? 0 : Integer.parseInt(pageToken.substring(1));
            List<StoredEvent> all = matching(sscc, filter);
            int to = Math.min(all.size(), from + limit);
            return new Page<>(all.subList(from, to), to < all.size() ? "@" + to : null);
        }

        @Override
        public List<StoredEvent> first(String sscc, Filter filter, int max) {
            lastFilter = filter;
            lastLimit = max;
            List<StoredEvent> all = matching(sscc, filter);
            return all.subList(0, Math.min(all.size(), max + 1));
        }
    }
}

package io.waybill.domain.partner;

import io.waybill.domain.event.CanonicalEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@link ShipmentParties} in maps (tests, and the local runtime if it wants one). */
public final class InMemoryShipmentParties implements ShipmentParties {
    private final Map<String, Set<String>> parties = new HashMap<>();
    private final Map<String, Map<String, CanonicalEvent>> events = new HashMap<>();
    private final Map<String, Set<String>> settled = new HashMap<>();

    @Override
    public synchronized void addParties(String sscc, Set<String> glns) {
        parties.computeIfAbsent(sscc, k -> new HashSet<>()).addAll(glns);
    }

    @Override
    public synchronized void keep(String sscc, CanonicalEvent event) {
        events.computeIfAbsent(sscc, k -> new LinkedHashMap<>()).putIfAbsent(event.id(), event);
    }

    @Override
    public synchronized void settle(String sscc, String partnerId, String eventId) {
        settled.computeIfAbsent(sscc, k -> new HashSet<>()).add(ShipmentFile.settledKey(partnerId, eventId));
    }

    @Override
    public synchronized ShipmentFile file(String sscc) {
        return new ShipmentFile(sscc, parties.getOrDefault(sscc, Set.of()),
                new ArrayList<>(events.getOrDefault(sscc, Map.of()).values()), settled.getOrDefault(sscc, Set.of()));
    }
}

package io.waybill.domain.provenance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class InMemoryEventProofs implements EventProofs {
    final Map<String, EventProof> byEvent = new HashMap<>();
    int writes;

    @Override
    public synchronized void putAll(List<EventProof> proofs) {
        writes++;
        for (EventProof p : proofs) {
            byEvent.put(p.eventId(), p);
        }
    }

    @Override
    public synchronized Optional<EventProof> find(String eventId) {
        return Optional.ofNullable(byEvent.get(eventId));
    }
}

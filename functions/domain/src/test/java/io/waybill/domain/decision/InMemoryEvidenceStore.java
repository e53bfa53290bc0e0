package io.waybill.domain.decision;

import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.coldchain.TimelineMark;
import io.waybill.domain.coldchain.ExposureStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An in-memory {@link EvidenceStore} for domain tests, with the semantics the DynamoDB one has (conditional
 * writes on the version, pieces marked applied, neighbours by time line order).
 */
public class InMemoryEvidenceStore implements EvidenceStore {
    public final Map<String, Map<String, ExposureEvidence>> byShipment = new TreeMap<>();
    public final Map<String, Boolean> applied = new TreeMap<>();
    public final Map<String, ShipmentExposure> states = new TreeMap<>();
    public int neighbourQueries;
    /** Writes refused because another writer came first. */
    public int conflicts;

    private static String key(String sscc, String id) {
        return sscc + "|" + id;
    }

    @Override
    public synchronized List<ExposureEvidence> storeNew(String sscc, Collection<EvidenceArrival> evidence) {
        List<ExposureEvidence> out = new ArrayList<>();
        for (EvidenceArrival a : evidence) {
            ExposureEvidence e = a.evidence();
            byShipment.computeIfAbsent(sscc, k -> new TreeMap<>()).putIfAbsent(e.evidenceId(), e);
            applied.putIfAbsent(key(sscc, e.evidenceId()), false);
            if (!applied.get(key(sscc, e.evidenceId())) && out.stream().noneMatch(x -> x.evidenceId().equals(e.evidenceId()))) {
                out.add(byShipment.get(sscc).get(e.evidenceId()));
            }
        }
        return out;
    }

    @Override
    public synchronized void markApplied(String sscc, Collection<ExposureEvidence> pieces, java.time.Instant decidedAt) {
        pieces.forEach(e -> applied.put(key(sscc, e.evidenceId()), true));
    }

    @Override
    public synchronized List<Stored> loadAll(String sscc) {
        return byShipment.getOrDefault(sscc, Map.of()).values().stream()
                .map(e -> new Stored(e, applied.getOrDefault(key(sscc, e.evidenceId()), false))).toList();
    }

    @Override
    public synchronized Optional<ShipmentExposure> exposure(String sscc) {
        return Optional.ofNullable(states.get(sscc));
    }

    @Override
    public synchronized boolean saveExposure(ShipmentExposure state, long expectedVersion) {
        ShipmentExposure current = states.get(state.shipmentSscc());
        long version = current == null ? 0 : current.version();
        if (version != expectedVersion) {
            conflicts++;
            return false;
        }
        states.put(state.shipmentSscc(), new ShipmentExposure(state.shipmentSscc(), state.productClass(),
                state.probes(), state.sequences(), state.standing(), state.recentlyApplied(), expectedVersion + 1));
        return true;
    }

    @Override
    public synchronized List<String> pendingBreaches() {
        return states.values().stream().filter(s -> s.standing().pending()).map(ShipmentExposure::shipmentSscc)
                .toList();
    }

    @Override
    public synchronized Optional<TimelineMark> nearest(String sscc, String probeId, TimelineMark mark, boolean before,
                                          Predicate<String> appliedAnyway) {
        neighbourQueries++;
        return byShipment.getOrDefault(sscc, Map.of()).values().stream()
                .filter(e -> e.primary() && e.probeId().equals(probeId) && !e.evidenceId().equals(mark.evidenceId()))
                .filter(e -> applied.getOrDefault(key(sscc, e.evidenceId()), false) || appliedAnyway.test(e.evidenceId()))
                .map(TimelineMark::of)
                .filter(m -> before ? m.before(mark) : mark.before(m))
                .reduce((a, b) -> before ? (a.before(b) ? b : a) : (a.before(b) ? a : b));
    }

    /** The standing status of a shipment, or null. */
    public synchronized ExposureStatus status(String sscc) {
        ShipmentExposure s = states.get(sscc);
        return s == null ? null : s.standing().status();
    }
}

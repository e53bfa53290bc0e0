package io.waybill.local.demo;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.projection.ShipmentProjection;
import io.waybill.domain.projection.ShipmentState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each shipment's state must be: the distinct events folded in event-time order, in memory, with no
 * duplicates and no reordering. The pipeline's stored projection, built from shuffled duplicated traffic over
 * several shards, must equal it.
 */
public final class ExpectedProjection {
    private ExpectedProjection() {
    }

    public static Map<String, ShipmentState> inEventTimeOrder(List<byte[]> payloads) {
        RecordNormalizer normalizer = RecordNormalizer.standard();
        Set<String> keys = new HashSet<>();
        List<CanonicalEvent> events = new ArrayList<>();
        for (byte[] p : payloads) {
            if (normalizer.normalize(RawRecord.of(p, "expected")) instanceof NormalizationResult.Normalized n
                    && keys.add(n.event().eventKey())) {
                events.add(n.event());
            }
        }
        events.sort(Comparator.comparing(CanonicalEvent::time).thenComparing(CanonicalEvent::id));
        Map<String, ShipmentState> states = new HashMap<>();
        for (CanonicalEvent e : events) {
            ShipmentProjection.shipmentOf(e).ifPresent(sscc -> states.put(sscc,
                    ShipmentProjection.apply(states.getOrDefault(sscc, ShipmentState.empty(sscc)), e)));
        }
        return states;
    }

    /** Distinct canonical events among the payloads (what the event store must hold). */
    public static int distinctEvents(List<byte[]> payloads) {
        RecordNormalizer normalizer = RecordNormalizer.standard();
        Set<String> keys = new HashSet<>();
        for (byte[] p : payloads) {
            if (normalizer.normalize(RawRecord.of(p, "expected")) instanceof NormalizationResult.Normalized n) {
                keys.add(n.event().eventKey());
            }
        }
        return keys.size();
    }
}

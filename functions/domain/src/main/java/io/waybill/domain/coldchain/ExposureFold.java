package io.waybill.domain.coldchain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Folds evidence into a shipment's running exposure ({@link ShipmentExposure}), piece by piece: evidence after a
 * probe's watermark extends it, late evidence is inserted between its stored neighbours
 * ({@link TimelineNeighbours}), so the work per piece does not depend on how long the trip has been.
 */
public final class ExposureFold {
    /** Time line order of a batch: primary evidence by {@link TimelineMark#ORDER}, excursion reports after. */
    private static final Comparator<ExposureEvidence> APPLY_ORDER = Comparator
            .comparing((ExposureEvidence e) -> !e.primary())
            .thenComparing(e -> e.primary() ? TimelineMark.of(e) : null,
                    Comparator.nullsLast(TimelineMark.ORDER))
            .thenComparing(ExposureEvidence::evidenceId);

    /** Finds a probe's applied pieces around a mark on its time line (the stored evidence). */
    public interface TimelineNeighbours {
        /**
         * @param applied says whether evidence not marked applied in the store was applied anyway (by the write being
         *                prepared, or by the last writes before a crash)
         * @return the nearest applied primary piece of the probe before ({@code before}) or after {@code mark}
         */
        Optional<TimelineMark> nearest(String shipmentSscc, String probeId, TimelineMark mark, boolean before,
                                       Predicate<String> applied);

        /** No stored evidence: every piece must come after its probe's watermark. */
        TimelineNeighbours NONE = (sscc, probe, mark, before, applied) -> Optional.empty();
    }

    private ExposureFold() {
    }

    /**
     * Applies the pieces of {@code evidence} that are not yet in {@code state} (not among its recently applied ids;
     * the caller passes only pieces not marked applied in the store).
     *
     * @return the new state (same version: the caller writes it conditionally) and the ids it applied
     */
    public static Applied apply(ShipmentExposure state, Collection<ExposureEvidence> evidence, ProductClass product,
                                TimelineNeighbours neighbours) {
        Objects.requireNonNull(neighbours, "neighbours");
        Set<String> recent = new HashSet<>(state.recentlyApplied());
        Map<String, ExposureEvidence> unique = new LinkedHashMap<>();
        for (ExposureEvidence e : evidence) {
            if (!e.shipmentSscc().equals(state.shipmentSscc())) {
                throw new IllegalArgumentException("evidence " + e.evidenceId() + " is about " + e.shipmentSscc());
            }
            if (!recent.contains(e.evidenceId())) {
                unique.putIfAbsent(e.evidenceId(), e);
            }
        }
        List<ExposureEvidence> todo = new ArrayList<>(unique.values());
        todo.sort(APPLY_ORDER);
        Set<String> appliedNow = new HashSet<>();
        Predicate<String> applied = id -> recent.contains(id) || appliedNow.contains(id);
        Duration gap = product.policy().maxInterpolationGap();
        ShipmentExposure s = state;
        List<String> ids = new ArrayList<>();
        for (ExposureEvidence e : todo) {
            ProbeExposure p = s.probe(e.probeId());
            if (p.follows(e)) {
                p = p.apply(e, product.band(), gap);
            } else {
                TimelineMark x = TimelineMark.of(e);
                TimelineMark prev = neighbours.nearest(s.shipmentSscc(), e.probeId(), x, true, applied).orElse(null);
                TimelineMark next = neighbours.nearest(s.shipmentSscc(), e.probeId(), x, false, applied).orElse(null);
                p = p.apply(e, prev, next, product.band(), gap);
            }
            s = s.withProbe(p);
            if (e.sequence() != null) {
                s = s.withSequence(e.producerId(), e.sequence());
            }
            appliedNow.add(e.evidenceId());
            ids.add(e.evidenceId());
        }
        return new Applied(s, List.copyOf(ids));
    }

    /** A state built from all of a shipment's evidence at once (any order, duplicates allowed), no store needed. */
    public static ShipmentExposure of(String shipmentSscc, ProductClass product, Collection<ExposureEvidence> evidence) {
        List<ExposureEvidence> mine = evidence.stream().filter(e -> e.shipmentSscc().equals(shipmentSscc)).toList();
        return apply(ShipmentExposure.empty(shipmentSscc, product.name()), mine, product, TimelineNeighbours.NONE)
                .state();
    }

    /**
     * What {@link #apply} did.
     *
     * @param state   the new state, not yet written
     * @param applied the ids it applied, in order
     */
    public record Applied(ShipmentExposure state, List<String> applied) {
    }
}

package io.waybill.domain.coldchain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When, in event time, a shipment's cold chain breached: the end of the first piece of evidence such that the
 * evidence up to and including it, folded as the decision folds it ({@link ExposureFold}) and judged by the product
 * class's policy ({@link BreachPolicy#judge}), is a breach on some probe. For a time-out-of-range breach that is the
 * reading with which the cumulative time out of range first exceeds the budget (a reading holds until the next one,
 * so the budget is used up in the interval before it); for a hard limit, the first reading beyond it.
 * <p>
 * The decision's own {@link ShipmentExposure.Standing#breachSince()} is processing time (when the cloud first reached
 * the verdict, which for a replayed or late trip is long after the readings); this is the moment on the readings' time
 * line, the one a temperature plot marks. Evidence is taken in time order (primary pieces by their time line,
 * excursion reports after the readings of their end time); duplicates count once. Plain Java, O(evidence × probes).
 */
public final class BreachMoment {
    private static final Comparator<ExposureEvidence> TIME_ORDER = Comparator
            .comparing(ExposureEvidence::end)
            .thenComparing(e -> !e.primary())
            .thenComparing(e -> e.primary() ? TimelineMark.of(e) : null, Comparator.nullsLast(TimelineMark.ORDER))
            .thenComparing(ExposureEvidence::evidenceId);

    private BreachMoment() {
    }

    /**
     * @param evidence every piece of the shipment's evidence (any order, duplicates allowed)
     * @return the end of the piece with which the verdict first became a breach, or empty when it never did
     */
    public static Optional<Instant> first(String shipmentSscc, ProductClass product,
                                          Collection<ExposureEvidence> evidence) {
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(product, "product");
        List<ExposureEvidence> ordered = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ExposureEvidence e : evidence) {
            if (e.shipmentSscc().equals(shipmentSscc) && seen.add(e.evidenceId())) {
                ordered.add(e);
            }
        }
        ordered.sort(TIME_ORDER);
        ShipmentExposure state = ShipmentExposure.empty(shipmentSscc, product.name());
        for (ExposureEvidence e : ordered) {
            state = ExposureFold.apply(state, List.of(e), product, ExposureFold.TimelineNeighbours.NONE).state();
            if (product.policy().judge(state.probe(e.probeId()).figures(product.band())).breached()) {
                return Optional.of(e.end());
            }
        }
        return Optional.empty();
    }
}

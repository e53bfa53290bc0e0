package io.waybill.domain.coldchain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cold chain's running state of one shipment: the exposure of each probe ({@link ProbeExposure}) measured
 * against the product class it was computed for, the sequence numbers each producer's evidence carried, the
 * standing of its last decision, and the evidence the last writes applied (so a retry after a crash between writing
 * this state and marking the evidence applied does not apply it twice). Stored as one item, written conditionally on
 * {@link #version()}.
 *
 * @param shipmentSscc     the shipment
 * @param productClass     the product class the probes' totals were measured against (a new one rebuilds them)
 * @param probes           per probe, by id
 * @param sequences        per producer, the sequence numbers seen
 * @param standing         the last decision's standing
 * @param recentlyApplied  ids of the evidence the latest writes applied, newest last, at most
 *                         {@link #RECENT_LIMIT} beyond the last write's
 * @param version          0 before the first write
 */
public record ShipmentExposure(String shipmentSscc, String productClass, Map<String, ProbeExposure> probes,
                               Map<String, SequenceLedger> sequences, Standing standing, List<String> recentlyApplied,
                               long version) {
    /** How many applied ids are kept beyond those of the latest write. */
    public static final int RECENT_LIMIT = 128;

    /**
     * The standing of the shipment's latest decision.
     *
     * @param status      NORMAL, ATTENTION or BREACHED
     * @param breachSince when the breach verdict was first reached and has held since; null when not breached
     * @param pending     a breach verdict not acted on yet (the confirmation pass looks at these)
     * @param decidedAt   when it was decided
     * @param worstProbe  the probe whose figures decided, or null
     * @param torSeconds  its time out of range, seconds
     * @param unknownSeconds its time without evidence, seconds
     */
    public record Standing(ExposureStatus status, Instant breachSince, boolean pending, Instant decidedAt,
                           String worstProbe, double torSeconds, double unknownSeconds) {
        public static final Standing NONE = new Standing(ExposureStatus.NORMAL, null, false, null, null, 0, 0);
    }

    public ShipmentExposure {
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(productClass, "productClass");
        probes = java.util.Collections.unmodifiableMap(new TreeMap<>(probes));
        sequences = java.util.Collections.unmodifiableMap(new TreeMap<>(sequences));
        Objects.requireNonNull(standing, "standing");
        recentlyApplied = List.copyOf(recentlyApplied);
    }

    public static ShipmentExposure empty(String shipmentSscc, String productClass) {
        return new ShipmentExposure(shipmentSscc, productClass, Map.of(), Map.of(), Standing.NONE, List.of(), 0);
    }

    public ProbeExposure probe(String probeId) {
        return probes.getOrDefault(probeId, ProbeExposure.empty(probeId));
    }

    public ShipmentExposure withProbe(ProbeExposure p) {
        Map<String, ProbeExposure> m = new TreeMap<>(probes);
        m.put(p.probeId(), p);
        return new ShipmentExposure(shipmentSscc, productClass, m, sequences, standing, recentlyApplied, version);
    }

    public ShipmentExposure withSequence(String producer, long sequence) {
        Map<String, SequenceLedger> m = new TreeMap<>(sequences);
        m.put(producer, m.getOrDefault(producer, SequenceLedger.EMPTY).with(sequence));
        return new ShipmentExposure(shipmentSscc, productClass, probes, m, standing, recentlyApplied, version);
    }

    public ShipmentExposure withStanding(Standing s) {
        return new ShipmentExposure(shipmentSscc, productClass, probes, sequences, s, recentlyApplied, version);
    }

    /** This state after a write that applied {@code applied}: they are kept with the older ids, trimmed. */
    public ShipmentExposure withApplied(List<String> applied) {
        LinkedHashSet<String> ids = new LinkedHashSet<>(recentlyApplied);
        ids.removeAll(applied);
        ids.addAll(applied);
        List<String> all = new ArrayList<>(ids);
        int keep = RECENT_LIMIT + applied.size();
        List<String> kept = all.size() <= keep ? all : all.subList(all.size() - keep, all.size());
        return new ShipmentExposure(shipmentSscc, productClass, probes, sequences, standing, kept, version);
    }

    /** Evidence pieces applied over all probes. */
    public int evidence() {
        return probes.values().stream().mapToInt(ProbeExposure::evidence).sum();
    }

    /** Missing sequence numbers over all producers. */
    public long missingSequences() {
        return sequences.values().stream().mapToLong(SequenceLedger::missing).sum();
    }

    /** The end of the latest evidence outside the band, any probe. */
    public Instant lastOutOfBand() {
        Instant t = null;
        for (ProbeExposure p : probes.values()) {
            if (p.lastOutOfBand() != null && (t == null || p.lastOutOfBand().isAfter(t))) {
                t = p.lastOutOfBand();
            }
        }
        return t;
    }

    /** The highest edge severity, any probe. */
    public int edgeAttention() {
        return probes.values().stream().mapToInt(ProbeExposure::edgeSeverity).max().orElse(0);
    }
}

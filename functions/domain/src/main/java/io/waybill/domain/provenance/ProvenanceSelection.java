package io.waybill.domain.provenance;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.TemperatureBreached;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which canonical events are worth anchoring: the narrow set that needs shared immutability, never raw telemetry.
 * Parsed from a comma-separated spec ({@code WAYBILL_ANCHOR_SELECT}) whose items are
 * <ul>
 *   <li>{@value #CUSTODY}: custody transfers ({@code waybill.custody.transferred.v1});</li>
 *   <li>{@value #COLDCHAIN_DECISION}: the cloud's cold-chain decisions, {@code waybill.temperature.breached.v1}
 *       carrying a {@code decision} (the events the compliance records hold byte for byte); a device's or the edge's
 *       own breach detection (no {@code decision}) is telemetry and is not selected by this item;</li>
 *   <li>any other canonical type string, selected whole (e.g. {@code waybill.shipment.departed.v1}). Certificate
 *       verifications have no canonical type yet: when one is added, its type string is named here, so an unknown
 *       type string is accepted as long as it is shaped like a versioned type.</li>
 * </ul>
 * Refused with an {@link IllegalArgumentException}: the raw telemetry types (temperature observed, shipment located,
 * inventory observed) and the anchorer's own {@code waybill.provenance.recorded.v1} (anchoring it would loop).
 */
public final class ProvenanceSelection {
    public static final String CUSTODY = "custody";
    public static final String COLDCHAIN_DECISION = "coldchain-decision";
    /** The default rule: custody transfers and cold-chain decisions. */
    public static final String DEFAULT_SPEC = CUSTODY + "," + COLDCHAIN_DECISION;

    private static final Set<String> REFUSED = Set.of(EventType.TEMPERATURE_OBSERVED.type(),
            EventType.SHIPMENT_LOCATED.type(), EventType.INVENTORY_OBSERVED.type(),
            EventType.PROVENANCE_RECORDED.type());

    private final boolean coldChainDecisions;
    private final Set<String> wholeTypes;

    private ProvenanceSelection(boolean coldChainDecisions, Set<String> wholeTypes) {
        this.coldChainDecisions = coldChainDecisions;
        this.wholeTypes = Set.copyOf(wholeTypes);
    }

    public static ProvenanceSelection defaults() {
        return parse(DEFAULT_SPEC);
    }

    /**
     * @param spec comma-separated items (see the class comment); blank means {@link #DEFAULT_SPEC}
     * @throws IllegalArgumentException for a telemetry type, the anchorer's own type, or an item that is neither a
     *                                  keyword nor a versioned type string
     */
    public static ProvenanceSelection parse(String spec) {
        if (spec == null || spec.isBlank()) {
            spec = DEFAULT_SPEC;
        }
        boolean decisions = false;
        Set<String> types = new LinkedHashSet<>();
        for (String raw : spec.split(",")) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            String lower = item.toLowerCase(Locale.ROOT);
            if (lower.equals(CUSTODY)) {
                types.add(EventType.CUSTODY_TRANSFERRED.type());
            } else if (lower.equals(COLDCHAIN_DECISION)) {
                decisions = true;
            } else if (REFUSED.contains(item)) {
                throw new IllegalArgumentException("anchor selection: " + item + (item.equals(
                        EventType.PROVENANCE_RECORDED.type()) ? " is the anchorer's own event" : " is raw telemetry")
                        + " and is never anchored");
            } else if (item.equals(EventType.TEMPERATURE_BREACHED.type())) {
                throw new IllegalArgumentException("anchor selection: " + item + " includes devices' raw breach "
                        + "detections; use '" + COLDCHAIN_DECISION + "' for the cloud's decisions");
            } else if (item.matches("[a-z0-9]+(\\.[a-z0-9-]+)+\\.v[0-9]+")) {
                types.add(item);
            } else {
                throw new IllegalArgumentException("anchor selection: '" + item + "' is neither '" + CUSTODY + "', '"
                        + COLDCHAIN_DECISION + "' nor a versioned event type such as waybill.custody.transferred.v1");
            }
        }
        if (!decisions && types.isEmpty()) {
            throw new IllegalArgumentException("anchor selection selects nothing: '" + spec + "'");
        }
        return new ProvenanceSelection(decisions, types);
    }

    /** Whether the event is anchored. */
    public boolean selects(CanonicalEvent event) {
        Objects.requireNonNull(event, "event");
        if (wholeTypes.contains(event.type())) {
            return true;
        }
        return coldChainDecisions && EventType.TEMPERATURE_BREACHED.type().equals(event.type())
                && event.data() instanceof TemperatureBreached breach && breach.decision() != null;
    }

    @Override
    public String toString() {
        return (coldChainDecisions ? COLDCHAIN_DECISION + " " : "") + wholeTypes;
    }
}

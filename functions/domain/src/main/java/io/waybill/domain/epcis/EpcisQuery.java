package io.waybill.domain.epcis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;

/**
 * The part of the EPCIS 2.0 SimpleEventQuery Waybill serves ({@code GET /epcis/events}): each parameter a set of
 * values any of which matches (GS1's comma-separated lists), the parameters combined with AND. An empty set is no
 * filter. Values are held normalised as {@link EpcisEventIndex} holds them.
 *
 * @param eventTypes   {@code eventType}
 * @param geEventTime  {@code GE_eventTime} (inclusive), or null
 * @param ltEventTime  {@code LT_eventTime} (exclusive), or null
 * @param epcs         {@code MATCH_epc}: an EPC of the event's {@code epcList} or {@code childEPCs}
 * @param anyEpcs      {@code MATCH_anyEPC}: any EPC of the event (also parentID, input and output lists)
 * @param bizSteps     {@code EQ_bizStep}
 * @param bizLocations {@code EQ_bizLocation}
 */
public record EpcisQuery(Set<String> eventTypes, Instant geEventTime, Instant ltEventTime, Set<String> epcs,
                         Set<String> anyEpcs, Set<String> bizSteps, Set<String> bizLocations) {
    public EpcisQuery {
        eventTypes = sorted(eventTypes);
        epcs = sorted(epcs.stream().map(EpcisEventIndex::epc).toList());
        anyEpcs = sorted(anyEpcs.stream().map(EpcisEventIndex::epc).toList());
        bizSteps = sorted(bizSteps.stream().map(EpcisEventIndex::bizStep).toList());
        bizLocations = sorted(bizLocations.stream().map(EpcisEventIndex::epc).toList());
    }

    /** Every event. */
    public static EpcisQuery all() {
        return new EpcisQuery(Set.of(), null, null, Set.of(), Set.of(), Set.of(), Set.of());
    }

    /** Whether an event with these facts is an answer. */
    public boolean matches(EpcisEventIndex e) {
        if (!eventTypes.isEmpty() && !eventTypes.contains(e.type())) {
            return false;
        }
        if (geEventTime != null && e.eventTime().isBefore(geEventTime)) {
            return false;
        }
        if (ltEventTime != null && !e.eventTime().isBefore(ltEventTime)) {
            return false;
        }
        if (!epcs.isEmpty() && e.epcs().stream().noneMatch(epcs::contains)) {
            return false;
        }
        if (!anyEpcs.isEmpty() && e.anyEpcs().stream().noneMatch(anyEpcs::contains)) {
            return false;
        }
        if (!bizSteps.isEmpty() && (e.bizStep() == null || !bizSteps.contains(e.bizStep()))) {
            return false;
        }
        return bizLocations.isEmpty() || (e.bizLocation() != null && bizLocations.contains(e.bizLocation()));
    }

    /** A short digest of the whole query: a page cursor is bound to the query it was issued for. */
    public String fingerprint() {
        String s = eventTypes + "|" + geEventTime + "|" + ltEventTime + "|" + epcs + "|" + anyEpcs + "|"
                + bizSteps + "|" + bizLocations;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> sorted(java.util.Collection<String> values) {
        return java.util.Collections.unmodifiableSet(new TreeSet<>(values));
    }
}

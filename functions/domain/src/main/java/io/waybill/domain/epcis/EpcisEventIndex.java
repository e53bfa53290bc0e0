package io.waybill.domain.epcis;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the EPCIS query interface filters one captured event on, read from its JSON-LD form: the event type, the
 * event time (an instant), the EPCs {@code MATCH_epc} matches ({@code epcList} and {@code childEPCs}, GS1's
 * definition), every EPC the event names ({@code MATCH_anyEPC}: also {@code parentID}, {@code inputEPCList},
 * {@code outputEPCList}), the business step and the business location.
 *
 * <p>Values are normalised so a query matches whatever form the capturing partner used: EPCs and locations through
 * {@link EpcisKeys#canonical(String)} (a pure identity URN and its GS1 Digital Link URI are the same key), business
 * steps to their bare CBV name ({@code shipping}, {@code urn:epcglobal:cbv:bizstep:shipping} and
 * {@code https://ref.gs1.org/cbv/BizStep-shipping} are one step; a non-CBV URI stays as it is).
 *
 * @param type        {@code ObjectEvent}, {@code AggregationEvent}, ...
 * @param eventTime   the event time
 * @param epcs        the canonical EPCs of {@code epcList} and {@code childEPCs}
 * @param anyEpcs     every canonical EPC the event names
 * @param bizStep     the normalised business step, or null
 * @param bizLocation the canonical business location, or null
 */
public record EpcisEventIndex(String type, Instant eventTime, Set<String> epcs, Set<String> anyEpcs, String bizStep,
                              String bizLocation) {
    /** The event lists {@code MATCH_epc} looks in. */
    public static final Set<String> EPC_FIELDS = Set.of("epcList", "childEPCs");
    /** The fields {@code MATCH_anyEPC} looks in. */
    public static final Set<String> ANY_EPC_FIELDS = Set.of("epcList", "childEPCs", "inputEPCList", "outputEPCList",
            "parentID");
    private static final String CBV_WEB = "https://ref.gs1.org/cbv/BizStep-";
    private static final String CBV_URN = "urn:epcglobal:cbv:bizstep:";

    public EpcisEventIndex {
        epcs = Set.copyOf(epcs);
        anyEpcs = Set.copyOf(anyEpcs);
    }

    /**
     * @throws IllegalArgumentException when the event has no type or no parseable {@code eventTime} (the JSON Schema
     *                                  requires both)
     */
    public static EpcisEventIndex of(JsonNode event) {
        String type = event.path("type").asText("");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("the event has no type");
        }
        Set<String> epcs = new TreeSet<>();
        Set<String> anyEpcs = new TreeSet<>();
        for (String field : ANY_EPC_FIELDS) {
            Set<String> into = EPC_FIELDS.contains(field) ? epcs : anyEpcs;
            JsonNode v = event.get(field);
            if (v == null) {
                continue;
            }
            if (v.isTextual()) {
                into.add(epc(v.asText()));
            } else if (v.isArray()) {
                for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
                    JsonNode e = it.next();
                    if (e.isTextual()) {
                        into.add(epc(e.asText()));
                    }
                }
            }
        }
        anyEpcs.addAll(epcs);
        JsonNode step = event.get("bizStep");
        JsonNode location = event.path("bizLocation").get("id");
        return new EpcisEventIndex(type, time(event.path("eventTime").asText(null)), epcs, anyEpcs,
                step != null && step.isTextual() ? bizStep(step.asText()) : null,
                location != null && location.isTextual() ? epc(location.asText()) : null);
    }

    /** An EPC or location in the form the index holds (a URN and its Digital Link URI are one key). */
    public static String epc(String id) {
        return EpcisKeys.canonical(id.strip());
    }

    /** A business step in the form the index holds: the bare CBV name, or the URI when it is not a CBV step. */
    public static String bizStep(String step) {
        String s = step.strip();
        if (s.startsWith(CBV_WEB)) {
            return s.substring(CBV_WEB.length());
        }
        if (s.startsWith(CBV_URN)) {
            return s.substring(CBV_URN.length());
        }
        return s;
    }

    /** An EPCIS time (ISO 8601 with an offset, any fraction of a second) as an instant. */
    public static Instant time(String text) {
        if (text == null) {
            throw new IllegalArgumentException("the event has no eventTime");
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("eventTime '" + text + "' is not an ISO 8601 time with an offset");
        }
    }
}

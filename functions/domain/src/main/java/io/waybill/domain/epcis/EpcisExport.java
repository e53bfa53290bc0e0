package io.waybill.domain.epcis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.CustodyTransferred;
import io.waybill.domain.event.ErrorDeclared;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.InventoryObserved;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureObserved;
import io.waybill.domain.event.WorkOrderCompleted;
import io.waybill.domain.identity.Epc;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Canonical Waybill events as one GS1 EPCIS 2.0 JSON-LD {@code EPCISDocument} (the mapping is the table in
 * {@code functions/domain/README.md}, "GS1 EPCIS 2.0 export"). Each exported event's {@code eventID} is its CBV 2.0
 * event hash ({@link EpcisEventHash}), so the same canonical event exports to the same id wherever it is exported.
 *
 * <p>Temperature summaries ({@code waybill.temperature.observed.v1}) are not exported one by one (EPCIS is not for
 * raw sensor dumps): all summaries of a shipment in the input become one ObjectEvent whose single sensor report has
 * the lowest minimum, the highest maximum and the reading-weighted mean (Σ mean × readings / Σ readings, rounded to
 * 0.01 °C), over {@code startTime} = the first window start and {@code endTime} = the last window end. Those events
 * follow the others, in the order the shipments first appeared.
 *
 * <p>Not thread-safe: one instance per document.
 */
public final class EpcisExport {
    /** GS1's JSON-LD context of EPCIS 2.0. */
    public static final String CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
    /** {@code eventTimeZoneOffset}: canonical times are UTC and the local offset is not recorded. */
    public static final String UTC_OFFSET = "+00:00";

    /**
     * A work order as a {@code bizTransaction} of type {@code prodorder}: this prefix plus the work order id,
     * URL-encoded (UTF-8).
     */
    public static final String WORK_ORDER_PREFIX = "urn:waybill:workorder:";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final List<ObjectNode> events = new ArrayList<>();
    private final Map<String, TemperatureSummary> summaries = new LinkedHashMap<>();
    private final Map<String, Integer> skipped = new TreeMap<>();
    /** The first EPCIS event of each mapped canonical event, by event key (source#id): what a declaration repeats. */
    private final Map<String, ObjectNode> byEventKey = new HashMap<>();
    private final List<CanonicalEvent> declarations = new ArrayList<>();

    /**
     * Adds one canonical event: mapped, folded into its shipment's temperature summary, kept as an error declaration
     * (resolved in {@link #document}), or counted as skipped.
     */
    public void add(CanonicalEvent event) {
        Objects.requireNonNull(event, "event");
        EventData data = event.data();
        if (data instanceof TemperatureObserved t) {
            summaries.computeIfAbsent(t.shipmentSscc(), TemperatureSummary::new).add(t);
            return;
        }
        if (data instanceof ErrorDeclared) {
            declarations.add(event);
            return;
        }
        List<ObjectNode> mapped = map(event);
        if (mapped.isEmpty()) {
            skipped.merge(event.type(), 1, Integer::sum);
        } else {
            byEventKey.putIfAbsent(event.eventKey(), mapped.get(0));
        }
        events.addAll(mapped);
    }

    /**
     * The canonical types that have no EPCIS mapping and how many of each were skipped; error declarations whose
     * erroneous event was not added (or was a temperature summary, folded per shipment) count as skipped too.
     */
    public Map<String, Integer> skipped() {
        Map<String, Integer> all = new TreeMap<>(skipped);
        int unresolved = (int) declarations.stream().filter(d -> declared(d) == null).count();
        if (unresolved > 0) {
            all.merge(EventType.ERROR_DECLARED.type(), unresolved, Integer::sum);
        }
        return Map.copyOf(all);
    }

    /**
     * An error declaration as EPCIS 2.0 writes one: the erroneous event repeated, same {@code eventID} (its event
     * hash: {@link EpcisEventHash} does not hash {@code errorDeclaration}), with {@code errorDeclaration}
     * ({@code declarationTime}, {@code reason}, {@code correctiveEventIDs}); null when the erroneous event is not
     * among those added.
     */
    private ObjectNode declared(CanonicalEvent declaration) {
        ErrorDeclared d = (ErrorDeclared) declaration.data();
        ObjectNode original = byEventKey.get(declaration.source() + "#" + d.declaredEventId());
        if (original == null) {
            return null;
        }
        ObjectNode o = original.deepCopy();
        ObjectNode error = o.putObject("errorDeclaration");
        error.put("declarationTime", d.declarationTime().toString());
        if (d.reason() != null) {
            error.put("reason", d.reason());
        }
        if (!d.correctiveEventIds().isEmpty()) {
            strings(error.putArray("correctiveEventIDs"), d.correctiveEventIds());
        }
        return o;
    }

    private static String distinctKey(ObjectNode event) {
        return event.get("eventID").asText() + (event.has("errorDeclaration") ? ErrorDeclared.ID_SUFFIX : "");
    }

    /**
     * Mapped events that were equal to an earlier one (the same event hash: the same shipment departing the same
     * place at the same time, reported by a device and by a partner); the document holds each once.
     */
    public int duplicates() {
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        for (ObjectNode e : events) {
            if (!ids.add(e.get("eventID").asText())) {
                duplicates++;
            }
        }
        return duplicates;
    }

    /**
     * The EPCIS document of everything added so far, each distinct event (by event hash) once, first one kept; error
     * declarations last (one per erroneous event).
     */
    public ObjectNode document(Instant creationDate) {
        ObjectNode doc = JSON.objectNode();
        doc.putArray("@context").add(CONTEXT);
        doc.put("type", "EPCISDocument");
        doc.put("schemaVersion", "2.0");
        doc.put("creationDate", creationDate.toString());
        ArrayNode list = doc.putObject("epcisBody").putArray("eventList");
        Map<String, ObjectNode> distinct = new LinkedHashMap<>();
        events.forEach(e -> distinct.putIfAbsent(distinctKey(e), e));
        summaries.values().forEach(s -> {
            ObjectNode e = withId(s.event());
            distinct.putIfAbsent(distinctKey(e), e);
        });
        for (CanonicalEvent declaration : declarations) {
            ObjectNode e = declared(declaration);
            if (e != null) {
                distinct.putIfAbsent(distinctKey(e), e);
            }
        }
        distinct.values().forEach(list::add);
        return doc;
    }

    /**
     * What {@link #fromJsonLines} read and wrote.
     *
     * @param document  the EPCIS document
     * @param events    events in its {@code eventList}
     * @param canonical canonical events read
     * @param rejected  rejection lines ({@code "rejected": true}) skipped
     * @param unmapped  canonical types without an EPCIS mapping, and how many of each were skipped
     * @param duplicates mapped events left out because an equal one (same event hash) came first
     */
    public record LineExport(ObjectNode document, int events, int canonical, int rejected,
                             Map<String, Integer> unmapped, int duplicates) {
    }

    /**
     * Reads what {@code ./waybill normalize} writes (one canonical event or rejection per line; blank lines ignored)
     * and exports the canonical events as one document.
     *
     * @throws IllegalArgumentException naming the line, for a line that is neither
     */
    public static LineExport fromJsonLines(BufferedReader in, Instant creationDate) throws IOException {
        EpcisExport export = new EpcisExport();
        int canonical = 0;
        int rejected = 0;
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = CanonicalEventJson.MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("line " + number + " is not JSON: " + e.getOriginalMessage(), e);
            }
            if (node.path("rejected").asBoolean(false)) {
                rejected++;
                continue;
            }
            CanonicalEvent event;
            try {
                event = CanonicalEventJson.fromJson(node);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + number + " is not a canonical event: " + e.getMessage(),
                        e);
            }
            export.add(event);
            canonical++;
        }
        ObjectNode document = export.document(creationDate);
        return new LineExport(document, document.path("epcisBody").path("eventList").size(), canonical, rejected,
                export.skipped(), export.duplicates());
    }

    /** The EPCIS events of one canonical event (none for types without a mapping and for temperature summaries). */
    public static List<ObjectNode> map(CanonicalEvent event) {
        EventData data = event.data();
        Instant time = event.time();
        List<ObjectNode> out = new ArrayList<>();
        if (data instanceof InventoryObserved d) {
            ObjectNode o = objectEvent(time, "OBSERVE");
            strings(o.putArray("epcList"), d.epcs());
            o.putObject("readPoint").put("id", EpcisKeys.location(d.readPointGln()));
            out.add(o);
            List<String> sgtins = d.epcs().stream().filter(e -> e.startsWith(Epc.SGTIN_PREFIX)).toList();
            String parent = d.epcs().stream().filter(Epc::isSscc).findFirst().orElse(null);
            if (parent != null && !sgtins.isEmpty()) {
                ObjectNode a = event(time, "AggregationEvent");
                a.put("parentID", parent);
                strings(a.putArray("childEPCs"), sgtins);
                a.put("action", "ADD");
                a.putObject("readPoint").put("id", EpcisKeys.location(d.readPointGln()));
                out.add(a);
            }
        } else if (data instanceof ShipmentDeparted d) {
            ObjectNode o = shipmentEvent(time, d.shipmentSscc(), "departing");
            o.put("disposition", "in_transit");
            if (d.fromGln() != null) {
                o.putObject("readPoint").put("id", EpcisKeys.location(d.fromGln()));
            }
            out.add(o);
        } else if (data instanceof ShipmentArrived d) {
            ObjectNode o = shipmentEvent(time, d.shipmentSscc(), "arriving");
            place(o, d.atGln());
            out.add(o);
        } else if (data instanceof CustodyTransferred d) {
            ObjectNode o = shipmentEvent(time, d.shipmentSscc(), "accepting");
            place(o, d.atGln());
            if (d.fromPartyGln() != null) {
                o.putArray("sourceList").addObject().put("type", "possessing_party")
                        .put("source", EpcisKeys.party(d.fromPartyGln()));
            }
            if (d.toPartyGln() != null) {
                o.putArray("destinationList").addObject().put("type", "possessing_party")
                        .put("destination", EpcisKeys.party(d.toPartyGln()));
            }
            out.add(o);
        } else if (data instanceof WorkOrderCompleted d) {
            ObjectNode o = objectEvent(time, "ADD");
            if (!d.outputEpcs().isEmpty()) {
                strings(o.putArray("epcList"), d.outputEpcs());
            } else {
                ObjectNode q = o.putArray("quantityList").addObject();
                q.put("epcClass", EpcisKeys.productClass(d.gtin()));
                q.put("quantity", d.quantity());
                if (!"EA".equals(d.unit())) {
                    q.put("uom", d.unit());
                }
            }
            o.put("bizStep", "commissioning");
            o.put("disposition", "active");
            place(o, d.lineGln());
            o.putArray("bizTransactionList").addObject().put("type", "prodorder")
                    .put("bizTransaction", WORK_ORDER_PREFIX + URLEncoder.encode(d.workOrderId(), StandardCharsets.UTF_8));
            out.add(o);
        } else if (data instanceof TemperatureBreached d) {
            ObjectNode o = shipmentEvent(time, d.shipmentSscc(), "sensor_reporting");
            if (d.decision() != null) {
                o.put("disposition", "non_conformant");
            }
            ObjectNode element = o.putArray("sensorElementList").addObject();
            if (d.decision() != null) {
                element.putObject("sensorMetadata")
                        .put("startTime", d.decision().evidenceStart().toString())
                        .put("endTime", d.decision().evidenceEnd().toString());
            }
            element.putArray("sensorReport").addObject()
                    .put("type", "Temperature")
                    .put("exception", "ALARM_CONDITION")
                    .put("value", d.observedCelsius())
                    .put("uom", "CEL");
            out.add(o);
        }
        out.replaceAll(EpcisExport::withId);
        return out;
    }

    private static ObjectNode withId(ObjectNode event) {
        ObjectNode withId = JSON.objectNode();
        withId.put("type", event.get("type").asText());
        withId.put("eventID", EpcisEventHash.hash(event));
        event.fields().forEachRemaining(f -> withId.set(f.getKey(), f.getValue()));
        return withId;
    }

    private static ObjectNode event(Instant time, String type) {
        ObjectNode o = JSON.objectNode();
        o.put("type", type);
        o.put("eventTime", time.toString());
        o.put("eventTimeZoneOffset", UTC_OFFSET);
        return o;
    }

    private static ObjectNode objectEvent(Instant time, String action) {
        ObjectNode o = event(time, "ObjectEvent");
        o.put("action", action);
        return o;
    }

    private static ObjectNode shipmentEvent(Instant time, String sscc, String bizStep) {
        ObjectNode o = objectEvent(time, "OBSERVE");
        o.putArray("epcList").add(EpcisKeys.sscc(sscc));
        o.put("bizStep", bizStep);
        return o;
    }

    private static void place(ObjectNode o, String gln) {
        if (gln != null) {
            o.putObject("readPoint").put("id", EpcisKeys.location(gln));
            o.putObject("bizLocation").put("id", EpcisKeys.location(gln));
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** All temperature summaries of one shipment, folded. */
    private static final class TemperatureSummary {
        private final String sscc;
        private Instant start;
        private Instant end;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double weightedSum;
        private long readings;

        TemperatureSummary(String sscc) {
            this.sscc = sscc;
        }

        void add(TemperatureObserved t) {
            start = start == null || t.windowStart().isBefore(start) ? t.windowStart() : start;
            end = end == null || t.windowEnd().isAfter(end) ? t.windowEnd() : end;
            min = Math.min(min, t.minCelsius());
            max = Math.max(max, t.maxCelsius());
            weightedSum += t.meanCelsius() * t.readingCount();
            readings += t.readingCount();
        }

        ObjectNode event() {
            ObjectNode o = shipmentEvent(end, sscc, "sensor_reporting");
            ObjectNode element = o.putArray("sensorElementList").addObject();
            element.putObject("sensorMetadata")
                    .put("startTime", start.toString())
                    .put("endTime", end.toString());
            element.putArray("sensorReport").addObject()
                    .put("type", "Temperature")
                    .put("minValue", min)
                    .put("maxValue", max)
                    .put("meanValue", BigDecimal.valueOf(weightedSum / readings).setScale(2, RoundingMode.HALF_UP))
                    .put("uom", "CEL");
            return o;
        }
    }
}

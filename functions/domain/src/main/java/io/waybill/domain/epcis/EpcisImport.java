package io.waybill.domain.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CustodyTransferred;
import io.waybill.domain.event.ErrorDeclared;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventIdentity;
import io.waybill.domain.event.InventoryObserved;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.event.TemperatureObserved;
import io.waybill.domain.event.WorkOrderCompleted;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.DeviceTimestamps;
import io.waybill.domain.units.Temperatures;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Partners' GS1 EPCIS 2.0 events as canonical Waybill events: the inverse of {@link EpcisExport}'s table (see
 * {@code functions/domain/README.md}, "GS1 EPCIS 2.0 import"). One EPCIS event gives one canonical event's data or a
 * rejection with its reason; nothing is dropped silently. Stateless and thread-safe.
 *
 * <p><b>Identity.</b> The producer message id ({@link Imported#messageId()}) is the event's {@code eventID} when it has
 * one and it is not an event hash, else its CBV 2.0 event hash as Waybill computes it ({@link EpcisEventHash}; a
 * partner's {@code ni:///sha-256;...} eventID is recomputed, not trusted: another implementation's hash, or GS1's own
 * illustrative ones, may differ, and the same event must get the same id with or without it, and its error
 * declaration must name it), so a resend is a duplicate; the canonical id is that
 * message id bounded like every producer id ({@link EventIdentity#messageId(String)}: kept when it is short and safe,
 * else {@code msg-sha256-<hex>} of it; an {@code ni:///sha-256;...} hash always becomes the latter). An event with
 * {@code errorDeclaration} is a correction ({@link ErrorDeclared}): its message id is the erroneous event's message
 * id plus {@value ErrorDeclared#ID_SUFFIX}.
 */
public final class EpcisImport {
    private static final String CBV = "https://ref.gs1.org/cbv/";
    /** An eventID that is an event hash ({@code ni:///sha-256;...}): Waybill recomputes it rather than trust it. */
    private static final String HASH_ID = "ni:";
    private static final Pattern OFFSET = Pattern.compile("[+-]\\d{2}:\\d{2}");
    private static final Set<String> DEPARTING = Set.of("departing", "shipping");
    private static final Set<String> ARRIVING = Set.of("arriving", "receiving");

    private EpcisImport() {
    }

    /** What one EPCIS event became. */
    public sealed interface Outcome {
        /** The event's place in the document's {@code eventList} (0 for a single event). */
        int index();

        /** The event's {@code eventID} as the partner sent it, or null. */
        String epcisEventId();
    }

    /**
     * An EPCIS event as canonical data.
     *
     * @param messageId the producer message id ({@code eventID}, else the event hash; plus {@code #error-declared}
     *                  for an error declaration)
     * @param time      {@code eventTime} as an instant ({@code eventTimeZoneOffset} applied when it has no offset)
     * @param data      the canonical data
     */
    public record Imported(int index, String epcisEventId, String messageId, Instant time, EventData data)
            implements Outcome {
        /** The canonical (CloudEvents) id the normaliser gives this event. */
        public String canonicalId() {
            return EventIdentity.messageId(messageId);
        }
    }

    /** An EPCIS event that has no canonical form or breaks the standard, and why. */
    public record Refused(int index, String epcisEventId, RejectionReason reason, String detail) implements Outcome {
    }

    /** Every event of an {@code EPCISDocument} ({@code epcisBody.eventList}), in order. */
    public static List<Outcome> document(JsonNode document) {
        JsonNode list = document.path("epcisBody").path("eventList");
        if (!list.isArray()) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD,
                    "epcisBody.eventList is required (an EPCISDocument)");
        }
        List<Outcome> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String eventId = e.path("eventID").isTextual() ? e.get("eventID").asText() : null;
            try {
                if (!e.isObject()) {
                    throw new RejectedRecordException(RejectionReason.MALFORMED_JSON, "eventList[" + i
                            + "] is not an object");
                }
                Imported imported = event((ObjectNode) e);
                out.add(new Imported(i, imported.epcisEventId(), imported.messageId(), imported.time(),
                        imported.data()));
            } catch (RejectedRecordException ex) {
                out.add(new Refused(i, eventId, ex.reason(), ex.detail()));
            }
        }
        return out;
    }

    /**
     * One EPCIS event object (as in {@code eventList}; top-level fields other than EPCIS ones are ignored).
     *
     * @throws RejectedRecordException when it has no canonical form or breaks the standard
     */
    public static Imported event(ObjectNode event) {
        JsonNode declaration = event.get("errorDeclaration");
        String eventId = optionalText(event, "eventID");
        if (declaration != null && !declaration.isNull()) {
            ObjectNode original = event.deepCopy();
            original.remove("errorDeclaration");
            Imported erroneous;
            try {
                erroneous = event(original);
            } catch (RejectedRecordException e) {
                throw new RejectedRecordException(e.reason(), "errorDeclaration of an event Waybill does not import: "
                        + e.detail());
            }
            // EPCIS 2.0 repeats the erroneous event with errorDeclaration added: a UUID eventID is the original's;
            // a hash eventID is not (GS1's example gives the declaration a hash of its own), so the original's id is
            // Waybill's hash of the event without the declaration, the id the original got (hash ids are recomputed).
            String declared = eventId != null && !eventId.startsWith(HASH_ID) ? eventId : EpcisEventHash.hash(original);
            Instant declarationTime = time(declaration, "errorDeclaration.declarationTime");
            String reason = optionalText(declaration, "reason");
            List<String> corrective = new ArrayList<>();
            for (JsonNode c : declaration.path("correctiveEventIDs")) {
                corrective.add(c.asText());
            }
            ErrorDeclared data = new ErrorDeclared(EventIdentity.messageId(declared), erroneous.data().subject(),
                    declarationTime, reason == null ? null : vocabulary(reason, "urn:epcglobal:cbv:er:", "ER-"),
                    List.copyOf(new LinkedHashSet<>(corrective)));
            return new Imported(0, eventId, declared + ErrorDeclared.ID_SUFFIX, erroneous.time(), data);
        }
        String type = requiredText(event, "type");
        Instant time = eventTime(event);
        EventData data = switch (type) {
            case "ObjectEvent" -> objectEvent(event);
            case "AggregationEvent" -> throw unsupported("AggregationEvent (packing a parent with children) has no "
                    + "canonical event: Waybill records what was read (an ObjectEvent), not packing");
            case "TransformationEvent" -> throw unsupported("TransformationEvent (inputs into outputs) has no "
                    + "canonical event: a work order records no inputs; send an ObjectEvent ADD commissioning");
            case "AssociationEvent", "TransactionEvent" -> throw unsupported(type + " has no canonical event");
            default -> throw unsupported("type '" + type + "' is not an EPCIS 2.0 event type");
        };
        String messageId = eventId != null && !eventId.startsWith(HASH_ID) ? eventId : EpcisEventHash.hash(event);
        return new Imported(0, eventId, messageId, time, data);
    }

    private static EventData objectEvent(ObjectNode e) {
        String action = requiredText(e, "action");
        String bizStep = optionalText(e, "bizStep");
        String step = bizStep == null ? null : vocabulary(bizStep, "urn:epcglobal:cbv:bizstep:", "BizStep-");
        if (action.equals("ADD")) {
            if ("commissioning".equals(step)) {
                return workOrder(e);
            }
            throw unsupported("action ADD with bizStep " + quote(bizStep) + ": only commissioning is imported "
                    + "(as workorder.completed)");
        }
        if (!action.equals("OBSERVE")) {
            throw unsupported("action " + quote(action) + " has no canonical event (OBSERVE and ADD commissioning "
                    + "are imported)");
        }
        if (e.has("sensorElementList") && (step == null || step.equals("sensor_reporting")
                || step.equals("inspecting"))) {
            return temperature(e);
        }
        if (step == null) {
            return inventory(e);
        }
        if (DEPARTING.contains(step) || ARRIVING.contains(step)) {
            String sscc = singleSscc(e, false);
            if (sscc == null) {
                return inventory(e); // items read on their way out or in, without a logistic unit: a read
            }
            String readPoint = place(e, "readPoint");
            return DEPARTING.contains(step) ? new ShipmentDeparted(sscc, readPoint, null, null, null)
                    : new ShipmentArrived(sscc, firstNonNull(place(e, "bizLocation"), readPoint), null, null);
        }
        if (step.equals("accepting")) {
            String sscc = singleSscc(e, true);
            String from = party(e, "sourceList", "source");
            String to = party(e, "destinationList", "destination");
            return new CustodyTransferred(sscc, from, to, firstNonNull(place(e, "bizLocation"), place(e, "readPoint")));
        }
        if (step.equals("sensor_reporting")) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD,
                    "bizStep sensor_reporting without a sensorElementList");
        }
        throw new RejectedRecordException(RejectionReason.UNKNOWN_CODE, "bizStep " + quote(bizStep)
                + " has no canonical event (imported: departing/shipping, arriving/receiving, accepting, "
                + "commissioning, sensor_reporting, or none for a plain read)");
    }

    private static InventoryObserved inventory(ObjectNode e) {
        JsonNode list = e.path("epcList");
        if (!list.isArray() || list.isEmpty()) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, "epcList is required (the EPCs read)");
        }
        Set<String> epcs = new TreeSet<>();
        String sscc = null;
        for (int i = 0; i < list.size(); i++) {
            String urn = EpcisIdentifiers.epcUrn(list.get(i).asText(), "epcList[" + i + "]");
            epcs.add(urn);
            if (sscc == null) {
                sscc = EpcisIdentifiers.ssccOrNull(urn, "epcList[" + i + "]");
            }
        }
        String readPointId = e.path("readPoint").path("id").asText(null);
        if (readPointId == null) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, "readPoint.id is required for a read");
        }
        return new InventoryObserved(EpcisIdentifiers.locationGln(readPointId, "readPoint.id"), readPointId,
                List.copyOf(epcs), sscc);
    }

    private static WorkOrderCompleted workOrder(ObjectNode e) {
        String workOrder = null;
        for (JsonNode t : e.path("bizTransactionList")) {
            if ("prodorder".equals(vocabulary(t.path("type").asText(""), "urn:epcglobal:cbv:btt:", "BTT-"))) {
                workOrder = t.path("bizTransaction").asText(null);
                if (workOrder != null && workOrder.startsWith(EpcisExport.WORK_ORDER_PREFIX)) {
                    workOrder = URLDecoder.decode(workOrder.substring(EpcisExport.WORK_ORDER_PREFIX.length()),
                            StandardCharsets.UTF_8);
                }
            }
        }
        if (workOrder == null || workOrder.isBlank()) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, "commissioning needs the work order: "
                    + "a bizTransactionList entry of type prodorder");
        }
        String line = firstNonNull(place(e, "bizLocation"), place(e, "readPoint"));
        JsonNode epcList = e.path("epcList");
        if (epcList.isArray() && !epcList.isEmpty()) {
            Set<String> urns = new TreeSet<>();
            String gtin = null;
            for (int i = 0; i < epcList.size(); i++) {
                String field = "epcList[" + i + "]";
                String urn = EpcisIdentifiers.epcUrn(epcList.get(i).asText(), field);
                String g = EpcisIdentifiers.gtinOfItem(urn, field);
                if (gtin != null && !gtin.equals(g)) {
                    throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "commissioning of two "
                            + "products (" + gtin + ", " + g + "): a work order makes one GTIN");
                }
                gtin = g;
                urns.add(urn);
            }
            return new WorkOrderCompleted(workOrder, gtin, urns.size(), "EA", line, List.copyOf(urns));
        }
        JsonNode quantities = e.path("quantityList");
        if (!quantities.isArray() || quantities.size() != 1) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, "commissioning needs an epcList or "
                    + "exactly one quantityList element");
        }
        JsonNode q = quantities.get(0);
        String gtin = EpcisIdentifiers.gtinOfClass(q.path("epcClass").asText(""), "quantityList[0].epcClass");
        if (!q.path("quantity").isNumber() || !(q.get("quantity").doubleValue() > 0)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "quantityList[0].quantity must be a number > 0");
        }
        String unit = q.path("uom").asText("EA");
        if (!unit.equals("EA") && !unit.equals("KGM")) {
            throw new RejectedRecordException(RejectionReason.UNKNOWN_UNIT,
                    "quantityList[0].uom '" + unit + "' is not KGM (or none, a count)");
        }
        return new WorkOrderCompleted(workOrder, gtin, q.get("quantity").doubleValue(), unit, line, List.of());
    }

    private static TemperatureObserved temperature(ObjectNode e) {
        String sscc = singleSscc(e, true);
        Instant eventTime = eventTime(e);
        Instant start = null;
        Instant end = null;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int count = 0;
        String device = null;
        JsonNode elements = e.path("sensorElementList");
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            JsonNode meta = element.path("sensorMetadata");
            String path = "sensorElementList[" + i + "]";
            if (device == null && meta.path("deviceID").isTextual()) {
                device = meta.get("deviceID").asText();
            }
            JsonNode reports = element.path("sensorReport");
            for (int j = 0; j < reports.size(); j++) {
                JsonNode r = reports.get(j);
                if (!"Temperature".equals(vocabulary(r.path("type").asText(""), "gs1:", "")
                        .replace("https://gs1.org/voc/", ""))) {
                    continue;
                }
                String rp = path + ".sensorReport[" + j + "]";
                String exception = r.path("exception").asText(null);
                if (exception != null) {
                    throw new RejectedRecordException(RejectionReason.MISSING_FIELD, rp + ": a temperature "
                            + exception + " is not imported as temperature.breached: that event needs the band limit "
                            + "crossed and which side, and an EPCIS sensor report does not carry them");
                }
                String uom = r.path("uom").asText("");
                if (!uom.equals("CEL")) {
                    throw new RejectedRecordException(RejectionReason.UNKNOWN_UNIT, rp + ".uom '" + uom
                            + "' is not CEL");
                }
                Instant reportStart = meta.has("startTime") ? time(meta, path + ".sensorMetadata.startTime")
                        : meta.has("time") ? time(meta, path + ".sensorMetadata.time") : eventTime;
                Instant reportEnd = meta.has("endTime") ? time(meta, path + ".sensorMetadata.endTime")
                        : meta.has("time") ? time(meta, path + ".sensorMetadata.time") : eventTime;
                if (r.has("value")) {
                    double v = celsius(r, "value", rp);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                    count++;
                } else if (r.has("minValue") && r.has("maxValue") && r.has("meanValue")) {
                    double lo = celsius(r, "minValue", rp);
                    double hi = celsius(r, "maxValue", rp);
                    double mean = celsius(r, "meanValue", rp);
                    if (lo > mean || mean > hi) {
                        throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, rp
                                + ": meanValue is not between minValue and maxValue");
                    }
                    min = Math.min(min, lo);
                    max = Math.max(max, hi);
                    sum += mean; // a summary counts as one reading: EPCIS does not say how many it summarised
                    count++;
                } else {
                    throw new RejectedRecordException(RejectionReason.MISSING_FIELD, rp + ": a temperature report "
                            + "needs value, or minValue, maxValue and meanValue");
                }
                start = start == null || reportStart.isBefore(start) ? reportStart : start;
                end = end == null || reportEnd.isAfter(end) ? reportEnd : end;
            }
        }
        if (count == 0) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD,
                    "sensorElementList holds no Temperature report (the only sensor type imported)");
        }
        if (end.isBefore(start)) {
            throw new RejectedRecordException(RejectionReason.INVALID_TIME, "sensor endTime is before startTime");
        }
        return new TemperatureObserved(sscc, device != null ? device : "epcis", start, end, min, max,
                Temperatures.round(sum / count), count, null);
    }

    private static double celsius(JsonNode report, String field, String path) {
        JsonNode n = report.get(field);
        if (!n.isNumber()) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, path + "." + field
                    + " must be a number");
        }
        return Temperatures.requirePlausibleCelsius(n.doubleValue(), path + "." + field);
    }

    /** The event's one SSCC, or null (or a rejection, when {@code required}) when its epcList has none. */
    private static String singleSscc(ObjectNode e, boolean required) {
        String sscc = null;
        JsonNode list = e.path("epcList");
        for (int i = 0; i < list.size(); i++) {
            String s = EpcisIdentifiers.ssccOrNull(list.get(i).asText(), "epcList[" + i + "]");
            if (s != null) {
                if (sscc != null && !sscc.equals(s)) {
                    throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "epcList holds two SSCCs ("
                            + sscc + ", " + s + "): one canonical shipment event names one shipment");
                }
                sscc = s;
            }
        }
        if (sscc == null && required) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD,
                    "epcList has no SSCC: this event is about a shipment (its logistic unit)");
        }
        return sscc;
    }

    private static String party(ObjectNode e, String list, String field) {
        JsonNode items = e.path(list);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if ("possessing_party".equals(vocabulary(item.path("type").asText(""), "urn:epcglobal:cbv:sdt:", "SDT-"))) {
                return EpcisIdentifiers.partyGln(item.path(field).asText(""), list + "[" + i + "]." + field);
            }
        }
        throw new RejectedRecordException(RejectionReason.MISSING_FIELD,
                "accepting needs a " + list + " entry of type possessing_party (who hands over and who takes over)");
    }

    private static String place(ObjectNode e, String field) {
        JsonNode id = e.path(field).path("id");
        return id.isTextual() ? EpcisIdentifiers.locationGln(id.asText(), field + ".id") : null;
    }

    /** {@code eventTime}; without an offset of its own, at {@code eventTimeZoneOffset}. */
    private static Instant eventTime(ObjectNode e) {
        String time = requiredText(e, "eventTime");
        String offset = requiredText(e, "eventTimeZoneOffset");
        if (!OFFSET.matcher(offset).matches()) {
            throw new RejectedRecordException(RejectionReason.INVALID_TIME,
                    "eventTimeZoneOffset '" + offset + "' is not ±hh:mm");
        }
        try {
            OffsetDateTime.parse(time);
            return DeviceTimestamps.fromIso(time, "eventTime");
        } catch (DateTimeParseException noOffset) {
            return DeviceTimestamps.fromIso(time + offset, "eventTime");
        }
    }

    private static Instant time(JsonNode n, String path) {
        String field = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, path + " is required");
        }
        return DeviceTimestamps.fromIso(v.asText(), path);
    }

    /** A CBV value as its short name, whatever form it came in (short, URN, web URI). */
    static String vocabulary(String value, String urnPrefix, String webPrefix) {
        String v = value.strip();
        if (v.regionMatches(true, 0, urnPrefix, 0, urnPrefix.length())) {
            return v.substring(urnPrefix.length());
        }
        for (String base : List.of(CBV, "https://gs1.org/voc/", "http://gs1.org/voc/")) {
            if (v.startsWith(base + webPrefix)) {
                return v.substring(base.length() + webPrefix.length());
            }
        }
        return v;
    }

    private static String requiredText(JsonNode n, String field) {
        String s = optionalText(n, field);
        if (s == null) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, field + " is required");
        }
        return s;
    }

    private static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isValueNode() && !v.isNull() && !v.asText().isBlank() ? v.asText().strip() : null;
    }

    private static RejectedRecordException unsupported(String detail) {
        return new RejectedRecordException(RejectionReason.UNKNOWN_CODE, detail);
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "'" + s + "'";
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}

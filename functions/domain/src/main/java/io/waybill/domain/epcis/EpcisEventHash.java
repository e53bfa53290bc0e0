package io.waybill.domain.epcis;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The CBV 2.0 EPCIS event hash ("event hash ID", CBV 2.0 section 8.9): a pre-hash string made of the event's
 * fields in CBV's fixed order, {@code eventID} and {@code recordTime} left out, EPCs and locations as canonical GS1
 * Digital Link URIs ({@link EpcisKeys#canonical(String)}), CBV values as their full web vocabulary URIs, times in UTC
 * with milliseconds; the elements of a list sorted; then {@code ni:///sha-256;<hex>?ver=CBV2.0}.
 *
 * <p>Covers the fields Waybill exports (what, when, where, why, source/destination, business transactions, sensor
 * elements); user extensions, {@code ilmd}, {@code persistentDisposition} and {@code certificationInfo} are not
 * hashed (Waybill does not emit them). Checked against GS1's published example hashes.
 */
public final class EpcisEventHash {
    /** The hash version suffix. */
    public static final String VERSION = "?ver=CBV2.0";
    private static final String CBV = "https://ref.gs1.org/cbv/";
    private static final DateTimeFormatter MILLIS_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private static final List<String> EPC_LISTS = List.of("epcList", "parentID", "inputEPCList", "childEPCs");
    private static final List<String> QUANTITY_LISTS_1 = List.of("quantityList", "childQuantityList",
            "inputQuantityList");
    private static final List<String> SENSOR_METADATA = List.of("time", "startTime", "endTime", "deviceID",
            "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules");
    private static final List<String> SENSOR_REPORT = List.of("type", "exception", "deviceID", "deviceMetadata",
            "rawData", "dataProcessingMethod", "time", "microorganism", "chemicalSubstance", "value", "component",
            "stringValue", "booleanValue", "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev",
            "percRank", "percValue", "uom", "coordinateReferenceSystem");
    private static final Map<String, String> LIST_PREFIX = Map.of("bizTransactionList", "BTT-",
            "sourceList", "SDT-", "destinationList", "SDT-");

    private EpcisEventHash() {
    }

    /** {@code ni:///sha-256;<64 hex>?ver=CBV2.0} of the event (its {@code eventID}, if any, is ignored). */
    public static String hash(JsonNode event) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(preHash(event).getBytes(StandardCharsets.UTF_8));
            return "ni:///sha-256;" + HexFormat.of().formatHex(digest) + VERSION;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The canonical pre-hash string of an EPCIS 2.0 JSON-LD event. */
    public static String preHash(JsonNode e) {
        StringBuilder s = new StringBuilder();
        s.append("eventType=").append(e.path("type").asText());
        s.append("eventTime=").append(utcMillis(e.path("eventTime").asText()));
        s.append("eventTimeZoneOffset=").append(e.path("eventTimeZoneOffset").asText());
        for (String list : EPC_LISTS) {
            JsonNode v = e.get(list);
            if (v == null) {
                continue;
            }
            if (v.isTextual()) { // parentID
                s.append(list).append('=').append(EpcisKeys.canonical(v.asText()));
            } else {
                s.append(list);
                sortedStrings(v, "epc=", true).forEach(s::append);
            }
        }
        for (String list : QUANTITY_LISTS_1) {
            quantities(e, list, s);
        }
        if (e.has("outputEPCList")) {
            s.append("outputEPCList");
            sortedStrings(e.get("outputEPCList"), "epc=", true).forEach(s::append);
        }
        quantities(e, "outputQuantityList", s);
        plain(e, "action", s);
        plain(e, "transformationID", s);
        if (e.has("bizStep")) {
            s.append("bizStep=").append(vocabulary(e.get("bizStep").asText(), "BizStep-"));
        }
        if (e.has("disposition")) {
            s.append("disposition=").append(vocabulary(e.get("disposition").asText(), "Disp-"));
        }
        for (String place : List.of("readPoint", "bizLocation")) {
            if (e.has(place)) {
                s.append(place).append("id=").append(EpcisKeys.canonical(e.get(place).path("id").asText()));
            }
        }
        for (String list : List.of("bizTransactionList", "sourceList", "destinationList")) {
            if (!e.has(list)) {
                continue;
            }
            List<String> items = new ArrayList<>();
            String valueField = list.substring(0, list.length() - "List".length());
            for (JsonNode item : e.get(list)) {
                List<String> parts = new ArrayList<>();
                if (item.has("type")) {
                    parts.add("type=" + vocabulary(item.get("type").asText(), LIST_PREFIX.get(list)));
                }
                parts.add(valueField + "=" + EpcisKeys.canonical(item.path(valueField).asText()));
                parts.sort(null);
                items.add(String.join("", parts));
            }
            items.sort(null);
            s.append(list);
            items.forEach(s::append);
        }
        if (e.has("sensorElementList")) {
            List<String> elements = new ArrayList<>();
            for (JsonNode element : e.get("sensorElementList")) {
                StringBuilder el = new StringBuilder("sensorElement");
                JsonNode metadata = element.get("sensorMetadata");
                if (metadata != null) {
                    el.append("sensorMetadata");
                    for (String f : SENSOR_METADATA) {
                        if (metadata.has(f)) {
                            el.append(f).append('=').append(value(f, metadata.get(f)));
                        }
                    }
                }
                List<String> reports = new ArrayList<>();
                for (JsonNode report : element.path("sensorReport")) {
                    StringBuilder r = new StringBuilder("sensorReport");
                    for (String f : SENSOR_REPORT) {
                        if (report.has(f)) {
                            r.append(f).append('=').append(value(f, report.get(f)));
                        }
                    }
                    reports.add(r.toString());
                }
                reports.sort(null);
                reports.forEach(el::append);
                elements.add(el.toString());
            }
            elements.sort(null);
            s.append("sensorElementList");
            elements.forEach(s::append);
        }
        return s.toString();
    }

    private static void quantities(JsonNode e, String list, StringBuilder s) {
        if (!e.has(list)) {
            return;
        }
        List<String> items = new ArrayList<>();
        for (JsonNode q : e.get(list)) {
            StringBuilder item = new StringBuilder("quantityElement");
            item.append("epcClass=").append(EpcisKeys.canonical(q.path("epcClass").asText()));
            if (q.has("quantity")) {
                item.append("quantity=").append(number(q.get("quantity")));
            }
            if (q.has("uom")) {
                item.append("uom=").append(q.get("uom").asText());
            }
            items.add(item.toString());
        }
        items.sort(null);
        s.append(list);
        items.forEach(s::append);
    }

    private static void plain(JsonNode e, String field, StringBuilder s) {
        if (e.has(field)) {
            s.append(field).append('=').append(e.get(field).asText());
        }
    }

    private static List<String> sortedStrings(JsonNode array, String prefix, boolean canonical) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(prefix + (canonical ? EpcisKeys.canonical(n.asText()) : n.asText()));
        }
        out.sort(null);
        return out;
    }

    private static String value(String field, JsonNode v) {
        if (v.isNumber()) {
            return number(v);
        }
        String text = v.asText();
        if (field.equals("type") || field.equals("exception")) {
            return text.contains(":") ? text : "gs1:" + text;
        }
        if (field.toLowerCase().endsWith("time")) {
            return text;
        }
        return EpcisKeys.canonical(text);
    }

    private static String number(JsonNode v) {
        BigDecimal d = v.decimalValue().stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    private static String vocabulary(String value, String prefix) {
        return value.contains(":") ? value : CBV + prefix + value;
    }

    /**
     * An xsd:dateTime as UTC with exactly three fraction digits ({@code 2022-02-17T02:33:31.116Z}), a finer fraction
     * rounded half up to the millisecond.
     */
    static String utcMillis(String dateTime) {
        return OffsetDateTime.parse(dateTime).withOffsetSameInstant(ZoneOffset.UTC).plusNanos(500_000)
                .truncatedTo(ChronoUnit.MILLIS).format(MILLIS_UTC);
    }
}

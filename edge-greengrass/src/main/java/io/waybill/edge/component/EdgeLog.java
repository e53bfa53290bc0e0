package io.waybill.edge.component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Structured log lines: one JSON object per line, {@code event} first, then the fields in the order given, so that a
 * log pipeline (CloudWatch Logs Insights on the Greengrass log, {@code jq} on a laptop) can filter on them. Values
 * are the component's own state (thing names, SSCCs, counts, reasons), never credentials.
 */
final class EdgeLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EdgeLog() {
    }

    /**
     * {@code {"event": event, k1: v1, k2: v2, ...}}; a null value is written as JSON null.
     *
     * @param fields alternating names (strings) and values (strings, numbers, booleans or null)
     */
    static String line(String event, Object... fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields must be name/value pairs");
        }
        ObjectNode n = JSON.createObjectNode().put("event", event);
        for (int i = 0; i < fields.length; i += 2) {
            String name = (String) fields[i];
            Object v = fields[i + 1];
            if (v == null) {
                n.putNull(name);
            } else if (v instanceof Long l) {
                n.put(name, l);
            } else if (v instanceof Integer x) {
                n.put(name, x);
            } else if (v instanceof Boolean b) {
                n.put(name, b);
            } else {
                n.put(name, v.toString());
            }
        }
        return n.toString();
    }
}

package io.waybill.edge.uplink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cloud sends back to a device once it has stored some of its messages: on
 * {@code cmd/waybill/<stage>/<thingName>/stored}, QoS 1, the exact sequence numbers stored, as inclusive ranges:
 * <pre>{"stored": [[12, 15], [18, 18]]}</pre>
 * "Stored" means the event store holds the message (stored now, or found there as a duplicate of a resend); the
 * cloud sends a range only for sequences of that device it has stored, never a watermark over sequences it has not
 * seen, so a message stored late (after a retry, out of order) or never (dropped by the spool, dead-lettered) never
 * makes the device forget another one. The device acknowledges in its spool exactly what is listed, and moves its
 * durable position over a run of live messages only once every message of the run is confirmed.
 *
 * @param ranges inclusive {@code [first, last]} pairs, each with {@code 0 <= first <= last}
 */
public record StorageConfirmation(List<long[]> ranges) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** At most this many ranges in one confirmation (one canonical-stream batch of one device is far fewer). */
    public static final int MAX_RANGES = 10_000;

    /** {@code cmd/waybill/<stage>/<thingName>/stored}. */
    public static String topic(String stage, String thingName) {
        return "cmd/waybill/" + stage + "/" + thingName + "/stored";
    }

    /**
     * Parses a confirmation payload.
     *
     * @throws IllegalArgumentException when it is not {@code {"stored": [[first, last], ...]}} with
     *     {@code 0 <= first <= last}
     */
    public static StorageConfirmation parse(byte[] payload) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("storage confirmation is not JSON: " + e.getMessage(), e);
        }
        JsonNode stored = root == null ? null : root.get("stored");
        if (stored == null || !stored.isArray() || stored.size() > MAX_RANGES) {
            throw new IllegalArgumentException("storage confirmation needs \"stored\": [[first, last], ...]");
        }
        List<long[]> out = new ArrayList<>(stored.size());
        for (JsonNode r : stored) {
            if (!r.isArray() || r.size() != 2 || !r.get(0).canConvertToLong() || !r.get(1).canConvertToLong()
                    || !r.get(0).isIntegralNumber() || !r.get(1).isIntegralNumber()) {
                throw new IllegalArgumentException("storage confirmation range must be [first, last]: " + r);
            }
            long first = r.get(0).asLong();
            long last = r.get(1).asLong();
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("storage confirmation range must have 0 <= first <= last: " + r);
            }
            out.add(new long[] {first, last});
        }
        return new StorageConfirmation(List.copyOf(out));
    }

    /** The payload for {@code sequences} (any order, duplicates allowed): sorted, merged into ranges. */
    public static byte[] payloadOf(java.util.Collection<Long> sequences) {
        List<Long> sorted = sequences.stream().distinct().sorted().toList();
        StringBuilder b = new StringBuilder("{\"stored\":[");
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (i > 0) {
                b.append(',');
            }
            b.append('[').append(sorted.get(i)).append(',').append(sorted.get(j)).append(']');
            i = j + 1;
        }
        return b.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether {@code sequence} is in one of the ranges. */
    public boolean contains(long sequence) {
        for (long[] r : ranges) {
            if (sequence >= r[0] && sequence <= r[1]) {
                return true;
            }
        }
        return false;
    }
}

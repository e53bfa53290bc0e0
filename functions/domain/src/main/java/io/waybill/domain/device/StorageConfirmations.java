package io.waybill.domain.device;

import io.waybill.domain.event.CanonicalEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What to tell each edge device after a batch of the canonical event stream: the exact sequence numbers of its
 * messages that are now stored, as inclusive ranges. Every event on the canonical stream is in the event store (ingest
 * publishes only what it stored, and publishes a stored duplicate of a resend again), so listing the sequences of the
 * batch's events is a confirmation of storage, never a guess: the device may forget exactly those.
 *
 * <p>Why exact ranges and not a watermark ("everything up to n is stored"): ingest may store 10 before 9 after a
 * retry, and the device's spool may drop summaries for good when it is full, so a sequence below a watermark may be
 * missing for a while or for ever. A watermark would need per-device state in the cloud and could never move past a
 * dropped sequence; a range list needs neither and never names a sequence that is not stored. The device advances its
 * own durable position over a run only once every message of it is confirmed (edge-greengrass README,
 * "Cloud-confirmed delivery").
 *
 * <p>Only events of the {@code waybill-edge} adapter ({@code source} = {@code urn:waybill:waybill-edge:<thing>}) with a
 * sequence number count.
 */
public final class StorageConfirmations {
    /** The edge component's adapter id. */
    public static final String EDGE_ADAPTER = "waybill-edge";
    private static final String SOURCE_PREFIX = "urn:waybill:" + EDGE_ADAPTER + ":";

    private StorageConfirmations() {
    }

    /** One device's confirmation: its thing name and the sorted, merged inclusive ranges. */
    public record Confirmation(String thingName, List<long[]> ranges) {
        /** {@code {"stored":[[first,last],...]}}: the payload on {@code cmd/waybill/<stage>/<thing>/stored}. */
        public byte[] payload() {
            StringBuilder b = new StringBuilder("{\"stored\":[");
            for (int i = 0; i < ranges.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append('[').append(ranges.get(i)[0]).append(',').append(ranges.get(i)[1]).append(']');
            }
            return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code cmd/waybill/<stage>/<thingName>/stored}. */
    public static String topic(String stage, String thingName) {
        return "cmd/waybill/" + stage + "/" + thingName + "/stored";
    }

    /** The confirmations of a batch, one per edge device that has events in it, in order of first appearance. */
    public static List<Confirmation> of(List<CanonicalEvent> events) {
        Map<String, TreeSet<Long>> byThing = new LinkedHashMap<>();
        for (CanonicalEvent e : events) {
            if (e.sequence() == null || e.sequence() < 0 || !e.source().startsWith(SOURCE_PREFIX)) {
                continue;
            }
            String thing = e.source().substring(SOURCE_PREFIX.length());
            if (thing.isEmpty() || thing.contains("/") || thing.contains("+") || thing.contains("#")) {
                continue; // not a name a topic level can carry
            }
            byThing.computeIfAbsent(thing, t -> new TreeSet<>()).add(e.sequence());
        }
        List<Confirmation> out = new ArrayList<>(byThing.size());
        byThing.forEach((thing, seqs) -> out.add(new Confirmation(thing, ranges(seqs))));
        return out;
    }

    /** Sorted sequences as merged inclusive ranges. */
    static List<long[]> ranges(TreeSet<Long> sorted) {
        List<long[]> out = new ArrayList<>();
        long first = -1;
        long last = -1;
        for (long s : sorted) {
            if (first >= 0 && s == last + 1) {
                last = s;
                continue;
            }
            if (first >= 0) {
                out.add(new long[] {first, last});
            }
            first = s;
            last = s;
        }
        if (first >= 0) {
            out.add(new long[] {first, last});
        }
        return List.copyOf(out);
    }
}

package io.waybill.domain.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.normalize.RecordNormalizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Edge messages that ingest dead-lettered are settled too: the device may forget them. A message the cloud refuses
 * (a malformed summary, a revoked or unassigned device, a bad signature) never reaches the canonical stream, so
 * {@link StorageConfirmations} would never list it and the device would send it again every confirm timeout for ever.
 * Its dead letter keeps it safely instead (the raw payload, the reason and the origin, replayable with
 * {@code ./waybill replay}; the raw archive keeps every record as it arrived as well), so once the letter is sent,
 * ingest sends a {@link Settlement} notice and the edge acknowledgement function lists the sequence among the device's
 * confirmed ranges like a stored one.
 *
 * <p><b>Whose message it is comes from the route, never from the payload.</b> The thing is the producer of the record's
 * {@value RecordNormalizer#ROUTE_FIELD} ({@code waybill-edge/<thingName>}), which the IoT rule sets from the topic the
 * device was allowed to publish on (and drops a payload that carries one itself). The payload's {@code deviceId} is
 * the sender's claim: a letter rejected because it names another device must not make that other device forget its
 * own message with the same sequence. The sequence is the payload's top-level {@code sequence}: a device can only
 * settle its own sequences, which it could equally forget by itself.
 *
 * <p>A letter yields no settlement when it is not from the edge adapter's route, its payload is not a JSON object, or
 * has no non-negative integral {@code sequence}: such a message (the component never sends one) is not confirmed.
 */
public final class DeadLetterSettlements {
    private static final String ROUTE_PREFIX = StorageConfirmations.EDGE_ADAPTER + "/";
    /** A thing name that is one MQTT topic level (AWS IoT thing names: letters, digits, {@code :_-}). */
    private static final Pattern THING = Pattern.compile("[A-Za-z0-9:_-]{1,128}");

    private DeadLetterSettlements() {
    }

    /**
     * One settled edge message.
     *
     * @param thingName the device (its route's producer)
     * @param sequence  the message's sequence
     * @param reason    why ingest dead-lettered it (for the logs; the device is told only that it may forget it)
     */
    public record Settlement(String thingName, long sequence, String reason) {
        public Settlement {
            Objects.requireNonNull(thingName, "thingName");
            if (!THING.matcher(thingName).matches()) {
                throw new IllegalArgumentException("thing name '" + thingName + "' is not one topic level");
            }
            if (sequence < 0) {
                throw new IllegalArgumentException("sequence " + sequence + " is negative");
            }
        }
    }

    /** The settlement of {@code letter}, if it is a dead-lettered edge message (see the class comment). */
    public static Optional<Settlement> of(DeadLetter letter) {
        JsonNode root;
        try {
            root = CanonicalEventJson.MAPPER.readTree(letter.payload());
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        JsonNode route = root.get(RecordNormalizer.ROUTE_FIELD);
        if (route == null || !route.isTextual() || !route.asText().startsWith(ROUTE_PREFIX)) {
            return Optional.empty();
        }
        String thing = route.asText().substring(ROUTE_PREFIX.length());
        JsonNode sequence = root.get("sequence");
        if (!THING.matcher(thing).matches() || sequence == null || !sequence.isIntegralNumber()
                || !sequence.canConvertToLong() || sequence.asLong() < 0) {
            return Optional.empty();
        }
        return Optional.of(new Settlement(thing, sequence.asLong(), letter.reason().name()));
    }

    /** The notice ingest sends: {@code {"thingName":"reefer-07","sequence":6,"reason":"IMPOSSIBLE_VALUE"}}. */
    public static String toJson(Settlement s) {
        ObjectNode n = CanonicalEventJson.MAPPER.createObjectNode();
        n.put("thingName", s.thingName());
        n.put("sequence", s.sequence());
        n.put("reason", s.reason());
        return n.toString();
    }

    /** @throws IllegalArgumentException when {@code json} is not a settlement notice */
    public static Settlement fromJson(String json) {
        try {
            JsonNode n = CanonicalEventJson.MAPPER.readTree(json);
            if (n == null || !n.path("thingName").isTextual() || !n.path("sequence").isIntegralNumber()) {
                throw new IllegalArgumentException("not a settlement notice: " + abbreviate(json));
            }
            return new Settlement(n.get("thingName").asText(), n.get("sequence").asLong(),
                    n.path("reason").asText(null));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a settlement notice: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The confirmations of a batch of settlements: per device, in order of first appearance, its settled sequences as
     * sorted, merged inclusive ranges, the same {@code {"stored":[[first,last],...]}} the device reads from
     * {@link StorageConfirmations} (a settled message is forgotten exactly like a stored one).
     */
    public static List<StorageConfirmations.Confirmation> confirmations(List<Settlement> settlements) {
        Map<String, TreeSet<Long>> byThing = new LinkedHashMap<>();
        for (Settlement s : settlements) {
            byThing.computeIfAbsent(s.thingName(), t -> new TreeSet<>()).add(s.sequence());
        }
        List<StorageConfirmations.Confirmation> out = new ArrayList<>(byThing.size());
        byThing.forEach((thing, seqs) -> out.add(new StorageConfirmations.Confirmation(thing,
                StorageConfirmations.ranges(seqs))));
        return out;
    }

    private static String abbreviate(String s) {
        String t = s == null ? "null" : s;
        return t.length() <= 120 ? t : t.substring(0, 120) + "…";
    }
}

package io.waybill.domain.ingestion.reference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.ingestion.reference.Traffic.Delivery;
import io.waybill.domain.ingestion.reference.Traffic.Kind;
import io.waybill.domain.ingestion.reference.Traffic.Reading;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The reference model of truthful ingest, written from the promises in the root README and issue 10, not from the
 * production classes (it calls none of them). Given the generated facts it says what must be stored, dead-lettered
 * and projected:
 * <ol>
 *   <li><b>Identity</b> (id scheme 2): {@code source + "#" + id}, the source {@code urn:waybill:<adapter>:<producer>};
 *       the id is the producer's message id ({@code SL-n}, {@code cc-n}), else its sequence ({@code seq-n}), else a
 *       UUID v8 of SHA-256 over {@code "waybill.eventid.v2" 0x1f source 0x1f} and the raw message in RFC 8785 form
 *       without the routing fields.</li>
 *   <li><b>Facts</b>: per identity, the first copy on its shard is stored; a later copy of the same reading is a
 *       duplicate; a later copy of another reading under the same identity is an {@code ID_CONFLICT}, dead-lettered
 *       and never stored. A producer's copies all travel on its own shard, so the interleaving of shards and the
 *       cutting into batches change nothing.</li>
 *   <li><b>Event time</b> of a stored fact, from its first copy: the device time; when the message carries its send
 *       stamp, plus the estimated offset {@code received - sent} unless that is within 2 s; then, if it is more than
 *       2 minutes after the broker's receive time, the receive time. Never rewritten for being old.</li>
 *   <li><b>Projection</b> per shipment: each part is the one of the latest stored fact (by event time, ties by the
 *       event-store key {@code source#id}; the projection names each part's event by that key) that sets it. Status: departed = IN_TRANSIT, arrived = ARRIVED, else UNKNOWN. Location: the
 *       site and/or fix of departures, arrivals, GPS pings and custody handovers at a site. Temperature: readings.
 *       Custody: the handover's new custodian. Last event: any fact.</li>
 * </ol>
 */
public final class ReferenceIngest {
    static final Duration OFFSET_TOLERANCE = Duration.ofSeconds(2);
    static final Duration MAX_FUTURE = Duration.ofMinutes(2);

    /** What one delivery must end as. */
    public enum Verdict { STORED, DUPLICATE, ID_CONFLICT }

    /** A stored fact and its expected event time. */
    public record Fact(String eventKey, String id, Reading reading, Delivery firstCopy, Instant time) {
    }

    /** The parts of a shipment's projection the model can derive. */
    public record Shipment(String sscc, String status, Instant statusAt, String statusEventId,
                           String locationGln, Double latitude, Double longitude, Instant locationAt,
                           String locationEventId, Double temperatureCelsius, Instant temperatureAt,
                           String temperatureEventId, String custodianGln, Instant custodyAt, String custodyEventId,
                           Instant lastEventAt, String lastEventId, String lastEventType) {
    }

    /**
     * @param facts     stored facts by event key
     * @param verdicts  what each delivery must end as
     * @param conflicts for each {@code ID_CONFLICT} delivery, the stored fact it collides with
     * @param shipments expected projection per shipment
     */
    public record Expected(Map<String, Fact> facts, Map<Delivery, Verdict> verdicts, Map<Delivery, Fact> conflicts,
                           Map<String, Shipment> shipments) {
    }

    private ReferenceIngest() {
    }

    public static Expected of(Traffic traffic) {
        Map<String, Fact> facts = new LinkedHashMap<>();
        Map<Delivery, Verdict> verdicts = new HashMap<>();
        Map<Delivery, Fact> conflicts = new HashMap<>();
        for (List<Delivery> shard : traffic.shards()) {
            for (Delivery d : shard) {
                String id = idOf(d.reading());
                String key = d.reading().producer().source() + "#" + id;
                Fact stored = facts.get(key);
                if (stored == null) {
                    facts.put(key, new Fact(key, id, d.reading(), d, eventTime(d)));
                    verdicts.put(d, Verdict.STORED);
                } else if (stored.reading().equals(d.reading())) {
                    verdicts.put(d, Verdict.DUPLICATE);
                } else {
                    verdicts.put(d, Verdict.ID_CONFLICT);
                    conflicts.put(d, stored);
                }
            }
        }
        Map<String, List<Fact>> byShipment = new TreeMap<>();
        facts.values().forEach(f -> byShipment.computeIfAbsent(f.reading().sscc(), s -> new ArrayList<>()).add(f));
        Map<String, Shipment> shipments = new TreeMap<>();
        byShipment.forEach((sscc, fs) -> shipments.put(sscc, project(sscc, fs)));
        return new Expected(facts, verdicts, conflicts, shipments);
    }

    /** The event time rule (3. in the class comment), from the copy that is stored. */
    static Instant eventTime(Delivery d) {
        Instant t = d.reading().deviceTime();
        if (d.reading().producer().vendor().sendsItsSendTime()) {
            Duration offset = Duration.between(d.sentTime(), d.receivedAt());
            if (offset.abs().compareTo(OFFSET_TOLERANCE) > 0) {
                t = t.plus(offset);
            }
        }
        return t.isAfter(d.receivedAt().plus(MAX_FUTURE)) ? d.receivedAt() : t;
    }

    private static Shipment project(String sscc, List<Fact> facts) {
        List<Fact> ordered = new ArrayList<>(facts);
        ordered.sort(Comparator.comparing(Fact::time).thenComparing(Fact::eventKey));
        Fact status = null;
        Fact location = null;
        Fact temperature = null;
        Fact custody = null;
        for (Fact f : ordered) { // ascending: the last one that sets a part wins
            Kind k = f.reading().kind();
            if (k == Kind.DEPARTED || k == Kind.ARRIVED) {
                status = f;
            }
            if (k != Kind.TEMPERATURE) {
                location = f;
            }
            if (k == Kind.TEMPERATURE) {
                temperature = f;
            }
            if (k == Kind.CUSTODY) {
                custody = f;
            }
        }
        Fact last = ordered.get(ordered.size() - 1);
        boolean fix = location != null && location.reading().producer().vendor() == Traffic.Vendor.GPS_TRACKER;
        return new Shipment(sscc,
                status == null ? "UNKNOWN" : status.reading().kind() == Kind.DEPARTED ? "IN_TRANSIT" : "ARRIVED",
                at(status), idOf(status),
                location == null ? null : location.reading().gln(),
                fix ? location.reading().latitude() / 100_000.0 : null,
                fix ? location.reading().longitude() / 100_000.0 : null,
                at(location), idOf(location),
                temperature == null ? null : temperature.reading().celsius(), at(temperature), idOf(temperature),
                custody == null ? null : custody.reading().toPartyGln(), at(custody), idOf(custody),
                last.time(), last.eventKey(), type(last.reading().kind()));
    }

    private static Instant at(Fact f) {
        return f == null ? null : f.time();
    }

    private static String idOf(Fact f) {
        return f == null ? null : f.eventKey();
    }

    /** The CloudEvents types of the contract ({@code schemas/}). */
    static String type(Kind k) {
        return switch (k) {
            case DEPARTED -> "waybill.shipment.departed.v1";
            case ARRIVED -> "waybill.shipment.arrived.v1";
            case LOCATED -> "waybill.shipment.located.v1";
            case CUSTODY -> "waybill.custody.transferred.v1";
            case TEMPERATURE -> "waybill.temperature.observed.v1";
        };
    }

    /** The id rule (1. in the class comment). */
    public static String idOf(Reading r) {
        return switch (r.producer().vendor()) {
            case SWIFTLOG -> "SL-" + r.number();
            case COLDCHAINCO -> "cc-" + r.number();
            case THERMOTRACK, WAYBILL_EDGE -> "seq-" + r.number();
            case GPS_TRACKER -> hashedId(r.producer().source(), RawMessages.message(r));
        };
    }

    private static String hashedId(String source, ObjectNode message) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("waybill.eventid.v2".getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0x1f);
            sha256.update(source.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0x1f);
            sha256.update(new JsonCanonicalizer(message.toString()).getEncodedUTF8());
            ByteBuffer h = ByteBuffer.wrap(sha256.digest());
            long msb = (h.getLong(0) & ~0xf000L) | 0x8000L;                    // version 8 (RFC 9562)
            long lsb = (h.getLong(8) & 0x3fffffffffffffffL) | 0x8000000000000000L; // variant 10
            return new UUID(msb, lsb).toString();
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

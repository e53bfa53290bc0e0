package io.waybill.domain.provenance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.event.TemperatureBreached;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * What evidence a cold-chain decision saw, as one digest a partner can recompute without our code (algorithm
 * {@value #ALGORITHM}). The decision event carries it ({@code decision.evidenceCommitment}); since the compliance
 * record stores that event byte for byte and the anchor commits to the event's hash ({@link EventHash}), the anchor
 * commits to the evidence too.
 *
 * <p><b>An item's hash.</b> Every evidence item ({@link ExposureEvidence}) is written as a JSON object with these
 * members, nulls omitted (member order does not matter: the object is canonicalised):
 * <ul>
 *   <li>{@code evidenceId}, {@code shipmentSscc}, {@code deviceId}, {@code probeId}, {@code producerId}: strings;</li>
 *   <li>{@code kind}: the string {@code POINT}, {@code WINDOW} or {@code EXCURSION};</li>
 *   <li>{@code start}, {@code end}: ISO-8601 UTC strings as {@link java.time.Instant#toString()} writes them
 *       ({@code 2026-03-02T07:59:30Z}; a fraction only when not zero, in groups of three digits:
 *       {@code 2026-03-02T07:59:30.250Z});</li>
 *   <li>{@code celsius}, {@code minCelsius}, {@code maxCelsius}: JSON numbers;</li>
 *   <li>{@code edgeSeverity}, {@code readingCount}: JSON integers;</li>
 *   <li>{@code sequence}: a JSON integer, omitted when the producer does not number its messages;</li>
 *   <li>{@code statistics}: omitted unless the item is a summary with exposure statistics, else an object with
 *       {@code bandLowCelsius} and {@code bandHighCelsius} (numbers; a bound the band lacks is omitted),
 *       {@code maxGapSeconds}, {@code observedMillis}, {@code unknownMillis}, {@code aboveMillis},
 *       {@code belowMillis} (integers), {@code degreeMinutesAbove}, {@code degreeMinutesBelow},
 *       {@code arrheniusSum} (numbers): the fields of {@code waybill.temperature.observed.v1}'s {@code exposure}.</li>
 * </ul>
 * The item's hash is the lower-case hex SHA-256 of that object's RFC 8785 canonical JSON (UTF-8; members sorted,
 * numbers in the ECMAScript form RFC 8785 prescribes: {@code 5.0} is written {@code 5}, {@code 10.95} stays
 * {@code 10.95}).
 *
 * <p><b>The digest.</b> The array {@code [{"id": evidenceId, "sha256": itemHash}, ...]}, sorted by {@code id}
 * (ascending by UTF-16 code units, the order RFC 8785 sorts member names by; evidence ids are ASCII, so this is byte
 * order) and then by {@code sha256}, written as RFC 8785 canonical JSON, hashed with SHA-256, in lower-case hex.
 * No evidence gives the hash of {@code []}.
 */
public final class EvidenceCommitment {
    /** The name of this algorithm, carried in the commitment so a later one can be told apart. */
    public static final String ALGORITHM = "sha256-jcs-v1";

    private EvidenceCommitment() {
    }

    /** The commitment to the given evidence items (any order; the evidence store's items of one shipment). */
    public static TemperatureBreached.Commitment of(Collection<ExposureEvidence> evidence) {
        List<String[]> entries = new ArrayList<>(evidence.size());
        for (ExposureEvidence e : evidence) {
            entries.add(new String[]{e.evidenceId(), itemHash(e)});
        }
        entries.sort(Comparator.<String[], String>comparing(x -> x[0]).thenComparing(x -> x[1]));
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (String[] entry : entries) {
            array.addObject().put("id", entry[0]).put("sha256", entry[1]);
        }
        return new TemperatureBreached.Commitment(ALGORITHM, entries.size(), sha256Hex(canonical(array.toString())));
    }

    /** The item's hash: lower-case hex SHA-256 of the RFC 8785 canonical JSON of {@link #itemJson}. */
    public static String itemHash(ExposureEvidence e) {
        return sha256Hex(canonical(itemJson(e).toString()));
    }

    /** The item as the JSON object its hash is computed over (see the class comment for its members). */
    public static ObjectNode itemJson(ExposureEvidence e) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("evidenceId", e.evidenceId());
        n.put("shipmentSscc", e.shipmentSscc());
        n.put("deviceId", e.deviceId());
        n.put("kind", e.kind().name());
        n.put("start", e.start().toString());
        n.put("end", e.end().toString());
        n.put("celsius", e.celsius());
        n.put("edgeSeverity", e.edgeSeverity());
        n.put("probeId", e.probeId());
        n.put("minCelsius", e.minCelsius());
        n.put("maxCelsius", e.maxCelsius());
        n.put("readingCount", e.readingCount());
        if (e.statistics() != null) {
            ExposureStatistics s = e.statistics();
            ObjectNode st = n.putObject("statistics");
            if (s.bandLowCelsius() != null) {
                st.put("bandLowCelsius", s.bandLowCelsius());
            }
            if (s.bandHighCelsius() != null) {
                st.put("bandHighCelsius", s.bandHighCelsius());
            }
            st.put("maxGapSeconds", s.maxGapSeconds());
            st.put("observedMillis", s.observedMillis());
            st.put("unknownMillis", s.unknownMillis());
            st.put("aboveMillis", s.aboveMillis());
            st.put("belowMillis", s.belowMillis());
            st.put("degreeMinutesAbove", s.degreeMinutesAbove());
            st.put("degreeMinutesBelow", s.degreeMinutesBelow());
            st.put("arrheniusSum", s.arrheniusSum());
        }
        n.put("producerId", e.producerId());
        if (e.sequence() != null) {
            n.put("sequence", e.sequence());
        }
        return n;
    }

    private static byte[] canonical(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException ex) {
            throw new IllegalArgumentException("not representable in RFC 8785 canonical JSON: " + ex.getMessage(), ex);
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
    }
}

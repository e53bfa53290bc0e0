package io.waybill.domain.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.util.Set;

/**
 * The producer's message as a fact: the raw JSON object without the fields Waybill's own transport added (the IoT
 * rule's routing fields, an adapter's transport stamps), in RFC 8785 canonical form (JCS, by the RFC author's
 * reference library), so field order, whitespace and number spelling ({@code 21.50} vs {@code 2.15e1}) do not
 * matter. Event ids and content hashes are computed over these bytes ({@link io.waybill.domain.event.EventIdentity}).
 *
 * <p>RFC 8785 reads numbers as IEEE 754 doubles: two integers above 2<sup>53</sup> that differ only beyond double
 * precision canonicalise alike. Vendors' integers that large (ids) are strings in every contract we know.
 */
public final class RawContent {
    private RawContent() {
    }

    /**
     * @param root     the raw message (not modified)
     * @param excluded top-level fields to leave out
     * @return the canonical UTF-8 bytes
     * @throws RejectedRecordException (MALFORMED_JSON) when the object cannot be canonicalised (e.g. a number RFC
     *                                 8785 cannot represent)
     */
    public static byte[] canonical(ObjectNode root, Set<String> excluded) {
        ObjectNode fact = root;
        if (excluded.stream().anyMatch(root::has)) {
            fact = root.deepCopy();
            fact.remove(excluded);
        }
        try {
            return new JsonCanonicalizer(CanonicalEventJson.MAPPER.writeValueAsString(fact)).getEncodedUTF8();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON object is always serialisable", e);
        } catch (IOException | RuntimeException e) {
            throw new RejectedRecordException(RejectionReason.MALFORMED_JSON,
                    "not representable in RFC 8785 canonical JSON: " + e.getMessage());
        }
    }
}

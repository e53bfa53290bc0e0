package io.waybill.domain.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * One anchored event's proof, for people: exactly what OpenZeppelin's
 * {@code StandardMerkleTree.verify(root, leafEncoding, leaf, proof)} takes, plus where the root is on chain, so a
 * partner checks an event with {@code @openzeppelin/merkle-tree} (or {@code MerkleProof.verify} on chain) and the
 * registry's {@code anchoredAt(root)}, without our code.
 *
 * @param eventId   the event's id (not part of its hash)
 * @param eventHash the event's hash ({@link EventHash}), lower-case hex without {@code 0x}
 * @param root      the batch's root, {@code 0x} and lower-case hex
 * @param proof     the sibling hashes from the leaf to the root
 * @param receipt   where the root was anchored
 */
public record EventProof(String eventId, String eventHash, String root, List<String> proof, AnchorReceipt receipt) {
    public EventProof {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventHash, "eventHash");
        Objects.requireNonNull(root, "root");
        proof = List.copyOf(proof);
        Objects.requireNonNull(receipt, "receipt");
    }

    /**
     * The proof of the event at {@code index} of an anchored batch.
     *
     * @throws IllegalArgumentException when the batch's value at {@code index} is not this event's hash
     */
    public static EventProof of(String eventId, EventHash hash, AnchorTree batch, int index, AnchorReceipt receipt) {
        if (!batch.value(index).equals(hash.leafValue())) {
            throw new IllegalArgumentException("value " + index + " of the batch is " + batch.value(index)
                    + ", not the hash of event " + eventId + " (" + hash.leafValue() + ")");
        }
        return new EventProof(eventId, hash.hex(), batch.root(), batch.proof(index), receipt);
    }

    /** The leaf value: {@code 0x} + the event hash. */
    public String leaf() {
        return "0x" + eventHash;
    }

    /** Whether the proof leads from this event's hash to the root (the chain is not asked). */
    public boolean verifies() {
        return AnchorTree.verify(root, leaf(), proof);
    }

    /**
     * {@code {"eventId", "eventHash", "root", "leafEncoding": ["bytes32"], "leaf": ["0x<eventHash>"], "proof": [...],
     * "chainId", "contract", "tx", "block"}}.
     */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("eventId", eventId);
        n.put("eventHash", eventHash);
        n.put("root", root);
        ArrayNode encoding = n.putArray("leafEncoding");
        AnchorTree.LEAF_ENCODING.forEach(encoding::add);
        n.putArray("leaf").add(leaf());
        ArrayNode p = n.putArray("proof");
        proof.forEach(p::add);
        n.put("chainId", receipt.chainId());
        n.put("contract", receipt.contract().toString());
        n.put("tx", receipt.tx());
        n.put("block", receipt.block());
        return n;
    }

    /**
     * Reads what {@link #toJson()} writes.
     *
     * @throws IllegalArgumentException when a field is missing or malformed
     */
    public static EventProof fromJson(JsonNode n) {
        for (String f : List.of("eventId", "eventHash", "root", "proof", "chainId", "contract", "tx", "block")) {
            if (n == null || !n.hasNonNull(f)) {
                throw new IllegalArgumentException("a proof has no " + f);
            }
        }
        List<String> proof = new java.util.ArrayList<>();
        n.get("proof").forEach(p -> proof.add(p.asText()));
        EventProof read = new EventProof(n.get("eventId").asText(), n.get("eventHash").asText(), n.get("root").asText(),
                proof, new AnchorReceipt(n.get("chainId").asLong(), EthereumAddress.parse(n.get("contract").asText()),
                n.get("tx").asText(), n.get("block").asLong()));
        if (n.has("leaf") && !n.get("leaf").path(0).asText().equals(read.leaf())) {
            throw new IllegalArgumentException("the proof's leaf is not 0x + its eventHash");
        }
        return read;
    }
}

package io.waybill.domain.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The proof object a partner is given has exactly the shape {@code StandardMerkleTree.verify(root, leafEncoding,
 * leaf, proof)} takes (the field list is the issue's, written out here) and refuses to describe an event the batch does
 * not hold. That the library accepts it is {@code AnchorTreeAgainstOpenZeppelinTest}'s (local-runtime, Node).
 */
class EventProofTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** anvil's first dev account, EIP-55 (a well-known address), standing in for the registry contract. */
    private static final EthereumAddress REGISTRY = EthereumAddress.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    private static final AnchorReceipt RECEIPT = new AnchorReceipt(31337, REGISTRY, "0x" + "ab".repeat(32), 42);

    private static ObjectNode event(String id, String sscc) throws Exception {
        return (ObjectNode) JSON.readTree("{\"id\":\"" + id + "\",\"type\":\"waybill.custody.transferred.v1\","
                + "\"subject\":\"urn:epc:id:sscc:" + sscc + "\"}");
    }

    @Test
    void everyEventOfABatchGetsTheFieldsVerifyTakesAndItsProofLeadsToTheRoot() throws Exception {
        List<EventHash> hashes = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            EventHash h = EventHash.of(event("e-" + i, "10614141000000000" + i));
            hashes.add(h);
            values.add(h.bytes());
        }
        AnchorTree batch = AnchorTree.of(values);
        for (int i = 0; i < 5; i++) {
            EventProof p = EventProof.of("e-" + i, hashes.get(i), batch, i, RECEIPT);
            JsonNode json = p.toJson();
            List<String> fields = new ArrayList<>();
            json.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("eventId", "eventHash", "root", "leafEncoding", "leaf", "proof",
                    "chainId", "contract", "tx", "block");
            assertThat(json.get("eventId").asText()).isEqualTo("e-" + i);
            assertThat(json.get("eventHash").asText()).isEqualTo(hashes.get(i).hex()).matches("[0-9a-f]{64}");
            assertThat(json.get("leafEncoding").toString()).isEqualTo("[\"bytes32\"]");
            assertThat(json.get("leaf").toString()).isEqualTo("[\"0x" + hashes.get(i).hex() + "\"]");
            assertThat(json.get("root").asText()).isEqualTo(batch.root());
            // 5 leaves: a proof has 2 or 3 siblings (the tree is 3 levels deep, one leaf pair at the last level)
            assertThat(json.get("proof").size()).isBetween(2, 3);
            assertThat(json.get("chainId").asLong()).isEqualTo(31337);
            assertThat(json.get("contract").asText()).isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
            assertThat(json.get("tx").asText()).isEqualTo("0x" + "ab".repeat(32));
            assertThat(json.get("block").asLong()).isEqualTo(42);
            assertThat(p.verifies()).isTrue();
        }
    }

    @Test
    void aProofIsNotIssuedForAnEventTheBatchDoesNotHoldAtThatPlace() throws Exception {
        EventHash a = EventHash.of(event("a", "106141410000000001"));
        EventHash b = EventHash.of(event("b", "106141410000000002"));
        AnchorTree batch = AnchorTree.of(List.of(a.bytes(), b.bytes()));
        assertThatThrownBy(() -> EventProof.of("b", b, batch, 0, RECEIPT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the hash of event b");
        // an altered event: its hash is another, and the proof of its place does not lead to the root
        EventProof honest = EventProof.of("a", a, batch, 0, RECEIPT);
        EventHash altered = EventHash.of(event("a", "106141410000000009"));
        assertThat(new EventProof("a", altered.hex(), honest.root(), honest.proof(), RECEIPT).verifies()).isFalse();
    }

    @Test
    void aReceiptNamesARealChainTransactionAndBlock() {
        assertThatThrownBy(() -> new AnchorReceipt(0, REGISTRY, "0x" + "ab".repeat(32), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AnchorReceipt(1, REGISTRY, "0x" + "AB".repeat(32), 1))
                .isInstanceOf(IllegalArgumentException.class); // upper case: not how a verifier compares
        assertThatThrownBy(() -> new AnchorReceipt(1, REGISTRY, "0x" + "ab".repeat(31), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AnchorReceipt(1, REGISTRY, "0x" + "ab".repeat(32), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

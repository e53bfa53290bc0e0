package io.waybill.domain.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The oracle is OpenZeppelin's own library: provenance/oz-vectors.json was printed by
 * provenance/oz-vectors.mjs running @openzeppelin/merkle-tree 1.0.8 (command in the script's header), which also
 * checked every proof with {@code StandardMerkleTree.verify} ({@code "verified": true}).
 */
class AnchorTreeTest {

    private static JsonNode vectors() throws IOException {
        try (InputStream in = AnchorTreeTest.class.getResourceAsStream("/provenance/oz-vectors.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void keccak256IsEthereumsKeccakNotSha3() {
        // the standard keccak256("") vector (SHA3-256("") would be a7ffc6f8bf1ed766...)
        assertThat(HexFormat.of().formatHex(Keccak256.hash(new byte[0])))
                .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    }

    @Test
    void reproducesOpenZeppelinRootsAndProofsExactly() throws IOException {
        JsonNode cases = vectors();
        assertThat(cases).hasSize(5); // N = 1, 2, 3, 5, 8
        for (JsonNode c : cases) {
            List<String> values = strings(c.get("values"));
            assertThat(c.get("verified").asBoolean()).isTrue();
            AnchorTree tree = AnchorTree.ofHex(values);
            assertThat(tree.size()).isEqualTo(c.get("n").asInt());
            assertThat(tree.root()).as("root, N=%d", values.size()).isEqualTo(c.get("root").asText());
            for (int i = 0; i < values.size(); i++) {
                List<String> expected = strings(c.get("proofs").get(i));
                assertThat(tree.proof(i)).as("proof %d, N=%d", i, values.size()).isEqualTo(expected);
                assertThat(tree.value(i)).isEqualTo(values.get(i));
                assertThat(AnchorTree.verify(c.get("root").asText(), values.get(i), expected)).isTrue();
            }
        }
    }

    @Test
    void aBatchOfOneHasItsLeafHashAsRootAndAnEmptyProof() throws IOException {
        JsonNode one = vectors().get(0);
        assertThat(one.get("n").asInt()).isEqualTo(1);
        AnchorTree tree = AnchorTree.ofHex(strings(one.get("values")));
        assertThat(tree.proof(0)).isEmpty();
        assertThat(tree.root())
                .isEqualTo(AnchorTree.hex(AnchorTree.leafHash(AnchorTree.bytes32(one.get("values").get(0).asText()))))
                .isEqualTo(one.get("root").asText());
    }

    @Test
    void aTamperedLeafRootOrProofFailsVerification() throws IOException {
        JsonNode eight = vectors().get(4);
        assertThat(eight.get("n").asInt()).isEqualTo(8);
        List<String> values = strings(eight.get("values"));
        String root = eight.get("root").asText();
        List<String> proof = strings(eight.get("proofs").get(3));
        assertThat(AnchorTree.verify(root, values.get(3), proof)).isTrue();

        assertThat(AnchorTree.verify(root, flipLastNibble(values.get(3)), proof)).as("tampered leaf").isFalse();
        assertThat(AnchorTree.verify(root, values.get(4), proof)).as("another leaf's value").isFalse();
        assertThat(AnchorTree.verify(flipLastNibble(root), values.get(3), proof)).as("tampered root").isFalse();
        for (int i = 0; i < proof.size(); i++) {
            List<String> tampered = new ArrayList<>(proof);
            tampered.set(i, flipLastNibble(proof.get(i)));
            assertThat(AnchorTree.verify(root, values.get(3), tampered)).as("tampered sibling %d", i).isFalse();
        }
        assertThat(AnchorTree.verify(root, values.get(3), proof.subList(0, proof.size() - 1)))
                .as("truncated proof").isFalse();
    }

    @Test
    void hexIsLowerCaseAndUpperCaseInputIsRead() throws IOException {
        JsonNode five = vectors().get(3);
        List<String> upper = strings(five.get("values")).stream()
                .map(v -> "0x" + v.substring(2).toUpperCase()).toList();
        AnchorTree tree = AnchorTree.ofHex(upper);
        assertThat(tree.root()).isEqualTo(five.get("root").asText()).matches("0x[0-9a-f]{64}");
        assertThat(tree.proof(2)).allMatch(p -> p.matches("0x[0-9a-f]{64}"));
    }

    @Test
    void rejectsAnEmptyBatchAndValuesThatAreNotBytes32() {
        assertThatThrownBy(() -> AnchorTree.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnchorTree.of(List.of(new byte[31]))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnchorTree.ofHex(List.of("0x1234"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnchorTree.verify("0x" + "zz".repeat(32), "0x" + "00".repeat(32), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTreeKeepsItsOwnCopyOfTheValues() throws IOException {
        byte[] value = AnchorTree.bytes32(vectors().get(0).get("values").get(0).asText());
        AnchorTree tree = AnchorTree.of(List.of(value));
        value[0] ^= 1;
        assertThat(tree.root()).isEqualTo(vectors().get(0).get("root").asText());
    }

    private static String flipLastNibble(String hex) {
        char last = hex.charAt(hex.length() - 1);
        return hex.substring(0, hex.length() - 1) + (last == '0' ? '1' : '0');
    }
}

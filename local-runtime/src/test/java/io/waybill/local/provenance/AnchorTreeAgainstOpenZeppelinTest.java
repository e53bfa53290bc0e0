package io.waybill.local.provenance;

import io.waybill.local.testing.NodeScript;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.provenance.AnchorReceipt;
import io.waybill.domain.provenance.AnchorTree;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.EventHash;
import io.waybill.domain.provenance.EventProof;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The anchor tree against the library partners verify with: {@code @openzeppelin/merkle-tree} 1.0.8 (pinned in
 * {@code local-runtime/package.json}), run by Node. For batches of 1 to 1,000 random values, the library builds its own
 * tree from the same values (its root must be ours) and checks every proof we give with
 * {@code StandardMerkleTree.verify}; a proof with one sibling altered must fail there too. Skipped, with the reason,
 * where Node or the package is missing.
 */
class AnchorTreeAgainstOpenZeppelinTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PACKAGE = Path.of("node_modules", "@openzeppelin", "merkle-tree");
    private static final String SCRIPT = String.join("\n",
            "const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');",
            "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));",
            "const out = input.map(b => ({",
            "  root: StandardMerkleTree.of(b.values.map(v => [v]), ['bytes32']).root,",
            "  verified: b.proofs.map((p, i) => StandardMerkleTree.verify(b.root, ['bytes32'], [b.values[i]], p)),",
            "  tamperedVerified: b.tampered ? StandardMerkleTree.verify(b.root, ['bytes32'], [b.values[0]], b.tampered)",
            "    : null }));",
            "process.stdout.write(JSON.stringify(out));");

    @Test
    void theLibraryBuildsOurRootAndAcceptsEveryProofAndRefusesATamperedOne() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(PACKAGE),
                "@openzeppelin/merkle-tree is not installed in local-runtime/node_modules (npm ci there)");
        Random random = new Random(20261206);
        int[] sizes = {1, 2, 3, 7, 64, 100, 1000};
        ArrayNode batches = JSON.createArrayNode();
        List<AnchorTree> trees = new ArrayList<>();
        for (int size : sizes) {
            List<byte[]> values = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                byte[] v = new byte[32];
                random.nextBytes(v);
                values.add(v);
            }
            AnchorTree tree = AnchorTree.of(values);
            trees.add(tree);
            ObjectNode b = batches.addObject();
            b.put("root", tree.root());
            ArrayNode vs = b.putArray("values");
            ArrayNode ps = b.putArray("proofs");
            for (int i = 0; i < size; i++) {
                vs.add(tree.value(i));
                ArrayNode p = ps.addArray();
                tree.proof(i).forEach(p::add);
            }
            List<String> proof = tree.proof(0);
            if (!proof.isEmpty()) {
                ArrayNode t = b.putArray("tampered");
                for (int k = 0; k < proof.size(); k++) {
                    String s = proof.get(k);
                    // the last hex digit of the first sibling changed: any other digit
                    t.add(k == 0 ? s.substring(0, s.length() - 1) + (s.endsWith("0") ? "1" : "0") : s);
                }
            }
        }
        JsonNode out = NodeScript.run(SCRIPT, JSON.writeValueAsBytes(batches));
        assertThat(out.size()).isEqualTo(sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            JsonNode r = out.get(i);
            assertThat(r.get("root").asText()).as("root of %d values", sizes[i]).isEqualTo(trees.get(i).root());
            assertThat(r.get("verified")).as("proofs of %d values", sizes[i]).hasSize(sizes[i])
                    .allSatisfy(v -> assertThat(v.asBoolean()).isTrue());
            if (sizes[i] > 1) {
                assertThat(r.get("tamperedVerified").asBoolean()).as("tampered proof, %d values", sizes[i]).isFalse();
            }
        }
    }

    @Test
    void aPartnerVerifiesOurProofObjectAsItIsWithTheLibrary() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(PACKAGE),
                "@openzeppelin/merkle-tree is not installed in local-runtime/node_modules (npm ci there)");
        List<EventHash> hashes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            hashes.add(EventHash.of((ObjectNode) JSON.readTree("{\"id\":\"e-" + i
                    + "\",\"type\":\"waybill.custody.transferred.v1\",\"n\":" + i + "}")));
        }
        AnchorTree batch = AnchorTree.of(hashes.stream().map(EventHash::bytes).toList());
        AnchorReceipt receipt = new AnchorReceipt(31337,
                EthereumAddress.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), "0x" + "cd".repeat(32), 7);
        ArrayNode proofs = JSON.createArrayNode();
        for (int i = 0; i < hashes.size(); i++) {
            proofs.add(EventProof.of("e-" + i, hashes.get(i), batch, i, receipt).toJson());
        }
        // one altered event: the hash of e-0 with n = 99, under e-0's proof
        ObjectNode forged = proofs.get(0).deepCopy();
        String alteredHash = EventHash.of((ObjectNode) JSON.readTree(
                "{\"id\":\"e-0\",\"type\":\"waybill.custody.transferred.v1\",\"n\":99}")).hex();
        forged.put("eventHash", alteredHash);
        forged.putArray("leaf").add("0x" + alteredHash);
        proofs.add(forged);
        // exactly StandardMerkleTree.verify(root, leafEncoding, leaf, proof), fields taken from each object as given
        JsonNode out = NodeScript.run(NodeScript.VERIFY_PROOFS, JSON.writeValueAsBytes(proofs));
        assertThat(out).hasSize(7);
        for (int i = 0; i < 6; i++) {
            assertThat(out.get(i).asBoolean()).as("proof of e-%d", i).isTrue();
        }
        assertThat(out.get(6).asBoolean()).as("an altered event under a real proof").isFalse();
    }
}

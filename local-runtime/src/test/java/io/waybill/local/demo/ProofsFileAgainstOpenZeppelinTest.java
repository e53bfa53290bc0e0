package io.waybill.local.demo;

import io.waybill.local.testing.NodeScript;
import io.waybill.local.stack.BlockTicker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's {@code proofs.jsonl}, written by the Provenance section after real custody transfers went through the
 * pipeline and were anchored on the stack's anvil, checked line by line by the library partners use:
 * {@code StandardMerkleTree.verify(root, leafEncoding, leaf, proof)} of {@code @openzeppelin/merkle-tree} (pinned in
 * {@code local-runtime/package.json}), run by Node with each line's fields as given. A line whose leaf is altered
 * must fail there. Skipped, with the reason, where Node or the package is missing.
 */
@Timeout(240)
class ProofsFileAgainstOpenZeppelinTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PACKAGE = Path.of("node_modules", "@openzeppelin", "merkle-tree");
    /** The proof shape: exactly these fields, one object per event. */
    private static final Set<String> SHAPE = new TreeSet<>(List.of("eventId", "eventHash", "root", "leafEncoding",
            "leaf", "proof", "chainId", "contract", "tx", "block"));
    private static final int TRANSFERS = 5;

    @Test
    void everyLineOfProofsJsonlVerifiesWithTheLibraryAndAnAlteredLeafDoesNot(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(PACKAGE),
                "@openzeppelin/merkle-tree is not installed in local-runtime/node_modules (npm ci there)");
        Path file = dir.resolve("proofs.jsonl");
        List<String> failures = new ArrayList<>();
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                     .names(PipelineNames.withPrefix("waybill-proofs-file")).shards(1)
                     .anchoring(stack.ethereum()).deploy();
             BlockTicker blocks = BlockTicker.start(stack.ethereum(), BlockTicker.BLOCK_TIME)) {
            // five SwiftLog PODs with a handover: five custody transfers, each with its own id and time (the event
            // hash excludes the id, so the times keep the leaves distinct)
            List<byte[]> payloads = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int k = 0; k < TRANSFERS; k++) {
                ObjectNode pod = (ObjectNode) SampleCatalog.json("raw/swiftlog/proof-of-delivery.json").deepCopy();
                pod.put("messageId", "SL-PROOFS-" + k);
                pod.put("eventTimeUtc", "2026-11-27T10:0" + k + ":00Z");
                payloads.add(JSON.writeValueAsBytes(pod));
                keys.add("106141412345678908");
            }
            pipeline.publish(payloads, keys);
            assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).as("pipeline drained").isTrue();
            new ProvenanceSection(new PrintStream(report, true, StandardCharsets.UTF_8), file)
                    .print(pipeline.anchoring(), pipeline.storedEvents(), TRANSFERS, false, failures);
        }
        String printed = report.toString(StandardCharsets.UTF_8);
        assertThat(failures).as(printed).isEmpty();
        assertThat(printed).contains("events anchored: 5 of 5").contains("verified end to end against the chain");

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(TRANSFERS);
        ArrayNode proofs = JSON.createArrayNode();
        Set<String> ids = new TreeSet<>();
        for (String line : lines) {
            JsonNode p = JSON.readTree(line);
            Set<String> fields = new TreeSet<>();
            for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
                fields.add(it.next());
            }
            assertThat(fields).as("fields of %s", line).isEqualTo(SHAPE);
            assertThat(p.get("chainId").asLong()).isEqualTo(31337);
            assertThat(p.get("leaf").get(0).asText()).isEqualTo("0x" + p.get("eventHash").asText());
            ids.add(p.get("eventId").asText());
            proofs.add(p);
        }
        assertThat(ids).containsExactly("SL-PROOFS-0", "SL-PROOFS-1", "SL-PROOFS-2", "SL-PROOFS-3", "SL-PROOFS-4");
        // an altered leaf under the first line's proof: the first hex digit after 0x changed
        ObjectNode forged = proofs.get(0).deepCopy();
        String leaf = forged.get("leaf").get(0).asText();
        forged.putArray("leaf").add("0x" + (leaf.charAt(2) == '0' ? '1' : '0') + leaf.substring(3));
        proofs.add(forged);

        JsonNode verdicts = NodeScript.run(NodeScript.VERIFY_PROOFS, JSON.writeValueAsBytes(proofs));
        assertThat(verdicts).hasSize(TRANSFERS + 1);
        for (int i = 0; i < TRANSFERS; i++) {
            assertThat(verdicts.get(i).asBoolean()).as("line %d: %s", i + 1, lines.get(i)).isTrue();
        }
        assertThat(verdicts.get(TRANSFERS).asBoolean()).as("an altered leaf under a real proof").isFalse();
    }
}

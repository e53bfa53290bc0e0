package io.waybill.local.bench;

import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * P5 on the local stack with small workloads: batches of 1 and 10 events, a 3-transaction baseline, and 10 custody
 * transfers through the pipeline at the default anchoring settings.
 */
@Timeout(240)
class AnchoringFiguresOnLocalStackTest {

    @Test
    void smallBatchesAndTenTransfersGiveTheP5Report() throws Exception {
        AnchorCost.Result cost;
        AnchorLatency.Result latency;
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults())) {
            cost = new AnchorCost(stack.ethereum(), 7).measure(List.of(1, 10), 3);
            latency = new AnchorLatency(stack).measure(10, Duration.ofSeconds(5), Duration.ofSeconds(90));
        }

        assertThat(cost.deploymentGas()).isPositive();
        assertThat(cost.baselineGas()).hasSize(3).allSatisfy(g -> assertThat(g).isBetween(21_000L, 200_000L));
        AnchorCost.Row one = cost.rows().get(0);
        AnchorCost.Row ten = cost.rows().get(1);
        // A batch of one: the root is the leaf itself, the proof is empty.
        assertThat(one.proofMin()).isZero();
        assertThat(one.proofMax()).isZero();
        // Ten leaves: the tree is an array of 2*10-1 = 19 nodes, the leaves at indices 9..18; a leaf's proof has one
        // hash per level above it, floor(log2(i+1)): indices 9..14 -> 3, 15..18 -> 4.
        assertThat(ten.proofMin()).isEqualTo(3);
        assertThat(ten.proofMax()).isEqualTo(4);
        // One more proof hash in the JSON line: "0x" + 64 hex digits in quotes (68 bytes) and a comma = 69 bytes.
        assertThat(ten.jsonMaxBytes() - ten.jsonMinBytes()).isEqualTo(69);
        // anchor(root, count, uri) has the same calldata shape whatever the count: the batch of ten costs one
        // single-event anchor, within the few gas a zero byte saves in the calldata (4 instead of 16 per byte).
        assertThat(Math.abs(ten.gasUsed() - cost.baselinePerEvent())).isLessThan(500.0);
        assertThat(cost.ratio(ten)).isBetween(0.099, 0.101);

        assertThat(latency.sent()).isEqualTo(10);
        assertThat(latency.stored()).isEqualTo(10);
        assertThat(latency.latenciesMs()).hasSize(10).allSatisfy(ms -> assertThat(ms).isBetween(0L, 60_000L));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Benchmarks(new PrintStream(bytes, true, StandardCharsets.UTF_8)).printP5(cost, latency);
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("P5 provenance anchoring", "registry deployment", "proofs table polled every 250 ms")
                .containsPattern("(?m)^\\s+10\\s+[0-9,]+\\s+[0-9,.]+\\s+0\\.(0999|1000)");
    }
}

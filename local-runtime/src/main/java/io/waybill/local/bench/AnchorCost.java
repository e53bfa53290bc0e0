package io.waybill.local.bench;

import io.waybill.chain.Web3jAnchorChain;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.AnchorReceipt;
import io.waybill.domain.provenance.AnchorRunSettings;
import io.waybill.domain.provenance.AnchorTree;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EventProof;
import io.waybill.local.stack.LocalEthereum;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * P5, cost side: gas per anchored event and proof size against the batch size, on the local stack's node (anvil) and
 * registry. For each batch size N an {@link AnchorTree} of N random event hashes is built and its root sent in ONE
 * {@code anchor(root, N, uri)} transaction through {@link Web3jAnchorChain}, signed by the dev signer; the receipt's
 * {@code gasUsed} is read (measured, not computed). The baseline in the same run: one {@code anchor} per event.
 */
public final class AnchorCost {
    /** How long one transaction may take to be mined (anvil automines at once; a block time makes it wait). */
    static final Duration INCLUSION_TIMEOUT = Duration.ofSeconds(60);

    /**
     * One batch size.
     *
     * @param events        N, the events under the root
     * @param gasUsed       the receipt's gasUsed of the one anchor transaction
     * @param proofMin      shortest proof in the batch, in hashes
     * @param proofMax      longest proof
     * @param jsonMinBytes  smallest proof JSON line ({@link EventProof#toJson()}, UTF-8 bytes)
     * @param jsonMaxBytes  largest proof JSON line
     */
    public record Row(int events, long gasUsed, int proofMin, int proofMax, int jsonMinBytes, int jsonMaxBytes) {
        public double gasPerEvent() {
            return gasUsed / (double) events;
        }
    }

    /**
     * @param deploymentGas   the registry's creation ({@link LocalEthereum#deploymentGasUsed()})
     * @param baselineGas     gasUsed of each single-event anchor of the baseline
     * @param rows            one per batch size
     */
    public record Result(long deploymentGas, List<Long> baselineGas, List<Row> rows) {
        public double baselinePerEvent() {
            return baselineGas.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
        }

        public double ratio(Row row) {
            return row.gasPerEvent() / baselinePerEvent();
        }
    }

    private final LocalEthereum node;
    private final AnchorRunSettings settings = AnchorRunSettings.defaults();
    private final Random random;

    public AnchorCost(LocalEthereum node, long seed) {
        this.node = node;
        this.random = new Random(seed);
    }

    /**
     * @param sizes       batch sizes N
     * @param baselineTxs how many single-event anchors make the baseline
     */
    public Result measure(List<Integer> sizes, int baselineTxs) throws InterruptedException {
        DigestSigner signer = node.devSigner();
        try (Web3jAnchorChain chain = node.connect()) {
            List<Long> baseline = new ArrayList<>();
            for (int i = 0; i < baselineTxs; i++) {
                AnchorTree single = AnchorTree.of(List.of(randomHash()));
                baseline.add(anchor(chain, signer, single).gasUsed());
            }
            List<Row> rows = new ArrayList<>();
            for (int n : sizes) {
                List<byte[]> hashes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    hashes.add(randomHash());
                }
                AnchorTree tree = AnchorTree.of(hashes);
                AnchorChain.Inclusion inclusion = anchor(chain, signer, tree);
                AnchorReceipt receipt = new AnchorReceipt(chain.chainId(), chain.registry(), inclusion.txHash(),
                        inclusion.block());
                int proofMin = Integer.MAX_VALUE;
                int proofMax = 0;
                int jsonMin = Integer.MAX_VALUE;
                int jsonMax = 0;
                for (int i = 0; i < n; i++) { // every index: 10,000 proofs take well under a second
                    List<String> proof = tree.proof(i);
                    // a 36-character id (a UUID): longer than the partners' message ids, so the bytes are an upper side
                    EventProof p = new EventProof(UUID.randomUUID().toString(), tree.value(i).substring(2),
                            tree.root(), proof, receipt);
                    int bytes = p.toJson().toString().getBytes(StandardCharsets.UTF_8).length;
                    proofMin = Math.min(proofMin, proof.size());
                    proofMax = Math.max(proofMax, proof.size());
                    jsonMin = Math.min(jsonMin, bytes);
                    jsonMax = Math.max(jsonMax, bytes);
                }
                rows.add(new Row(n, inclusion.gasUsed(), proofMin, proofMax, jsonMin, jsonMax));
            }
            return new Result(node.deploymentGasUsed(), List.copyOf(baseline), List.copyOf(rows));
        }
    }

    /** One {@code anchor(root, size, uri)}, sent as the anchoring run sends it (estimate, limit, sign, broadcast). */
    private AnchorChain.Inclusion anchor(Web3jAnchorChain chain, DigestSigner signer, AnchorTree tree)
            throws InterruptedException {
        AnchorChain.AnchorCall call = new AnchorChain.AnchorCall(tree.root(), tree.size(), settings.uri(tree.root()));
        BigInteger nonce = chain.nonce(signer.address(), true);
        long estimate = chain.estimateGas(signer.address(), call);
        AnchorChain.AnchorTx tx = new AnchorChain.AnchorTx(nonce, chain.suggestedFees(),
                AnchorRunSettings.gasLimit(estimate), call);
        AnchorChain.SignedAnchor signed = chain.sign(tx, signer);
        String hash = chain.broadcast(signed.raw());
        long until = System.nanoTime() + INCLUSION_TIMEOUT.toNanos();
        while (System.nanoTime() < until) {
            var inclusion = chain.inclusion(hash);
            if (inclusion.isPresent()) {
                if (!inclusion.get().succeeded()) {
                    throw new IllegalStateException("anchor of " + tree.size() + " events reverted: " + hash);
                }
                return inclusion.get();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("anchor " + hash + " not mined within " + INCLUSION_TIMEOUT);
    }

    private byte[] randomHash() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }

    static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }
}

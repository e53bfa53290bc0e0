package io.waybill.local.provenance;

import io.waybill.aws.provenance.DynamoDbAnchorLedger;
import io.waybill.aws.provenance.DynamoDbEventProofs;
import io.waybill.domain.provenance.AnchorBatchPolicy;
import io.waybill.domain.provenance.AnchorCandidate;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.AnchorJournal;
import io.waybill.domain.provenance.AnchorRun;
import io.waybill.domain.provenance.AnchorRunSettings;
import io.waybill.domain.provenance.AnchorTree;
import io.waybill.domain.provenance.ChainRejectedException;
import io.waybill.domain.provenance.ChainUnavailableException;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.EthereumSignature;
import io.waybill.domain.provenance.EventProof;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The anchoring engine on the DynamoDB ledger and proofs tables of the local emulator, against a small instant-mining
 * chain written here (one block per broadcast, a second anchor of a root reverts): a node that is down for the
 * first passes, then 23 events in batches of 5 (the last one closed by time), every proof in the proofs table
 * verifying against a root anchored exactly once, each member listed in the order it was queued.
 */
@Timeout(120)
class AnchorRunOnEmulatorTest {
    private static final Instant T0 = Instant.parse("2026-03-14T13:00:00Z");
    private static final EthereumAddress REGISTRY = EthereumAddress.parse("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static LocalAwsStack stack;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createTable(DynamoDbAnchorLedger.definition("anchor-run-ledger"));
        StackResources.using(stack.clients()).createTable(DynamoDbEventProofs.definition("anchor-run-proofs"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Mines every accepted transaction at once, in a block of its own; the registry keeps roots. */
    static final class InstantChain implements AnchorChain {
        boolean down;
        final Map<String, Long> anchored = new HashMap<>();
        final Map<String, Inclusion> receipts = new HashMap<>();
        final List<String> sent = new ArrayList<>();
        long block;
        BigInteger nonce = BigInteger.ZERO;

        private void reach() {
            if (down) {
                throw new ChainUnavailableException("down");
            }
        }

        @Override public long chainId() { return 31337; }
        @Override public EthereumAddress registry() { return REGISTRY; }
        @Override public long blockNumber() { reach(); return block; }
        @Override public Optional<String> blockHash(long n) { reach(); return Optional.of(hashOf("block " + n)); }
        @Override public BigInteger nonce(EthereumAddress a, boolean pending) { reach(); return nonce; }
        @Override public Fees suggestedFees() { reach(); return new Fees(BigInteger.TEN, BigInteger.ONE); }
        @Override public OptionalLong anchoredAt(String root) {
            reach();
            return anchored.containsKey(root) ? OptionalLong.of(anchored.get(root)) : OptionalLong.empty();
        }
        @Override public long estimateGas(EthereumAddress from, AnchorCall call) {
            reach();
            if (anchored.containsKey(call.root())) {
                throw new ChainRejectedException(ChainRejectedException.Reason.REVERTED, "anchored");
            }
            return 48_721;
        }
        @Override public SignedAnchor sign(AnchorTx tx, DigestSigner signer) {
            byte[] raw = (tx.nonce() + "|" + tx.call().root()).getBytes(StandardCharsets.UTF_8);
            return new SignedAnchor(tx, raw, hashOf(new String(raw, StandardCharsets.UTF_8)));
        }
        @Override public String broadcast(byte[] raw) {
            reach();
            String text = new String(raw, StandardCharsets.UTF_8);
            String hash = hashOf(text);
            if (receipts.containsKey(hash)) {
                throw new ChainRejectedException(ChainRejectedException.Reason.ALREADY_KNOWN, "known");
            }
            String[] f = text.split("\\|");
            if (new BigInteger(f[0]).compareTo(nonce) < 0) {
                throw new ChainRejectedException(ChainRejectedException.Reason.NONCE_TOO_LOW, "low");
            }
            block++;
            nonce = nonce.add(BigInteger.ONE);
            boolean ok = !anchored.containsKey(f[1]);
            if (ok) {
                anchored.put(f[1], block);
            }
            receipts.put(hash, new Inclusion(hash, block, hashOf("block " + block), ok, 48_721));
            sent.add(f[1]);
            return hash;
        }
        @Override public Optional<Inclusion> inclusion(String h) { reach(); return Optional.ofNullable(receipts.get(h)); }
        @Override public boolean knows(String h) { reach(); return receipts.containsKey(h); }

        static String hashOf(String text) {
            try {
                return "0x" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void eventsQueuedWhileTheNodeIsDownAreAnchoredOnceWithProofsInTheTable() {
        DynamoDbAnchorLedger ledger = new DynamoDbAnchorLedger(stack.clients().dynamoDb(), "anchor-run-ledger");
        DynamoDbEventProofs proofs = new DynamoDbEventProofs(stack.clients().dynamoDb(), "anchor-run-proofs");
        InstantChain chain = new InstantChain();
        DigestSigner signer = new DigestSigner() {
            @Override public EthereumAddress address() {
                return EthereumAddress.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
            }
            @Override public EthereumSignature sign(byte[] digest) {
                return new EthereumSignature(BigInteger.ONE, BigInteger.ONE, 0);
            }
        };
        Instant[] now = {T0};
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId z) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        AnchorRun run = new AnchorRun(ledger, chain, signer, proofs, new AnchorBatchPolicy(5, Duration.ofSeconds(20)),
                new AnchorRunSettings(1, Duration.ofSeconds(30), 15, "urn:waybill:anchor-batch:",
                        Duration.ofSeconds(90)), clock, AnchorJournal.SILENT);
        List<AnchorCandidate> events = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            AnchorCandidate c = new AnchorCandidate("emu-" + i, String.format("%064x", 1000 + i),
                    "waybill.custody.transferred.v1", null, T0.plusMillis(i));
            assertThat(ledger.enqueue(c)).isTrue();
            assertThat(ledger.enqueue(c)).isFalse();
            events.add(c);
        }
        chain.down = true;
        assertThat(run.pass(T0.plusSeconds(60))).isEqualTo(AnchorRun.Outcome.NODE_UNAVAILABLE);
        assertThat(chain.sent).isEmpty();
        chain.down = false;
        for (int i = 0; i < 6; i++) {
            now[0] = now[0].plusSeconds(5);
            run.pass(now[0].plusSeconds(60));
        }
        assertThat(ledger.openBatches()).isEmpty();
        assertThat(ledger.oldestQueued(10)).isEmpty();
        assertThat(chain.sent).hasSize(5).doesNotHaveDuplicates(); // 5 + 5 + 5 + 5 + 3
        for (int i = 0; i < events.size(); i++) {
            EventProof p = proofs.find("emu-" + i).orElseThrow();
            assertThat(p.eventHash()).isEqualTo(events.get(i).eventHash());
            assertThat(AnchorTree.verify(p.root(), events.get(i).leafValue(), p.proof())).isTrue();
            assertThat(chain.anchored).containsKey(p.root());
            assertThat(p.receipt().block()).isEqualTo(chain.anchored.get(p.root()));
            // batches take the oldest first: events 0-4 share the first root, 20-22 the last
            assertThat(p.root()).isEqualTo(proofs.find("emu-" + (i - i % 5)).orElseThrow().root());
        }
    }
}

package io.waybill.domain.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The anchoring engine driven against {@link ReferenceChain} (a node and registry modelled in the tests) and an
 * in-memory ledger. Expected values come from the model (what is on its chain) and from hashes recomputed here.
 */
class AnchorRunTest {
    static final Path CUSTODY_FIXTURE = Path.of("../../schemas/src/test/resources/valid/waybill.custody.transferred.v1.json");
    static final EthereumAddress ANCHORER = EthereumAddress.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    static final DigestSigner SIGNER = new DigestSigner() {
        @Override
        public EthereumAddress address() {
            return ANCHORER;
        }

        @Override
        public EthereumSignature sign(byte[] digest) {
            assertThat(digest).hasSize(32);
            return new EthereumSignature(BigInteger.ONE, BigInteger.ONE, 0);
        }
    };
    static final Instant T0 = Instant.parse("2026-03-14T13:00:00Z");

    final MovableClock clock = new MovableClock(T0);
    final ReferenceChain chain = new ReferenceChain();
    final InMemoryAnchorLedger ledger = new InMemoryAnchorLedger();
    final InMemoryEventProofs proofs = new InMemoryEventProofs();
    final CountingJournal journal = new CountingJournal();
    AnchorIntake intake;

    static final class CountingJournal implements AnchorJournal {
        int queued, sealed, broadcast, rebroadcast, feeBumps, reorgs, confirmed, unavailable, alarms;
        final List<AnchorAttempt> bumps = new ArrayList<>();

        @Override public void queued(AnchorCandidate c) { queued++; }
        @Override public void sealed(String root, int count) { sealed++; }
        @Override public void broadcast(String root, AnchorAttempt a) { broadcast++; }
        @Override public void rebroadcast(String root, AnchorAttempt a) { rebroadcast++; }
        @Override public void feeBump(String root, AnchorAttempt a) { feeBumps++; bumps.add(a); }
        @Override public void reorganised(String root, AnchorChain.Inclusion lost) { reorgs++; }
        @Override public void confirmed(String root, AnchorReceipt r, int events) { confirmed++; }
        @Override public void nodeUnavailable(String during, RuntimeException cause) { unavailable++; }
        @Override public void alarm(String root, String message) { alarms++; }
    }

    @BeforeEach
    void setUp() {
        intake = new AnchorIntake(ProvenanceSelection.defaults(), ledger, clock, journal);
    }

    AnchorRun run(AnchorBatchPolicy policy) {
        return run(policy, AnchorRunSettings.defaults());
    }

    AnchorRun run(AnchorBatchPolicy policy, AnchorRunSettings settings) {
        return new AnchorRun(ledger, chain, SIGNER, proofs, policy, settings, clock, journal);
    }

    static ObjectNode fixture() {
        try {
            return (ObjectNode) CanonicalEventJson.MAPPER.readTree(Files.readString(CUSTODY_FIXTURE));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Custody transfer number {@code i}: the fixture with its own id and shipment. */
    static CanonicalEvent custody(int i) {
        ObjectNode json = fixture();
        json.put("id", "pod-transfer-" + i);
        String sscc = String.format("0061414112%08d", i);
        json.put("subject", sscc);
        ((ObjectNode) json.get("data")).put("shipmentSscc", sscc);
        return CanonicalEventJson.fromJson(json);
    }

    /**
     * The oracle: RFC 8785 for JSON made of strings, integers and booleans only (keys sorted by UTF-16 code units,
     * no whitespace), written here without the production canonicaliser, minus {@code id}, hashed with SHA-256.
     */
    static String independentHash(CanonicalEvent event) throws Exception {
        ObjectNode json = CanonicalEventJson.toJson(event).deepCopy();
        json.remove("id");
        StringBuilder out = new StringBuilder();
        canonical(json, out);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(out.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void canonical(JsonNode n, StringBuilder out) throws Exception {
        if (n.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), e.getValue());
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                out.append(first ? "" : ",").append('"').append(e.getKey()).append("\":");
                canonical(e.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (n.isTextual()) {
            assertThat(n.asText()).matches("[ -!#-\\[\\]-~]*"); // printable ASCII without quote or backslash
            out.append('"').append(n.asText()).append('"');
        } else if (n.isIntegralNumber() || n.isBoolean()) {
            out.append(n.asText());
        } else {
            throw new IllegalArgumentException("the test oracle handles strings, integers and booleans: " + n);
        }
    }

    List<CanonicalEvent> accept(int from, int count) {
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            CanonicalEvent e = custody(i);
            assertThat(intake.accept(e)).isEqualTo(AnchorIntake.Outcome.QUEUED);
            events.add(e);
        }
        return events;
    }

    Instant later() {
        return clock.instant().plus(Duration.ofMinutes(5));
    }

    /** Passes and blocks (one block a second) until nothing is open and nothing is queued, at most {@code limit}. */
    void settle(AnchorRun run, int limit) {
        for (int i = 0; i < limit; i++) {
            run.pass(later());
            if (ledger.openBatches().isEmpty() && ledger.queuedCount() == 0) {
                return;
            }
            chain.mine();
            clock.advance(Duration.ofSeconds(1));
        }
        throw new AssertionError("not settled after " + limit + " passes: " + ledger.openBatches());
    }

    void assertEveryEventAnchoredOnce(List<CanonicalEvent> events) throws Exception {
        for (CanonicalEvent e : events) {
            EventProof p = proofs.find(e.id()).orElseThrow(() -> new AssertionError("no proof for " + e.id()));
            assertThat(p.eventHash()).as("hash of " + e.id()).isEqualTo(independentHash(e));
            assertThat(AnchorTree.verify(p.root(), "0x" + independentHash(e), p.proof())).isTrue();
            List<ReferenceChain.Tx> anchors = chain.anchorsOnChain(p.root());
            assertThat(anchors).as("anchors of " + p.root()).hasSize(1);
            ReferenceChain.Tx tx = anchors.get(0);
            assertThat(p.receipt().tx()).isEqualTo(tx.hash());
            assertThat(p.receipt().block()).isEqualTo(chain.inclusion(tx.hash()).orElseThrow().block());
            assertThat(p.receipt().chainId()).isEqualTo(31337);
            assertThat(p.receipt().contract()).isEqualTo(ReferenceChain.REGISTRY);
        }
        assertThat(chain.reverted()).as("no second anchor of a root ever reached a block").isEmpty();
    }

    // ---- tests -------------------------------------------------------------------------------------------------

    @Test
    void theFixturesHashIsTheOneComputedOutsideJava() throws Exception {
        // EventHashTest: printf '%s' '<RFC 8785 form without id>' | sha256sum
        CanonicalEvent e = CanonicalEventJson.fromJson(fixture());
        assertThat(independentHash(e)).isEqualTo("d07b67811ad868b0dc97b8cf98a2218c32d01e28f9c95461bc3b84f458916f41");
    }

    @Test
    void aBatchClosesAtNEvents() throws Exception {
        AnchorRun run = run(new AnchorBatchPolicy(3, Duration.ofHours(1)));
        List<CanonicalEvent> events = accept(0, 2);
        run.pass(later());
        assertThat(ledger.allBatches()).isEmpty();
        events.addAll(accept(2, 4)); // 6 queued: two batches of 3
        run.pass(later());
        assertThat(ledger.allBatches()).hasSize(2).allSatisfy(b -> assertThat(b.count()).isEqualTo(3));
        assertThat(chain.accepted).hasSize(2);
        settle(run, 10);
        assertEveryEventAnchoredOnce(events);
        // the first batch holds the three oldest, in queue order: its root is the tree of their hashes
        String firstRoot = AnchorTree.ofHex(List.of("0x" + independentHash(events.get(0)),
                "0x" + independentHash(events.get(1)), "0x" + independentHash(events.get(2)))).root();
        assertThat(proofs.find(events.get(0).id()).orElseThrow().root()).isEqualTo(firstRoot);
    }

    @Test
    void aBatchClosesWhenTheOldestEventHasWaitedT() throws Exception {
        AnchorRun run = run(new AnchorBatchPolicy(1000, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 1);
        clock.advance(Duration.ofSeconds(5));
        events.addAll(accept(1, 1));
        clock.advance(Duration.ofSeconds(14)); // oldest has waited 19 s
        run.pass(later());
        assertThat(ledger.allBatches()).isEmpty();
        clock.advance(Duration.ofSeconds(1)); // 20 s
        run.pass(later());
        assertThat(ledger.allBatches()).singleElement().satisfies(b -> assertThat(b.count()).isEqualTo(2));
        settle(run, 10);
        assertEveryEventAnchoredOnce(events);
    }

    @Test
    void withDefaultSettingsStoredToConfirmedStaysWithin60Seconds() throws Exception {
        // one block a second, a pass a second: T = 20 s, then 1 block to include + 1 more for 2 confirmations
        AnchorRun run = run(AnchorBatchPolicy.defaults());
        Instant stored = clock.instant();
        List<CanonicalEvent> events = accept(0, 5);
        settle(run, 60);
        assertEveryEventAnchoredOnce(events);
        assertThat(Duration.between(stored, clock.instant())).isLessThanOrEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aRedeliveredOrAnchoredEventIsNotQueuedAgain() throws Exception {
        AnchorRun run = run(new AnchorBatchPolicy(2, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 2);
        assertThat(intake.accept(events.get(0))).isEqualTo(AnchorIntake.Outcome.ALREADY_KNOWN);
        settle(run, 10);
        assertThat(intake.accept(events.get(1))).isEqualTo(AnchorIntake.Outcome.ALREADY_KNOWN);
        clock.advance(Duration.ofMinutes(1));
        settle(run, 10);
        assertThat(chain.accepted).hasSize(1);
        assertEveryEventAnchoredOnce(events);
    }

    @Test
    void telemetryIsNotSelected() {
        ObjectNode json = fixture();
        json.put("type", "waybill.shipment.located.v1");
        assertThat(ProvenanceSelection.defaults().selects(custody(1))).isTrue();
        assertThatThrownBy(() -> ProvenanceSelection.parse("custody,waybill.temperature.observed.v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raw telemetry");
    }

    @Test
    void twoConcurrentRunsMakeOneAnchorTransaction() throws Exception {
        AnchorRun a = run(new AnchorBatchPolicy(4, Duration.ofSeconds(20)));
        AnchorRun b = run(new AnchorBatchPolicy(4, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 4);
        assertThat(a.pass(later())).isEqualTo(AnchorRun.Outcome.DONE);
        assertThat(b.pass(later())).isEqualTo(AnchorRun.Outcome.LEASE_HELD);
        // even when the lease fails (both think they hold it), the ledger's conditions leave one transaction
        ledger.leaseAlwaysGranted = true;
        for (int i = 0; i < 40; i++) {
            (i % 2 == 0 ? a : b).pass(later());
            if (i % 3 == 0) {
                chain.mine();
            }
            clock.advance(Duration.ofSeconds(7));
        }
        settle(a, 10);
        assertThat(chain.accepted).hasSize(1);
        assertThat(chain.signatures).isEqualTo(1);
        assertEveryEventAnchoredOnce(events);
    }

    @Test
    void aWriterThatLosesTheRaceToStoreItsAttemptBroadcastsNothing() throws Exception {
        ledger.leaseAlwaysGranted = true; // the lease expired mid-pass: both runs believe they hold it
        AnchorRun a = run(new AnchorBatchPolicy(2, Duration.ofSeconds(20)));
        AnchorRun b = run(new AnchorBatchPolicy(2, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 2);
        ledger.beforeStoreAttempt = () -> {
            // b runs a whole pass after a signed (at 2 gwei) and before a stores; b sees lower fees (1.5 gwei)
            chain.suggestedMax = BigInteger.valueOf(1_500_000_000L);
            chain.suggestedTip = BigInteger.valueOf(50_000_000L);
            b.pass(later());
        };
        a.pass(later());
        assertThat(chain.signatures).isEqualTo(2);
        // had a broadcast its 2 gwei signature, the node would have taken it as a replacement (+33 %)
        assertThat(chain.accepted).singleElement()
                .satisfies(tx -> assertThat(tx.fees().maxFeePerGas()).isEqualTo(BigInteger.valueOf(1_500_000_000L)));
        settle(a, 10);
        assertThat(chain.accepted).hasSize(1);
        assertEveryEventAnchoredOnce(events);
    }

    @Test
    void whileTheNodeIsDownBatchesWaitAndAreAnchoredLater() throws Exception {
        AnchorRun run = run(new AnchorBatchPolicy(3, Duration.ofSeconds(20)));
        chain.unreachable = true;
        List<CanonicalEvent> events = accept(0, 7);
        for (int s = 0; s < 60; s += 5) { // a minute down
            assertThat(run.pass(later())).isEqualTo(AnchorRun.Outcome.NODE_UNAVAILABLE);
            clock.advance(Duration.ofSeconds(5));
            events.addAll(accept(100 + s, 1));
        }
        assertThat(chain.accepted).isEmpty();
        assertThat(journal.unavailable).isEqualTo(12);
        assertThat(ledger.allBatches()).allSatisfy(b -> assertThat(b.state()).isEqualTo(AnchorBatch.State.SEALED));
        chain.unreachable = false;
        settle(run, 30);
        assertEveryEventAnchoredOnce(events);
        assertThat(proofs.byEvent).hasSize(19);
    }

    @Test
    void theNodeGoingDownBetweenStoreAndBroadcastLeavesTheSameBytesToSend() throws Exception {
        AnchorRun run = run(new AnchorBatchPolicy(2, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 2);
        chain.refuseBroadcasts = true;
        assertThat(run.pass(later())).isEqualTo(AnchorRun.Outcome.NODE_UNAVAILABLE);
        AnchorBatch stored = ledger.allBatches().get(0);
        AnchorAttempt attempt = stored.latest().orElseThrow();
        assertThat(attempt.broadcastAt()).isNull();
        chain.refuseBroadcasts = false;
        settle(run, 10);
        assertThat(chain.signatures).isEqualTo(1);
        assertThat(chain.accepted).singleElement().satisfies(tx -> assertThat(tx.hash()).isEqualTo(attempt.hash()));
        assertEveryEventAnchoredOnce(events);
    }

    @Test
    void aCrashBetweenStoreAndBroadcastRebroadcastsTheSameBytesWithoutASecondNonce() throws Exception {
        AnchorRun first = run(new AnchorBatchPolicy(2, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 2);
        chain.crashOnNextBroadcast = true;
        assertThatThrownBy(() -> first.pass(later())).isInstanceOf(ReferenceChain.Crash.class);
        String storedHash = ledger.allBatches().get(0).latest().orElseThrow().hash();
        AnchorRun second = run(new AnchorBatchPolicy(2, Duration.ofSeconds(20)));
        assertThat(second.pass(later())).as("the dead run's lease still holds").isEqualTo(AnchorRun.Outcome.LEASE_HELD);
        clock.advance(AnchorRunSettings.DEFAULT_LEASE);
        settle(second, 10);
        assertThat(chain.signatures).isEqualTo(1);
        assertThat(chain.accepted).singleElement().satisfies(tx -> {
            assertThat(tx.hash()).isEqualTo(storedHash);
            assertThat(tx.nonce()).isZero();
        });
        assertThat(ledger.nextNonce(ANCHORER)).contains(BigInteger.ONE);
        assertEveryEventAnchoredOnce(events);
    }

    @Test
    void aStuckTransactionIsRebroadcastThenReplacedWithAtLeastTenPercentMoreFees() throws Exception {
        AnchorRun run = run(new AnchorBatchPolicy(2, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 2);
        chain.forgetBroadcasts = true; // accepted, then lost from the pool
        run.pass(later());
        String original = chain.accepted.get(0).hash();
        chain.forgetBroadcasts = false;
        clock.advance(Duration.ofSeconds(29));
        run.pass(later());
        assertThat(chain.accepted).hasSize(1);
        clock.advance(Duration.ofSeconds(1)); // 30 s: stuck, and the node does not know it
        run.pass(later());
        assertThat(journal.rebroadcast).isEqualTo(1);
        assertThat(chain.pending(original)).isTrue();
        // the base fee rises above the fee cap: pending, not mined
        chain.baseFee = BigInteger.valueOf(3_000_000_000L);
        chain.mine();
        clock.advance(Duration.ofSeconds(30));
        run.pass(later());
        assertThat(journal.feeBumps).isEqualTo(1);
        ReferenceChain.Tx first = chain.accepted.get(0);
        ReferenceChain.Tx replacement = chain.accepted.get(chain.accepted.size() - 1);
        assertThat(replacement.nonce()).isEqualTo(first.nonce());
        // 2 gwei × 1.15 = 2.3 gwei; tip 0.1 gwei × 1.15 = 0.115 gwei: both ≥ 110 % of the original
        assertThat(replacement.fees().maxFeePerGas()).isEqualTo(BigInteger.valueOf(2_300_000_000L));
        assertThat(replacement.fees().maxPriorityFeePerGas()).isEqualTo(BigInteger.valueOf(115_000_000L));
        chain.mine(); // 2.3 < 3 gwei: still stuck
        clock.advance(Duration.ofSeconds(30));
        chain.suggestedMax = BigInteger.valueOf(4_000_000_000L);
        run.pass(later()); // bumped again: max(2.3 × 1.15, 4) = 4 gwei
        ReferenceChain.Tx third = chain.accepted.get(chain.accepted.size() - 1);
        assertThat(third.fees().maxFeePerGas()).isEqualTo(BigInteger.valueOf(4_000_000_000L));
        settle(run, 10);
        assertEveryEventAnchoredOnce(events);
        assertThat(proofs.find(events.get(0).id()).orElseThrow().receipt().tx()).isEqualTo(third.hash());
    }

    @Test
    void anUnderpricedReplacementIsBumpedAgainNextPass() throws Exception {
        AnchorRun run = run(new AnchorBatchPolicy(1, Duration.ofSeconds(20)),
                new AnchorRunSettings(2, Duration.ofSeconds(30), 10, "urn:x:", Duration.ofSeconds(90)));
        List<CanonicalEvent> events = accept(0, 1);
        chain.baseFee = BigInteger.valueOf(5_000_000_000L); // nothing mines
        chain.replacementPercent = 125; // a node that wants +25 % for a replacement
        run.pass(later());
        clock.advance(Duration.ofSeconds(30));
        run.pass(later()); // +10 %: 2.2 gwei, refused
        assertThat(chain.accepted).hasSize(1);
        run.pass(later()); // +10 % of that: 2.42 gwei = 121 %, refused
        assertThat(chain.accepted).hasSize(1);
        run.pass(later()); // 2.662 gwei = 133.1 %: accepted
        assertThat(chain.accepted).hasSize(2);
        // 2 gwei × 1.1 × 1.1 × 1.1 = 2.662 gwei; tip 0.1 gwei × 1.331 = 0.1331 gwei
        assertThat(chain.accepted.get(1).fees().maxFeePerGas()).isEqualTo(BigInteger.valueOf(2_662_000_000L));
        assertThat(chain.accepted.get(1).fees().maxPriorityFeePerGas()).isEqualTo(BigInteger.valueOf(133_100_000L));
        assertThat(chain.accepted.get(1).nonce()).isEqualTo(chain.accepted.get(0).nonce());
        chain.baseFee = BigInteger.ONE;
        settle(run, 10);
        assertEveryEventAnchoredOnce(events);
        assertThat(proofs.find(events.get(0).id()).orElseThrow().receipt().tx())
                .isEqualTo(chain.accepted.get(1).hash());
    }

    @Test
    void aReorganisationThatDropsTheAnchorReanchorsWithTheSameBytesAndProofsCarryTheFinalBlock() throws Exception {
        AnchorRun run = run(new AnchorBatchPolicy(2, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 2);
        run.pass(later());
        ReferenceChain.Block mined = chain.mine();
        run.pass(later()); // INCLUDED, 1 deep of 2
        assertThat(ledger.allBatches().get(0).state()).isEqualTo(AnchorBatch.State.INCLUDED);
        chain.reorganise(1, false); // the block is gone and so is the transaction
        chain.mine(); // another block 1
        run.pass(later());
        assertThat(journal.reorgs).isEqualTo(1);
        assertThat(journal.rebroadcast).isEqualTo(1);
        settle(run, 10);
        assertThat(chain.signatures).isEqualTo(1);
        assertEveryEventAnchoredOnce(events);
        EventProof p = proofs.find(events.get(0).id()).orElseThrow();
        assertThat(p.receipt().block()).isEqualTo(2);
        assertThat(chain.blockHash(2)).isNotEqualTo(mined.hash());
    }

    @Test
    void aReorganisationAfterWhichTheNonceIsTakenAnchorsAgainWithANewNonce() throws Exception {
        AnchorRun run = run(new AnchorBatchPolicy(2, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 2);
        run.pass(later());
        chain.mine();
        run.pass(later());
        chain.reorganise(1, false);
        chain.foreignTransactionTakes(BigInteger.ZERO);
        run.pass(later());
        settle(run, 10);
        assertThat(chain.signatures).isEqualTo(2);
        ReferenceChain.Tx anchor = chain.anchorsOnChain(proofs.find(events.get(0).id()).orElseThrow().root()).get(0);
        assertThat(anchor.nonce()).isEqualTo(BigInteger.ONE);
        assertEveryEventAnchoredOnce(events);
    }

    @Test
    void aBatchMinedThenReorganisedBackIntoAnotherBlockIsConfirmedThere() throws Exception {
        AnchorRun run = run(new AnchorBatchPolicy(2, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 2);
        run.pass(later());
        chain.mine();
        run.pass(later());
        chain.reorganise(1, true); // back in the pool
        chain.mine(); // mined again, in a block with another hash
        chain.mine();
        settle(run, 10);
        assertThat(journal.reorgs).isEqualTo(1);
        assertThat(chain.signatures).isEqualTo(1);
        assertEveryEventAnchoredOnce(events);
    }

    @Test
    void aSealingBatchLeftByACrashIsDissolvedAndItsEventsBatchedAgain() throws Exception {
        List<CanonicalEvent> events = accept(0, 3);
        // a crashed pass wrote SEALING and claimed one member
        String root = AnchorTree.ofHex(List.of("0x" + independentHash(events.get(0)))).root();
        ledger.createBatch(AnchorBatch.sealing(root, 1, "urn:x", clock.instant()),
                List.of(AnchorCandidate.of(events.get(0), T0)));
        ledger.claim(events.get(0).id(), root, 0);
        AnchorRun run = run(new AnchorBatchPolicy(3, Duration.ofSeconds(20)));
        settle(run, 10);
        assertThat(ledger.batch(root)).isEmpty();
        assertThat(chain.accepted).hasSize(1);
        assertEveryEventAnchoredOnce(events);
    }

    @Test
    void aRootAlreadyAnchoredByNoneOfOursStopsAsAnchoredElsewhere() {
        AnchorRun run = run(new AnchorBatchPolicy(1, Duration.ofSeconds(20)));
        List<CanonicalEvent> events = accept(0, 1);
        String root = AnchorTree.ofHex(List.of("0x" + EventHash.of(events.get(0)).hex())).root();
        // someone else anchors this root first (another anchorer on the registry)
        chain.broadcast(("anchor|0|2000000000|100000000|60000|" + root + "|1|urn:other").getBytes(StandardCharsets.UTF_8));
        chain.mine();
        run.pass(later());
        assertThat(ledger.batch(root).orElseThrow().state()).isEqualTo(AnchorBatch.State.ANCHORED_ELSEWHERE);
        assertThat(journal.alarms).isEqualTo(1);
        assertThat(chain.signatures).isZero();
    }
}

package io.waybill.local.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.aws.provenance.DynamoDbAnchorLedger;
import io.waybill.aws.provenance.DynamoDbEventProofs;
import io.waybill.domain.provenance.AnchorBatchPolicy;
import io.waybill.domain.provenance.AnchorCandidate;
import io.waybill.domain.provenance.AnchorRun;
import io.waybill.domain.provenance.AnchorRunSettings;
import io.waybill.domain.provenance.EventProof;
import io.waybill.domain.provenance.ProvenanceSelection;
import io.waybill.local.stack.AnvilControl;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's recovery promises on the real anvil and dynalite, each judged by what the chain itself says
 * ({@link ChainWitness}: {@code eth_getLogs} of the registry's {@code Anchored} events, receipts,
 * {@code eth_getTransactionByHash}, the dev account's mined nonce) and by proofs folded here as OpenZeppelin does:
 * the same batch from two writers and a redelivered intake is anchored once; a stuck anchor is replaced with fees at
 * least 10 % higher and only one attempt is mined; an anchor dropped by a reorganisation is anchored again and the
 * proof names the transaction and block on chain now.
 */
@Timeout(180)
class AnchorRecoveryOnAnvilTest {
    private static final String CUSTODY = "waybill.custody.transferred.v1";
    private static LocalAwsStack stack;
    private static AnvilControl anvil;
    private static ChainWitness chain;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        anvil = stack.ethereum().control();
        chain = new ChainWitness(stack.ethereum());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Fresh ledger and proofs tables named after the test. */
    private static String[] tables(String name) {
        StackResources.using(stack.clients()).createTable(DynamoDbAnchorLedger.definition(name + "-ledger"));
        StackResources.using(stack.clients()).createTable(DynamoDbEventProofs.definition(name + "-proofs"));
        return new String[] {name + "-ledger", name + "-proofs"};
    }

    private static LocalAnchoring anchoring(String[] tables, AnchorBatchPolicy policy, AnchorRunSettings settings) {
        return LocalAnchoring.start(stack.ethereum(), stack.clients().dynamoDb(), tables[0], tables[1],
                ProvenanceSelection.defaults(), policy, settings, null);
    }

    /** {@code n} custody transfers (JSON written here) queued as the intake queues them; hashes computed here. */
    private static List<AnchorCandidate> transfers(String tag, int n) {
        List<AnchorCandidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode event = ChainWitness.JSON.createObjectNode().put("specversion", "1.0")
                    .put("id", tag + "-" + i).put("source", "urn:waybill:test").put("type", CUSTODY)
                    .put("subject", "urn:epc:id:sscc:0614141.1234567890").put("time", "2026-11-27T10:0" + i + ":00Z");
            event.putObject("data").put("from", "urn:epc:id:sgln:0614141.00032.6")
                    .put("to", "urn:epc:id:sgln:0614141.00025.8").put("n", i)
                    .put("note", tag); // the id is not hashed: the tag keeps each test's events (and roots) apart
            out.add(new AnchorCandidate(tag + "-" + i, ChainWitness.eventHash(event), CUSTODY,
                    "urn:epc:id:sscc:0614141.1234567890", Instant.now()));
        }
        return out;
    }

    private static String dev() {
        return stack.ethereum().devSigner().address().toString();
    }

    private static List<String> ids(List<AnchorCandidate> cs) {
        return cs.stream().map(AnchorCandidate::eventId).toList();
    }

    /** The proof folds to its root (OpenZeppelin's verify, redone here) and its hash is the one computed here. */
    private static void assertProofOf(AnchorCandidate c, EventProof p) {
        assertThat(p.eventHash()).isEqualTo(c.eventHash());
        assertThat(ChainWitness.leadsToRoot(p.eventHash(), p.proof(), p.root())).as("proof of %s", c.eventId())
                .isTrue();
    }

    @Test
    void theSameBatchFromTwoWritersAndARedeliveredIntakeIsAnchoredOnce() throws Exception {
        String[] t = tables("twice");
        // a 1 s lease (the shortest allowed): the two runs take the writer's lease from each other whenever one lags
        AnchorRunSettings settings = new AnchorRunSettings(1, Duration.ofSeconds(5), 15,
                AnchorRunSettings.DEFAULT_URI_BASE, Duration.ofSeconds(1));
        AnchorBatchPolicy policy = new AnchorBatchPolicy(3, Duration.ofSeconds(1));
        List<AnchorCandidate> events = transfers("twice", 7);
        long nonceBefore = chain.minedNonce(dev());
        try (LocalAnchoring first = anchoring(t, policy, settings);
             LocalAnchoring second = anchoring(t, policy, settings)) {
            int queued = 0;
            for (AnchorCandidate c : events) { // every record delivered to the intake twice, once through each
                queued += first.ledger().enqueue(c) ? 1 : 0;
                queued += second.ledger().enqueue(c) ? 1 : 0;
            }
            assertThat(queued).as("each event queued once").isEqualTo(7);

            Map<AnchorRun.Outcome, Integer> outcomes = new ConcurrentHashMap<>();
            AtomicBoolean done = new AtomicBoolean();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (LocalAnchoring a : List.of(first, second)) {
                Thread w = new Thread(() -> {
                    try {
                        go.await();
                        while (!done.get()) {
                            outcomes.merge(a.pass(), 1, Integer::sum);
                            Thread.sleep(50);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "writer-" + writers.size());
                w.start();
                writers.add(w);
            }
            go.countDown();
            List<EventProof> proofs = first.awaitProofs(ids(events), Duration.ofSeconds(60));
            done.set(true);
            for (Thread w : writers) {
                w.join(10_000);
            }
            System.out.println("two writers' pass outcomes: " + outcomes);
            assertThat(proofs).as("a proof for every event").hasSize(7);

            Set<String> roots = new LinkedHashSet<>();
            for (int i = 0; i < events.size(); i++) {
                EventProof p = proofs.get(i);
                assertProofOf(events.get(i), p);
                roots.add(p.root());
                List<ChainWitness.AnchoredLog> logs = chain.anchoredLogs(p.root());
                assertThat(logs).as("Anchored logs of %s", p.root()).hasSize(1);
                assertThat(logs.get(0).tx()).isEqualToIgnoringCase(p.receipt().tx());
                assertThat(logs.get(0).block()).isEqualTo(p.receipt().block());
            }
            // batches of 3: 7 events make 3 roots; the logs' counts add up to 7 (no event in two batches)
            assertThat(roots).hasSize(3);
            assertThat(roots.stream().mapToLong(r -> chain.anchoredLogs(r).get(0).count()).sum()).isEqualTo(7);
            // one transaction per root, none wasted: the dev account mined exactly as many as there are roots
            assertThat(chain.minedNonce(dev()) - nonceBefore).isEqualTo(roots.size());
        }
    }

    @Test
    void aStuckAnchorIsReplacedWithHigherFeesAndOnlyOneAttemptIsMined() throws Exception {
        String[] t = tables("stuck");
        AnchorRunSettings settings = new AnchorRunSettings(1, Duration.ofSeconds(2), 15,
                AnchorRunSettings.DEFAULT_URI_BASE, Duration.ofSeconds(90));
        List<AnchorCandidate> events = transfers("stuck", 2);
        try (LocalAnchoring a = anchoring(t, new AnchorBatchPolicy(2, Duration.ofSeconds(1)), settings)) {
            events.forEach(a.ledger()::enqueue);
            anvil.setAutomine(false);
            List<String> attempts = new ArrayList<>();
            Map<String, JsonNode> sent = new java.util.HashMap<>();
            try {
                Instant until = Instant.now().plusSeconds(30);
                // pass until the pool has held two different attempts (the first, then its replacement)
                while (attempts.size() < 2 && Instant.now().isBefore(until)) {
                    a.pass();
                    for (String h : chain.pending()) {
                        if (!attempts.contains(h)) {
                            attempts.add(h);
                            sent.put(h, chain.transaction(h).orElseThrow());
                        }
                    }
                    Thread.sleep(250);
                }
                assertThat(attempts).as("the first attempt and its replacement").hasSize(2);
                assertThat(chain.pending()).as("the replacement took the first's place in the pool")
                        .containsExactly(attempts.get(1));
                JsonNode original = sent.get(attempts.get(0));
                JsonNode replacement = sent.get(attempts.get(1));
                assertThat(replacement.get("nonce").asText()).isEqualTo(original.get("nonce").asText());
                BigInteger fee1 = new BigInteger(ChainWitness.strip(original.get("maxFeePerGas").asText()), 16);
                BigInteger fee2 = new BigInteger(ChainWitness.strip(replacement.get("maxFeePerGas").asText()), 16);
                BigInteger tip1 = new BigInteger(ChainWitness.strip(original.get("maxPriorityFeePerGas").asText()), 16);
                BigInteger tip2 = new BigInteger(ChainWitness.strip(replacement.get("maxPriorityFeePerGas").asText()),
                        16);
                System.out.println("stuck anchor: maxFeePerGas " + fee1 + " -> " + fee2 + ", tip " + tip1 + " -> "
                        + tip2);
                // at least 10 % more on both: fee2 * 100 >= fee1 * 110
                assertThat(fee2.multiply(BigInteger.valueOf(100))).isGreaterThanOrEqualTo(
                        fee1.multiply(BigInteger.valueOf(110)));
                assertThat(tip2.multiply(BigInteger.valueOf(100))).isGreaterThanOrEqualTo(
                        tip1.multiply(BigInteger.valueOf(110)));
                anvil.mine();
            } finally {
                anvil.setAutomine(true);
            }
            List<EventProof> proofs = List.of();
            Instant until = Instant.now().plusSeconds(30);
            while (proofs.size() < 2 && Instant.now().isBefore(until)) {
                a.pass();
                proofs = a.awaitProofs(ids(events), Duration.ZERO);
                Thread.sleep(250);
            }
            assertThat(proofs).hasSize(2);
            String last = attempts.get(attempts.size() - 1);
            for (int i = 0; i < 2; i++) {
                assertProofOf(events.get(i), proofs.get(i));
                assertThat(proofs.get(i).receipt().tx()).isEqualToIgnoringCase(last);
            }
            ChainWitness.Receipt mined = chain.receipt(last).orElseThrow();
            assertThat(mined.succeeded()).isTrue();
            assertThat(mined.block()).isEqualTo(proofs.get(0).receipt().block());
            assertThat(chain.receipt(attempts.get(0))).as("the replaced attempt is not mined").isEmpty();
            List<ChainWitness.AnchoredLog> logs = chain.anchoredLogs(proofs.get(0).root());
            assertThat(logs).hasSize(1);
            assertThat(logs.get(0).tx()).isEqualToIgnoringCase(last);
        }
    }

    @Test
    void aReorganisedAnchorIsAnchoredAgainAndTheProofNamesWhatIsOnChainNow() throws Exception {
        String[] t = tables("reorg");
        AnchorRunSettings settings = new AnchorRunSettings(3, Duration.ofSeconds(1), 15,
                AnchorRunSettings.DEFAULT_URI_BASE, Duration.ofSeconds(90));
        List<AnchorCandidate> events = transfers("reorg", 2);
        try (LocalAnchoring a = anchoring(t, new AnchorBatchPolicy(2, Duration.ofSeconds(1)), settings)) {
            int logsBefore = chain.anchoredLogs().size();
            String snapshot = anvil.snapshot();
            events.forEach(a.ledger()::enqueue);
            Instant until = Instant.now().plusSeconds(20);
            while (chain.anchoredLogs().size() == logsBefore && Instant.now().isBefore(until)) {
                a.pass();
                Thread.sleep(200);
            }
            List<ChainWitness.AnchoredLog> all = chain.anchoredLogs();
            assertThat(all).hasSize(logsBefore + 1);
            ChainWitness.AnchoredLog dropped = all.get(all.size() - 1);
            String droppedBlockHash = chain.blockHash(dropped.block());
            a.pass(); // included, 1 of 3 confirmations: no proof yet
            assertThat(a.awaitProofs(ids(events), Duration.ZERO)).isEmpty();

            assertThat(anvil.revert(snapshot)).isTrue(); // the anchor's block is gone
            assertThat(chain.anchoredLogs(dropped.root())).isEmpty();
            assertThat(chain.anchoredAt(dropped.root())).isZero();
            anvil.mine(); // two empty blocks: the new chain is longer, and the anchor cannot land at its old height
            anvil.mine();

            List<EventProof> proofs = List.of();
            until = Instant.now().plusSeconds(40);
            while (proofs.size() < 2 && Instant.now().isBefore(until)) {
                a.pass();
                anvil.mine(); // confirmations come from later blocks
                proofs = a.awaitProofs(ids(events), Duration.ZERO);
                Thread.sleep(200);
            }
            assertThat(proofs).hasSize(2);
            EventProof p = proofs.get(0);
            assertThat(p.root()).isEqualTo(dropped.root());
            assertThat(p.receipt().block()).as("not the dropped block").isNotEqualTo(dropped.block());
            ChainWitness.Receipt receipt = chain.receipt(p.receipt().tx()).orElseThrow();
            assertThat(receipt.succeeded()).isTrue();
            assertThat(receipt.block()).isEqualTo(p.receipt().block());
            assertThat(chain.blockHash(p.receipt().block())).isEqualTo(receipt.blockHash())
                    .isNotEqualTo(droppedBlockHash);
            assertThat(chain.anchoredAt(p.root())).isEqualTo(p.receipt().block());
            List<ChainWitness.AnchoredLog> logs = chain.anchoredLogs(p.root());
            assertThat(logs).as("anchored once on the chain as it is now").hasSize(1);
            assertThat(logs.get(0).block()).isEqualTo(p.receipt().block());
            assertThat(chain.blockNumber() - p.receipt().block() + 1).as("confirmed at depth 3")
                    .isGreaterThanOrEqualTo(3);
            for (int i = 0; i < 2; i++) {
                assertProofOf(events.get(i), proofs.get(i));
                assertThat(proofs.get(i).receipt()).isEqualTo(p.receipt());
            }
        }
    }
}

package io.waybill.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.AnchorRunSettings;
import io.waybill.domain.provenance.EventProof;
import io.waybill.domain.provenance.ProofCheck;
import io.waybill.local.provenance.LocalAnchoring;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The demo's "Provenance" section: the custody transfers and the cloud's breach decisions the run stored are anchored
 * (Merkle batches, one {@code anchor()} per batch on the local anvil); every proof goes to {@code proofs.jsonl}, one
 * JSON object per line (what {@code StandardMerkleTree.verify(root, leafEncoding, leaf, proof)} takes), and one proof
 * is checked end to end against the chain with {@link ProofCheck}.
 */
final class ProvenanceSection {
    /** How long the demo waits for every anchor-worthy event's proof (default batch closes in 20 s, 2 confirmations). */
    static final Duration PROOF_TIMEOUT = Duration.ofSeconds(90);
    static final String CUSTODY = "waybill.custody.transferred.v1";
    static final String BREACHED = "waybill.temperature.breached.v1";

    private final PrintStream out;
    private final Path proofsFile;

    /** @param proofsFile where every proof goes, one JSON object per line ({@link #proofsFile()} for the demo) */
    ProvenanceSection(PrintStream out, Path proofsFile) {
        this.out = out;
        this.proofsFile = proofsFile;
    }

    /** {@code <WAYBILL_HOME>/.waybill/demo/proofs.jsonl}: the demo has no output folder of its own otherwise. */
    static Path proofsFile() {
        return DemoRun.spoolDirectory().resolveSibling("demo").resolve("proofs.jsonl");
    }

    /** The event as stored, when it is anchor-worthy: a custody transfer or a breach carrying the cloud's decision. */
    static Optional<ObjectNode> anchorWorthy(Map<String, AttributeValue> item) {
        AttributeValue json = item.get("eventJson");
        AttributeValue type = item.get("type");
        if (json == null || type == null || !(CUSTODY.equals(type.s()) || BREACHED.equals(type.s()))) {
            return Optional.empty();
        }
        ObjectNode event = parse(json.s());
        if (BREACHED.equals(type.s())) {
            JsonNode decision = event.path("data").path("decision");
            if (decision.isMissingNode() || decision.isNull()) {
                return Optional.empty();
            }
        }
        return Optional.of(event);
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) CanonicalEventJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param stored             every item of the events table
     * @param generatedShipments shipments the traffic generator made: one custody transfer (SwiftLog POD with handover)
     *                           each, the independent floor for the custody transfers anchored
     * @param expectDecisions    whether the traffic had a breach trip (the demo's has): then no decision is a failure
     */
    void print(LocalAnchoring anchoring, List<Map<String, AttributeValue>> stored, int generatedShipments,
               boolean expectDecisions, List<String> failures) throws InterruptedException {
        out.println("Provenance (io.waybill.anchor: the intake behind the canonical stream selects custody transfers and the");
        out.println("  cloud's breach decisions; the run seals Merkle batches (StandardMerkleTree, bytes32 leaves) and anchors each");
        out.println("  root with one AnchorRegistry.anchor() on the local anvil; a proof is written at 2 confirmations)");
        Map<String, ObjectNode> worthy = new TreeMap<>();
        Map<String, Long> storedAt = new LinkedHashMap<>();
        int custody = 0;
        int decisions = 0;
        for (Map<String, AttributeValue> item : stored) {
            Optional<ObjectNode> event = anchorWorthy(item);
            if (event.isEmpty()) {
                continue;
            }
            String id = item.get("eventId").s();
            worthy.put(id, event.get());
            if (item.get("storedAtMs") != null && item.get("storedAtMs").n() != null) {
                storedAt.put(id, Long.parseLong(item.get("storedAtMs").n()));
            }
            if (CUSTODY.equals(item.get("type").s())) {
                custody++;
            } else {
                decisions++;
            }
        }
        out.printf(Locale.ROOT, "  anchor-worthy events stored: %d custody transfers (the generator made %d: one per shipment)"
                + " + %d breach decisions%n", custody, generatedShipments, decisions);
        check(custody >= generatedShipments, custody + " custody transfers stored, fewer than the " + generatedShipments
                + " shipments' handovers", failures);
        check(!expectDecisions || decisions > 0, "no breach decision to anchor (the breach trip decides at least one)", failures);

        // Poll for the proofs (bounded).
        Map<String, EventProof> proofs = new TreeMap<>();
        long until = System.currentTimeMillis() + PROOF_TIMEOUT.toMillis();
        long waitStart = System.nanoTime();
        while (true) {
            for (String id : worthy.keySet()) {
                if (!proofs.containsKey(id)) {
                    Optional<EventProof> p = anchoring.proofs().find(id);
                    if (p.isPresent()) {
                        proofs.put(id, p.get());
                    }
                }
            }
            if (proofs.size() == worthy.size() || System.currentTimeMillis() > until) {
                break;
            }
            Thread.sleep(250);
        }
        long waitedMs = (System.nanoTime() - waitStart) / 1_000_000;
        boolean all = proofs.size() == worthy.size() && !worthy.isEmpty();
        out.printf(Locale.ROOT, "  events anchored: %d of %d (waited %,d ms, at most %d s)  %s%n", proofs.size(),
                worthy.size(), waitedMs, PROOF_TIMEOUT.toSeconds(), all ? "OK" : "FAILED");
        if (!all) {
            List<String> missing = new ArrayList<>(worthy.keySet());
            missing.removeAll(proofs.keySet());
            check(false, missing.size() + " of " + worthy.size() + " anchor-worthy events have no proof after "
                    + PROOF_TIMEOUT.toSeconds() + " s (first: " + (missing.isEmpty() ? "none" : missing.get(0)) + ")",
                    failures);
        }
        if (proofs.isEmpty()) {
            return;
        }

        Path file = proofsFile;
        try {
            Files.createDirectories(file.getParent());
            StringBuilder lines = new StringBuilder();
            for (EventProof p : proofs.values()) {
                lines.append(CanonicalEventJson.MAPPER.writeValueAsString(p.toJson())).append('\n');
            }
            Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.printf(Locale.ROOT, "  proofs: %s (%d lines, one JSON object per event: StandardMerkleTree.verify(root,"
                + " leafEncoding, leaf, proof))%n", file.toAbsolutePath().normalize(), proofs.size());

        Map<String, List<EventProof>> byRoot = new TreeMap<>();
        proofs.values().forEach(p -> byRoot.computeIfAbsent(p.root(), r -> new ArrayList<>()).add(p));
        AnchorChain chain = anchoring.chain();
        out.printf(Locale.ROOT, "  batches: %d (one anchor() each)%n", byRoot.size());
        long gasTotal = 0;
        for (Map.Entry<String, List<EventProof>> b : byRoot.entrySet()) {
            EventProof first = b.getValue().get(0);
            Optional<AnchorChain.Inclusion> inc = chain.inclusion(first.receipt().tx());
            long gas = inc.map(AnchorChain.Inclusion::gasUsed).orElse(0L);
            gasTotal += gas;
            out.printf(Locale.ROOT, "    root %s  %3d events  tx %s  block %d  gas %,d (%,.0f per event)%n",
                    b.getKey(), b.getValue().size(), first.receipt().tx(), first.receipt().block(), gas,
                    gas / (double) b.getValue().size());
        }
        out.printf(Locale.ROOT, "  gas: %,d for %d events = %,.0f per event (chain %d, registry %s)%n", gasTotal,
                proofs.size(), gasTotal / (double) proofs.size(), anchoring.ethereum().chainId(),
                anchoring.ethereum().registry());
        // Confirmed when the block giving the last required confirmation was mined: its timestamp, as the chain
        // says (whole seconds), minus the event's stored time.
        io.waybill.local.stack.AnvilControl node = anchoring.ethereum().control();
        Map<Long, Long> blockTime = new TreeMap<>();
        List<Long> latencies = new ArrayList<>();
        for (EventProof p : proofs.values()) {
            Long s = storedAt.get(p.eventId());
            long confirmingBlock = p.receipt().block() + AnchorRunSettings.DEFAULT_CONFIRMATIONS - 1;
            Long at = blockTime.computeIfAbsent(confirmingBlock, b -> {
                JsonNode block = node.call("eth_getBlockByNumber", List.of("0x" + Long.toHexString(b), false));
                return block == null || block.isNull() ? null : Long.decode(block.path("timestamp").asText()) * 1000;
            });
            if (s != null && at != null) {
                latencies.add(Math.max(0, at - s));
            }
        }
        Percentiles lat = Percentiles.of(latencies);
        out.printf(Locale.ROOT, "  stored -> confirmed (timestamp of the block giving confirmation %d, whole seconds),"
                + " ms: p50 %,d / max %,d over %d events (default batch: 1000 events or 20 s)%n",
                AnchorRunSettings.DEFAULT_CONFIRMATIONS, lat.p50(), lat.max(), lat.count());

        // One proof end to end: the event as stored now, hashed again; the proof walked; the registry; the receipt.
        EventProof chosen = proofs.values().stream()
                .filter(p -> CUSTODY.equals(worthy.get(p.eventId()).path("type").asText())).findFirst()
                .orElse(proofs.values().iterator().next());
        ProofCheck checked = ProofCheck.of(worthy.get(chosen.eventId()), chosen, chain);
        out.printf(Locale.ROOT, "  verified end to end against the chain: event %s (%s)%n", chosen.eventId(),
                worthy.get(chosen.eventId()).path("type").asText());
        out.printf(Locale.ROOT, "    stored event re-hashed (RFC 8785, id excluded) %s = proof's eventHash  %s%n",
                checked.eventHash().hex(), ok(checked.eventUnaltered()));
        out.printf(Locale.ROOT, "    Merkle proof (%d hashes) leads to root %s  %s%n", chosen.proof().size(),
                chosen.root(), ok(checked.proofLeadsToRoot()));
        out.printf(Locale.ROOT, "    registry anchoredAt(root) = %s (proof says block %d)  %s%n",
                checked.anchoredAt().isPresent() ? Long.toString(checked.anchoredAt().getAsLong()) : "none",
                chosen.receipt().block(), ok(checked.rootAnchored()));
        out.printf(Locale.ROOT, "    receipt of %s: included in block %d, succeeded, %d confirmations  %s%n",
                chosen.receipt().tx(), chosen.receipt().block(), checked.confirmations(),
                ok(checked.transactionIncluded()));
        check(checked.verified(), "the proof of " + chosen.eventId() + " did not verify against the chain", failures);
        out.println();
    }

    private static String ok(boolean b) {
        return b ? "OK" : "FAILED";
    }

    private static void check(boolean ok, String failure, List<String> failures) {
        if (!ok) {
            failures.add(failure);
        }
    }
}

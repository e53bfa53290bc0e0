package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.ingestion.StoredEventLookup;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.AnchorReceipt;
import io.waybill.domain.provenance.ChainUnavailableException;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.EventProof;
import io.waybill.domain.provenance.EventProofs;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.waybill.opsapi.ContractCheckedCalls.assertProblem;
import static io.waybill.opsapi.ContractCheckedCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /events/{eventId}/proof} over an in-memory proofs table, an in-memory event store and a small model of
 * the chain (the registry's roots and their blocks, the transactions' receipts, the latest block). The expected event
 * hashes, leaves, root and proof are computed here, not by the production classes: the event's RFC 8785 form is
 * written out by hand (keys sorted, no whitespace, {@code id} left out) and hashed with the JDK's SHA-256; a leaf is
 * keccak256(keccak256(abi.encode(bytes32))) = keccak256(keccak256(the 32 bytes)) by Bouncy Castle's Keccak, and the
 * root of two leaves is keccak256 of the pair in ascending order (OpenZeppelin's StandardMerkleTree); the proof of
 * one leaf is the other leaf. Every response is validated against the OpenAPI document.
 */
class ProofRoutesTest {
    private static final String SOURCE = "urn:waybill:epcis:acme";
    private static final String CONTRACT = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String TX = "0x" + "7a".repeat(32);
    private static final long ANCHOR_BLOCK = 12;

    private static final String EVENT_A = """
            {"specversion":"1.0","id":"ev-a","source":"urn:waybill:epcis:acme","type":"waybill.custody.transferred.v1",
             "time":"2026-12-01T10:00:00Z","subject":"106141412345678908",
             "data":{"to":"0614141000012","from":"0614141000005"}}""";
    /** EVENT_A by RFC 8785 without id: members sorted by key, no whitespace. */
    private static final String EVENT_A_JCS = "{\"data\":{\"from\":\"0614141000005\",\"to\":\"0614141000012\"},"
            + "\"source\":\"urn:waybill:epcis:acme\",\"specversion\":\"1.0\",\"subject\":\"106141412345678908\","
            + "\"time\":\"2026-12-01T10:00:00Z\",\"type\":\"waybill.custody.transferred.v1\"}";
    /** EVENT_A with one field changed after anchoring: the custody went to another GLN. */
    private static final String EVENT_A_TAMPERED = EVENT_A.replace("0614141000012", "0614141000029");
    private static final String EVENT_A_TAMPERED_JCS = EVENT_A_JCS.replace("0614141000012", "0614141000029");
    private static final String EVENT_B_JCS = "{\"data\":{\"decision\":\"HOLD\"},\"source\":\"urn:waybill:epcis:acme\","
            + "\"specversion\":\"1.0\",\"subject\":\"106141412345678908\",\"time\":\"2026-12-01T11:00:00Z\","
            + "\"type\":\"waybill.coldchain.decided.v1\"}";

    private final String hashA = hex(sha256(EVENT_A_JCS));
    private final byte[] leafA = keccak(keccak(sha256(EVENT_A_JCS)));
    private final byte[] leafB = keccak(keccak(sha256(EVENT_B_JCS)));
    private final String root = "0x" + hex(keccak(sortedPair(leafA, leafB)));
    private final EventProof proofA = new EventProof("ev-a", hashA, root, List.of("0x" + hex(leafB)),
            new AnchorReceipt(31337, EthereumAddress.parse(CONTRACT), TX, ANCHOR_BLOCK));

    private final Map<String, String> events = new HashMap<>();
    private final Map<String, EventProof> proofs = new HashMap<>();
    private final ChainModel chain = new ChainModel();
    private final AtomicInteger chainsBuilt = new AtomicInteger();
    private final Supplier<AnchorChain> connect = () -> {
        chainsBuilt.incrementAndGet();
        return chain;
    };
    private final OpsApiHandler handler = new OpsApiHandler(new OpsApi(List.of(new ProofRoutes(
            new InMemoryProofs(proofs), key -> Optional.ofNullable(events.get(key)), connect))));

    ProofRoutesTest() {
        events.put(SOURCE + "#ev-a", EVENT_A);
        proofs.put("ev-a", proofA);
        chain.registry.put(root, ANCHOR_BLOCK);
        chain.receipts.put(TX, new AnchorChain.Inclusion(TX, ANCHOR_BLOCK, "0x" + "b1".repeat(32), true, 48_700));
        chain.latest = 14;
    }

    private Reply proofOf(String eventId) {
        return get(handler, "/events/" + eventId + "/proof", "source=" + SOURCE.replace(":", "%3A"));
    }

    @Test
    void anAnchoredEventIsVerifiedWithItsProofRootTransactionAndBlock() {
        JsonNode b = proofOf("ev-a").expect(200);

        assertThat(b.get("eventId").asText()).isEqualTo("ev-a");
        assertThat(b.get("eventHash").asText()).isEqualTo(hashA);
        assertThat(b.get("root").asText()).isEqualTo(root);
        assertThat(b.get("leafEncoding").toString()).isEqualTo("[\"bytes32\"]");
        assertThat(b.get("leaf").toString()).isEqualTo("[\"0x" + hashA + "\"]");
        assertThat(b.get("proof").toString()).isEqualTo("[\"0x" + hex(leafB) + "\"]");
        assertThat(b.get("chainId").asLong()).isEqualTo(31337);
        // EIP-55 mixed case: the address Hardhat and anvil print for the first contract their first account deploys
        assertThat(b.get("contract").asText()).isEqualTo("0x5FbDB2315678afecb367f032d93F642f64180aa3");
        assertThat(b.get("tx").asText()).isEqualTo(TX);
        assertThat(b.get("block").asLong()).isEqualTo(12);
        JsonNode c = b.get("check");
        assertThat(c.get("recomputedEventHash").asText()).isEqualTo(hashA);
        assertThat(c.get("eventUnaltered").asBoolean()).isTrue();
        assertThat(c.get("proofLeadsToRoot").asBoolean()).isTrue();
        assertThat(c.get("registryAnchoredAt").asLong()).isEqualTo(12);
        assertThat(c.get("rootAnchored").asBoolean()).isTrue();
        assertThat(c.get("transactionIncluded").asBoolean()).isTrue();
        // blocks 12, 13 and 14: the anchor's block and the two on top of it
        assertThat(c.get("confirmations").asLong()).isEqualTo(3);
        assertThat(c.get("verified").asBoolean()).isTrue();
    }

    @Test
    void anEventAlteredAfterAnchoringIsNotVerified() {
        events.put(SOURCE + "#ev-a", EVENT_A_TAMPERED);

        JsonNode b = proofOf("ev-a").expect(200);

        assertThat(b.get("eventHash").asText()).isEqualTo(hashA);
        assertThat(b.at("/check/recomputedEventHash").asText()).isEqualTo(hex(sha256(EVENT_A_TAMPERED_JCS)))
                .isNotEqualTo(hashA);
        assertThat(b.at("/check/eventUnaltered").asBoolean()).isFalse();
        assertThat(b.at("/check/proofLeadsToRoot").asBoolean()).isTrue();
        assertThat(b.at("/check/rootAnchored").asBoolean()).isTrue();
        assertThat(b.at("/check/verified").asBoolean()).isFalse();
    }

    @Test
    void aRootTheRegistryDoesNotHoldIsNotVerified() {
        chain.registry.clear();

        JsonNode b = proofOf("ev-a").expect(200);

        assertThat(b.at("/check/registryAnchoredAt").isNull()).isTrue();
        assertThat(b.at("/check/rootAnchored").asBoolean()).isFalse();
        assertThat(b.at("/check/verified").asBoolean()).isFalse();
    }

    @Test
    void anUnknownEventIsNotFound() {
        Reply r = proofOf("ev-nobody");

        assertProblem(r, 404, "not-found", null);
        assertThat(r.body().get("detail").asText()).contains("no event ev-nobody");
    }

    @Test
    void aStoredEventWithoutProofIsNotAnchoredYetOrNotSelected() {
        events.put(SOURCE + "#ev-temp", EVENT_A.replace("ev-a", "ev-temp"));

        Reply r = proofOf("ev-temp");

        assertProblem(r, 404, "not-anchored", null);
        assertThat(r.body().get("detail").asText()).contains("not anchored yet or not selected for anchoring");
    }

    @Test
    void aChainThatDoesNotAnswerIsA503StillCarryingTheStoredProof() {
        chain.down = true;

        Reply r = proofOf("ev-a");

        assertProblem(r, 503, "dependency-unavailable", null);
        assertThat(r.header("Retry-After")).isEqualTo("1");
        JsonNode p = r.body().get("proof");
        assertThat(p.get("eventHash").asText()).isEqualTo(hashA);
        assertThat(p.get("root").asText()).isEqualTo(root);
        assertThat(p.get("proof").toString()).isEqualTo("[\"0x" + hex(leafB) + "\"]");
        assertThat(p.get("tx").asText()).isEqualTo(TX);
        assertThat(p.get("block").asLong()).isEqualTo(12);
        assertThat(p.has("check")).isFalse();
    }

    @Test
    void aStageWithoutAnchoringSaysSo() {
        OpsApiHandler off = new OpsApiHandler(new OpsApi(List.of(ProofRoutes.off())));

        Reply r = get(off, "/events/ev-a/proof", "source=x");

        assertProblem(r, 404, "anchoring-off", null);
        assertThat(r.body().get("detail").asText()).contains("provenance anchoring is off in this stage");
    }

    @Test
    void theChainIsConnectedOnceOnTheFirstCheck() {
        assertThat(chainsBuilt).hasValue(0);
        proofOf("ev-a").expect(200);
        proofOf("ev-a").expect(200);
        assertThat(chainsBuilt).hasValue(1);
    }

    @Test
    void theSourceIsRequired() {
        assertProblem(get(handler, "/events/ev-a/proof", null), 400, "invalid-parameter", "source");
    }

    @Test
    void aTokenWithoutTheReadScopeIsRefused() {
        Reply r = get(handler, "/events/ev-a/proof", "source=x", Map.of("sub", "u-2", "scope", "other"));
        assertProblem(r, 403, "insufficient-scope", null);
    }

    // ---- independent computations

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] keccak(byte[] in) {
        KeccakDigest d = new KeccakDigest(256);
        d.update(in, 0, in.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    /** The two 32-byte hashes, the smaller (as an unsigned number) first. */
    private static byte[] sortedPair(byte[] a, byte[] b) {
        boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
        byte[] out = new byte[64];
        System.arraycopy(aFirst ? a : b, 0, out, 0, 32);
        System.arraycopy(aFirst ? b : a, 0, out, 32, 32);
        return out;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    // ---- test doubles

    private record InMemoryProofs(Map<String, EventProof> byId) implements EventProofs {
        @Override
        public void putAll(List<EventProof> proofs) {
            proofs.forEach(p -> byId.put(p.eventId(), p));
        }

        @Override
        public Optional<EventProof> find(String eventId) {
            return Optional.ofNullable(byId.get(eventId));
        }
    }

    /** The registry's roots and their blocks, the receipts, the latest block; down: every call fails. */
    private static final class ChainModel implements AnchorChain {
        final Map<String, Long> registry = new HashMap<>();
        final Map<String, Inclusion> receipts = new HashMap<>();
        long latest;
        boolean down;

        private void reachable() {
            if (down) {
                throw new ChainUnavailableException("connection refused");
            }
        }

        @Override
        public long chainId() {
            return 31337;
        }

        @Override
        public EthereumAddress registry() {
            return EthereumAddress.parse(CONTRACT);
        }

        @Override
        public long blockNumber() {
            reachable();
            return latest;
        }

        @Override
        public Optional<String> blockHash(long number) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BigInteger nonce(EthereumAddress account, boolean pending) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Fees suggestedFees() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long estimateGas(EthereumAddress from, AnchorCall call) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SignedAnchor sign(AnchorTx tx, DigestSigner signer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String broadcast(byte[] raw) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Inclusion> inclusion(String txHash) {
            reachable();
            return Optional.ofNullable(receipts.get(txHash));
        }

        @Override
        public boolean knows(String txHash) {
            reachable();
            return receipts.containsKey(txHash);
        }

        @Override
        public OptionalLong anchoredAt(String root) {
            reachable();
            Long b = registry.get(root);
            return b == null ? OptionalLong.empty() : OptionalLong.of(b);
        }
    }
}

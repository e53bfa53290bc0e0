package io.waybill.local.provenance;

import io.waybill.local.testing.NodeScript;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.local.stack.AnvilControl;
import io.waybill.local.stack.LocalEthereum;
import org.erdtman.jcs.JsonCanonicalizer;
import org.web3j.crypto.Hash;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the chain itself says, read with plain JSON-RPC ({@code eth_getLogs}, {@code eth_getTransactionReceipt},
 * {@code eth_getTransactionByHash}, {@code eth_call}), and the proof arithmetic redone here from the standards (RFC
 * 8785 + SHA-256 for the event hash; OpenZeppelin's leaf {@code keccak256(keccak256(abi.encode(bytes32)))} and sorted
 * pair hashing for the proof), so the anchoring tests on anvil never take the engine's own records as the truth.
 */
final class ChainWitness {
    static final ObjectMapper JSON = new ObjectMapper();
    /** topic 0 of {@code event Anchored(bytes32 indexed root, uint64 count, string uri, address indexed anchorer)}. */
    static final String ANCHORED_TOPIC = Hash.sha3String("Anchored(bytes32,uint64,string,address)");
    /** the selector of {@code anchoredAt(bytes32)}. */
    static final String ANCHORED_AT = Hash.sha3String("anchoredAt(bytes32)").substring(0, 10);
    private static final Path OZ_PACKAGE = Path.of("node_modules", "@openzeppelin", "merkle-tree");

    /** One {@code Anchored} log; {@code count} is the batch size the log's data carries (its first word). */
    record AnchoredLog(String root, String tx, long block, long count) {
    }

    /** One transaction receipt. */
    record Receipt(String tx, long block, String blockHash, boolean succeeded) {
    }

    private final AnvilControl rpc;
    private final String registry;

    ChainWitness(LocalEthereum ethereum) {
        this.rpc = new AnvilControl(ethereum.rpcUrl());
        this.registry = ethereum.registry().toString();
    }

    /** Every {@code Anchored} log of the registry on the chain as it is now. */
    List<AnchoredLog> anchoredLogs() {
        ObjectNode filter = JSON.createObjectNode().put("address", registry).put("fromBlock", "0x0")
                .put("toBlock", "latest");
        filter.putArray("topics").add(ANCHORED_TOPIC);
        List<AnchoredLog> out = new ArrayList<>();
        for (JsonNode log : rpc.call("eth_getLogs", List.of(filter))) {
            out.add(new AnchoredLog(log.get("topics").get(1).asText().toLowerCase(),
                    log.get("transactionHash").asText().toLowerCase(), Long.decode(log.get("blockNumber").asText()),
                    new BigInteger(strip(log.get("data").asText()).substring(0, 64), 16).longValueExact()));
        }
        return out;
    }

    /** The logs of {@code root}. */
    List<AnchoredLog> anchoredLogs(String root) {
        return anchoredLogs().stream().filter(l -> l.root().equalsIgnoreCase(root)).toList();
    }

    /** {@code anchoredAt(root)} by {@code eth_call}: 0 when never anchored. */
    long anchoredAt(String root) {
        ObjectNode call = JSON.createObjectNode().put("to", registry).put("data", ANCHORED_AT + strip(root));
        return new BigInteger(strip(rpc.call("eth_call", List.of(call, "latest")).asText()), 16).longValueExact();
    }

    Optional<Receipt> receipt(String tx) {
        JsonNode r = rpc.call("eth_getTransactionReceipt", List.of(tx));
        if (r == null || r.isNull() || r.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(new Receipt(tx, Long.decode(r.get("blockNumber").asText()), r.get("blockHash").asText(),
                "0x1".equals(r.get("status").asText())));
    }

    /** The transaction as the node knows it (pending or mined), or empty. */
    Optional<JsonNode> transaction(String tx) {
        JsonNode t = rpc.call("eth_getTransactionByHash", List.of(tx));
        return t == null || t.isNull() || t.isMissingNode() ? Optional.empty() : Optional.of(t);
    }

    /** The hash of the block at {@code number} on the chain now. */
    String blockHash(long number) {
        return rpc.call("eth_getBlockByNumber", List.of("0x" + Long.toHexString(number), false)).get("hash").asText();
    }

    /** {@code eth_getTransactionCount(address, "latest")}: the transactions of {@code address} mined so far. */
    long minedNonce(String address) {
        return Long.decode(rpc.call("eth_getTransactionCount", List.of(address, "latest")).asText());
    }

    long blockNumber() {
        return rpc.blockNumber();
    }

    /** The dev account's pending-pool transactions ({@code txpool_content}), as hashes. */
    List<String> pending() {
        List<String> out = new ArrayList<>();
        rpc.call("txpool_content", List.of()).path("pending").forEach(byNonce -> byNonce.forEach(
                tx -> out.add(tx.get("hash").asText())));
        return out;
    }

    /** RFC 8785 canonical JSON of the event without {@code id}, SHA-256, lower-case hex. */
    static String eventHash(JsonNode event) {
        ObjectNode copy = event.deepCopy();
        copy.remove("id");
        try {
            byte[] canonical = new JsonCanonicalizer(JSON.writeValueAsString(copy)).getEncodedUTF8();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * OpenZeppelin's {@code MerkleProof.verify} for a {@code StandardMerkleTree} of {@code ["bytes32"]}: the leaf is
     * {@code keccak256(keccak256(abi.encode(value)))} (abi.encode of a bytes32 is the 32 bytes), each step hashes the
     * pair in ascending byte order.
     */
    static boolean leadsToRoot(String eventHashHex, List<String> proof, String root) {
        byte[] node = Hash.sha3(Hash.sha3(HexFormat.of().parseHex(strip(eventHashHex))));
        for (String sibling : proof) {
            byte[] s = HexFormat.of().parseHex(strip(sibling));
            byte[] pair = new byte[64];
            boolean nodeFirst = Arrays.compareUnsigned(node, s) <= 0;
            System.arraycopy(nodeFirst ? node : s, 0, pair, 0, 32);
            System.arraycopy(nodeFirst ? s : node, 0, pair, 32, 32);
            node = Hash.sha3(pair);
        }
        return ("0x" + HexFormat.of().formatHex(node)).equalsIgnoreCase(root);
    }

    /**
     * {@code StandardMerkleTree.verify(p.root, p.leafEncoding, p.leaf, p.proof)} by Node and
     * {@code @openzeppelin/merkle-tree} for each proof object as given; empty when Node or the package is missing.
     */
    static Optional<List<Boolean>> verifiedByOpenZeppelin(List<ObjectNode> proofObjects) {
        if (!Files.isDirectory(OZ_PACKAGE)) {
            return Optional.empty();
        }
        Optional<JsonNode> verdicts;
        try {
            verdicts = NodeScript.tryRun(NodeScript.VERIFY_PROOFS, JSON.writeValueAsBytes(proofObjects));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return verdicts.map(v -> {
            List<Boolean> out = new ArrayList<>();
            v.forEach(b -> out.add(b.asBoolean()));
            return out;
        });
    }

    static String strip(String hex) {
        return hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    }
}

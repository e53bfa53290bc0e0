package io.waybill.domain.provenance;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A small reference model of an Ethereum node with the AnchorRegistry, written for the tests (not derived from the
 * engine): one account's nonces, a mempool keyed by nonce with the geth/anvil replacement rule (both fees at least
 * +10 %), mining in nonce order of transactions whose fee cap reaches the base fee, the registry's storage (a second
 * anchor of a root reverts), a reorganisation that drops the newest blocks, and an unreachable mode.
 * A "signed" transaction here is the text {@code anchor|nonce|maxFee|tip|gas|root|count|uri}; its hash is keccak256
 * of those bytes.
 */
final class ReferenceChain implements AnchorChain {
    record Tx(BigInteger nonce, Fees fees, long gas, String root, long count, String uri, String hash, byte[] raw,
              boolean foreign) {
    }

    record Receipt(Tx tx, boolean succeeded) {
    }

    record Block(long number, String hash, List<Receipt> receipts) {
    }

    static final long CHAIN_ID = 31337;
    static final EthereumAddress REGISTRY = EthereumAddress.parse("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    static final long ANCHOR_GAS = 48_721;

    boolean unreachable;
    /** Broadcasts throw ChainUnavailable (the node is gone between sign-and-store and send). */
    boolean refuseBroadcasts;
    /** The next broadcast throws {@link Crash} before reaching the node (the process dies). */
    boolean crashOnNextBroadcast;
    /** Drops broadcast transactions on the floor (accepted, then forgotten: a node that restarts its pool). */
    boolean forgetBroadcasts;
    /** The replacement rule: both fees at least this percentage of the pending transaction's (geth, anvil: 110). */
    int replacementPercent = 110;
    BigInteger baseFee = BigInteger.valueOf(1_000_000_000L);
    BigInteger suggestedMax = BigInteger.valueOf(2_000_000_000L);
    BigInteger suggestedTip = BigInteger.valueOf(100_000_000L);

    private final Map<BigInteger, Tx> mempool = new LinkedHashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    /** Every distinct transaction the node ever accepted into its pool. */
    final List<Tx> accepted = new ArrayList<>();
    /** Every raw broadcast that reached the node (accepted or not). */
    final List<String> broadcastHashes = new ArrayList<>();
    int signatures;
    /** The highest block number the chain ever reached. */
    long highest;
    private long blockSeed;

    static final class Crash extends RuntimeException {
        Crash() {
            super("the process died");
        }
    }

    ReferenceChain() {
        blocks.add(new Block(0, blockHashFor(0), List.of()));
    }

    private String blockHashFor(long number) {
        blockSeed++;
        return "0x" + HexFormat.of().formatHex(Keccak256.hash(("block " + number + " #" + blockSeed)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private void reach() {
        if (unreachable) {
            throw new ChainUnavailableException("connection refused (model)");
        }
    }

    // ---- the model's own operations -------------------------------------------------------------------------------

    /** The account's next nonce on the current chain (mined transactions only). */
    BigInteger minedNonce() {
        BigInteger n = BigInteger.ZERO;
        for (Block b : blocks) {
            for (Receipt r : b.receipts()) {
                n = n.max(r.tx().nonce().add(BigInteger.ONE));
            }
        }
        return n;
    }

    /** Mines one block: pool transactions in nonce order from the mined nonce on, while their fee cap pays. */
    Block mine() {
        List<Receipt> receipts = new ArrayList<>();
        BigInteger next = minedNonce();
        while (mempool.containsKey(next) && mempool.get(next).fees().maxFeePerGas().compareTo(baseFee) >= 0) {
            Tx tx = mempool.remove(next);
            boolean ok = tx.root() == null || anchoredAt(tx.root()).isEmpty();
            receipts.add(new Receipt(tx, ok));
            next = next.add(BigInteger.ONE);
        }
        // the registry writes roots within the block in order: a second anchor of a root in one block reverts too
        List<Receipt> fixed = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Receipt r : receipts) {
            boolean ok = r.succeeded() && (r.tx().root() == null || !seen.contains(r.tx().root()));
            if (ok && r.tx().root() != null) {
                seen.add(r.tx().root());
            }
            fixed.add(new Receipt(r.tx(), ok));
        }
        Block b = new Block(blocks.size(), blockHashFor(blocks.size()), List.copyOf(fixed));
        blocks.add(b);
        highest = Math.max(highest, b.number());
        return b;
    }

    void mine(int count) {
        for (int i = 0; i < count; i++) {
            mine();
        }
    }

    /** Drops the newest {@code depth} blocks; their transactions go back to the pool or vanish. */
    void reorganise(int depth, boolean backToPool) {
        for (int i = 0; i < depth; i++) {
            Block dropped = blocks.remove(blocks.size() - 1);
            if (backToPool) {
                for (Receipt r : dropped.receipts()) {
                    mempool.put(r.tx().nonce(), r.tx());
                }
            }
        }
    }

    /** Another wallet on the same key takes {@code nonce} (mined at once): our transactions with it can never mine. */
    void foreignTransactionTakes(BigInteger nonce) {
        String hash = "0x" + HexFormat.of().formatHex(Keccak256.hash(("foreign " + nonce)
                .getBytes(StandardCharsets.UTF_8)));
        mempool.put(nonce, new Tx(nonce, new Fees(suggestedMax, suggestedTip), 21_000, null, 0, "", hash,
                new byte[0], true));
        mine();
    }

    void forget(String txHash) {
        mempool.values().removeIf(t -> t.hash().equals(txHash));
    }

    boolean pending(String txHash) {
        return mempool.values().stream().anyMatch(t -> t.hash().equals(txHash));
    }

    /** The successful anchor transactions of {@code root} on the current chain. */
    List<Tx> anchorsOnChain(String root) {
        List<Tx> out = new ArrayList<>();
        for (Block b : blocks) {
            for (Receipt r : b.receipts()) {
                if (r.succeeded() && root.equals(r.tx().root())) {
                    out.add(r.tx());
                }
            }
        }
        return out;
    }

    /** Every reverted transaction on the current chain. */
    List<Tx> reverted() {
        List<Tx> out = new ArrayList<>();
        for (Block b : blocks) {
            for (Receipt r : b.receipts()) {
                if (!r.succeeded()) {
                    out.add(r.tx());
                }
            }
        }
        return out;
    }

    Block latest() {
        return blocks.get(blocks.size() - 1);
    }

    // ---- the port ------------------------------------------------------------------------------------------------

    @Override
    public long chainId() {
        return CHAIN_ID;
    }

    @Override
    public EthereumAddress registry() {
        return REGISTRY;
    }

    @Override
    public long blockNumber() {
        reach();
        return latest().number();
    }

    @Override
    public Optional<String> blockHash(long number) {
        reach();
        return number < blocks.size() ? Optional.of(blocks.get((int) number).hash()) : Optional.empty();
    }

    @Override
    public BigInteger nonce(EthereumAddress account, boolean pending) {
        reach();
        BigInteger n = minedNonce();
        while (pending && mempool.containsKey(n)) {
            n = n.add(BigInteger.ONE);
        }
        return n;
    }

    @Override
    public Fees suggestedFees() {
        reach();
        return new Fees(suggestedMax, suggestedTip);
    }

    @Override
    public long estimateGas(EthereumAddress from, AnchorCall call) {
        reach();
        if (anchoredAt(call.root()).isPresent()) {
            throw new ChainRejectedException(ChainRejectedException.Reason.REVERTED, "execution reverted: anchored");
        }
        return ANCHOR_GAS;
    }

    @Override
    public SignedAnchor sign(AnchorTx tx, DigestSigner signer) {
        String text = "anchor|" + tx.nonce() + "|" + tx.fees().maxFeePerGas() + "|" + tx.fees().maxPriorityFeePerGas()
                + "|" + tx.gasLimit() + "|" + tx.call().root() + "|" + tx.call().count() + "|" + tx.call().uri();
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        byte[] digest = Keccak256.hash(raw);
        signer.sign(digest);
        signatures++;
        return new SignedAnchor(tx, raw, "0x" + HexFormat.of().formatHex(digest));
    }

    @Override
    public String broadcast(byte[] raw) {
        if (crashOnNextBroadcast) {
            crashOnNextBroadcast = false;
            throw new Crash();
        }
        reach();
        if (refuseBroadcasts) {
            throw new ChainUnavailableException("read timed out (model)");
        }
        String[] f = new String(raw, StandardCharsets.UTF_8).split("\\|", 8);
        String hash = "0x" + HexFormat.of().formatHex(Keccak256.hash(raw));
        broadcastHashes.add(hash);
        Tx tx = new Tx(new BigInteger(f[1]), new Fees(new BigInteger(f[2]), new BigInteger(f[3])), Long.parseLong(f[4]),
                f[5], Long.parseLong(f[6]), f[7], hash, raw.clone(), false);
        if (pending(hash) || inclusion(hash).isPresent()) {
            throw new ChainRejectedException(ChainRejectedException.Reason.ALREADY_KNOWN, "already known");
        }
        if (tx.nonce().compareTo(minedNonce()) < 0) {
            throw new ChainRejectedException(ChainRejectedException.Reason.NONCE_TOO_LOW, "nonce too low");
        }
        Tx old = mempool.get(tx.nonce());
        if (old != null) {
            // geth/anvil: both the fee cap and the tip at least 10 % above the pending transaction's
            boolean enough = tx.fees().maxFeePerGas().multiply(BigInteger.valueOf(100))
                    .compareTo(old.fees().maxFeePerGas().multiply(BigInteger.valueOf(replacementPercent))) >= 0
                    && tx.fees().maxPriorityFeePerGas().multiply(BigInteger.valueOf(100))
                    .compareTo(old.fees().maxPriorityFeePerGas().multiply(BigInteger.valueOf(replacementPercent))) >= 0;
            if (!enough) {
                throw new ChainRejectedException(ChainRejectedException.Reason.REPLACEMENT_UNDERPRICED,
                        "replacement transaction underpriced");
            }
        }
        accepted.add(tx);
        if (!forgetBroadcasts) {
            mempool.put(tx.nonce(), tx);
        }
        return hash;
    }

    @Override
    public Optional<Inclusion> inclusion(String txHash) {
        reach();
        for (Block b : blocks) {
            for (Receipt r : b.receipts()) {
                if (r.tx().hash().equals(txHash)) {
                    return Optional.of(new Inclusion(txHash, b.number(), b.hash(), r.succeeded(), r.tx().gas()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean knows(String txHash) {
        reach();
        return pending(txHash) || inclusion(txHash).isPresent();
    }

    @Override
    public OptionalLong anchoredAt(String root) {
        reach();
        for (Block b : blocks) {
            for (Receipt r : b.receipts()) {
                if (r.succeeded() && root.equals(r.tx().root())) {
                    return OptionalLong.of(b.number());
                }
            }
        }
        return OptionalLong.empty();
    }
}

package io.waybill.domain.provenance;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Ethereum node and the {@code AnchorRegistry} contract, as the anchoring engine needs them: no Web3j or AWS type
 * crosses this port (the Web3j adapter lives in {@code functions/chain}). Every network call throws
 * {@link ChainUnavailableException} when the node cannot be reached; {@link #broadcast} also throws
 * {@link ChainRejectedException} when the node refuses the transaction.
 */
public interface AnchorChain {

    /** {@code anchor(bytes32 root, uint64 count, string uri)}: the call one batch makes. */
    record AnchorCall(String root, long count, String uri) {
        public AnchorCall {
            Objects.requireNonNull(root, "root");
            if (!root.matches("0x[0-9a-f]{64}")) {
                throw new IllegalArgumentException("a root is 0x and 64 lower-case hex digits: " + root);
            }
            if (count <= 0) {
                throw new IllegalArgumentException("a batch anchors at least one event: " + count);
            }
            Objects.requireNonNull(uri, "uri");
        }
    }

    /** EIP-1559 fees in wei. */
    record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
        public Fees {
            if (maxFeePerGas.signum() < 0 || maxPriorityFeePerGas.signum() < 0
                    || maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
                throw new IllegalArgumentException("fees must be 0 <= priority <= max: " + maxPriorityFeePerGas
                        + " / " + maxFeePerGas);
            }
        }

        /**
         * Fees for a replacement of a pending transaction: both raised by {@code percent} (rounded up), at least the
         * 10 % nodes require (geth, anvil), and never below {@code floor} (the node's current suggestion).
         */
        public Fees bumped(int percent, Fees floor) {
            if (percent < 10) {
                throw new IllegalArgumentException("a replacement raises fees by at least 10 %: " + percent);
            }
            BigInteger hundred = BigInteger.valueOf(100);
            BigInteger factor = BigInteger.valueOf(100L + percent);
            BigInteger max = ceilDiv(maxFeePerGas.multiply(factor), hundred).max(floor.maxFeePerGas);
            BigInteger tip = ceilDiv(maxPriorityFeePerGas.multiply(factor), hundred).max(floor.maxPriorityFeePerGas);
            return new Fees(max.max(tip), tip);
        }

        private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
            BigInteger[] qr = a.divideAndRemainder(b);
            return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        }
    }

    /** An unsigned EIP-1559 transaction to the registry (value 0, chain id and contract are the chain's own). */
    record AnchorTx(BigInteger nonce, Fees fees, long gasLimit, AnchorCall call) {
        public AnchorTx {
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(fees, "fees");
            Objects.requireNonNull(call, "call");
            if (gasLimit <= 0) {
                throw new IllegalArgumentException("gas limit must be positive: " + gasLimit);
            }
        }
    }

    /**
     * A signed transaction: the exact bytes to broadcast (and to rebroadcast unchanged) and their hash.
     *
     * @param raw  the type-2 envelope, {@code 0x02 || rlp([...])}
     * @param hash {@code 0x} and 64 lower-case hex digits: keccak256 of {@code raw}
     */
    record SignedAnchor(AnchorTx tx, byte[] raw, String hash) {
        public SignedAnchor {
            Objects.requireNonNull(tx, "tx");
            raw = raw.clone();
            if (!hash.matches("0x[0-9a-f]{64}")) {
                throw new IllegalArgumentException("a transaction hash is 0x and 64 lower-case hex digits: " + hash);
            }
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }
    }

    /**
     * A mined transaction's receipt.
     *
     * @param succeeded the receipt's status (false: mined but reverted)
     */
    record Inclusion(String txHash, long block, String blockHash, boolean succeeded, long gasUsed) {
    }

    /** EIP-155 chain id (31337 on anvil, 1 on mainnet). */
    long chainId();

    /** The registry contract's address. */
    EthereumAddress registry();

    /** The latest block number. */
    long blockNumber();

    /** The hash of block {@code number} on the node's current chain, empty when the node has no such block. */
    Optional<String> blockHash(long number);

    /** The account's transaction count: mined only, or including the node's pending transactions. */
    BigInteger nonce(EthereumAddress account, boolean pending);

    /** The node's suggested EIP-1559 fees now. */
    Fees suggestedFees();

    /** Gas the call would use from {@code from} ({@code eth_estimateGas}); throws {@link ChainRejectedException} on revert. */
    long estimateGas(EthereumAddress from, AnchorCall call);

    /** Encodes and signs (no network): the signing hash goes to {@code signer}, its signature into the envelope. */
    SignedAnchor sign(AnchorTx tx, DigestSigner signer);

    /**
     * {@code eth_sendRawTransaction}.
     *
     * @return the transaction hash the node reports (equal to {@link SignedAnchor#hash()})
     */
    String broadcast(byte[] raw);

    /** The receipt, empty while the transaction is pending or unknown. */
    Optional<Inclusion> inclusion(String txHash);

    /** Whether the node knows the transaction at all (pending in its pool, or mined). */
    boolean knows(String txHash);

    /** The registry's {@code anchoredAt(root)}: the block the root was anchored in, empty when never anchored. */
    OptionalLong anchoredAt(String root);
}

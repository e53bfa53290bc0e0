package io.waybill.domain.provenance;

import java.util.Objects;

/**
 * Where a batch's root was anchored: the chain, the registry contract, the transaction and the block that holds it.
 *
 * @param chainId  the chain's EIP-155 id (31337 for the local dev node)
 * @param contract the anchor registry's address
 * @param tx       the transaction hash, {@code 0x} and 64 lower-case hex digits
 * @param block    the block number, at least 0
 */
public record AnchorReceipt(long chainId, EthereumAddress contract, String tx, long block) {
    public AnchorReceipt {
        if (chainId <= 0) {
            throw new IllegalArgumentException("a chain id is positive: " + chainId);
        }
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(tx, "tx");
        if (!tx.matches("0x[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a transaction hash is 0x and 64 lower-case hex digits: " + tx);
        }
        if (block < 0) {
            throw new IllegalArgumentException("a block number is at least 0: " + block);
        }
    }
}

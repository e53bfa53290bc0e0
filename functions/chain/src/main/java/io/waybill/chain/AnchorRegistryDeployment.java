package io.waybill.chain;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import io.waybill.domain.provenance.ChainUnavailableException;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EthereumAddress;

/**
 * Deploys {@code AnchorRegistry} from the compiled creation code in the waybill-contracts jar: one EIP-1559 contract
 * creation signed by a {@link DigestSigner} (who becomes the registry's owner), with {@code firstAnchorer} as the
 * constructor argument, then waits for the receipt.
 */
public final class AnchorRegistryDeployment {

    /** How long {@link #deploy} waits for the receipt by default. */
    public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);

    /**
     * @param registry the new contract's address
     * @param txHash   the creation transaction
     * @param block    the block it was mined in
     * @param gasUsed  gas the creation used
     */
    public record Deployed(EthereumAddress registry, String txHash, long block, long gasUsed) {
    }

    private AnchorRegistryDeployment() {
    }

    /** Deploys with the default timeouts and {@link #DEFAULT_RECEIPT_TIMEOUT}. */
    public static Deployed deploy(URI rpcUrl, long expectedChainId, RpcAuth auth, DigestSigner owner,
                                  EthereumAddress firstAnchorer) {
        return deploy(rpcUrl, expectedChainId, auth, RpcTimeouts.DEFAULTS, owner, firstAnchorer,
                DEFAULT_RECEIPT_TIMEOUT);
    }

    /**
     * @throws ChainUnavailableException when the node does not answer or the receipt does not come in time
     * @throws io.waybill.domain.provenance.ChainRejectedException when the node refuses the transaction
     * @throws IllegalStateException when the node is on another chain, or the creation reverted
     */
    public static Deployed deploy(URI rpcUrl, long expectedChainId, RpcAuth auth, RpcTimeouts timeouts,
                                  DigestSigner owner, EthereumAddress firstAnchorer, Duration receiptTimeout) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(firstAnchorer, "firstAnchorer");
        JsonRpcNode node = new JsonRpcNode(rpcUrl, expectedChainId, auth, timeouts);
        try {
            String from = Web3jAnchorChain.hex(owner.address());
            String data = AnchorRegistryAbi.deployment(firstAnchorer);
            BigInteger nonce = node.read(node.web3j().ethGetTransactionCount(from, DefaultBlockParameterName.PENDING),
                    "eth_getTransactionCount").getTransactionCount();
            BigInteger estimate = node.transact(node.web3j().ethEstimateGas(
                    Transaction.createContractTransaction(from, nonce, null, data)), "eth_estimateGas").getAmountUsed();
            BigInteger gasLimit = estimate.multiply(BigInteger.valueOf(12)).divide(BigInteger.TEN); // +20 %
            BigInteger tip = node.read(node.web3j().ethMaxPriorityFeePerGas(), "eth_maxPriorityFeePerGas")
                    .getMaxPriorityFeePerGas();
            EthBlock.Block latest = node.read(node.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST,
                    false), "eth_getBlockByNumber").getBlock();
            BigInteger maxFee = latest.getBaseFeePerGas().shiftLeft(1).add(tip);
            RawTransaction raw = RawTransaction.createTransaction(expectedChainId, nonce, gasLimit, "",
                    BigInteger.ZERO, data, tip, maxFee);
            byte[] signed = Web3jAnchorChain.signType2(raw, owner);
            String hash = Numeric.toHexString(Hash.sha3(signed));
            node.transact(node.web3j().ethSendRawTransaction(Numeric.toHexString(signed)), "eth_sendRawTransaction");
            TransactionReceipt receipt = awaitReceipt(node, hash, receiptTimeout);
            if (!receipt.isStatusOK() || receipt.getContractAddress() == null) {
                throw new IllegalStateException("AnchorRegistry creation " + hash + " reverted (status "
                        + receipt.getStatus() + ")");
            }
            return new Deployed(EthereumAddress.parse(receipt.getContractAddress().toLowerCase(Locale.ROOT)), hash,
                    receipt.getBlockNumber().longValueExact(), receipt.getGasUsed().longValueExact());
        } finally {
            node.close();
        }
    }

    private static TransactionReceipt awaitReceipt(JsonRpcNode node, String hash, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<TransactionReceipt> receipt = Web3jAnchorChain.receipt(node, hash);
            if (receipt.isPresent()) {
                return receipt.get();
            }
            if (System.nanoTime() > deadline) {
                throw new ChainUnavailableException("no receipt for the AnchorRegistry creation " + hash + " within "
                        + timeout + " at " + node.rpcUrl());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainUnavailableException("interrupted while waiting for " + hash, e);
            }
        }
    }
}

package io.waybill.chain;

import java.math.BigInteger;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.bouncycastle.util.BigIntegers;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.ChainRejectedException;
import io.waybill.domain.provenance.ChainUnavailableException;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.EthereumSignature;

/**
 * {@link AnchorChain} on an Ethereum JSON-RPC node through Web3j 4.13.0: ABI encoding with {@code FunctionEncoder},
 * EIP-1559 (type 2) transactions with {@code RawTransaction} and {@code TransactionEncoder}, signed by a
 * {@link DigestSigner} (KMS in AWS, {@link LocalKeySigner} locally) so that no private key is ever in this process
 * in production.
 *
 * <p>Errors: the node not answering (timeouts, refused connections, non-2xx HTTP) is
 * {@link ChainUnavailableException}; a JSON-RPC error on {@code eth_sendRawTransaction} or {@code eth_estimateGas}
 * is {@link ChainRejectedException} with its reason. A node whose chain id is not the expected one is refused with an
 * {@link IllegalStateException} on the first call that reaches it.
 *
 * <p>Thread-safe; build one per function instance (outside the handler method) and share it.
 */
public final class Web3jAnchorChain implements AnchorChain, AutoCloseable {

    /** Web3j's {@code Sign.getRecId} takes the y parity of a 1559 signature as v = 27 + parity (0/1 is refused). */
    private static final int WEB3J_V_OFFSET = 27;

    private final JsonRpcNode node;
    private final EthereumAddress registry;

    private Web3jAnchorChain(JsonRpcNode node, EthereumAddress registry) {
        this.node = node;
        this.registry = registry;
    }

    /**
     * Connects (lazily: nothing is sent until the first call) with {@link RpcTimeouts#DEFAULTS}.
     *
     * @param rpcUrl          the node's HTTP JSON-RPC endpoint
     * @param registry        the deployed {@code AnchorRegistry}
     * @param expectedChainId the chain the registry and the key belong to (31337 on anvil, 1 on mainnet)
     * @param auth            {@link RpcAuth#none()} or {@link RpcAuth#sigV4} for Amazon Managed Blockchain
     */
    public static Web3jAnchorChain connect(URI rpcUrl, EthereumAddress registry, long expectedChainId, RpcAuth auth) {
        return connect(rpcUrl, registry, expectedChainId, auth, RpcTimeouts.DEFAULTS);
    }

    /** As {@link #connect(URI, EthereumAddress, long, RpcAuth)}, with other timeouts. */
    public static Web3jAnchorChain connect(URI rpcUrl, EthereumAddress registry, long expectedChainId, RpcAuth auth,
                                           RpcTimeouts timeouts) {
        return new Web3jAnchorChain(new JsonRpcNode(rpcUrl, expectedChainId, auth, timeouts),
                Objects.requireNonNull(registry, "registry"));
    }

    /** The expected chain id, once the node confirmed it is on that chain. */
    @Override
    public long chainId() {
        node.checkChainId();
        return node.expectedChainId();
    }

    @Override
    public EthereumAddress registry() {
        return registry;
    }

    /** The node's endpoint. */
    public URI rpcUrl() {
        return node.rpcUrl();
    }

    @Override
    public long blockNumber() {
        return node.read(node.web3j().ethBlockNumber(), "eth_blockNumber").getBlockNumber().longValueExact();
    }

    @Override
    public Optional<String> blockHash(long number) {
        EthBlock.Block block = node.read(node.web3j().ethGetBlockByNumber(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false), "eth_getBlockByNumber").getBlock();
        return block == null ? Optional.empty() : Optional.of(block.getHash().toLowerCase(Locale.ROOT));
    }

    @Override
    public BigInteger nonce(EthereumAddress account, boolean pending) {
        return node.read(node.web3j().ethGetTransactionCount(hex(account),
                        pending ? DefaultBlockParameterName.PENDING : DefaultBlockParameterName.LATEST),
                "eth_getTransactionCount").getTransactionCount();
    }

    /**
     * The node's priority fee ({@code eth_maxPriorityFeePerGas}) and a fee cap of twice the latest base fee plus
     * that tip: the transaction stays includable through six full blocks of base-fee rises (1.125^6 ≈ 2).
     */
    @Override
    public Fees suggestedFees() {
        BigInteger tip = node.read(node.web3j().ethMaxPriorityFeePerGas(), "eth_maxPriorityFeePerGas")
                .getMaxPriorityFeePerGas();
        EthBlock.Block latest = node.read(node.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false),
                "eth_getBlockByNumber").getBlock();
        if (latest == null || latest.getBaseFeePerGasRaw() == null) {
            throw new ChainUnavailableException("the node at " + node.rpcUrl()
                    + " returned no latest block with a base fee (not an EIP-1559 chain?)");
        }
        BigInteger baseFee = latest.getBaseFeePerGas();
        return new Fees(baseFee.shiftLeft(1).add(tip), tip);
    }

    @Override
    public long estimateGas(EthereumAddress from, AnchorCall call) {
        Transaction tx = Transaction.createEthCallTransaction(hex(from), hex(registry), AnchorRegistryAbi.anchor(call));
        return node.transact(node.web3j().ethEstimateGas(tx), "eth_estimateGas").getAmountUsed().longValueExact();
    }

    @Override
    public SignedAnchor sign(AnchorTx tx, DigestSigner signer) {
        RawTransaction raw = RawTransaction.createTransaction(node.expectedChainId(), tx.nonce(),
                BigInteger.valueOf(tx.gasLimit()), hex(registry), BigInteger.ZERO, AnchorRegistryAbi.anchor(tx.call()),
                tx.fees().maxPriorityFeePerGas(), tx.fees().maxFeePerGas());
        byte[] signed = signType2(raw, signer);
        return new SignedAnchor(tx, signed, Numeric.toHexString(Hash.sha3(signed)));
    }

    /**
     * Signs a type-2 transaction: the signing hash is keccak256(0x02 || rlp(unsigned fields)) (EIP-1559), given to
     * {@code signer} as is; its (r, s, y parity) goes into the envelope 0x02 || rlp(fields, yParity, r, s).
     */
    static byte[] signType2(RawTransaction raw, DigestSigner signer) {
        byte[] unsigned = TransactionEncoder.encode(raw);
        if (unsigned.length == 0 || unsigned[0] != 0x02) {
            throw new IllegalStateException("not an EIP-1559 (type 2) transaction");
        }
        byte[] digest = Hash.sha3(unsigned);
        EthereumSignature signature = signer.sign(digest);
        Sign.SignatureData data = new Sign.SignatureData((byte) (WEB3J_V_OFFSET + signature.v()),
                BigIntegers.asUnsignedByteArray(32, signature.r()), BigIntegers.asUnsignedByteArray(32, signature.s()));
        return TransactionEncoder.encode(raw, data);
    }

    @Override
    public String broadcast(byte[] raw) {
        String hash = node.transact(node.web3j().ethSendRawTransaction(Numeric.toHexString(raw)),
                "eth_sendRawTransaction").getTransactionHash();
        if (hash == null) {
            throw new ChainUnavailableException("eth_sendRawTransaction at " + node.rpcUrl() + " returned no hash");
        }
        return hash.toLowerCase(Locale.ROOT);
    }

    @Override
    public Optional<Inclusion> inclusion(String txHash) {
        return receipt(node, txHash).map(r -> new Inclusion(r.getTransactionHash().toLowerCase(Locale.ROOT),
                r.getBlockNumber().longValueExact(), r.getBlockHash().toLowerCase(Locale.ROOT), r.isStatusOK(),
                r.getGasUsed().longValueExact()));
    }

    static Optional<TransactionReceipt> receipt(JsonRpcNode node, String txHash) {
        return node.read(node.web3j().ethGetTransactionReceipt(txHash), "eth_getTransactionReceipt")
                .getTransactionReceipt();
    }

    @Override
    public boolean knows(String txHash) {
        return node.read(node.web3j().ethGetTransactionByHash(txHash), "eth_getTransactionByHash")
                .getTransaction().isPresent();
    }

    @Override
    public OptionalLong anchoredAt(String root) {
        if (root == null || !root.matches("0x[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a root is 0x and 64 lower-case hex digits: " + root);
        }
        EthCall result = node.send(node.web3j().ethCall(
                Transaction.createEthCallTransaction(null, hex(registry), AnchorRegistryAbi.anchoredAt(root)),
                DefaultBlockParameterName.LATEST), "eth_call anchoredAt");
        if (result.hasError() || result.isReverted()) {
            throw new ChainUnavailableException("anchoredAt(" + root + ") failed on " + registry + " at "
                    + node.rpcUrl() + " (is the registry deployed there?): "
                    + (result.hasError() ? result.getError().getMessage() : result.getRevertReason()));
        }
        String value = result.getValue();
        if (value == null || value.equals("0x")) {
            throw new IllegalStateException("no contract at " + registry + " on chain " + node.expectedChainId()
                    + " (anchoredAt returned nothing)");
        }
        BigInteger block = AnchorRegistryAbi.decodeAnchoredAt(value);
        return block.signum() == 0 ? OptionalLong.empty() : OptionalLong.of(block.longValueExact());
    }

    /** Releases pooled connections. */
    @Override
    public void close() {
        node.close();
    }

    @Override
    public String toString() {
        return "Web3jAnchorChain[" + node.rpcUrl() + " chain " + node.expectedChainId() + " registry " + registry + "]";
    }

    static String hex(EthereumAddress address) {
        return address.toString().toLowerCase(Locale.ROOT);
    }
}

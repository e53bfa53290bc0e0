package io.waybill.local.stack;

import java.net.URI;
import java.util.Objects;

import io.waybill.chain.RpcAuth;
import io.waybill.chain.Web3jAnchorChain;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EthereumAddress;

/**
 * The local stack's Ethereum node (anvil) and the {@code AnchorRegistry} deployed on it at start.
 *
 * @param rpcUrl            anvil's HTTP JSON-RPC endpoint
 * @param chainId           31337
 * @param registry          the registry's address
 * @param devSigner         anvil's dev account 0: the registry's owner and its authorised anchorer
 * @param deploymentGasUsed gas the registry's creation used (a figure for the bench)
 */
public record LocalEthereum(URI rpcUrl, long chainId, EthereumAddress registry, DigestSigner devSigner,
                            long deploymentGasUsed) {

    /** anvil's default chain id, which the stack passes explicitly. */
    public static final long CHAIN_ID = 31337;

    public LocalEthereum {
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(devSigner, "devSigner");
    }

    /** A new adapter on this node and registry (no authentication); close it when done. */
    public Web3jAnchorChain connect() {
        return Web3jAnchorChain.connect(rpcUrl, registry, chainId, RpcAuth.none());
    }

    /** The node's test controls (automine, snapshots, dropped transactions). */
    public AnvilControl control() {
        return new AnvilControl(rpcUrl);
    }
}

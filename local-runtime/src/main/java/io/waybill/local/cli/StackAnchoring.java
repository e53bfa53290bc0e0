package io.waybill.local.cli;

import io.waybill.chain.RpcAuth;
import io.waybill.chain.Web3jAnchorChain;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.local.pipeline.LocalPipeline;

import java.net.URI;
import java.util.Objects;

/**
 * What {@code ./waybill verify} needs of a running stack that anchors (issue 14), kept in its {@link StackState}:
 * where the events and their proofs are stored, and the chain to check them against.
 *
 * @param eventsTable the event store (key {@code source#id})
 * @param proofsTable the per-event proofs (key {@code eventId})
 * @param rpcUrl      the local anvil's JSON-RPC endpoint
 * @param chainId     its chain id (31337)
 * @param registry    the AnchorRegistry's address
 */
record StackAnchoring(String eventsTable, String proofsTable, URI rpcUrl, long chainId, String registry) {
    StackAnchoring {
        Objects.requireNonNull(eventsTable, "eventsTable");
        Objects.requireNonNull(proofsTable, "proofsTable");
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        Objects.requireNonNull(registry, "registry");
    }

    /** The anchoring of a pipeline deployed with {@code .anchoring(...)}; null when it has none. */
    static StackAnchoring of(LocalPipeline pipeline) {
        if (pipeline.anchoring() == null) {
            return null;
        }
        var node = pipeline.anchoring().ethereum();
        return new StackAnchoring(pipeline.names().eventsTable(), pipeline.names().proofsTable(), node.rpcUrl(),
                node.chainId(), node.registry().toString());
    }

    /** A new adapter on the stack's node and registry (no authentication locally); close it when done. */
    Web3jAnchorChain connect() {
        return Web3jAnchorChain.connect(rpcUrl, EthereumAddress.parse(registry), chainId, RpcAuth.none());
    }
}

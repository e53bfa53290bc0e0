package io.waybill.opsapi;

import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.aws.provenance.DynamoDbEventProofs;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.EthereumAddress;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The proof route's configuration (kept beside {@link OpsApiSettings} so that provenance is one optional block):
 * without a proofs table the stage does not anchor and {@code GET /events/{eventId}/proof} answers 404
 * {@code anchoring-off}. Set one of the variables and all must be set (a half-configured chain is a start failure,
 * not a silent "off").
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><th>variable</th><th>meaning</th></tr>
 * <tr><td>{@value #ENV_PROOFS_TABLE}</td><td>the per-event proofs (the anchoring function writes them); default
 *     none: anchoring is off in this stage</td></tr>
 * <tr><td>{@value #ENV_CHAIN_RPC_URL}</td><td>the Ethereum JSON-RPC endpoint the proofs are checked against</td></tr>
 * <tr><td>{@value #ENV_CHAIN_RPC_AUTH}</td><td>{@code none} or {@code sigv4} (Amazon Managed Blockchain, service
 *     {@code managedblockchain}); default {@code none}</td></tr>
 * <tr><td>{@value #ENV_CHAIN_ID}</td><td>the EIP-155 chain id the node must report (31337 on anvil)</td></tr>
 * <tr><td>{@value #ENV_ANCHOR_REGISTRY}</td><td>the {@code AnchorRegistry} contract's address</td></tr>
 * </table>
 *
 * @param proofsTable the proofs table, or null: anchoring off
 * @param rpcUrl      the node, or null when off
 * @param rpcAuth     how requests to the node are signed
 * @param chainId     the expected chain id (0 when off)
 * @param registry    the registry contract, or null when off
 */
public record ProvenanceSettings(String proofsTable, URI rpcUrl, RpcAuthMode rpcAuth, long chainId,
                                 EthereumAddress registry) {
    public static final String ENV_PROOFS_TABLE = "WAYBILL_PROOFS_TABLE";
    public static final String ENV_CHAIN_RPC_URL = "WAYBILL_CHAIN_RPC_URL";
    public static final String ENV_CHAIN_RPC_AUTH = "WAYBILL_CHAIN_RPC_AUTH";
    public static final String ENV_CHAIN_ID = "WAYBILL_CHAIN_ID";
    public static final String ENV_ANCHOR_REGISTRY = "WAYBILL_ANCHOR_REGISTRY";

    /** How the node's requests are authenticated. */
    public enum RpcAuthMode {
        /** No signature (anvil, a testnet provider whose key is in the URL). */
        NONE,
        /** AWS SigV4, service {@code managedblockchain} (Amazon Managed Blockchain Access Ethereum). */
        SIGV4
    }

    public ProvenanceSettings {
        proofsTable = proofsTable == null || proofsTable.isBlank() ? null : proofsTable;
        rpcAuth = rpcAuth == null ? RpcAuthMode.NONE : rpcAuth;
        if (proofsTable != null && (rpcUrl == null || registry == null || chainId <= 0)) {
            throw new IllegalStateException(ENV_PROOFS_TABLE + " is set, so " + ENV_CHAIN_RPC_URL + ", " + ENV_CHAIN_ID
                    + " (positive) and " + ENV_ANCHOR_REGISTRY + " must be set too");
        }
    }

    /** Anchoring off. */
    public static ProvenanceSettings off() {
        return new ProvenanceSettings(null, null, RpcAuthMode.NONE, 0, null);
    }

    public boolean configured() {
        return proofsTable != null;
    }

    public static ProvenanceSettings fromEnvironment(Map<String, String> env) {
        String table = text(env, ENV_PROOFS_TABLE);
        String url = text(env, ENV_CHAIN_RPC_URL);
        String auth = text(env, ENV_CHAIN_RPC_AUTH);
        String id = text(env, ENV_CHAIN_ID);
        String registry = text(env, ENV_ANCHOR_REGISTRY);
        if (table == null) {
            return off();
        }
        RpcAuthMode mode;
        try {
            mode = auth == null ? RpcAuthMode.NONE : RpcAuthMode.valueOf(auth.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENV_CHAIN_RPC_AUTH + " is none or sigv4: " + auth);
        }
        long chainId;
        try {
            chainId = id == null ? 0 : Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(ENV_CHAIN_ID + " must be a whole number: " + id);
        }
        EthereumAddress address;
        try {
            address = registry == null ? null : EthereumAddress.parse(registry);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENV_ANCHOR_REGISTRY + " is not an Ethereum address: " + registry);
        }
        return new ProvenanceSettings(table, url == null ? null : URI.create(url), mode, chainId, address);
    }

    private static String text(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /**
     * The {@code /events} routes: the proofs, the events as stored and the chain when configured; else
     * {@link ProofRoutes#off()}.
     */
    ProofRoutes routes(DynamoDbClient dynamo, Supplier<DynamoDbEnhancedClient> enhanced, String eventsTable) {
        if (!configured()) {
            return ProofRoutes.off();
        }
        return new ProofRoutes(new DynamoDbEventProofs(dynamo, proofsTable),
                new DynamoDbEventLedger(enhanced.get(), eventsTable, Clock.systemUTC()), chain());
    }

    /**
     * The node, connected on the first proof check ({@link io.waybill.chain.Web3jAnchorChain}; SigV4 with service
     * {@code managedblockchain} and the function's own credentials when the auth mode is {@code sigv4}). The supplier
     * runs again after a failed connect.
     */
    Supplier<AnchorChain> chain() {
        return () -> io.waybill.chain.Web3jAnchorChain.connect(rpcUrl, registry, chainId,
                rpcAuth == RpcAuthMode.SIGV4
                        ? io.waybill.chain.RpcAuth.sigV4(
                                software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build(),
                                software.amazon.awssdk.regions.Region.of(System.getenv("AWS_REGION")))
                        : io.waybill.chain.RpcAuth.none());
    }
}

package io.waybill.anchor;

import io.waybill.domain.provenance.AnchorBatchPolicy;
import io.waybill.domain.provenance.AnchorRunSettings;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.ProvenanceSelection;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

import static io.waybill.aws.FunctionEnvironment.duration;
import static io.waybill.aws.FunctionEnvironment.integer;
import static io.waybill.aws.FunctionEnvironment.required;

/**
 * The anchoring function's configuration, read from the environment in one place ({@link #fromEnvironment(Map)}).
 *
 * @param ledgerTable  {@value #LEDGER_TABLE}: the anchor ledger (required)
 * @param proofsTable  {@value #PROOFS_TABLE}: the per-event proofs (required)
 * @param kmsKeyId     {@value #KMS_KEY_ID}: the {@code ECC_SECG_P256K1} signing key (id, ARN or alias; required)
 * @param rpcUrl       {@value #RPC_URL}: the node's JSON-RPC endpoint (required)
 * @param rpcAuth      {@value #RPC_AUTH}: {@code none} (default) or {@code sigv4} (Amazon Managed Blockchain)
 * @param chainId      {@value #CHAIN_ID}: the chain id the node must report (required)
 * @param registry     {@value #REGISTRY}: the AnchorRegistry's address (required)
 * @param selection    {@value #SELECT}: see {@link ProvenanceSelection} (default custody and cold-chain decisions)
 * @param batchPolicy  {@value #BATCH_MAX_EVENTS} (default 1000), {@value #BATCH_MAX_WAIT} (ISO-8601, default PT20S)
 * @param run          {@value #CONFIRMATIONS} (2), {@value #STUCK_AFTER} (PT30S), {@value #FEE_BUMP_PERCENT} (15, at
 *                     least 10), {@value #URI_BASE} ({@code urn:waybill:anchor-batch:})
 */
public record AnchorSettings(String ledgerTable, String proofsTable, String kmsKeyId, URI rpcUrl, RpcAuth rpcAuth,
                             long chainId, EthereumAddress registry, ProvenanceSelection selection,
                             AnchorBatchPolicy batchPolicy, AnchorRunSettings run) {
    public static final String LEDGER_TABLE = "WAYBILL_ANCHOR_LEDGER_TABLE";
    public static final String PROOFS_TABLE = "WAYBILL_PROOFS_TABLE";
    public static final String KMS_KEY_ID = "WAYBILL_ANCHOR_KMS_KEY_ID";
    public static final String RPC_URL = "WAYBILL_CHAIN_RPC_URL";
    public static final String RPC_AUTH = "WAYBILL_CHAIN_RPC_AUTH";
    public static final String CHAIN_ID = "WAYBILL_CHAIN_ID";
    public static final String REGISTRY = "WAYBILL_ANCHOR_REGISTRY";
    public static final String SELECT = "WAYBILL_ANCHOR_SELECT";
    public static final String BATCH_MAX_EVENTS = "WAYBILL_ANCHOR_BATCH_MAX_EVENTS";
    public static final String BATCH_MAX_WAIT = "WAYBILL_ANCHOR_BATCH_MAX_WAIT";
    public static final String CONFIRMATIONS = "WAYBILL_ANCHOR_CONFIRMATIONS";
    public static final String STUCK_AFTER = "WAYBILL_ANCHOR_STUCK_AFTER";
    public static final String FEE_BUMP_PERCENT = "WAYBILL_ANCHOR_FEE_BUMP_PERCENT";
    public static final String URI_BASE = "WAYBILL_ANCHOR_URI_BASE";

    /** How requests to the node are authenticated. */
    public enum RpcAuth { NONE, SIGV4 }

    public AnchorSettings {
        Objects.requireNonNull(ledgerTable, LEDGER_TABLE);
        Objects.requireNonNull(proofsTable, PROOFS_TABLE);
        Objects.requireNonNull(kmsKeyId, KMS_KEY_ID);
        Objects.requireNonNull(rpcUrl, RPC_URL);
        Objects.requireNonNull(rpcAuth, RPC_AUTH);
        Objects.requireNonNull(registry, REGISTRY);
        Objects.requireNonNull(selection, SELECT);
        Objects.requireNonNull(batchPolicy, "batchPolicy");
        Objects.requireNonNull(run, "run");
        if (chainId <= 0) {
            throw new IllegalArgumentException(CHAIN_ID + " must be positive: " + chainId);
        }
    }

    /** @throws IllegalArgumentException naming the variable that is missing or invalid */
    public static AnchorSettings fromEnvironment(Map<String, String> env) {
        URI rpc;
        try {
            rpc = URI.create(required(env, RPC_URL));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RPC_URL + " is not a URI: " + env.get(RPC_URL), e);
        }
        if (!"http".equals(rpc.getScheme()) && !"https".equals(rpc.getScheme())) {
            throw new IllegalArgumentException(RPC_URL + " must be an http(s) URL: " + rpc);
        }
        RpcAuth auth = switch (env.getOrDefault(RPC_AUTH, "none").trim().toLowerCase(java.util.Locale.ROOT)) {
            case "", "none" -> RpcAuth.NONE;
            case "sigv4" -> RpcAuth.SIGV4;
            default -> throw new IllegalArgumentException(RPC_AUTH + " must be none or sigv4: " + env.get(RPC_AUTH));
        };
        EthereumAddress registry;
        try {
            registry = EthereumAddress.parse(required(env, REGISTRY));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(REGISTRY + ": " + e.getMessage(), e);
        }
        ProvenanceSelection selection;
        try {
            selection = ProvenanceSelection.parse(env.get(SELECT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SELECT + ": " + e.getMessage(), e);
        }
        AnchorBatchPolicy policy = wrap(BATCH_MAX_EVENTS + "/" + BATCH_MAX_WAIT, () -> new AnchorBatchPolicy(
                integer(env, BATCH_MAX_EVENTS, AnchorBatchPolicy.DEFAULT_MAX_EVENTS),
                duration(env, BATCH_MAX_WAIT, AnchorBatchPolicy.DEFAULT_MAX_WAIT)));
        AnchorRunSettings run = wrap(CONFIRMATIONS + "/" + STUCK_AFTER + "/" + FEE_BUMP_PERCENT,
                () -> new AnchorRunSettings(integer(env, CONFIRMATIONS, AnchorRunSettings.DEFAULT_CONFIRMATIONS),
                        duration(env, STUCK_AFTER, AnchorRunSettings.DEFAULT_STUCK_AFTER),
                        integer(env, FEE_BUMP_PERCENT, AnchorRunSettings.DEFAULT_FEE_BUMP_PERCENT),
                        env.getOrDefault(URI_BASE, AnchorRunSettings.DEFAULT_URI_BASE),
                        AnchorRunSettings.DEFAULT_LEASE));
        long chainId = integer(env, CHAIN_ID, -1L);
        if (!env.containsKey(CHAIN_ID)) {
            throw new IllegalArgumentException(CHAIN_ID + " is required");
        }
        return new AnchorSettings(required(env, LEDGER_TABLE), required(env, PROOFS_TABLE), required(env, KMS_KEY_ID),
                rpc, auth, chainId, registry, selection, policy, run);
    }

    private static <T> T wrap(String names, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(names + ": " + e.getMessage(), e);
        }
    }

}

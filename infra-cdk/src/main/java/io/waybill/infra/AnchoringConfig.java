package io.waybill.infra;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The stage's provenance anchoring (issue 14), the context section {@value #CTX_ANCHORING}: a JSON object (in
 * {@code cdk.json}'s {@code context}, or as a JSON string with {@code -c anchoring='{"chain":"rpc",...}'}).
 *
 * <table>
 * <caption>Keys of the section</caption>
 * <tr><td>{@code chain}</td><td>{@code none} (default: no anchoring resources at all), {@code rpc} (any Ethereum
 * JSON-RPC endpoint: a testnet or staging node) or {@code amb} (Amazon Managed Blockchain Access Ethereum: a node on
 * Ethereum mainnet, {@value #AMB_NETWORK_ID}, the only network AMB Access Ethereum offers, called with SigV4)</td></tr>
 * <tr><td>{@code rpcUrl}</td><td>rpc only: the node's {@code https://} URL (no credentials in it)</td></tr>
 * <tr><td>{@code chainId}</td><td>the chain id the signer signs for (EIP-155); amb: must be {@value #MAINNET_CHAIN_ID}</td></tr>
 * <tr><td>{@code registry}</td><td>the AnchorRegistry contract's address, {@code 0x} and 40 hex digits</td></tr>
 * <tr><td>{@code select}</td><td>the anchoring function's event selection rule ({@code WAYBILL_ANCHOR_SELECT}), default
 * {@value #DEFAULT_SELECT}</td></tr>
 * <tr><td>{@code batchMaxEvents}</td><td>a batch closes at this many events, default {@value #DEFAULT_BATCH_MAX_EVENTS}
 * (1 to {@value #MAX_BATCH_MAX_EVENTS})</td></tr>
 * <tr><td>{@code batchMaxWait}</td><td>... or when its first event is this old (ISO-8601), default
 * {@value #DEFAULT_BATCH_MAX_WAIT}</td></tr>
 * <tr><td>{@code confirmations}</td><td>blocks on top before an anchor counts as confirmed, default
 * {@value #DEFAULT_CONFIRMATIONS_RPC} (rpc) / {@value #DEFAULT_CONFIRMATIONS_MAINNET} (amb)</td></tr>
 * <tr><td>{@code stuckAfter}</td><td>a sent transaction not mined after this (ISO-8601) is rebroadcast or replaced,
 * default {@value #DEFAULT_STUCK_AFTER}</td></tr>
 * <tr><td>{@code feeBumpPercent}</td><td>fee increase of a replacement, default {@value #DEFAULT_FEE_BUMP_PERCENT}
 * (at least {@value #MIN_FEE_BUMP_PERCENT}: nodes refuse a replacement bumped less)</td></tr>
 * <tr><td>{@code nodeInstanceType}</td><td>amb only: the node's instance type, default
 * {@value #DEFAULT_NODE_INSTANCE_TYPE}</td></tr>
 * <tr><td>{@code nodeAvailabilityZone}</td><td>amb only, required: the node's availability zone, e.g.
 * {@code us-east-1a}</td></tr>
 * </table>
 *
 * Token access to an AMB node ({@code CfnAccessor}, {@code BILLING_TOKEN}) is deliberately not offered: SigV4 is what
 * AWS recommends, and a billing token travels in the URL's query string, where it would end up in the function's
 * environment and in logs.
 */
public record AnchoringConfig(Chain chain, String rpcUrl, Long chainId, String registry, String select,
                              int batchMaxEvents, Duration batchMaxWait, int confirmations, Duration stuckAfter,
                              int feeBumpPercent, String nodeInstanceType, String nodeAvailabilityZone) {

    /** The context section's key. */
    public static final String CTX_ANCHORING = "anchoring";

    /** Where anchors go. */
    public enum Chain {
        /** No anchoring: no table, function, key or node. */
        NONE,
        /** Any Ethereum JSON-RPC endpoint ({@code rpcUrl}), called without AWS authentication. */
        RPC,
        /** A node of Amazon Managed Blockchain Access Ethereum on mainnet, called with SigV4. */
        AMB
    }

    /** AMB Access Ethereum's only network (the CfnNode docs of aws-cdk-lib 2.272.0 list no other). */
    public static final String AMB_NETWORK_ID = "n-ethereum-mainnet";
    public static final long MAINNET_CHAIN_ID = 1;
    /** Custody transfers, cold-chain decisions and their compliance records, certificate verifications. */
    public static final String DEFAULT_SELECT = "custody,coldchain-decision,compliance,certificate";
    public static final int DEFAULT_BATCH_MAX_EVENTS = 1000;
    /** Above it a batch's proofs and its tree no longer fit one run comfortably. */
    public static final int MAX_BATCH_MAX_EVENTS = 10_000;
    /** Twice the schedule's minute: an event waits at most about a minute and a half for its batch to close. */
    public static final String DEFAULT_BATCH_MAX_WAIT = "PT1M";
    /** A test or staging chain: few reorganisations, and the bench targets a minute to confirmed. */
    public static final int DEFAULT_CONFIRMATIONS_RPC = 2;
    /** Mainnet: about 2.5 minutes of blocks; a reorganisation deeper than that has not happened since the merge. */
    public static final int DEFAULT_CONFIRMATIONS_MAINNET = 12;
    public static final String DEFAULT_STUCK_AFTER = "PT3M";
    public static final int DEFAULT_FEE_BUMP_PERCENT = 12;
    /** Geth's txpool refuses a replacement whose fees grew less than 10 %. */
    public static final int MIN_FEE_BUMP_PERCENT = 10;
    public static final String DEFAULT_NODE_INSTANCE_TYPE = "bc.t3.large";

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("bc\\.[a-z0-9]+\\.[a-z0-9]+");
    private static final Pattern AVAILABILITY_ZONE = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d[a-z]");
    private static final Set<String> KEYS = Set.of("chain", "rpcUrl", "chainId", "registry", "select",
            "batchMaxEvents", "batchMaxWait", "confirmations", "stuckAfter", "feeBumpPercent", "nodeInstanceType",
            "nodeAvailabilityZone");

    /** No anchoring (the default of a stage whose context has no {@value #CTX_ANCHORING} section). */
    public static AnchoringConfig none() {
        return new AnchoringConfig(Chain.NONE, null, null, null, DEFAULT_SELECT, DEFAULT_BATCH_MAX_EVENTS,
                Duration.parse(DEFAULT_BATCH_MAX_WAIT), DEFAULT_CONFIRMATIONS_RPC, Duration.parse(DEFAULT_STUCK_AFTER),
                DEFAULT_FEE_BUMP_PERCENT, null, null);
    }

    public AnchoringConfig {
        if (chain != Chain.NONE) {
            validate(chain, rpcUrl, chainId, registry, select, batchMaxEvents, batchMaxWait, confirmations,
                    stuckAfter, feeBumpPercent, nodeInstanceType, nodeAvailabilityZone);
        }
    }

    private static void validate(Chain chain, String rpcUrl, Long chainId, String registry, String select,
                                 int batchMaxEvents, Duration batchMaxWait, int confirmations, Duration stuckAfter,
                                 int feeBumpPercent, String nodeInstanceType, String nodeAvailabilityZone) {
        if (registry == null || !ADDRESS.matcher(registry).matches()) {
            throw new IllegalArgumentException(where("registry") + " must be the AnchorRegistry's address, 0x and "
                    + "40 hex digits, was " + quoted(registry));
        }
        if (chainId == null || chainId < 1) {
            throw new IllegalArgumentException(where("chainId") + " must be a positive chain id, was " + chainId);
        }
        if (chain == Chain.RPC) {
            if (rpcUrl == null || !rpcUrl.startsWith("https://") && !rpcUrl.startsWith("http://")) {
                throw new IllegalArgumentException(where("rpcUrl") + " must be the node's http(s):// URL for chain "
                        + "rpc, was " + quoted(rpcUrl));
            }
            if (rpcUrl.contains("@")) {
                throw new IllegalArgumentException(where("rpcUrl") + " must not carry credentials (user:password@): "
                        + "they would be in the function's environment");
            }
            if (nodeAvailabilityZone != null) {
                throw new IllegalArgumentException(where("nodeAvailabilityZone") + " is for chain amb only");
            }
        }
        if (chain == Chain.AMB) {
            if (chainId != MAINNET_CHAIN_ID) {
                throw new IllegalArgumentException(where("chainId") + " must be " + MAINNET_CHAIN_ID + " for chain amb: "
                        + "Amazon Managed Blockchain Access Ethereum offers mainnet only (" + AMB_NETWORK_ID
                        + "); use chain rpc for a testnet, was " + chainId);
            }
            if (rpcUrl != null) {
                throw new IllegalArgumentException(where("rpcUrl") + " is for chain rpc only: with amb the URL is the "
                        + "node's endpoint");
            }
            if (nodeInstanceType == null || !INSTANCE_TYPE.matcher(nodeInstanceType).matches()) {
                throw new IllegalArgumentException(where("nodeInstanceType") + " must be an AMB instance type such "
                        + "as " + DEFAULT_NODE_INSTANCE_TYPE + ", was " + quoted(nodeInstanceType));
            }
            if (nodeAvailabilityZone == null || !AVAILABILITY_ZONE.matcher(nodeAvailabilityZone).matches()) {
                throw new IllegalArgumentException(where("nodeAvailabilityZone") + " is required for chain amb, an "
                        + "availability zone such as us-east-1a, was " + quoted(nodeAvailabilityZone));
            }
        }
        if (select == null || select.isBlank()) {
            throw new IllegalArgumentException(where("select") + " must name at least one kind of event");
        }
        if (batchMaxEvents < 1 || batchMaxEvents > MAX_BATCH_MAX_EVENTS) {
            throw new IllegalArgumentException(where("batchMaxEvents") + " must be 1 to " + MAX_BATCH_MAX_EVENTS
                    + ", was " + batchMaxEvents);
        }
        if (batchMaxWait.isNegative() || batchMaxWait.isZero() || batchMaxWait.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(where("batchMaxWait") + " must be more than 0 and at most PT1H, was "
                    + batchMaxWait);
        }
        if (confirmations < 1 || confirmations > 64) {
            throw new IllegalArgumentException(where("confirmations") + " must be 1 to 64, was " + confirmations);
        }
        if (stuckAfter.compareTo(Duration.ofMinutes(1)) < 0 || stuckAfter.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(where("stuckAfter") + " must be PT1M to PT1H, was " + stuckAfter);
        }
        if (feeBumpPercent < MIN_FEE_BUMP_PERCENT || feeBumpPercent > 100) {
            throw new IllegalArgumentException(where("feeBumpPercent") + " must be " + MIN_FEE_BUMP_PERCENT
                    + " to 100 (nodes refuse a replacement bumped less than 10 %), was " + feeBumpPercent);
        }
    }

    /** Whether the stage anchors at all. */
    public boolean enabled() {
        return chain != Chain.NONE;
    }

    /** {@code WAYBILL_CHAIN_RPC_AUTH}: {@code sigv4} for an AMB node, else {@code none}. */
    public String rpcAuth() {
        return chain == Chain.AMB ? "sigv4" : "none";
    }

    /**
     * The section as CDK context gives it: a map (from {@code cdk.json}) or a JSON string (from {@code -c}); absent:
     * {@link #none()}.
     */
    static AnchoringConfig fromContext(Object section) {
        Optional<Map<String, Object>> present = ContextSection.values(section, CTX_ANCHORING,
                "{\"chain\":\"rpc\",\"rpcUrl\":\"https://...\",\"chainId\":11155111,\"registry\":\"0x...\"}", KEYS);
        if (present.isEmpty()) {
            return none();
        }
        Map<String, Object> values = present.get();
        String chainText = string(values, "chain", "none");
        Chain chain = switch (chainText) {
            case "none" -> Chain.NONE;
            case "rpc" -> Chain.RPC;
            case "amb" -> Chain.AMB;
            default -> throw new IllegalArgumentException(where("chain") + " must be none, rpc or amb, was '"
                    + chainText + "'");
        };
        int defaultConfirmations = chain == Chain.AMB ? DEFAULT_CONFIRMATIONS_MAINNET : DEFAULT_CONFIRMATIONS_RPC;
        return new AnchoringConfig(chain,
                string(values, "rpcUrl", null),
                longValue(values, "chainId"),
                string(values, "registry", null),
                string(values, "select", DEFAULT_SELECT),
                intValue(values, "batchMaxEvents", DEFAULT_BATCH_MAX_EVENTS),
                duration(values, "batchMaxWait", DEFAULT_BATCH_MAX_WAIT),
                intValue(values, "confirmations", defaultConfirmations),
                duration(values, "stuckAfter", DEFAULT_STUCK_AFTER),
                intValue(values, "feeBumpPercent", DEFAULT_FEE_BUMP_PERCENT),
                chain == Chain.AMB ? string(values, "nodeInstanceType", DEFAULT_NODE_INSTANCE_TYPE)
                        : string(values, "nodeInstanceType", null),
                string(values, "nodeAvailabilityZone", null));
    }

    private static String where(String key) {
        return "context " + CTX_ANCHORING + "." + key;
    }

    private static String quoted(String value) {
        return value == null ? "absent" : "'" + value + "'";
    }

    private static String string(Map<String, Object> values, String key, String fallback) {
        Object v = values.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }

    private static Long longValue(Map<String, Object> values, String key) {
        String v = string(values, key, null);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where(key) + " must be a whole number, was '" + v + "'", e);
        }
    }

    private static int intValue(Map<String, Object> values, String key, int fallback) {
        Long v = longValue(values, key);
        if (v == null) {
            return fallback;
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new IllegalArgumentException(where(key) + " is out of range, was " + v);
        }
        return v.intValue();
    }

    private static Duration duration(Map<String, Object> values, String key, String fallback) {
        String v = string(values, key, fallback);
        try {
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where(key) + " must be an ISO-8601 duration such as PT1M, was '" + v
                    + "'", e);
        }
    }
}

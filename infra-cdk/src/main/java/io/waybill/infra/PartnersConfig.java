package io.waybill.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A stage's partner exchange (issue 16), the context section {@value #CTX_PARTNERS}: a JSON object (a map in
 * {@code cdk.json}, a JSON string with {@code -c partners='{...}'}) whose keys are partner ids, each with that
 * partner's settings, plus the optional {@value #ARCHIVE_RETENTION_DAYS}. Absent = no partner exchange at all (a bus
 * no account may put to and no rule delivers from would only cost); {@code {}} = the bus, its archive, the ingress rule
 * and both functions, with no partner account yet.
 *
 * <p>A partner: {@code accounts} (required, 12-digit AWS account ids that may put events on the partner bus: its
 * resource policy names exactly these), and for a webhook partner (one that receives Waybill's events)
 * {@code endpoint} (https), {@code connectionSecretArn} (the ARN or name of a Secrets Manager secret whose
 * SecretString is the API key: CloudFormation resolves it at deploy time, the key is never in the template),
 * {@code authHeader} (default {@value #DEFAULT_AUTH_HEADER}) and {@code rateLimitPerSecond} (default
 * {@value #DEFAULT_RATE_LIMIT}, EventBridge's range 1..300). A webhook partner needs the rule file
 * {@code infra-cdk/event-rules/partner-<id>-egress.json}; a synth without it fails.
 */
public record PartnersConfig(boolean enabled, int archiveRetentionDays, Map<String, Partner> partners) {
    public static final String CTX_PARTNERS = "partners";
    /** Days the bus archive keeps events for replay. */
    public static final String ARCHIVE_RETENTION_DAYS = "archiveRetentionDays";
    /**
     * 30 days: a partner reconciles a month's deliveries at most a few weeks late, and a delivery fails for at most
     * 24 h (the rules' retry policy) before it is dead-lettered; a month lets a broken receiver or adapter be fixed and
     * the window replayed. Longer history is the event store's, not the archive's (archive storage is billed per GB).
     */
    public static final int DEFAULT_ARCHIVE_RETENTION_DAYS = 30;
    public static final String DEFAULT_AUTH_HEADER = "x-api-key";
    public static final int DEFAULT_RATE_LIMIT = 10;
    /** EventBridge's bounds on an API destination's {@code InvocationRateLimitPerSecond}. */
    public static final int MAX_RATE_LIMIT = 300;

    static final Pattern PARTNER_ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    static final Pattern SECRET = Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+"
            + "|[A-Za-z0-9/_+=.@-]{1,512}");
    static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}");
    static final Set<String> PARTNER_KEYS = Set.of("accounts", "endpoint", "connectionSecretArn", "authHeader",
            "rateLimitPerSecond");
    static final String EXAMPLE = "{\"northwind-3pl\": {\"accounts\": [\"111122223333\"], \"endpoint\": "
            + "\"https://hooks.northwind.example/waybill\", \"connectionSecretArn\": "
            + "\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:northwind-api-key-AbCdEf\"}}";

    /** One partner: the accounts it puts events from, and its webhook when it receives events. */
    public record Partner(String id, List<String> accounts, Optional<Webhook> webhook) {
        /** {@code northwind-3pl} -> {@code Northwind3pl}: the partner's construct ids and rule binding prefix. */
        public String constructName() {
            StringBuilder b = new StringBuilder();
            for (String part : id.split("-")) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
            return b.toString();
        }
    }

    /** Where a partner receives events: an API destination with API-key auth from Secrets Manager. */
    public record Webhook(String endpoint, String connectionSecret, String authHeader, int rateLimitPerSecond) {
    }

    public PartnersConfig {
        partners = java.util.Collections.unmodifiableMap(new TreeMap<>(partners));
    }

    /** No partner exchange. */
    public static PartnersConfig none() {
        return new PartnersConfig(false, DEFAULT_ARCHIVE_RETENTION_DAYS, Map.of());
    }

    /** Every partner account, sorted, without duplicates. */
    public List<String> accounts() {
        return partners.values().stream().flatMap(p -> p.accounts().stream()).distinct().sorted().toList();
    }

    /**
     * The section CDK context gives ({@code null} when absent).
     *
     * @throws StageConfigException naming the partner and setting that is wrong
     */
    public static PartnersConfig fromContext(Object section) {
        Map<String, Object> values = parse(section);
        if (values == null) {
            return none();
        }
        int retention = DEFAULT_ARCHIVE_RETENTION_DAYS;
        Map<String, Partner> partners = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            String key = e.getKey();
            if (key.equals(ARCHIVE_RETENTION_DAYS)) {
                retention = integer(e.getValue(), "partners." + key);
                if (retention < 1) {
                    throw error("partners." + key + " must be at least 1 (days; 0 would keep events forever), was "
                            + retention);
                }
                continue;
            }
            if (!PARTNER_ID.matcher(key).matches()) {
                throw error("partners: '" + key + "' is neither " + ARCHIVE_RETENTION_DAYS + " nor a partner id "
                        + "(lower-case letters, digits and '-', e.g. northwind-3pl)");
            }
            partners.put(key, partner(key, e.getValue()));
        }
        return new PartnersConfig(true, retention, partners);
    }

    private static Map<String, Object> parse(Object section) {
        try {
            return ContextSection.values(section, CTX_PARTNERS, EXAMPLE, null).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new StageConfigException(e.getMessage(), e);
        }
    }

    private static Partner partner(String id, Object settings) {
        String name = "partners." + id;
        Map<String, Object> values;
        try {
            values = ContextSection.values(settings instanceof Map<?, ?> ? settings : String.valueOf(settings), name,
                    EXAMPLE, PARTNER_KEYS).orElseThrow(() -> error(name + " must be a JSON object such as " + EXAMPLE));
        } catch (StageConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new StageConfigException(e.getMessage(), e);
        }
        if (!(values.get("accounts") instanceof List<?> list) || list.isEmpty()) {
            throw error(name + ".accounts must be a non-empty list of the 12-digit AWS account ids the partner puts "
                    + "events from");
        }
        List<String> accounts = new ArrayList<>();
        for (Object a : list) {
            String account = String.valueOf(a);
            if (!ACCOUNT.matcher(account).matches()) {
                throw error(name + ".accounts: '" + account + "' is not a 12-digit AWS account id");
            }
            accounts.add(account);
        }
        Object endpoint = values.get("endpoint");
        Object secret = values.get("connectionSecretArn");
        if (endpoint == null && secret == null) {
            if (values.containsKey("authHeader") || values.containsKey("rateLimitPerSecond")) {
                throw error(name + ": authHeader and rateLimitPerSecond configure a webhook: set endpoint and "
                        + "connectionSecretArn too, or drop them");
            }
            return new Partner(id, List.copyOf(accounts), Optional.empty());
        }
        if (endpoint == null || secret == null) {
            throw error(name + ": a webhook partner needs both endpoint and connectionSecretArn (a Secrets Manager "
                    + "secret holding the API key, never the key itself)");
        }
        String url = endpoint.toString();
        if (!url.startsWith("https://") || url.length() <= "https://".length()) {
            throw error(name + ".endpoint must be an https:// URL (EventBridge API destinations call HTTPS only), was '"
                    + url + "'");
        }
        String secretRef = secret.toString();
        if (!SECRET.matcher(secretRef).matches()) {
            throw error(name + ".connectionSecretArn must be a Secrets Manager secret ARN or name, was '" + secretRef
                    + "'");
        }
        String header = String.valueOf(values.getOrDefault("authHeader", DEFAULT_AUTH_HEADER));
        if (!HEADER.matcher(header).matches()) {
            throw error(name + ".authHeader must be an HTTP header name, was '" + header + "'");
        }
        int rate = values.containsKey("rateLimitPerSecond")
                ? integer(values.get("rateLimitPerSecond"), name + ".rateLimitPerSecond") : DEFAULT_RATE_LIMIT;
        if (rate < 1 || rate > MAX_RATE_LIMIT) {
            throw error(name + ".rateLimitPerSecond must be 1 to " + MAX_RATE_LIMIT + " (EventBridge's range), was "
                    + rate);
        }
        return new Partner(id, List.copyOf(accounts), Optional.of(new Webhook(url, secretRef, header, rate)));
    }

    private static int integer(Object value, String name) {
        if (value instanceof Integer i) {
            return i;
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw error(name + " must be a whole number, was '" + value + "'");
        }
    }

    private static StageConfigException error(String message) {
        return new StageConfigException("context " + message);
    }
}

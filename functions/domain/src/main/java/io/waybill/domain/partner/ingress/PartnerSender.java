package io.waybill.domain.partner.ingress;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A partner as a sender of events to Waybill's partner bus (master data, beside its egress registration): the AWS
 * accounts its events come from, the event sources it may use, the ONE adapter its messages are normalised with, and
 * the detail-types it may send. Identity is the pair (account, source): EventBridge sets {@code account} (the
 * sender's account, which the sender cannot choose); the source must be one registered for that account's partner.
 *
 * @param partnerId   the partner's id; the second segment of the raw record's {@code wb_route}, so it has only the
 *                    characters a route's producer may have ({@value #PARTNER_ID})
 * @param accounts    the 12-digit AWS account ids it sends from (at least one)
 * @param sources     the EventBridge {@code source} values it uses, e.g. {@code partner.3pl.swiftlog} (at least one)
 * @param adapter     the adapter its events are normalised with ({@code swiftlog} for the 3PL, {@code asn} for a
 *                    supplier): the first segment of {@code wb_route}
 * @param detailTypes the EventBridge {@code detail-type}s it may send (at least one)
 */
public record PartnerSender(String partnerId, Set<String> accounts, Set<String> sources, String adapter,
                            Set<String> detailTypes) {
    /** The characters of a route's producer (as {@code RecordNormalizer} accepts them), at most 128. */
    public static final String PARTNER_ID = "[A-Za-z0-9._:-]{1,128}";
    private static final Pattern PARTNER_ID_PATTERN = Pattern.compile(PARTNER_ID);
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    public PartnerSender {
        Objects.requireNonNull(partnerId, "partnerId");
        Objects.requireNonNull(adapter, "adapter");
        if (!PARTNER_ID_PATTERN.matcher(partnerId).matches()) {
            throw new IllegalArgumentException("partner id '" + partnerId + "' must match " + PARTNER_ID);
        }
        accounts = Set.copyOf(accounts);
        sources = Set.copyOf(sources);
        detailTypes = Set.copyOf(detailTypes);
        if (accounts.isEmpty() || sources.isEmpty() || detailTypes.isEmpty() || adapter.isBlank()) {
            throw new IllegalArgumentException("partner " + partnerId
                    + ": an ingress registration names accounts, sources, an adapter and detail-types");
        }
        for (String a : accounts) {
            if (!ACCOUNT.matcher(a).matches()) {
                throw new IllegalArgumentException("partner " + partnerId + ": account '" + a + "' is not 12 digits");
            }
        }
    }

    /** Whether an event from {@code account} with {@code source} is this partner's. */
    public boolean sends(String account, String source) {
        return accounts.contains(account) && sources.contains(source);
    }
}

package io.waybill.aws.partner;

import io.waybill.domain.partner.DeliveryPolicy;
import io.waybill.domain.partner.PartnerEgress;

import java.util.Map;
import java.util.Objects;

import static io.waybill.aws.FunctionEnvironment.duration;
import static io.waybill.aws.FunctionEnvironment.integer;
import static io.waybill.aws.FunctionEnvironment.required;

/**
 * The partner egress function's settings, read from the environment in one place.
 *
 * @param eventBus       {@value #EVENT_BUS}: the partner bus's name or ARN (required)
 * @param source         {@value #SOURCE}: the entries' {@code Source} (default {@value PartnerEgress#DEFAULT_SOURCE})
 * @param table          {@value #TABLE}: the partner table, {@link PartnerTables} (required)
 * @param deadLetterQueue {@value #DEAD_LETTER_QUEUE_URL}: where undeliverable entries go (required)
 * @param delivery       {@value #MAX_ATTEMPTS} (5), {@value #BACKOFF_BASE} (PT0.1S), {@value #BACKOFF_CAP} (PT5S)
 * @param retentionDays  {@value #RETENTION_DAYS} ({@value #DEFAULT_RETENTION_DAYS}): days a kept event or settled
 *                       marker stays in the partner table before its TTL ({@link PartnerTables#EXPIRES_AT})
 */
public record PartnerEgressEnvironment(String eventBus, String source, String table, String deadLetterQueue,
                                       DeliveryPolicy delivery, int retentionDays) {
    public static final String EVENT_BUS = "WAYBILL_PARTNER_BUS";
    public static final String SOURCE = "WAYBILL_PARTNER_SOURCE";
    public static final String TABLE = "WAYBILL_PARTNER_TABLE";
    public static final String DEAD_LETTER_QUEUE_URL = "WAYBILL_PARTNER_DLQ_URL";
    public static final String MAX_ATTEMPTS = "WAYBILL_PARTNER_MAX_ATTEMPTS";
    public static final String BACKOFF_BASE = "WAYBILL_PARTNER_BACKOFF_BASE";
    public static final String BACKOFF_CAP = "WAYBILL_PARTNER_BACKOFF_CAP";
    public static final String RETENTION_DAYS = "WAYBILL_PARTNER_RETENTION_DAYS";
    /**
     * 35 days: a settled marker must outlive every way the same event can come back to egress. EventBridge retries a
     * target for at most 24 h (then its DLQ), and we assume an archive replay window of 30 days (the bus archive's
     * retention, from which an operator may replay); 30 d + 1 d + a few days' margin for a redrive from the DLQ. A
     * kept (held) event waits for a party that usually arrives within the trip; one still unmatched after 35 days is
     * dropped with the rest.
     */
    public static final int DEFAULT_RETENTION_DAYS = 35;

    public PartnerEgressEnvironment {
        Objects.requireNonNull(eventBus, EVENT_BUS);
        Objects.requireNonNull(source, SOURCE);
        Objects.requireNonNull(table, TABLE);
        Objects.requireNonNull(deadLetterQueue, DEAD_LETTER_QUEUE_URL);
        Objects.requireNonNull(delivery, "delivery");
        if (retentionDays < 1) {
            throw new IllegalArgumentException(RETENTION_DAYS + " must be at least 1: " + retentionDays);
        }
    }

    /** Settings with the default retention ({@value #DEFAULT_RETENTION_DAYS} days). */
    public PartnerEgressEnvironment(String eventBus, String source, String table, String deadLetterQueue,
                                    DeliveryPolicy delivery) {
        this(eventBus, source, table, deadLetterQueue, delivery, DEFAULT_RETENTION_DAYS);
    }

    public java.time.Duration retention() {
        return java.time.Duration.ofDays(retentionDays);
    }

    /** @throws IllegalArgumentException naming the variable that is missing or invalid */
    public static PartnerEgressEnvironment fromEnvironment(Map<String, String> env) {
        String source = env.getOrDefault(SOURCE, "").isBlank() ? PartnerEgress.DEFAULT_SOURCE : env.get(SOURCE).trim();
        DeliveryPolicy delivery;
        int retentionDays;
        try {
            retentionDays = integer(env, RETENTION_DAYS, DEFAULT_RETENTION_DAYS);
            delivery = new DeliveryPolicy(integer(env, MAX_ATTEMPTS, DeliveryPolicy.DEFAULT_MAX_ATTEMPTS),
                    duration(env, BACKOFF_BASE, DeliveryPolicy.DEFAULT_BASE),
                    duration(env, BACKOFF_CAP, DeliveryPolicy.DEFAULT_CAP));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("WAYBILL_PARTNER_*: " + e.getMessage(), e);
        }
        return new PartnerEgressEnvironment(required(env, EVENT_BUS), source, required(env, TABLE),
                required(env, DEAD_LETTER_QUEUE_URL), delivery, retentionDays);
    }
}

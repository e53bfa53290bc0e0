package io.waybill.aws.partner;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import static io.waybill.aws.FunctionEnvironment.duration;
import static io.waybill.aws.FunctionEnvironment.required;

/**
 * The partner ingress function's settings, read from the environment in one place.
 *
 * @param table           {@value #TABLE}: the partner table, {@link PartnerTables} (required)
 * @param stream          {@value #INGEST_STREAM}: the ingest (telemetry) stream's name (required)
 * @param deadLetterQueue {@value #DEAD_LETTER_QUEUE_URL}: where refused events go (required)
 * @param bus             {@value #BUS}: the partner bus's name, written on refused events as their origin (optional)
 * @param senderCacheTtl  {@value #SENDER_CACHE_TTL}: how long master data is reused (default 60 s,
 *                        {@link DynamoDbSenderDirectory#DEFAULT_TTL})
 */
public record PartnerIngressEnvironment(String table, String stream, String deadLetterQueue, String bus,
                                        Duration senderCacheTtl) {
    public static final String TABLE = PartnerEgressEnvironment.TABLE;
    public static final String INGEST_STREAM = "WAYBILL_INGEST_STREAM_NAME";
    public static final String DEAD_LETTER_QUEUE_URL = "WAYBILL_PARTNER_INGRESS_DLQ_URL";
    public static final String BUS = PartnerEgressEnvironment.EVENT_BUS;
    public static final String SENDER_CACHE_TTL = "WAYBILL_PARTNER_SENDER_TTL";

    public PartnerIngressEnvironment {
        Objects.requireNonNull(table, TABLE);
        Objects.requireNonNull(stream, INGEST_STREAM);
        Objects.requireNonNull(deadLetterQueue, DEAD_LETTER_QUEUE_URL);
        Objects.requireNonNull(senderCacheTtl, SENDER_CACHE_TTL);
        if (senderCacheTtl.isNegative()) {
            throw new IllegalArgumentException(SENDER_CACHE_TTL + " must not be negative");
        }
    }

    /** @throws IllegalArgumentException naming the variable that is missing or invalid */
    public static PartnerIngressEnvironment fromEnvironment(Map<String, String> env) {
        String bus = env.getOrDefault(BUS, "").isBlank() ? null : env.get(BUS).trim();
        return new PartnerIngressEnvironment(required(env, TABLE), required(env, INGEST_STREAM),
                required(env, DEAD_LETTER_QUEUE_URL), bus,
                duration(env, SENDER_CACHE_TTL, DynamoDbSenderDirectory.DEFAULT_TTL));
    }
}

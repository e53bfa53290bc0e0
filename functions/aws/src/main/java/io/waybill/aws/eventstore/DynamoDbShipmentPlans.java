package io.waybill.aws.eventstore;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.decision.ShipmentPlans;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ShipmentPlans} over the shipment projection table ({@link ShipmentItem#getPlanProductClass()}), cached per
 * execution environment for {@code cacheTtl} like the device registry's reads: a new plan or a revision (and a plan
 * arriving for a shipment that had none) takes effect within it. The absence of a plan is cached too, for the same
 * time. At most {@value #MAX_CACHED} shipments are cached; beyond that the cache starts again. Reads are strongly
 * consistent; a failed read is the caller's dependency failure ({@link DependencyFailures#classify}): a shipment is
 * never judged without its plan.
 */
public final class DynamoDbShipmentPlans implements ShipmentPlans {
    /** 60 s, as {@code DynamoDbDeviceRegistry.DEFAULT_CACHE_TTL}: plans change rarely, and a minute's delay is fine. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    /** Cached shipments per execution environment (a few hundred bytes each). */
    public static final int MAX_CACHED = 10_000;

    private final DynamoDbTable<ShipmentItem> table;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<String> productClass, Instant loadedAt) {
    }

    public DynamoDbShipmentPlans(DynamoDbEnhancedClient client, String shipmentsTable, Duration cacheTtl, Clock clock) {
        this.table = client.table(Objects.requireNonNull(shipmentsTable, "shipmentsTable"),
                DynamoDbShipmentStateStore.SCHEMA);
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** With {@link #DEFAULT_CACHE_TTL} and the system clock. */
    public DynamoDbShipmentPlans(DynamoDbEnhancedClient client, String shipmentsTable) {
        this(client, shipmentsTable, DEFAULT_CACHE_TTL, Clock.systemUTC());
    }

    @Override
    public Optional<String> productClassOf(String sscc) {
        Instant now = clock.instant();
        Cached c = cache.get(sscc);
        if (c == null || !c.loadedAt.plus(cacheTtl).isAfter(now)) {
            c = new Cached(load(sscc), now);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(sscc, c);
        }
        return c.productClass;
    }

    private Optional<String> load(String sscc) {
        try {
            ShipmentItem item = table.getItem(GetItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(sscc).build()).consistentRead(true).build());
            return item == null ? Optional.empty() : Optional.ofNullable(item.getPlanProductClass());
        } catch (SdkException e) {
            throw DependencyFailures.classify("shipment plans " + table.tableName(), e);
        }
    }
}

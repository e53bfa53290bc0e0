package io.waybill.aws.devices;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceRegistry;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.time.SortableTime;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device registry on DynamoDB (item layout: {@link DeviceRegistryItem}), for ingest (the {@link DeviceRegistry}
 * port, cached) and for administration ({@code ./waybill devices}, the provisioning hook: uncached).
 *
 * <p>Ingest's reads are cached per execution environment for {@code cacheTtl}: a revocation or a new assignment
 * reaches a warm function within it (the broker refuses a revoked certificate at once; this is the second line). A
 * caller re-reads with {@code fresh} before it rejects a record for a missing registration or assignment. Reads are
 * strongly consistent. Any failure to read is transient for the batch: identity is never decided without the registry.
 */
public final class DynamoDbDeviceRegistry implements DeviceRegistry {
    /** Default cache time for ingest's reads. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    public static final String DEVICE_PREFIX = "device#";
    public static final String SEQUENCE_PREFIX = "seq#";
    static final String PROFILE = "profile";
    /** Sort key of a device's last-seen item, in its {@code seq#} partition (ingest may write only there). */
    public static final String SEEN = "seen";
    static final String ASSIGNMENT_PREFIX = "assign#";
    public static final TableSchema<DeviceRegistryItem> SCHEMA = TableSchema.fromBean(DeviceRegistryItem.class);

    private final DynamoDbTable<DeviceRegistryItem> table;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(RegisteredDevice device, Instant loadedAt) {
    }

    /** A thing registered twice, or an operation on a thing that is not registered. */
    public static final class RegistryConflictException extends RuntimeException {
        public RegistryConflictException(String message) {
            super(message);
        }
    }

    public DynamoDbDeviceRegistry(DynamoDbClient dynamo, String tableName, Duration cacheTtl, Clock clock) {
        this.table = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build().table(tableName, SCHEMA);
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String tableName() {
        return table.tableName();
    }

    @Override
    public Map<String, RegisteredDevice> find(Set<String> things, boolean fresh) {
        Map<String, RegisteredDevice> found = new HashMap<>();
        Instant now = clock.instant();
        for (String thing : things) {
            Cached c = fresh ? null : cache.get(thing);
            if (c == null || c.loadedAt.plus(cacheTtl).isBefore(now)) {
                c = new Cached(load(thing).orElse(null), now);
                cache.put(thing, c);
            }
            if (c.device != null) {
                found.put(thing, c.device);
            }
        }
        return found;
    }

    @Override
    public void advanceSequences(Map<String, Map<String, Long>> highest) {
        for (Map.Entry<String, Map<String, Long>> thing : highest.entrySet()) {
            for (Map.Entry<String, Long> key : thing.getValue().entrySet()) {
                DeviceRegistryItem item = new DeviceRegistryItem();
                item.setPk(SEQUENCE_PREFIX + thing.getKey());
                item.setSk(key.getKey());
                item.setLastSeq(key.getValue());
                try {
                    table.updateItem(UpdateItemEnhancedRequest.builder(DeviceRegistryItem.class).item(item)
                            .ignoreNulls(true)
                            .conditionExpression(Expression.builder()
                                    .expression("attribute_not_exists(#s) OR #s < :s")
                                    .putExpressionName("#s", "lastSeq")
                                    .putExpressionValue(":s", AttributeValue.fromN(Long.toString(key.getValue())))
                                    .build())
                            .build());
                } catch (ConditionalCheckFailedException e) {
                    // already as high or higher: nothing to do
                } catch (SdkException e) {
                    throw DependencyFailures.classify("device registry " + table.tableName(), e);
                }
                cache.computeIfPresent(thing.getKey(), (k, c) -> c.device == null ? c
                        : new Cached(withSequence(c.device, key.getKey(), key.getValue()), c.loadedAt));
            }
        }
    }

    @Override
    public void recordSeen(Map<String, Instant> latestArrival) {
        for (Map.Entry<String, Instant> e : latestArrival.entrySet()) {
            String at = SortableTime.format(e.getValue());
            try {
                table.updateItem(UpdateItemEnhancedRequest.builder(DeviceRegistryItem.class).item(seen(e.getKey(), at))
                        .ignoreNulls(true)
                        .conditionExpression(Expression.builder()
                                .expression("attribute_not_exists(#t) OR #t < :t")
                                .putExpressionName("#t", "lastSeenAt")
                                .putExpressionValue(":t", AttributeValue.fromS(at))
                                .build())
                        .build());
            } catch (ConditionalCheckFailedException ignored) {
                // seen as late or later already
            } catch (SdkException ex) {
                throw DependencyFailures.classify("device registry " + table.tableName(), ex);
            }
        }
    }

    private static DeviceRegistryItem seen(String thing, String at) {
        DeviceRegistryItem item = new DeviceRegistryItem();
        item.setPk(SEQUENCE_PREFIX + thing);
        item.setSk(SEEN);
        item.setLastSeenAt(at);
        return item;
    }

    /** The device as stored now (no cache). */
    public Optional<RegisteredDevice> get(String thing) {
        return load(thing);
    }

    /**
     * Registers a device.
     *
     * @param replace false: refuse a thing that is registered already
     * @throws RegistryConflictException when it is registered and {@code replace} is false
     */
    public void register(RegisteredDevice device, boolean replace) {
        DeviceRegistryItem item = new DeviceRegistryItem();
        item.setPk(DEVICE_PREFIX + device.thing());
        item.setSk(PROFILE);
        item.setThing(device.thing());
        item.setAdapter(device.adapter());
        item.setStatus(device.status().name());
        item.setScope(device.scope().name());
        Map<String, String> keys = new TreeMap<>();
        device.keys().forEach((kid, key) -> keys.put(kid, DeviceKeys.encodePublic(key)));
        item.setKeys(keys.isEmpty() ? null : keys);
        item.setRegisteredAt((device.registeredAt() != null ? device.registeredAt() : clock.instant()).toString());
        PutItemEnhancedRequest.Builder<DeviceRegistryItem> put = PutItemEnhancedRequest.builder(DeviceRegistryItem.class)
                .item(item);
        if (!replace) {
            put.conditionExpression(Expression.builder().expression("attribute_not_exists(pk)").build());
        }
        try {
            table.putItem(put.build());
        } catch (ConditionalCheckFailedException e) {
            throw new RegistryConflictException("thing '" + device.thing() + "' is registered already");
        } catch (SdkException e) {
            throw DependencyFailures.classify("device registry " + table.tableName(), e);
        }
        for (ShipmentAssignment a : device.assignments()) {
            assign(device.thing(), a);
        }
        cache.remove(device.thing());
    }

    /**
     * Assigns a registered device to a shipment for a window.
     *
     * @throws RegistryConflictException when the thing is not registered
     */
    public void assign(String thing, ShipmentAssignment assignment) {
        requireRegistered(thing);
        DeviceRegistryItem item = new DeviceRegistryItem();
        item.setPk(DEVICE_PREFIX + thing);
        item.setSk(ASSIGNMENT_PREFIX + assignment.sscc() + "#" + assignment.from());
        item.setSscc(assignment.sscc());
        item.setFrom(assignment.from().toString());
        item.setUntil(assignment.until() == null ? null : assignment.until().toString());
        try {
            table.putItem(item);
        } catch (SdkException e) {
            throw DependencyFailures.classify("device registry " + table.tableName(), e);
        }
        cache.remove(thing);
    }

    /** @return whether there was such an assignment */
    public boolean unassign(String thing, String sscc, Instant from) {
        try {
            DeviceRegistryItem gone = table.deleteItem(Key.builder().partitionValue(DEVICE_PREFIX + thing)
                    .sortValue(ASSIGNMENT_PREFIX + sscc + "#" + from).build());
            cache.remove(thing);
            return gone != null;
        } catch (SdkException e) {
            throw DependencyFailures.classify("device registry " + table.tableName(), e);
        }
    }

    /**
     * Marks a device revoked (its certificate is revoked separately, at the broker).
     *
     * @throws RegistryConflictException when the thing is not registered
     */
    public void revoke(String thing, Instant at) {
        DeviceRegistryItem item = new DeviceRegistryItem();
        item.setPk(DEVICE_PREFIX + thing);
        item.setSk(PROFILE);
        item.setStatus(DeviceStatus.REVOKED.name());
        item.setRevokedAt(at.toString());
        try {
            table.updateItem(UpdateItemEnhancedRequest.builder(DeviceRegistryItem.class).item(item).ignoreNulls(true)
                    .conditionExpression(Expression.builder().expression("attribute_exists(pk)").build()).build());
        } catch (ConditionalCheckFailedException e) {
            throw new RegistryConflictException("thing '" + thing + "' is not registered");
        } catch (SdkException e) {
            throw DependencyFailures.classify("device registry " + table.tableName(), e);
        }
        cache.remove(thing);
    }

    /** Every registered device, by thing name (a scan: for administration, not for ingest). */
    public List<RegisteredDevice> list() {
        Map<String, List<DeviceRegistryItem>> byThing = new LinkedHashMap<>();
        try {
            table.scan().items().forEach(i -> {
                String pk = i.getPk();
                String thing = pk.startsWith(DEVICE_PREFIX) ? pk.substring(DEVICE_PREFIX.length())
                        : pk.substring(SEQUENCE_PREFIX.length());
                byThing.computeIfAbsent(thing, k -> new ArrayList<>()).add(i);
            });
        } catch (SdkException e) {
            throw DependencyFailures.classify("device registry " + table.tableName(), e);
        }
        List<RegisteredDevice> devices = new ArrayList<>();
        byThing.forEach((thing, items) -> toDevice(thing, items).ifPresent(devices::add));
        devices.sort(Comparator.comparing(RegisteredDevice::thing));
        return devices;
    }

    private void requireRegistered(String thing) {
        try {
            if (table.getItem(r -> r.key(Key.builder().partitionValue(DEVICE_PREFIX + thing).sortValue(PROFILE).build())
                    .consistentRead(true)) == null) {
                throw new RegistryConflictException("thing '" + thing + "' is not registered");
            }
        } catch (SdkException e) {
            throw DependencyFailures.classify("device registry " + table.tableName(), e);
        }
    }

    private Optional<RegisteredDevice> load(String thing) {
        List<DeviceRegistryItem> items = new ArrayList<>();
        try {
            for (String pk : List.of(DEVICE_PREFIX + thing, SEQUENCE_PREFIX + thing)) {
                table.query(QueryEnhancedRequest.builder()
                                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(pk).build()))
                                .consistentRead(true).build())
                        .items().forEach(items::add);
            }
        } catch (SdkException e) {
            // Identity is never decided without the registry, whatever the error: the batch waits.
            throw new TransientDependencyException("device registry " + table.tableName(), e.getMessage(), e);
        }
        return toDevice(thing, items);
    }

    private static Optional<RegisteredDevice> toDevice(String thing, List<DeviceRegistryItem> items) {
        DeviceRegistryItem profile = null;
        List<ShipmentAssignment> assignments = new ArrayList<>();
        Map<String, Long> sequences = new HashMap<>();
        for (DeviceRegistryItem i : items) {
            if (i.getPk().startsWith(SEQUENCE_PREFIX)) {
                if (i.getLastSeq() != null) {
                    sequences.put(i.getSk(), i.getLastSeq());
                }
            } else if (PROFILE.equals(i.getSk())) {
                profile = i;
            } else if (i.getSk().startsWith(ASSIGNMENT_PREFIX)) {
                assignments.add(new ShipmentAssignment(i.getSscc(), Instant.parse(i.getFrom()),
                        i.getUntil() == null ? null : Instant.parse(i.getUntil())));
            }
        }
        if (profile == null) {
            return Optional.empty();
        }
        Map<String, ECPublicKey> keys = new HashMap<>();
        if (profile.getKeys() != null) {
            profile.getKeys().forEach((kid, key) -> keys.put(kid, DeviceKeys.decodePublic(key)));
        }
        return Optional.of(new RegisteredDevice(thing, profile.getAdapter(), DeviceStatus.valueOf(profile.getStatus()),
                profile.getScope() == null ? DeviceScope.defaultFor(profile.getAdapter())
                        : DeviceScope.valueOf(profile.getScope()),
                keys, assignments, sequences,
                profile.getRegisteredAt() == null ? null : Instant.parse(profile.getRegisteredAt())));
    }

    private static RegisteredDevice withSequence(RegisteredDevice d, String kid, long seq) {
        Map<String, Long> s = new HashMap<>(d.lastSequence());
        s.merge(kid, seq, Math::max);
        return new RegisteredDevice(d.thing(), d.adapter(), d.status(), d.scope(), d.keys(), d.assignments(), s,
                d.registeredAt());
    }
}

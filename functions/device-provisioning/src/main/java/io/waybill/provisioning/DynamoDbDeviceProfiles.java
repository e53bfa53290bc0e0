package io.waybill.provisioning;

import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceStatus;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.security.interfaces.ECPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A profile read from the device registry table: one strongly consistent {@code GetItem} of {@code pk = device#<thing>},
 * {@code sk = profile}, projecting {@code thing}, {@code adapter}, {@code status} and {@code keys} (the hook's role may
 * do nothing else on the table). Strongly consistent: a device revoked a moment ago is not provisioned from a stale replica.
 * (The shared {@code io.waybill.aws.devices.DynamoDbDeviceRegistry#get} reads the same item, but with two Queries of
 * the device's and its sequences' partitions: the hook's role may only {@code GetItem} one profile, and one small read
 * keeps its jar and cold start small, which matters: AWS IoT gives the hook 5 seconds. A test reads an item written
 * with that adapter's bean.)
 */
public final class DynamoDbDeviceProfiles implements DeviceProfiles {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String PROFILE_SK = "profile";
    static final String DEVICE_PREFIX = "device#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbDeviceProfiles(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public Optional<DeviceProfile> find(String thing) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(GetItemRequest.builder()
                    .tableName(table)
                    .key(Map.of(PK, AttributeValue.fromS(DEVICE_PREFIX + thing), SK, AttributeValue.fromS(PROFILE_SK)))
                    .consistentRead(true)
                    .projectionExpression("#t, adapter, #s, #k")
                    .expressionAttributeNames(Map.of("#t", "thing", "#s", "status", "#k", "keys"))
                    .build()).item();
        } catch (SdkException e) {
            throw new RegistryUnavailableException(thing, "cannot read the device registry " + table, e);
        }
        return fromItem(thing, item);
    }

    /** The profile an item describes; empty for no item. A malformed profile is an error, never a device. */
    static Optional<DeviceProfile> fromItem(String thing, Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String adapter = string(item, "adapter");
        String status = string(item, "status");
        if (adapter == null || adapter.isBlank() || status == null) {
            throw new RegistryUnavailableException(thing, "registry profile of " + thing
                    + " lacks adapter or status", null);
        }
        DeviceStatus parsed;
        try {
            parsed = DeviceStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new RegistryUnavailableException(thing, "registry profile of " + thing + " has unknown status "
                    + status, e);
        }
        return Optional.of(new DeviceProfile(thing, adapter, parsed, keys(thing, item.get("keys"))));
    }

    /** {@code keys}: a map of key id to base64 SPKI DER of a P-256 key; absent or empty for a device without keys. */
    private static Map<String, ECPublicKey> keys(String thing, AttributeValue keys) {
        if (keys == null || Boolean.TRUE.equals(keys.nul())) {
            return Map.of();
        }
        if (!keys.hasM()) {
            throw new RegistryUnavailableException(thing, "registry profile of " + thing + " has keys that are not a map",
                    null);
        }
        Map<String, ECPublicKey> decoded = new LinkedHashMap<>();
        keys.m().forEach((kid, key) -> {
            if (key.s() == null) {
                throw new RegistryUnavailableException(thing, "registry profile of " + thing + " has key " + kid
                        + " that is not a string", null);
            }
            try {
                decoded.put(kid, DeviceKeys.decodePublic(key.s()));
            } catch (IllegalArgumentException e) {
                throw new RegistryUnavailableException(thing, "registry profile of " + thing + " has key " + kid
                        + " that is not a P-256 public key", e);
            }
        });
        return decoded;
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}

package io.waybill.opsapi.aws;

import io.waybill.aws.coldchain.DynamoDbEvidenceStore;
import io.waybill.aws.devices.DeviceRegistryItem;
import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.domain.coldchain.SequenceLedger;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.opsapi.DeviceReadModel;
import io.waybill.opsapi.Page;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Devices from the device registry table ({@link DeviceRegistryItem}).
 * <ul>
 *   <li>List: a Scan of the registry paged by {@link KeyPager} (at most its rounds of 100 items per request), keeping
 *       the profile items (and the status asked for), then one BatchGetItem of the page's last-seen items
 *       ({@code seq#<thing>} / {@code seen}, written by ingest once per batch).</li>
 *   <li>One: a Query of {@code device#<thing>} (profile, assignments) and one of {@code seq#<thing>} (signing
 *       sequences, last seen); then, when the evidence table is configured, the cold chain's standing of each of the
 *       {@value #GAP_SHIPMENTS} most recently assigned shipments (one GetItem each), whose sequence ledger for this
 *       producer (the thing name is the producer id of its events' source) names the missing sequence numbers.</li>
 * </ul>
 */
public final class DynamoDbDeviceReadModel implements DeviceReadModel {
    /** How many of a device's most recent assignments are read for sequence gaps (one GetItem each). */
    public static final int GAP_SHIPMENTS = 10;
    private static final String PK = DynamoDbDeviceRegistry.SCHEMA.tableMetadata().primaryPartitionKey();
    private static final String SK = DynamoDbDeviceRegistry.SCHEMA.tableMetadata().primarySortKey().orElseThrow();
    private static final String PROFILE = "profile";
    private static final String ASSIGNMENT_PREFIX = "assign#";

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final DynamoDbEvidenceStore evidence;

    /** @param evidence the cold chain's evidence store, or null: no sequence gaps */
    public DynamoDbDeviceReadModel(DynamoDbClient dynamo, String tableName, DynamoDbEvidenceStore evidence) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.evidence = evidence;
    }

    @Override
    public Page<Summary> list(DeviceStatus status, String pageToken, int limit) {
        try {
            Page<DeviceRegistryItem> profiles = KeyPager.page((start, n) -> {
                        ScanResponse r = dynamo.scan(b -> b.tableName(tableName).limit(n).exclusiveStartKey(start));
                        return new KeyPager.Round(r.items(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
                    }, DynamoDbDeviceRegistry.SCHEMA::mapToItem,
                    i -> PROFILE.equals(i.getSk()) && (status == null || status.name().equals(i.getStatus())),
                    Set.of(PK, SK), "devices|" + status, pageToken, limit);
            Map<String, Instant> seen = lastSeen(profiles.items().stream().map(DeviceRegistryItem::getThing).toList());
            List<Summary> out = new ArrayList<>();
            for (DeviceRegistryItem p : profiles.items()) {
                out.add(summary(p, seen.get(p.getThing())));
            }
            return new Page<>(out, profiles.nextPageToken());
        } catch (SdkException e) {
            throw new TransientDependencyException("device registry " + tableName, e.getMessage(), e);
        }
    }

    @Override
    public Optional<Detail> find(String deviceId) {
        try {
            DeviceRegistryItem profile = null;
            List<ShipmentAssignment> assignments = new ArrayList<>();
            for (DeviceRegistryItem i : partition(DynamoDbDeviceRegistry.DEVICE_PREFIX + deviceId)) {
                if (PROFILE.equals(i.getSk())) {
                    profile = i;
                } else if (i.getSk().startsWith(ASSIGNMENT_PREFIX)) {
                    assignments.add(new ShipmentAssignment(i.getSscc(), Instant.parse(i.getFrom()),
                            i.getUntil() == null ? null : Instant.parse(i.getUntil())));
                }
            }
            if (profile == null) {
                return Optional.empty();
            }
            Map<String, Long> sequences = new TreeMap<>();
            Instant lastSeen = null;
            for (DeviceRegistryItem i : partition(DynamoDbDeviceRegistry.SEQUENCE_PREFIX + deviceId)) {
                if (DynamoDbDeviceRegistry.SEEN.equals(i.getSk()) && i.getLastSeenAt() != null) {
                    lastSeen = Instant.parse(i.getLastSeenAt());
                } else if (i.getLastSeq() != null) {
                    sequences.put(i.getSk(), i.getLastSeq());
                }
            }
            assignments.sort(Comparator.comparing(ShipmentAssignment::from).reversed());
            List<SequenceGap> gaps = null;
            int checked = 0;
            if (evidence != null) {
                gaps = new ArrayList<>();
                List<String> ssccs = assignments.stream().map(ShipmentAssignment::sscc).distinct()
                        .limit(GAP_SHIPMENTS).toList();
                for (String sscc : ssccs) {
                    checked++;
                    SequenceLedger ledger = evidence.exposure(sscc).map(ShipmentExposure::sequences)
                            .map(m -> m.get(deviceId)).orElse(null);
                    if (ledger != null) {
                        for (long[] g : ledger.gaps()) {
                            gaps.add(new SequenceGap(sscc, g[0], g[1]));
                        }
                    }
                }
            }
            return Optional.of(new Detail(summary(profile, lastSeen), assignments, sequences, gaps, checked));
        } catch (SdkException e) {
            throw new TransientDependencyException("device registry " + tableName, e.getMessage(), e);
        }
    }

    private List<DeviceRegistryItem> partition(String pk) {
        List<DeviceRegistryItem> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = dynamo.query(b -> b.tableName(tableName).keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))).exclusiveStartKey(from));
            r.items().forEach(i -> items.add(DynamoDbDeviceRegistry.SCHEMA.mapToItem(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /** The page's last-seen items in one BatchGetItem (unprocessed keys asked again, at most three times). */
    private Map<String, Instant> lastSeen(List<String> things) {
        Map<String, Instant> out = new HashMap<>();
        if (things.isEmpty()) {
            return out;
        }
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String t : things) {
            keys.add(Map.of(PK, AttributeValue.fromS(DynamoDbDeviceRegistry.SEQUENCE_PREFIX + t),
                    SK, AttributeValue.fromS(DynamoDbDeviceRegistry.SEEN)));
        }
        Map<String, KeysAndAttributes> request = Map.of(tableName, KeysAndAttributes.builder().keys(keys).build());
        for (int attempt = 0; attempt < 3 && !request.isEmpty(); attempt++) {
            Map<String, KeysAndAttributes> ask = request;
            BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(ask));
            r.responses().getOrDefault(tableName, List.of()).forEach(item -> {
                DeviceRegistryItem i = DynamoDbDeviceRegistry.SCHEMA.mapToItem(item);
                if (i.getLastSeenAt() != null) {
                    out.put(i.getPk().substring(DynamoDbDeviceRegistry.SEQUENCE_PREFIX.length()),
                            Instant.parse(i.getLastSeenAt()));
                }
            });
            request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
        }
        return out;
    }

    private static Summary summary(DeviceRegistryItem p, Instant lastSeen) {
        return new Summary(p.getThing(), p.getAdapter(), DeviceStatus.valueOf(p.getStatus()),
                p.getScope() == null ? DeviceScope.defaultFor(p.getAdapter()) : DeviceScope.valueOf(p.getScope()),
                p.getRegisteredAt() == null ? null : Instant.parse(p.getRegisteredAt()),
                p.getRevokedAt() == null ? null : Instant.parse(p.getRevokedAt()), lastSeen);
    }
}

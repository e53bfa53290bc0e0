package io.waybill.aws.coldchain;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.coldchain.TimelineMark;
import io.waybill.domain.decision.EvidenceArrival;
import io.waybill.domain.decision.EvidenceStore;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.ingestion.TransientDependencyException;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The exposure table ({@link EvidenceItem}): evidence per shipment, keyed along each probe's time line, and each
 * shipment's standing with its running exposure.
 * <ul>
 *   <li>{@link #storeNew}: a conditional PutItem per piece ({@code attribute_not_exists}), so a piece is stored once
 *       with {@code applied = false}; a piece already there is read back (consistent) for its flag.</li>
 *   <li>{@link #saveExposure}: one PutItem of the standing, conditional on the version read.</li>
 *   <li>{@link #markApplied}: an UpdateItem per piece setting {@code applied}.</li>
 *   <li>{@link #nearest}: a Query along the probe's keys from the late piece's key, forwards or backwards, pages of
 *       {@value #NEIGHBOUR_PAGE}, stopping at the first applied piece: one short read, whatever the trip's length.</li>
 * </ul>
 * Single-item conditional writes only: DynamoDB transactions would merge steps, but the local emulator (dynalite)
 * has none and the local stack runs this code.
 */
public final class DynamoDbEvidenceStore implements EvidenceStore {
    static final TableSchema<EvidenceItem> SCHEMA = TableSchema.fromBean(EvidenceItem.class);
    /** Items a neighbour Query reads per page. */
    static final int NEIGHBOUR_PAGE = 8;

    private final DynamoDbTable<EvidenceItem> table;

    public DynamoDbEvidenceStore(DynamoDbEnhancedClient client, String tableName) {
        this.table = client.table(tableName, SCHEMA);
    }

    @Override
    public List<ExposureEvidence> storeNew(String sscc, Collection<EvidenceArrival> evidence) {
        List<ExposureEvidence> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            for (EvidenceArrival a : evidence) {
                ExposureEvidence e = a.evidence();
                if (!seen.add(e.evidenceId())) {
                    continue;
                }
                EvidenceItem item = toItem(a);
                try {
                    table.putItem(PutItemEnhancedRequest.builder(EvidenceItem.class).item(item)
                            .conditionExpression(Expression.builder().expression("attribute_not_exists(#k)")
                                    .expressionNames(Map.of("#k", "recordKey")).build()).build());
                    out.add(e);
                } catch (ConditionalCheckFailedException stored) {
                    EvidenceItem existing = table.getItem(r -> r.key(key(sscc, item.getRecordKey()))
                            .consistentRead(true));
                    if (existing == null || !Boolean.TRUE.equals(existing.getApplied())) {
                        out.add(existing == null ? e : toEvidence(existing));
                    }
                }
            }
            return out;
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void markApplied(String sscc, Collection<ExposureEvidence> applied, Instant decidedAt) {
        try {
            for (ExposureEvidence e : applied) {
                EvidenceItem mark = new EvidenceItem();
                mark.setShipmentSscc(sscc);
                mark.setRecordKey(recordKey(e));
                mark.setApplied(true);
                mark.setDecidedAt(decidedAt.toString());
                table.updateItem(UpdateItemEnhancedRequest.builder(EvidenceItem.class).item(mark).ignoreNulls(true)
                        .build());
            }
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<Stored> loadAll(String sscc) {
        try {
            List<Stored> out = new ArrayList<>();
            table.query(r -> r.queryConditional(QueryConditional.sortBeginsWith(Key.builder()
                            .partitionValue(sscc).sortValue(EvidenceItem.EVIDENCE_PREFIX).build()))
                    .consistentRead(true))
                    .items().forEach(i -> out.add(new Stored(toEvidence(i), Boolean.TRUE.equals(i.getApplied()))));
            return out;
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<ShipmentExposure> exposure(String sscc) {
        try {
            return standing(sscc).filter(i -> i.getExposure() != null).map(i -> readExposure(i.getExposure(),
                    i.getVersion() == null ? 0 : i.getVersion()));
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean saveExposure(ShipmentExposure s, long expectedVersion) {
        EvidenceItem i = new EvidenceItem();
        i.setShipmentSscc(s.shipmentSscc());
        i.setRecordKey(EvidenceItem.STANDING_KEY);
        ShipmentExposure.Standing st = s.standing();
        i.setStatus(st.pending() ? "BREACH_PENDING" : st.status().name());
        i.setProductClass(s.productClass());
        i.setEdgeAttention(s.edgeAttention());
        i.setEvidenceCount(s.evidence());
        i.setDecidedAt(st.decidedAt() == null ? null : st.decidedAt().toString());
        i.setBreachSince(st.breachSince() == null ? null : st.breachSince().toString());
        i.setPendingBreach(st.pending() ? EvidenceItem.PENDING : null);
        i.setWorstProbe(st.worstProbe());
        i.setTorSeconds(st.torSeconds());
        i.setUnknownSeconds(st.unknownSeconds());
        i.setVersion(expectedVersion + 1);
        i.setExposure(writeExposure(s));
        Expression condition = expectedVersion == 0
                ? Expression.builder().expression("attribute_not_exists(#v) OR #v = :v")
                .expressionNames(Map.of("#v", "version"))
                .expressionValues(Map.of(":v", AttributeValue.fromN("0"))).build()
                : Expression.builder().expression("#v = :v").expressionNames(Map.of("#v", "version"))
                .expressionValues(Map.of(":v", AttributeValue.fromN(Long.toString(expectedVersion)))).build();
        try {
            table.putItem(PutItemEnhancedRequest.builder(EvidenceItem.class).item(i).conditionExpression(condition)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException conflict) {
            return false;
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<String> pendingBreaches() {
        try {
            List<String> out = new ArrayList<>();
            table.index(EvidenceItem.BY_PENDING_BREACH_INDEX).query(QueryConditional.keyEqualTo(Key.builder()
                    .partitionValue(EvidenceItem.PENDING).build()))
                    .forEach(page -> page.items().forEach(i -> out.add(i.getShipmentSscc())));
            return out;
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<TimelineMark> nearest(String sscc, String probeId, TimelineMark mark, boolean before,
                                          Predicate<String> appliedAnyway) {
        String probe = EvidenceItem.PRIMARY_PREFIX + escape(probeId) + "#";
        String at = probe + timelineKey(mark.start(), mark.celsius(), mark.evidenceId());
        QueryConditional range = before
                ? QueryConditional.sortBetween(Key.builder().partitionValue(sscc).sortValue(probe).build(),
                Key.builder().partitionValue(sscc).sortValue(at).build())
                : QueryConditional.sortBetween(Key.builder().partitionValue(sscc).sortValue(at).build(),
                Key.builder().partitionValue(sscc).sortValue(probe + "\uffff").build());
        try {
            Iterator<EvidenceItem> items = table.query(QueryEnhancedRequest.builder().queryConditional(range)
                    .scanIndexForward(!before).limit(NEIGHBOUR_PAGE).consistentRead(true).build()).items().iterator();
            while (items.hasNext()) {
                EvidenceItem i = items.next();
                if (i.getEvidenceId().equals(mark.evidenceId())) {
                    continue;
                }
                if (Boolean.TRUE.equals(i.getApplied()) || appliedAnyway.test(i.getEvidenceId())) {
                    return Optional.of(TimelineMark.of(toEvidence(i)));
                }
            }
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** The standing last saved for the shipment, if any (reports, the demo). */
    public Optional<EvidenceItem> standing(String shipmentSscc) {
        return Optional.ofNullable(table.getItem(r -> r.key(key(shipmentSscc, EvidenceItem.STANDING_KEY))
                .consistentRead(true)));
    }

    private static Key key(String sscc, String recordKey) {
        return Key.builder().partitionValue(sscc).sortValue(recordKey).build();
    }

    private TransientDependencyException unavailable(SdkException e) {
        return new TransientDependencyException("exposure table " + table.tableName(), e.getMessage(), e);
    }

    /** The evidence's key: along its probe's time line (primary evidence) or among its probe's reports. */
    static String recordKey(ExposureEvidence e) {
        if (!e.primary()) {
            return EvidenceItem.EXCURSION_PREFIX + escape(e.probeId()) + "#"
                    + String.format(Locale.ROOT, "%015d", e.start().toEpochMilli()) + "#" + e.evidenceId();
        }
        return EvidenceItem.PRIMARY_PREFIX + escape(e.probeId()) + "#"
                + timelineKey(e.start(), e.celsius(), e.evidenceId());
    }

    /**
     * Sorts as {@link TimelineMark#ORDER}: start (epoch ms, 15 digits; evidence times are after 1970), then celsius
     * (micro-degrees above -1000 °C, 12 digits), then id.
     */
    static String timelineKey(Instant start, double celsius, String evidenceId) {
        return String.format(Locale.ROOT, "%015d#%012d#%s", start.toEpochMilli(),
                Math.round((celsius + 1000.0) * 1_000_000.0), evidenceId);
    }

    /** A probe id inside a key: '#' and '%' escaped, so it cannot end early. */
    static String escape(String probeId) {
        return probeId.replace("%", "%25").replace("#", "%23");
    }

    static EvidenceItem toItem(EvidenceArrival a) {
        ExposureEvidence e = a.evidence();
        EvidenceItem i = new EvidenceItem();
        i.setBrokerTime(a.broker() == null ? null : a.broker().toString());
        i.setStreamTime(a.stream() == null ? null : a.stream().toString());
        i.setDecidedAt(a.decidedAt() == null ? null : a.decidedAt().toString());
        i.setShipmentSscc(e.shipmentSscc());
        i.setRecordKey(recordKey(e));
        i.setEvidenceId(e.evidenceId());
        i.setKind(e.kind().name());
        i.setDeviceId(e.deviceId());
        i.setProbeId(e.probeId());
        i.setProducerId(e.producerId());
        i.setSequence(e.sequence());
        i.setStart(e.start().toString());
        i.setEnd(e.end().toString());
        i.setCelsius(e.celsius());
        i.setMinCelsius(e.minCelsius());
        i.setMaxCelsius(e.maxCelsius());
        i.setReadingCount(e.readingCount());
        i.setEdgeSeverity(e.edgeSeverity());
        i.setApplied(false);
        if (e.statistics() != null) {
            try {
                i.setStatistics(CanonicalEventJson.MAPPER.writeValueAsString(e.statistics()));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("exposure statistics of " + e.evidenceId(), ex);
            }
        }
        return i;
    }

    static ExposureEvidence toEvidence(EvidenceItem i) {
        ExposureStatistics statistics = null;
        if (i.getStatistics() != null) {
            try {
                statistics = CanonicalEventJson.MAPPER.readValue(i.getStatistics(), ExposureStatistics.class);
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("exposure statistics of " + i.getEvidenceId() + " are unreadable", ex);
            }
        }
        double celsius = i.getCelsius();
        ExposureEvidence.Kind kind = ExposureEvidence.Kind.valueOf(i.getKind());
        return new ExposureEvidence(i.getEvidenceId(), i.getShipmentSscc(), i.getDeviceId(), kind,
                Instant.parse(i.getStart()), Instant.parse(i.getEnd()), celsius,
                i.getEdgeSeverity() == null ? 0 : i.getEdgeSeverity(),
                i.getProbeId() == null ? i.getDeviceId() : i.getProbeId(),
                i.getMinCelsius() == null ? celsius : i.getMinCelsius(),
                i.getMaxCelsius() == null ? celsius : i.getMaxCelsius(),
                i.getReadingCount() == null ? (kind == ExposureEvidence.Kind.EXCURSION ? 0 : 1) : i.getReadingCount(),
                statistics, i.getProducerId() == null ? i.getDeviceId() : i.getProducerId(), i.getSequence());
    }

    static String writeExposure(ShipmentExposure s) {
        try {
            return CanonicalEventJson.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("running exposure of " + s.shipmentSscc(), e);
        }
    }

    static ShipmentExposure readExposure(String json, long version) {
        try {
            ShipmentExposure s = CanonicalEventJson.MAPPER.readValue(json, ShipmentExposure.class);
            return new ShipmentExposure(s.shipmentSscc(), s.productClass(), s.probes(), s.sequences(), s.standing(),
                    s.recentlyApplied(), version);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("running exposure is unreadable", e);
        }
    }
}

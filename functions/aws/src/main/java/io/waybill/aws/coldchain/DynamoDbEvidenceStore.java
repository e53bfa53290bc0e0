package io.waybill.aws.coldchain;

import io.waybill.domain.coldchain.ColdChainDecision;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.decision.EvidenceArrival;
import io.waybill.domain.decision.EvidenceStore;
import io.waybill.domain.ingestion.TransientDependencyException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteResult;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The exposure table: evidence per shipment, written with BatchWriteItem (25 a request; an item written twice is
 * the same item) and read back with one Query per shipment; plus each shipment's standing.
 */
public final class DynamoDbEvidenceStore implements EvidenceStore {
    static final TableSchema<EvidenceItem> SCHEMA = TableSchema.fromBean(EvidenceItem.class);
    /** BatchWriteItem takes at most 25 items a request. */
    static final int BATCH_WRITE_LIMIT = 25;
    /** Unprocessed items are resent this many times before the batch fails (and is retried by the stream). */
    static final int UNPROCESSED_ATTEMPTS = 5;

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EvidenceItem> table;

    public DynamoDbEvidenceStore(DynamoDbEnhancedClient client, String tableName) {
        this.client = client;
        this.table = client.table(tableName, SCHEMA);
    }

    @Override
    public void putAll(Collection<EvidenceArrival> evidence) {
        List<EvidenceItem> items = evidence.stream().map(DynamoDbEvidenceStore::toItem).toList();
        try {
            for (int from = 0; from < items.size(); from += BATCH_WRITE_LIMIT) {
                List<EvidenceItem> chunk = dedupe(items.subList(from, Math.min(items.size(), from + BATCH_WRITE_LIMIT)));
                for (int attempt = 1; !chunk.isEmpty(); attempt++) {
                    if (attempt > UNPROCESSED_ATTEMPTS) {
                        throw new TransientDependencyException("exposure table " + table.tableName(),
                                chunk.size() + " evidence items still unprocessed after " + UNPROCESSED_ATTEMPTS
                                        + " attempts", null);
                    }
                    WriteBatch.Builder<EvidenceItem> batch = WriteBatch.builder(EvidenceItem.class).mappedTableResource(table);
                    chunk.forEach(batch::addPutItem);
                    BatchWriteResult r = client.batchWriteItem(BatchWriteItemEnhancedRequest.builder()
                            .writeBatches(batch.build()).build());
                    chunk = r.unprocessedPutItemsForTable(table);
                }
            }
        } catch (SdkException e) {
            throw new TransientDependencyException("exposure table " + table.tableName(), e.getMessage(), e);
        }
    }

    /** BatchWriteItem refuses two puts of the same key in one request. */
    private static List<EvidenceItem> dedupe(List<EvidenceItem> items) {
        List<EvidenceItem> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (EvidenceItem i : items) {
            if (seen.add(i.getShipmentSscc() + "|" + i.getRecordKey())) {
                out.add(i);
            }
        }
        return out;
    }

    @Override
    public List<ExposureEvidence> load(String shipmentSscc) {
        try {
            List<ExposureEvidence> out = new ArrayList<>();
            table.query(r -> r.queryConditional(QueryConditional.sortBeginsWith(Key.builder()
                            .partitionValue(shipmentSscc).sortValue(EvidenceItem.EVIDENCE_PREFIX).build()))
                    .consistentRead(true))
                    .items().forEach(i -> out.add(toEvidence(i)));
            return out;
        } catch (SdkException e) {
            throw new TransientDependencyException("exposure table " + table.tableName(), e.getMessage(), e);
        }
    }

    @Override
    public void saveStanding(ColdChainDecision d, Instant breachSince, boolean pending) {
        ExposureFigures f = d.assessment().figures();
        EvidenceItem i = new EvidenceItem();
        i.setShipmentSscc(d.shipmentSscc());
        i.setRecordKey(EvidenceItem.STANDING_KEY);
        i.setStatus(d.status().name());
        i.setProductClass(d.productClass());
        i.setSeverity(d.assessment().verdict().severity().name());
        i.setTorSeconds(f.torSeconds());
        i.setDegreeMinutesAbove(f.degreeMinutesAbove());
        i.setDegreeMinutesBelow(f.degreeMinutesBelow());
        i.setMktCelsius(f.mktCelsius().isPresent() ? f.mktCelsius().getAsDouble() : null);
        i.setMaxCelsius(f.maxCelsius().isPresent() ? f.maxCelsius().getAsDouble() : null);
        i.setEdgeAttention(d.edgeAttention());
        i.setEvidenceCount(d.evidence());
        i.setDecidedAt(d.decidedAt().toString());
        i.setBreachSince(breachSince == null ? null : breachSince.toString());
        i.setPendingBreach(pending ? EvidenceItem.PENDING : null);
        if (pending) {
            i.setStatus("BREACH_PENDING");
        }
        try {
            table.putItem(i);
        } catch (SdkException e) {
            throw new TransientDependencyException("exposure table " + table.tableName(), e.getMessage(), e);
        }
    }

    @Override
    public Optional<Instant> breachSince(String shipmentSscc) {
        try {
            return standing(shipmentSscc).map(EvidenceItem::getBreachSince).map(Instant::parse);
        } catch (SdkException e) {
            throw new TransientDependencyException("exposure table " + table.tableName(), e.getMessage(), e);
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
            throw new TransientDependencyException("exposure table " + table.tableName(), e.getMessage(), e);
        }
    }

    /** The standing last saved for the shipment, if any (reports, the demo). */
    public Optional<EvidenceItem> standing(String shipmentSscc) {
        return Optional.ofNullable(table.getItem(r -> r.key(Key.builder().partitionValue(shipmentSscc)
                .sortValue(EvidenceItem.STANDING_KEY).build()).consistentRead(true)));
    }

    static EvidenceItem toItem(EvidenceArrival a) {
        ExposureEvidence e = a.evidence();
        EvidenceItem i = new EvidenceItem();
        i.setBrokerTime(a.broker() == null ? null : a.broker().toString());
        i.setStreamTime(a.stream() == null ? null : a.stream().toString());
        i.setDecidedAt(a.decidedAt() == null ? null : a.decidedAt().toString());
        i.setShipmentSscc(e.shipmentSscc());
        i.setRecordKey(EvidenceItem.EVIDENCE_PREFIX + e.evidenceId());
        i.setEvidenceId(e.evidenceId());
        i.setKind(e.kind().name());
        i.setDeviceId(e.deviceId());
        i.setStart(e.start().toString());
        i.setEnd(e.end().toString());
        i.setCelsius(e.celsius());
        i.setEdgeSeverity(e.edgeSeverity());
        return i;
    }

    static ExposureEvidence toEvidence(EvidenceItem i) {
        return new ExposureEvidence(i.getEvidenceId(), i.getShipmentSscc(), i.getDeviceId(),
                ExposureEvidence.Kind.valueOf(i.getKind()), Instant.parse(i.getStart()), Instant.parse(i.getEnd()),
                i.getCelsius(), i.getEdgeSeverity() == null ? 0 : i.getEdgeSeverity());
    }
}

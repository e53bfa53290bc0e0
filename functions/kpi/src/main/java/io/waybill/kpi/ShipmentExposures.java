package io.waybill.kpi;

import io.waybill.aws.coldchain.ColdChainTables;
import io.waybill.aws.coldchain.DynamoDbEvidenceStore;
import io.waybill.aws.coldchain.EvidenceItem;
import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.coldchain.ExposureFold;
import io.waybill.domain.coldchain.ShipmentExposure;
import java.util.Comparator;
import io.waybill.domain.coldchain.ProductClass;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The exposure figures of every shipment the cold-chain function has decided on, from its running exposure: a Scan
 * of the exposure table for the standing items ({@code recordKey = STANDING}, one per decided shipment, only the
 * shipment key projected), then per shipment its standing ({@link DynamoDbEvidenceStore#exposure}, one GetItem) and
 * the worst probe's figures (most time out of range plus unknown). A standing measured against another product class
 * than {@code product} is rebuilt from the stored evidence ({@link ExposureFold#of}). The same computation as the
 * local {@code ./waybill kpis} command's ({@code OperationsCommands#exposure}).
 *
 * <p>Cost: one Scan of the exposure table (O(evidence items)) plus one GetItem per decided shipment, per call.
 */
public final class ShipmentExposures {
    private final DynamoDbClient dynamo;
    private final String exposureTable;
    private final DynamoDbEvidenceStore evidence;
    private final String shipmentKey;
    private final String recordKey;

    public ShipmentExposures(DynamoDbClient dynamo, String exposureTable) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.exposureTable = Objects.requireNonNull(exposureTable, "exposureTable");
        this.evidence = new DynamoDbEvidenceStore(DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build(),
                exposureTable);
        var meta = ColdChainTables.exposureSchema().tableMetadata();
        this.shipmentKey = meta.primaryPartitionKey();
        this.recordKey = meta.primarySortKey().orElseThrow();
    }

    /** Shipment SSCC -> exposure figures, sorted by SSCC. */
    public SortedMap<String, ExposureFigures> measure(ProductClass product) {
        Objects.requireNonNull(product, "product");
        SortedMap<String, ExposureFigures> out = new TreeMap<>();
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(exposureTable)
                .filterExpression("#r = :standing")
                .projectionExpression("#s")
                .expressionAttributeNames(Map.of("#r", recordKey, "#s", shipmentKey))
                .expressionAttributeValues(Map.of(":standing", AttributeValue.fromS(EvidenceItem.STANDING_KEY))))
                .items()) {
            AttributeValue sscc = item.get(shipmentKey);
            if (sscc == null || sscc.s() == null) {
                continue;
            }
            ShipmentExposure state = evidence.exposure(sscc.s()).filter(x -> x.productClass().equals(product.name()))
                    .orElseGet(() -> ExposureFold.of(sscc.s(), product, evidence.load(sscc.s())));
            out.put(sscc.s(), state.probes().values().stream().map(p -> p.figures(product.band()))
                    .max(Comparator.comparing((ExposureFigures f) -> f.timeOutOfRange().plus(f.unknown())))
                    .orElse(ExposureFigures.none(product.band())));
        }
        return out;
    }
}

package io.waybill.kpi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.aws.failure.DependencyFailures;
import io.waybill.aws.kpi.DynamoDbKpiAggregates;
import io.waybill.aws.ops.ConsumerMarks;
import io.waybill.aws.ops.DynamoDbConsumerWatermarks;
import io.waybill.domain.ops.ConsumerWatermarks;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import io.waybill.aws.stream.CanonicalStreamRecords;
import io.waybill.aws.stream.KinesisRecords;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.kpi.Movement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entries;

/**
 * A consumer of the canonical event stream (as the cold-chain function is) that keeps the KPI aggregates
 * ({@link DynamoDbKpiAggregates}): each batch's departures and arrivals, grouped by shipment, folded into the
 * shipment's movement state and, through the difference of its contribution, into its lanes' and facilities'
 * aggregates. Every other event type is ignored. Redelivery and replay change nothing (see
 * {@link io.waybill.domain.kpi.ShipmentFold}).
 *
 * <p>A transient DynamoDB failure (throttling, aggregates that stayed contended through every retry) stops the batch: the partial batch
 * response names the first record of the shipment that failed, and the records after it are folded again on
 * redelivery (a no-op for the ones already folded). A permanent one (validation, access) is logged with the shipment
 * and skipped: the aggregates are derived data, and a replay of the stream rebuilds them once the cause is fixed.
 *
 * <p>With consumer watermarks configured, after each batch the aggregator advances its mark
 * ({@value ConsumerWatermarks#KPI_AGGREGATOR}) to the newest stream arrival of the records it finished (those before
 * the retry point), best effort ({@link ConsumerMarks}): {@code /health} reports its lag.
 */
public final class KpiAggregatorHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(KpiAggregatorHandler.class);
    /** The aggregates table (required). */
    public static final String ENV_AGGREGATES_TABLE = KpiSettings.ENV_AGGREGATES_TABLE;

    private final DynamoDbKpiAggregates aggregates;
    private final ConsumerWatermarks watermarks;
    private final Clock clock;

    /** Lambda entry point: the table and the DynamoDB client from the environment ({@link KpiSettings}). */
    public KpiAggregatorHandler() {
        this(KpiSettings.dynamoDbClient(System.getenv()));
    }

    private KpiAggregatorHandler(DynamoDbClient dynamo) {
        this(aggregatesFromEnvironment(dynamo), watermarksFromEnvironment(dynamo), Clock.systemUTC());
    }

    /** Without consumer watermarks. */
    public KpiAggregatorHandler(DynamoDbKpiAggregates aggregates) {
        this(aggregates, null, Clock.systemUTC());
    }

    /** @param watermarks where the aggregator advances its mark after each batch, or null (nothing recorded) */
    public KpiAggregatorHandler(DynamoDbKpiAggregates aggregates, ConsumerWatermarks watermarks, Clock clock) {
        this.aggregates = Objects.requireNonNull(aggregates, "aggregates");
        this.watermarks = watermarks;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static DynamoDbKpiAggregates aggregatesFromEnvironment(DynamoDbClient dynamo) {
        String table = System.getenv(ENV_AGGREGATES_TABLE);
        if (table == null || table.isBlank()) {
            throw new IllegalStateException(ENV_AGGREGATES_TABLE + " is not set: the KPI aggregator cannot start");
        }
        return new DynamoDbKpiAggregates(dynamo, table.trim());
    }

    private static ConsumerWatermarks watermarksFromEnvironment(DynamoDbClient dynamo) {
        String table = KpiSettings.consumerWatermarksTable(System.getenv());
        return table == null ? null : new DynamoDbConsumerWatermarks(dynamo, table);
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> records = KinesisRecords.of(event);
        CanonicalStreamRecords.Read read = CanonicalStreamRecords.read(records);
        read.unreadable().forEach(u -> LOG.error("canonical stream record is not a canonical event, skipped: {}", u));
        Map<String, List<Movement>> byShipment = new LinkedHashMap<>();
        Map<String, Integer> firstRecord = new LinkedHashMap<>();
        for (int i = 0; i < read.events().size(); i++) {
            CanonicalEvent e = read.events().get(i);
            int index = read.recordIndex(i);
            Movement.of(e).ifPresent(m -> {
                byShipment.computeIfAbsent(m.shipmentSscc(), k -> new ArrayList<>()).add(m);
                firstRecord.putIfAbsent(m.shipmentSscc(), index);
            });
        }
        int changed = 0;
        int skipped = 0;
        OptionalInt retry = OptionalInt.empty();
        for (Map.Entry<String, List<Movement>> shipment : byShipment.entrySet()) {
            try {
                if (aggregates.fold(shipment.getKey(), shipment.getValue())) {
                    changed++;
                }
            } catch (SdkException e) {
                if (e instanceof ConditionalCheckFailedException
                        || DependencyFailures.verdict(e) == DependencyFailures.Verdict.TRANSIENT) {
                    int from = firstRecord.get(shipment.getKey());
                    // Shipments run in the order of their first record: every record not folded yet is at or after
                    // this one; the ones folded already fold again as no-ops.
                    retry = OptionalInt.of(from);
                    LOG.warn("KPI aggregates unavailable, redelivering from record {}: {}", from, e.getMessage());
                    break;
                }
                skipped++;
                LOG.error("KPI aggregates refused shipment {} for good ({}), skipped: {}", shipment.getKey(),
                        DependencyFailures.errorCode(e), e.getMessage());
            }
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("records", records.size());
        totals.put("movements", byShipment.values().stream().mapToInt(List::size).sum());
        totals.put("shipments", byShipment.size());
        totals.put("shipmentsChanged", changed);
        totals.put("shipmentsSkipped", skipped);
        totals.put("unreadable", read.unreadable().size());
        totals.put("retry", retry.isPresent());
        LOG.info("kpi aggregates folded", entries(totals));
        KinesisRecords.newestArrival(records, retry).ifPresent(arrival -> ConsumerMarks.advance(watermarks,
                ConsumerWatermarks.KPI_AGGREGATOR, arrival, clock.instant()));
        return KinesisRecords.response(records, retry);
    }
}

package io.waybill.ingest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.waybill.domain.ingestion.BatchOutcome;
import io.waybill.domain.ingestion.BoundaryTimes;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.normalize.RejectionReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One structured log line and one EMF metrics document per batch: technical counts beside the boundary latency
 * (stream arrival to handler start), and the business signals the batch carried.
 */
public final class IngestTelemetry {
    private static final Logger LOG = LoggerFactory.getLogger(IngestTelemetry.class);

    /** Receives every batch outcome in-process (the local runtime's report); Lambda has none. */
    public interface BatchListener {
        void onBatch(List<KinesisEvent.KinesisEventRecord> records, BatchOutcome outcome);
    }

    private final Metrics metrics;
    private final BatchListener listener;

    public IngestTelemetry(Metrics metrics) {
        this(metrics, null);
    }

    public IngestTelemetry(Metrics metrics, BatchListener listener) {
        this.metrics = metrics;
        this.listener = listener;
    }

    /** No metrics (tests, the normalise CLI); the batch log line is still written. */
    public static IngestTelemetry logOnly() {
        return new IngestTelemetry(null, null);
    }

    void publish(List<KinesisEvent.KinesisEventRecord> records, BatchOutcome outcome, Instant started, Instant finished) {
        if (listener != null) {
            listener.onBatch(records, outcome);
        }
        long maxPutToHandlerMs = records.stream()
                .map(r -> r.getKinesis().getApproximateArrivalTimestamp())
                .filter(d -> d != null)
                .mapToLong(d -> Math.max(0, Duration.between(d.toInstant(), started).toMillis()))
                .max().orElse(0);
        long stored = outcome.count(RecordOutcome.STORED);
        long duplicates = outcome.count(RecordOutcome.DUPLICATE_IN_BATCH) + outcome.count(RecordOutcome.DUPLICATE_IN_STORE);
        long deadLettered = outcome.count(RecordOutcome.DEAD_LETTERED);
        long retried = outcome.count(RecordOutcome.RETRY);
        long handlerMs = Duration.between(started, finished).toMillis();
        long identityRejections = identityRejections(outcome);
        LOG.info("batch records={} stored={} duplicates={} deadLettered={} retry={} projectionWrites={} "
                        + "rejections={} identityRejections={} unassignedFlagged={} legacyIdReads={} legacyDuplicates={} "
                        + "maxPutToHandlerMs={} handlerMs={}",
                records.size(), stored, duplicates, deadLettered, retried, outcome.projectionWrites(),
                outcome.rejections(), identityRejections, outcome.devices().unassignedFlagged(), outcome.legacyReads(),
                outcome.legacyDuplicates(), maxPutToHandlerMs, handlerMs);
        if (outcome.devices().sequenceAdvanceFailures() > 0) {
            // Not a batch failure: the events are stored; a resend inside the replay window is absorbed by the ledger.
            LOG.warn("device registry sequences not advanced after the batch: {}", outcome.devices().sequenceAdvanceFailure());
        }
        if (metrics == null) {
            return;
        }
        metrics.addMetric("RecordsReceived", records.size(), MetricUnit.COUNT);
        metrics.addMetric("EventsStored", stored, MetricUnit.COUNT);
        metrics.addMetric("DuplicatesAbsorbed", duplicates, MetricUnit.COUNT);
        metrics.addMetric("RecordsDeadLettered", deadLettered, MetricUnit.COUNT);
        metrics.addMetric("RecordsRetried", retried, MetricUnit.COUNT);
        // An id reused for other content: never absorbed, always dead-lettered; alarmed on (> 0).
        metrics.addMetric("IdConflicts", outcome.rejections().getOrDefault(RejectionReason.ID_CONFLICT, 0),
                MetricUnit.COUNT);
        // Records dead-lettered as evidence of an attack or a broken device (IDENTITY_MISMATCH, DEVICE_REVOKED,
        // UNSIGNED, BAD_SIGNATURE, REPLAYED: RejectionReason.securityEvidence), summed; alarmed on (> 0). Per reason:
        // the rejected_<REASON> metadata below. UNREGISTERED_DEVICE and UNASSIGNED are not in it (an operator's gap).
        metrics.addMetric(IDENTITY_REJECTIONS, identityRejections, MetricUnit.COUNT);
        metrics.addMetric("RecordsDeadLetteredInternalError",
                outcome.rejections().getOrDefault(RejectionReason.INTERNAL_ERROR, 0), MetricUnit.COUNT);
        metrics.addMetric("ProjectionWrites", outcome.projectionWrites(), MetricUnit.COUNT);
        // Device identity: events stored flagged unassigned (WAYBILL_UNASSIGNED_POLICY=flag), and batches whose
        // signing sequences could not be advanced in the registry (the replay check then lags; alarm if sustained).
        metrics.addMetric("UnassignedFlagged", outcome.devices().unassignedFlagged(), MetricUnit.COUNT);
        metrics.addMetric("SequenceAdvanceFailures", outcome.devices().sequenceAdvanceFailures(), MetricUnit.COUNT);
        // The legacy-id window (WAYBILL_LEGACY_ID_CUTOVER): its cost in reads, and the resends of scheme-1 facts it
        // absorbed (included in DuplicatesAbsorbed). Zero for longer than the accepted resend horizon: remove it.
        metrics.addMetric("LegacyIdReads", outcome.legacyReads(), MetricUnit.COUNT);
        metrics.addMetric("LegacyDuplicates", outcome.legacyDuplicates(), MetricUnit.COUNT);
        metrics.addMetric("PutToHandlerMaxLatency", maxPutToHandlerMs, MetricUnit.MILLISECONDS);
        metrics.addMetric("HandlerDuration", handlerMs, MetricUnit.MILLISECONDS);
        // Latency per boundary, one value per stored event (EMF keeps the values, CloudWatch computes percentiles).
        boundary("EdgeToBrokerLatency", outcome, BoundaryTimes::edgeToBrokerMs);
        boundary("BrokerToStreamLatency", outcome, BoundaryTimes::brokerToStreamMs);
        boundary("StreamToHandlerLatency", outcome, BoundaryTimes::streamToHandlerMs);
        boundary("HandlerToStoredLatency", outcome, BoundaryTimes::handlerToStoredMs);
        outcome.rejections().forEach((reason, count) -> metrics.addMetadata("rejected_" + reason.name(), count));
        metrics.flush();
    }

    /** The sum of the security-evidence dead letters of a batch ({@link RejectionReason#securityEvidence()}). */
    public static final String IDENTITY_REJECTIONS = "IdentityRejections";

    static long identityRejections(BatchOutcome outcome) {
        return outcome.rejections().entrySet().stream().filter(e -> e.getKey().securityEvidence())
                .mapToLong(e -> e.getValue()).sum();
    }

    /** EMF holds at most {@value #MAX_VALUES_PER_METRIC} values per metric in one document: a larger batch is sampled. */
    static final int MAX_VALUES_PER_METRIC = 100;

    private void boundary(String name, BatchOutcome outcome,
                          java.util.function.Function<BoundaryTimes, java.util.OptionalLong> latency) {
        List<BoundaryTimes> stored = outcome.stored();
        int step = Math.max(1, (stored.size() + MAX_VALUES_PER_METRIC - 1) / MAX_VALUES_PER_METRIC);
        for (int i = 0; i < stored.size(); i += step) {
            java.util.OptionalLong ms = latency.apply(stored.get(i));
            if (ms.isPresent()) {
                metrics.addMetric(name, ms.getAsLong(), MetricUnit.MILLISECONDS);
            }
        }
    }
}

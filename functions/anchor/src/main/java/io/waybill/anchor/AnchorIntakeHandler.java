package io.waybill.anchor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.aws.stream.CanonicalStreamRecords;
import io.waybill.aws.stream.KinesisRecords;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.provenance.AnchorIntake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The canonical stream's anchoring consumer: queues the selected events (idempotent by event id). A ledger failure
 * returns the first unqueued record as the partial batch failure (the event source mapping has
 * {@code ReportBatchItemFailures} on), so that record and every later one is redelivered; already-queued ones are
 * then no-ops. The no-argument Lambda constructor reads only the ledger table and the selection rule
 * ({@link AnchorFunction#intakeFromEnvironment}).
 */
public final class AnchorIntakeHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(AnchorIntakeHandler.class);

    private final AnchorIntake intake;
    private final AnchorTelemetry telemetry;

    /** Lambda's constructor. */
    public AnchorIntakeHandler() {
        this(new AnchorTelemetry(software.amazon.lambda.powertools.metrics.MetricsFactory.getMetricsInstance()));
    }

    private AnchorIntakeHandler(AnchorTelemetry telemetry) {
        this(AnchorFunction.intakeFromEnvironment(System.getenv(), telemetry), telemetry);
    }

    public AnchorIntakeHandler(AnchorFunction function) {
        this(Objects.requireNonNull(function, "function").intake(), function.telemetry());
    }

    public AnchorIntakeHandler(AnchorIntake intake, AnchorTelemetry telemetry) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> records = KinesisRecords.of(event);
        CanonicalStreamRecords.Read read = CanonicalStreamRecords.read(records);
        read.unreadable().forEach(u -> LOG.error("canonical stream record is not a canonical event, skipped: {}", u));
        OptionalInt retry = OptionalInt.empty();
        int queued = 0;
        int known = 0;
        for (int i = 0; i < read.events().size(); i++) {
            CanonicalEvent e = read.events().get(i);
            try {
                switch (intake.accept(e)) {
                    case QUEUED -> queued++;
                    case ALREADY_KNOWN -> known++;
                    case NOT_SELECTED -> {
                    }
                }
            } catch (TransientDependencyException failure) {
                retry = OptionalInt.of(read.recordIndex(i));
                LOG.warn("anchor ledger failed, redelivering from event {}: {}", e.id(), failure.getMessage());
                break;
            }
        }
        LOG.info("anchor intake records={} queued={} alreadyKnown={} unreadable={} retryFrom={}", records.size(),
                queued, known, read.unreadable().size(), retry.isPresent() ? retry.getAsInt() : -1);
        telemetry.flush();
        return KinesisRecords.response(records, retry);
    }
}

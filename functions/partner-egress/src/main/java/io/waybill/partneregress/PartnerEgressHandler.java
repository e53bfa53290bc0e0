package io.waybill.partneregress;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.aws.stream.CanonicalStreamRecords;
import io.waybill.aws.stream.KinesisRecords;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.partner.PartnerEgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The canonical stream's partner consumer (Kinesis event source mapping with {@code ReportBatchItemFailures} on):
 * hands the batch's events to {@link PartnerEgress}. A store failure redelivers the whole batch (the first record
 * as the partial batch failure); what was already settled is not sent again, so a redelivery sends only the rest
 * (at least once: a failure between the bus accepting an entry and its settling resends that entry, with the same
 * {@code detail.eventId}). The no-argument Lambda constructor reads {@link PartnerEgressFunction#fromEnvironment}.
 */
public final class PartnerEgressHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(PartnerEgressHandler.class);

    private final PartnerEgress egress;
    private final PartnerEgressTelemetry telemetry;

    /** Lambda's constructor. */
    public PartnerEgressHandler() {
        this(PartnerEgressFunction.fromEnvironment(System.getenv()),
                new PartnerEgressTelemetry(MetricsFactory.getMetricsInstance()));
    }

    public PartnerEgressHandler(PartnerEgress egress, PartnerEgressTelemetry telemetry) {
        this.egress = Objects.requireNonNull(egress, "egress");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> records = KinesisRecords.of(event);
        CanonicalStreamRecords.Read read = CanonicalStreamRecords.read(records);
        read.unreadable().forEach(u -> LOG.error("canonical stream record is not a canonical event, skipped: {}", u));
        OptionalInt retry = OptionalInt.empty();
        try {
            PartnerEgress.Outcome outcome = egress.accept(read.events());
            telemetry.record(outcome);
            LOG.info("partner egress records={} sent={} deadLettered={} heldShipments={} unreadable={}",
                    records.size(), outcome.sent().size(), outcome.deadLettered().size(), outcome.held().size(),
                    read.unreadable().size());
        } catch (TransientDependencyException failure) {
            retry = records.isEmpty() ? OptionalInt.empty() : OptionalInt.of(0);
            LOG.warn("partner egress failed, redelivering the batch of {} records: {}", records.size(),
                    failure.getMessage());
        }
        telemetry.flush();
        return KinesisRecords.response(records, retry);
    }
}

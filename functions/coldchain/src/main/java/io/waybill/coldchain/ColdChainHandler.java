package io.waybill.coldchain;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.domain.decision.ColdChainLoop;
import io.waybill.aws.stream.CanonicalStreamRecords;
import io.waybill.aws.stream.KinesisRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * The cold-chain Lambda: a consumer of the canonical event stream (the events ingest stored, partitioned by
 * shipment). Thin by design: Kinesis records in, canonical events read, the {@link ColdChainLoop} decides, a partial
 * batch response names the first record to redeliver after a dependency failure ({@code ReportBatchItemFailures}
 * must be on, as for ingest). A record that does not read as a canonical event is logged with its sequence number
 * and counted ({@code UnreadableCanonicalEvents}); it is in the event store, and nothing here can act on it.
 */
public final class ColdChainHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(ColdChainHandler.class);

    private final ColdChainLoop loop;
    private final ColdChainTelemetry telemetry;
    private final java.time.Clock clock;
    private final io.waybill.domain.ops.ConsumerWatermarks watermarks;

    /** Lambda entry point: clients and configuration built once per execution environment. */
    public ColdChainHandler() {
        this(ColdChainFunction.fromEnvironment());
    }

    public ColdChainHandler(ColdChainFunction function) {
        this.loop = function.loop();
        this.telemetry = function.telemetry();
        this.clock = function.clock();
        this.watermarks = function.watermarks();
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        Instant started = clock.instant();
        List<KinesisEvent.KinesisEventRecord> records = KinesisRecords.of(event);
        CanonicalStreamRecords.Read read = CanonicalStreamRecords.read(records);
        read.unreadable().forEach(u -> LOG.error("canonical stream record is not a canonical event, skipped: {}", u));
        ColdChainLoop.Outcome outcome = loop.process(read.events());
        Instant newestArrival = records.stream().map(r -> r.getKinesis().getApproximateArrivalTimestamp())
                .filter(Objects::nonNull).map(Date::toInstant).max(Instant::compareTo).orElse(null);
        telemetry.publish(outcome, read.unreadable().size(), newestArrival, started, clock.instant());
        java.util.OptionalInt retry = outcome.firstRetryIndex().isPresent()
                ? java.util.OptionalInt.of(read.recordIndex(outcome.firstRetryIndex().getAsInt()))
                : java.util.OptionalInt.empty();
        KinesisRecords.newestArrival(records, retry).ifPresent(arrival -> io.waybill.aws.ops.ConsumerMarks.advance(
                watermarks, io.waybill.domain.ops.ConsumerWatermarks.COLDCHAIN, arrival, clock.instant()));
        retry.ifPresent(i -> LOG.warn("dependency failure, redelivering from sequence {}: {}",
                records.get(i).getKinesis().getSequenceNumber(), outcome.failure()));
        return KinesisRecords.response(records, retry);
    }
}

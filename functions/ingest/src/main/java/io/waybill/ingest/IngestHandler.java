package io.waybill.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.domain.ingestion.BatchIngestion;
import io.waybill.aws.stream.KinesisRecords;
import io.waybill.domain.ingestion.BatchOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import io.waybill.aws.ops.ConsumerMarks;
import io.waybill.domain.ops.ConsumerWatermarks;

import java.time.Instant;
import java.util.List;

/**
 * The ingest Lambda: Kinesis batch in, partial batch response out. Thin by design — it turns the Kinesis event
 * into raw records, hands them to {@link BatchIngestion}, and turns the outcome into a
 * {@link StreamsEventResponse} naming the first record to redeliver (the event source mapping must have
 * {@code ReportBatchItemFailures} on, which the CDK construct sets and its test checks).
 *
 * <p>The same class runs in Lambda (no-arg constructor, configuration from the environment) and in the local
 * runtime (constructor taking {@link IngestFunction}, clients pointed at the emulators).
 */
public final class IngestHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);

    private final BatchIngestion ingestion;
    private final IngestTelemetry telemetry;
    private final Clock clock;
    private final ConsumerWatermarks watermarks;
    private final io.waybill.domain.ops.SourceWatermarks sources;

    /** Lambda entry point: clients and configuration built once per execution environment. */
    public IngestHandler() {
        this(IngestFunction.fromEnvironment());
    }

    public IngestHandler(IngestFunction function) {
        this.ingestion = function.ingestion();
        this.telemetry = function.telemetry();
        this.clock = function.clock();
        this.watermarks = function.watermarks();
        this.sources = function.sources();
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        Instant started = clock.instant();
        List<KinesisEvent.KinesisEventRecord> records = KinesisRecords.of(event);
        BatchOutcome outcome = ingestion.ingest(KinesisRecords.toRawRecords(records), started);
        telemetry.publish(records, outcome, started, clock.instant());
        KinesisRecords.newestArrival(records, outcome.firstRetryIndex()).ifPresent(arrival ->
                ConsumerMarks.advance(watermarks, ConsumerWatermarks.INGEST, arrival, clock.instant()));
        ConsumerMarks.advanceSources(sources, outcome.sources());
        outcome.firstRetryIndex().ifPresent(i -> LOG.warn("transient failure, redelivering from record {} of {} "
                + "(sequence {}): {}", i, records.size(), records.get(i).getKinesis().getSequenceNumber(),
                outcome.failure()));
        return KinesisRecords.response(records, outcome.firstRetryIndex());
    }
}

package io.waybill.forecast;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.aws.stream.CanonicalStreamRecords;
import io.waybill.aws.stream.KinesisRecords;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.forecast.DemandIntake;
import io.waybill.domain.ingestion.TransientDependencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The canonical stream's demand consumer: records shipment contents ({@code InventoryObserved} with an SSCC) and
 * departures ({@code ShipmentDeparted}) and joins them into demand lines (idempotent, any order). A ledger failure
 * returns the first unprocessed record as the partial batch failure (the event source mapping has
 * {@code ReportBatchItemFailures} on), so it and every later record are redelivered; the ones already recorded are then
 * no-ops. The no-argument Lambda constructor reads only {@value ForecastEnvironment#DEMAND_TABLE}.
 */
public final class DemandIntakeHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(DemandIntakeHandler.class);

    private final DemandIntake intake;
    private final ForecastTelemetry telemetry;

    /** Lambda's constructor. */
    public DemandIntakeHandler() {
        this(new ForecastTelemetry(MetricsFactory.getMetricsInstance(), null, null));
    }

    private DemandIntakeHandler(ForecastTelemetry telemetry) {
        this(ForecastFunction.intakeFromEnvironment(System.getenv(), telemetry), telemetry);
    }

    public DemandIntakeHandler(DemandIntake intake, ForecastTelemetry telemetry) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> records = KinesisRecords.of(event);
        CanonicalStreamRecords.Read read = CanonicalStreamRecords.read(records);
        read.unreadable().forEach(u -> LOG.error("canonical stream record is not a canonical event, skipped: {}", u));
        OptionalInt retry = OptionalInt.empty();
        int demand = 0;
        for (int i = 0; i < read.events().size(); i++) {
            CanonicalEvent e = read.events().get(i);
            try {
                if (intake.accept(e) != DemandIntake.Outcome.NOT_DEMAND) {
                    demand++;
                }
            } catch (TransientDependencyException failure) {
                retry = OptionalInt.of(read.recordIndex(i));
                LOG.warn("demand ledger failed, redelivering from event {}: {}", e.id(), failure.getMessage());
                break;
            }
        }
        LOG.info("demand intake records={} demandEvents={} unreadable={} retryFrom={}", records.size(), demand,
                read.unreadable().size(), retry.isPresent() ? retry.getAsInt() : -1);
        telemetry.flush();
        return KinesisRecords.response(records, retry);
    }
}

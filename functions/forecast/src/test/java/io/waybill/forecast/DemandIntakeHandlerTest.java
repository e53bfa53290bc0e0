package io.waybill.forecast;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.domain.forecast.DemandHistoryBuilder;
import io.waybill.domain.forecast.DemandIntake;
import io.waybill.domain.forecast.DemandLedger;
import io.waybill.domain.forecast.InMemoryDemandLedger;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.domain.ingestion.TransientDependencyException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The intake handler on the schema's sample events: GTIN of SGTIN class 0614141.112345 worked by hand (indicator 1,
 * check digit 9: 10614141123459); the departure from 0614141000012 on 2025-03-14 carries the two SGTINs read with its
 * SSCC (the SSCC EPC itself is not a unit).
 */
class DemandIntakeHandlerTest {
    static final SeriesKey SERIES = new SeriesKey("10614141123459", "0614141000012");
    static final LocalDate DAY = LocalDate.of(2025, 3, 14);

    private static String valid(String name) throws Exception {
        return Files.readString(Path.of("../../schemas/src/test/resources/valid/" + name + ".json"));
    }

    private static KinesisEvent.KinesisEventRecord record(String sequence, String json) {
        KinesisEvent.Record k = new KinesisEvent.Record();
        k.setSequenceNumber(sequence);
        k.setData(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        k.setPartitionKey("p");
        KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
        r.setKinesis(k);
        r.setEventID("shardId-000000000000:" + sequence);
        return r;
    }

    private static KinesisEvent batch() throws Exception {
        String departed = valid("waybill.shipment.departed.v1");
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        records.add(record("1", departed));
        records.add(record("2", "{not json"));
        records.add(record("3", valid("waybill.temperature.observed.v1")));
        records.add(record("4", valid("waybill.inventory.observed.v1")));
        records.add(record("5", departed)); // a redelivery inside the batch
        records.add(record("6", departed.replace("\"fromGln\": \"0614141000012\",", "")
                .replace("smsr-5512", "smsr-5513")));
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }

    @Test
    void contentsAfterTheirDepartureBecomeDemandAndADepartureWithoutGlnIsCounted() throws Exception {
        InMemoryDemandLedger ledger = new InMemoryDemandLedger();
        EmfCapture emf = new EmfCapture();
        software.amazon.lambda.powertools.metrics.Metrics counts = emf.get();
        counts.setNamespace("Waybill"); // Lambda's instance takes it from POWERTOOLS_METRICS_NAMESPACE
        ForecastTelemetry telemetry = new ForecastTelemetry(counts, null, null);
        StreamsEventResponse r = new DemandIntakeHandler(new DemandIntake(ledger, telemetry), telemetry)
                .handleRequest(batch(), null);
        assertThat(r.getBatchItemFailures()).isEmpty();
        assertThat(new DemandHistoryBuilder(ledger).build(SERIES, DAY.minusDays(1), DAY.plusDays(2)).unitsPerDay())
                .containsExactly(0, 2, 0);
        assertThat(ledger.locations()).containsExactly("0614141000012");
        assertThat(emf.documents).hasSize(1);
        assertThat(emf.documents.get(0).path("DemandUnitsRecorded").asDouble()).isEqualTo(2);
        assertThat(emf.documents.get(0).path("UnattributableDepartures").asDouble()).isEqualTo(1);
    }

    @Test
    void aLedgerFailureRedeliversFromTheFailedRecord() throws Exception {
        InMemoryDemandLedger real = new InMemoryDemandLedger();
        DemandLedger failingContents = (DemandLedger) Proxy.newProxyInstance(DemandLedger.class.getClassLoader(),
                new Class<?>[]{DemandLedger.class}, (p, m, a) -> {
                    if (m.getName().equals("recordContents")) {
                        throw new TransientDependencyException("demand ledger", "throttled", null);
                    }
                    try {
                        return m.invoke(real, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ForecastTelemetry telemetry = ForecastTelemetry.logsOnly();
        StreamsEventResponse r = new DemandIntakeHandler(new DemandIntake(failingContents, telemetry), telemetry)
                .handleRequest(batch(), null);
        assertThat(r.getBatchItemFailures()).singleElement()
                .satisfies(f -> assertThat(f.getItemIdentifier()).isEqualTo("4"));
        assertThat(real.departures("006141411234567890")).containsKey("0614141000012");
    }
}

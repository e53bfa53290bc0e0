package io.waybill.kpi;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.aws.kpi.DynamoDbKpiAggregates;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.kpi.Movement;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cold chain puts its decision events ({@code TemperatureBreached} with a {@code decision}) on the canonical
 * stream the aggregator consumes: they are not movements, so the aggregator folds nothing and touches no table.
 */
class ColdChainDecisionsOnTheStreamTest {
    /** A decision event as the cold chain stores and publishes it (shape of ColdChainLoop's decision events). */
    private static final String DECISION = """
            {"specversion":"1.0","id":"0f1e2d3c-4b5a-8697-a8b9-cadbecfd0e1f","source":"urn:waybill:coldchain",\
            "type":"waybill.temperature.breached.v1","time":"2026-11-20T10:40:00Z","subject":"106141410000000019",\
            "dataschema":"https://schemas.waybill.io/events/waybill.temperature.breached.v1.schema.json",\
            "datacontenttype":"application/json","processingtime":"2026-11-20T10:45:00Z","clockskewms":0,\
            "clockskewed":false,"adapter":"waybill-coldchain","data":{"shipmentSscc":"106141410000000019",\
            "deviceId":"reefer-07-ra","observedCelsius":10.95,"limitCelsius":8.0,"limit":"UPPER",\
            "durationSeconds":2400,"decision":{"productClass":"chilled-biologics-2-8","severity":"MAJOR",\
            "reasons":["TOR_BUDGET_EXCEEDED"],"evidenceStart":"2026-11-20T00:00:00Z",\
            "evidenceEnd":"2026-11-20T10:40:00Z","readings":2880,"torSeconds":2400.0,"degreeMinutesAbove":110.5,\
            "degreeMinutesBelow":0.0,"mktCelsius":5.4,"incidentId":"cold-chain/106141410000000019/chilled-biologics-2-8",\
            "edgeAttention":61,"evidenceCommitment":{"algorithm":"sha256-jcs-v1","items":8,\
            "digest":"e8f05c3fc785bbe638c37b0ff6c4ddbbd7e303a0113ac8f766f40ccd73830967"}}}}""";

    private final List<String> dynamoCalls = new ArrayList<>();
    /** A DynamoDB client that records every call and refuses it (permanently: the handler skips, never retries). */
    private final DynamoDbClient dynamo = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{DynamoDbClient.class}, (proxy, method, args) -> {
                dynamoCalls.add(method.getName());
                throw DynamoDbException.builder().message("no table here").statusCode(400).build();
            });
    private final KpiAggregatorHandler handler = new KpiAggregatorHandler(
            new DynamoDbKpiAggregates(dynamo, "kpi-aggregates"), null, Clock.systemUTC());

    @Test
    void aDecisionIsNotAMovement() throws Exception {
        CanonicalEvent decision = CanonicalEventJson.fromJson(CanonicalEventJson.MAPPER.readTree(DECISION));

        assertThat(Movement.of(decision)).isEmpty();
    }

    @Test
    void aBatchOfDecisionsFoldsNothingAndTouchesNoTable() {
        StreamsEventResponse r = handler.handleRequest(event(DECISION, DECISION), null);

        assertThat(r.getBatchItemFailures()).isEmpty();
        assertThat(dynamoCalls).isEmpty();
    }

    @Test
    void aDepartureInTheSameBatchIsStillFolded() {
        // the control: the same handler and client do reach the table for a movement
        String departure = CanonicalEventJson.toJsonString(KpiFixtures.event("S1-1", "08:00",
                new ShipmentDeparted(KpiFixtures.S1, KpiFixtures.DC, null, 980.0, "SWIFTLOG")));

        handler.handleRequest(event(DECISION, departure), null);

        assertThat(dynamoCalls).isNotEmpty();
    }

    private static KinesisEvent event(String... json) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (int i = 0; i < json.length; i++) {
            KinesisEvent.Record k = new KinesisEvent.Record();
            k.setData(ByteBuffer.wrap(json[i].getBytes(StandardCharsets.UTF_8)));
            k.setSequenceNumber(String.valueOf(1000 + i));
            k.setPartitionKey("106141410000000019");
            k.setApproximateArrivalTimestamp(new Date(1_795_773_600_000L + i));
            KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
            r.setKinesis(k);
            r.setEventID("shardId-000000000000:" + (1000 + i));
            records.add(r);
        }
        KinesisEvent e = new KinesisEvent();
        e.setRecords(records);
        return e;
    }
}

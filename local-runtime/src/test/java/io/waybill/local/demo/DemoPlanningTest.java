package io.waybill.local.demo;

import io.waybill.domain.event.ShipmentPlanned;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.ReeferTrace;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's shipment plans are what the {@code waybill-plan} adapter accepts, over the partner route, with the class
 * the demo means; every generated trip but the last is planned, the last is left unplanned.
 */
class DemoPlanningTest {
    @Test
    void tripPlanIsAcceptedByThePlanAdapterAsAShipmentPlanned() {
        TripPlans.Plan plan = new TripPlans.Plan("306141410080000071", "chilled-biologics-2-8",
                Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-04T00:00:00Z"),
                List.of("reefer-07-live"), Instant.parse("2026-03-01T00:00:00Z"));

        NormalizationResult r = RecordNormalizer.standard().normalize(RawRecord.of(plan.payload(), "test"));

        assertThat(r).isInstanceOf(NormalizationResult.Normalized.class);
        var event = ((NormalizationResult.Normalized) r).event();
        assertThat(event.type()).isEqualTo("waybill.shipment.planned.v1");
        assertThat(event.source()).isEqualTo("urn:waybill:waybill-plan:DEMO-TMS");
        assertThat(event.subject()).isEqualTo("306141410080000071");
        assertThat(event.time()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        ShipmentPlanned data = (ShipmentPlanned) event.data();
        assertThat(data.productClass()).isEqualTo("chilled-biologics-2-8");
        assertThat(data.plannedDeparture()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(data.plannedArrival()).isEqualTo(Instant.parse("2026-03-04T00:00:00Z"));
        assertThat(data.monitoringDevices()).containsExactly("reefer-07-live");
    }

    @Test
    void everyFleetTripButTheLastIsPlannedWithItsWindowAndDevices() {
        TrafficGenerator generator = new TrafficGenerator(42, 3, 20, 1, 0);
        GeneratedTraffic traffic = generator.generate();
        ReeferTrace edge = GoldenTraces.reeferTrip(GoldenTraces.DEFAULT_SEED);

        Planning planning = Planning.of(generator, traffic, edge);

        // the edge's shipment, then trips 0 and 1; trip 2 (SSCC 3 0614141 007000002 + check digit 9) is unplanned
        assertThat(planning.plans()).extracting(TripPlans.Plan::sscc)
                .containsExactly(DemoRun.EDGE_SSCC, "306141410070000005", "306141410070000012");
        assertThat(planning.unplanned()).isEqualTo("306141410070000029");
        assertThat(planning.plannedClass("306141410070000005")).isEqualTo("chilled-biologics-2-8");
        assertThat(planning.plannedClass("306141410070000012")).isEqualTo("vaccines-2-8");
        assertThat(planning.plannedClass("306141410070000029")).isNull();
        TripPlans.Plan trip1 = planning.plans().get(2);
        // trip 1 departs TRIP_START (06:00) + 10 min and arrives 20 readings + 5 min later: 06:35
        assertThat(trip1.departure()).isEqualTo(Instant.parse("2026-11-26T06:10:00Z"));
        assertThat(trip1.arrival()).isEqualTo(Instant.parse("2026-11-26T06:35:00Z"));
        // its devices (k = 1): dock door 2, tracker 356938035643810, coldchainco CC-901
        assertThat(trip1.devices()).containsExactly("CC-901", "IMEI-356938035643810");
        assertThat(trip1.issuedAt()).isEqualTo(Instant.parse("2026-11-25T06:10:00Z"));
    }
}

package io.waybill.domain.kpi;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.identity.Gs1;
import io.waybill.domain.incident.ShipmentIncident;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static io.waybill.domain.kpi.KpiFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Golden figures of the scenario in {@link KpiFixtures}, computed by hand in the comments. */
class KpiCalculatorTest {

    private final KpiCalculator calculator = new KpiCalculator(KpiConfig.defaults());

    private SupplyChainKpis network() {
        return calculator.compute(networkEvents(), networkIncidents(), networkExposure(), networkSchedule(), AS_OF);
    }

    @Test
    void fixturesUseValidGs1Keys() {
        for (String key : List.of(DC, HUB, STORE, DEPOT, S1, S2, S3, S4, S5, S6)) {
            assertThat(Gs1.hasValidCheckDigit(key)).as(key).isTrue();
        }
    }

    @Test
    void networkTotals() {
        SupplyChainKpis k = network();
        assertThat(k.asOf()).isEqualTo(AS_OF);
        assertThat(k.events()).isEqualTo(12);
        assertThat(k.shipments()).isEqualTo(4);
        assertThat(k.lanes().keySet()).containsExactly(DC_HUB, DC_UNKNOWN, HUB_STORE); // "?" sorts after digits
        assertThat(k.facilities().keySet()).containsExactly(DC, HUB, STORE);
    }

    @Test
    void transitTimeIsDepartureToNextArrivalPerLane() {
        SupplyChainKpis k = network();
        // DC->HUB: S4 3 h, S1 4 h, S2 6 h. p50 rank ceil(1.5)=2 -> 4 h; p90 rank ceil(2.7)=3 -> 6 h; mean 13 h / 3.
        LaneKpis dcHub = k.lanes().get(DC_HUB);
        assertThat(dcHub.shipments()).isEqualTo(3);
        assertThat(dcHub.legs()).isEqualTo(3);
        assertThat(dcHub.inTransit()).isZero();
        assertThat(dcHub.transit()).isEqualTo(new DurationStats(3, Optional.of(h(4)), Optional.of(h(6)),
                Optional.of(Duration.ofHours(4).plusMinutes(20))));
        // HUB->STORE: S1 2 h, S4 3 h. p50 rank 1 -> 2 h; p90 rank ceil(1.8)=2 -> 3 h; mean 2.5 h.
        assertThat(k.lanes().get(HUB_STORE).transit()).isEqualTo(new DurationStats(2, Optional.of(h(2)),
                Optional.of(h(3)), Optional.of(h(2.5))));
    }

    @Test
    void multiLegShipmentContributesOneLanePerLeg() {
        SupplyChainKpis k = network();
        // S1 and S4 ran DC->HUB then HUB->STORE.
        assertThat(k.lanes().get(DC_HUB).shipments()).isEqualTo(3);
        assertThat(k.lanes().get(HUB_STORE).shipments()).isEqualTo(2);
        assertThat(k.lanes().get(HUB_STORE).legs()).isEqualTo(2);

        // A round trip runs the same lane twice: two legs, one shipment.
        List<CanonicalEvent> roundTrip = List.of(
                departed("a", S6, DC, "01:00"), arrived("b", S6, HUB, "02:00"),
                departed("c", S6, HUB, "03:00"), arrived("d", S6, DC, "04:30"),
                departed("e", S6, DC, "05:00"), arrived("f", S6, HUB, "07:00"));
        SupplyChainKpis r = calculator.compute(roundTrip, List.of(), null, null, AS_OF);
        assertThat(r.lanes().keySet()).containsExactly(DC_HUB, new Lane(HUB, DC));
        LaneKpis out = r.lanes().get(DC_HUB);
        assertThat(out.shipments()).isEqualTo(1);
        assertThat(out.legs()).isEqualTo(2);
        assertThat(out.transit().p50()).contains(h(1));
        assertThat(out.transit().p90()).contains(h(2));
        assertThat(r.lanes().get(new Lane(HUB, DC)).transit().mean()).contains(h(1.5));
        // dwell at HUB 1 h, at DC 30 min
        assertThat(r.facilities().get(HUB).dwell().p50()).contains(h(1));
        assertThat(r.facilities().get(DC).dwell().p50()).contains(Duration.ofMinutes(30));
        assertThat(r.facilities().get(HUB).present()).isEqualTo(1);
    }

    @Test
    void missingArrivalMeansInTransit() {
        SupplyChainKpis k = network();
        LaneKpis open = k.lanes().get(DC_UNKNOWN);
        assertThat(open.shipments()).isEqualTo(1);
        assertThat(open.legs()).isEqualTo(1);
        assertThat(open.inTransit()).isEqualTo(1);
        assertThat(open.arrivalsUnobserved()).isZero();
        assertThat(open.transit()).isEqualTo(DurationStats.none());
        assertThat(open.arrivals()).isEqualTo(OnTime.NONE); // not judged while in transit
        // S3's planned departure 09:30 + 15 min < 10:00: late.
        assertThat(open.departures()).isEqualTo(new OnTime(0, 1, 0));
    }

    @Test
    void departureFromAnotherSiteClosesTheOpenLegWithArrivalUnobserved() {
        List<CanonicalEvent> events = List.of(
                departed("a", S6, DC, "01:00"),
                departed("b", S6, DEPOT, "05:00"), // must have reached the depot: no arrival seen
                arrived("c", S6, STORE, "07:00"));
        SupplyChainKpis k = calculator.compute(events, List.of(), null, null, AS_OF);
        LaneKpis dcDepot = k.lanes().get(new Lane(DC, DEPOT));
        assertThat(dcDepot.legs()).isEqualTo(1);
        assertThat(dcDepot.arrivalsUnobserved()).isEqualTo(1);
        assertThat(dcDepot.inTransit()).isZero();
        assertThat(dcDepot.transit().count()).isZero();
        assertThat(k.lanes().get(new Lane(DEPOT, STORE)).transit().p50()).contains(h(2));
        assertThat(k.facilities().get(DEPOT).shipmentsDeparted()).isEqualTo(1);
        assertThat(k.facilities().get(DEPOT).shipmentsArrived()).isZero();
    }

    @Test
    void dwellTimeIsArrivalToNextDepartureAtTheSameFacility() {
        SupplyChainKpis k = network();
        // HUB: S4 10:00 -> 11:30 (1.5 h), S1 12:00 -> 14:00 (2 h); S2 still there.
        FacilityKpis hub = k.facilities().get(HUB);
        assertThat(hub.dwell()).isEqualTo(new DurationStats(2, Optional.of(h(1.5)), Optional.of(h(2)),
                Optional.of(h(1.75))));
        assertThat(hub.visits()).isEqualTo(2);
        assertThat(hub.present()).isEqualTo(1);
        assertThat(hub.shipmentsArrived()).isEqualTo(3);
        assertThat(hub.shipmentsDeparted()).isEqualTo(2);
        FacilityKpis dc = k.facilities().get(DC);
        assertThat(dc.shipmentsDeparted()).isEqualTo(4);
        assertThat(dc.shipmentsArrived()).isZero();
        assertThat(dc.dwell().count()).isZero();
        FacilityKpis store = k.facilities().get(STORE);
        assertThat(store.shipmentsArrived()).isEqualTo(2);
        assertThat(store.present()).isEqualTo(2);
        assertThat(store.visits()).isZero();

        // Re-observed arrival (later) is ignored; a departure that names no site leaves from where the shipment is.
        List<CanonicalEvent> events = List.of(
                arrived("a", S6, HUB, "10:00"),
                arrived("b", S6, HUB, "10:05"),
                departed("c", S6, null, "12:30"),
                arrived("d", S6, STORE, "13:30"));
        SupplyChainKpis one = calculator.compute(events, List.of(), null, null, AS_OF);
        assertThat(one.facilities().get(HUB).dwell().p50()).contains(Duration.ofMinutes(150));
        assertThat(one.lanes().keySet()).containsExactly(HUB_STORE);
    }

    @Test
    void visitEndedByADepartureFromElsewhereHasNoDwell() {
        List<CanonicalEvent> events = List.of(
                arrived("a", S6, HUB, "10:00"),
                departed("b", S6, DEPOT, "12:00"));
        SupplyChainKpis k = calculator.compute(events, List.of(), null, null, AS_OF);
        assertThat(k.facilities().get(HUB).visits()).isZero();
        assertThat(k.facilities().get(HUB).present()).isZero();
        assertThat(k.facilities().get(HUB).shipmentsArrived()).isEqualTo(1);
        assertThat(k.lanes().keySet()).containsExactly(new Lane(DEPOT, Lane.UNKNOWN_GLN));
    }

    @Test
    void onTimeAgainstThePlanOrTheLaneAllowance() {
        SupplyChainKpis k = network();
        LaneKpis dcHub = k.lanes().get(DC_HUB);
        // departures: S1 08:00 vs 08:00 on time, S2 09:00 vs 08:50+15 on time, S4 no plan: unplanned.
        assertThat(dcHub.departures()).isEqualTo(new OnTime(2, 0, 1));
        assertThat(dcHub.departures().percent()).hasValue(100.0);
        // arrivals (not last legs / no planned arrival, so the 5 h allowance): S1 4 h on time, S2 6 h late, S4 3 h on time.
        assertThat(dcHub.arrivals()).isEqualTo(new OnTime(2, 1, 0));
        assertThat(dcHub.arrivals().percent().getAsDouble()).isCloseTo(66.667, within(0.001));

        LaneKpis hubStore = k.lanes().get(HUB_STORE);
        // second legs' departures are never judged
        assertThat(hubStore.departures()).isEqualTo(new OnTime(0, 0, 2));
        assertThat(hubStore.departures().percent()).isEmpty();
        // S1 16:00 vs planned 15:30 + 15 min: late; S4 no plan, no allowance: unplanned.
        assertThat(hubStore.arrivals()).isEqualTo(new OnTime(0, 1, 1));
        assertThat(hubStore.arrivals().percent()).hasValue(0.0);
    }

    @Test
    void shipmentWithoutPlanIsUnplannedNotLate() {
        List<CanonicalEvent> events = List.of(departed("a", S6, DC, "01:00"), arrived("b", S6, STORE, "23:00"));
        SupplyChainKpis k = calculator.compute(events, List.of(), null, networkSchedule(), AS_OF);
        LaneKpis lane = k.lanes().get(new Lane(DC, STORE));
        assertThat(lane.departures()).isEqualTo(new OnTime(0, 0, 1));
        assertThat(lane.arrivals()).isEqualTo(new OnTime(0, 0, 1));
        assertThat(lane.departures().percent()).isEmpty();
        assertThat(lane.arrivals().percent()).isEmpty();
    }

    @Test
    void toleranceIsInclusiveAndConfigurable() {
        List<CanonicalEvent> events = List.of(departed("a", S6, DC, "08:15"), arrived("b", S6, HUB, "12:15"));
        ShipmentSchedule plan = ShipmentSchedule.empty().withPlan(S6, at("08:00"), at("12:00"));
        LaneKpis byDefault = calculator.compute(events, List.of(), null, plan, AS_OF).lanes().get(DC_HUB);
        assertThat(byDefault.departures()).isEqualTo(new OnTime(1, 0, 0)); // exactly +15 min is on time
        assertThat(byDefault.arrivals()).isEqualTo(new OnTime(1, 0, 0));

        KpiCalculator strict = new KpiCalculator(KpiConfig.builder().onTimeTolerance(Duration.ofMinutes(14)).build());
        LaneKpis strictLane = strict.compute(events, List.of(), null, plan, AS_OF).lanes().get(DC_HUB);
        assertThat(strictLane.departures()).isEqualTo(new OnTime(0, 1, 0));
        assertThat(strictLane.arrivals()).isEqualTo(new OnTime(0, 1, 0));
        assertThat(KpiConfig.defaults().onTimeTolerance()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void temperatureExposureSumsTheLaneShipmentsFigures() {
        SupplyChainKpis k = network();
        // DC->HUB: S1 (30 min, 45 above), S2 (10 min, 5 above, 2.5 below), S4 (none).
        assertThat(k.lanes().get(DC_HUB).exposure()).isEqualTo(new Exposure(3, 2, 40.0, 50.0, 2.5));
        // HUB->STORE: S1 and S4.
        assertThat(k.lanes().get(HUB_STORE).exposure()).isEqualTo(new Exposure(2, 1, 30.0, 45.0, 0.0));
        // DC->?: S3 has no figures.
        assertThat(k.lanes().get(DC_UNKNOWN).exposure()).isEqualTo(Exposure.NONE);
        // Without exposure input, every lane is NONE.
        SupplyChainKpis none = calculator.compute(networkEvents(), List.of(), Map.of(), null, AS_OF);
        assertThat(none.lanes().values()).allSatisfy(l -> assertThat(l.exposure()).isEqualTo(Exposure.NONE));
    }

    @Test
    void exceptionsAreAttributedToTheLegOrVisitTheirEvidenceFallsIn() {
        SupplyChainKpis k = network();
        // DC->HUB: I1 (MAJOR, resolved in 2 h) and I3 (CRITICAL, acknowledged, open since 11:00 -> 13 h at 24:00).
        assertThat(k.lanes().get(DC_HUB).exceptions()).isEqualTo(new ExceptionStats(2, 2,
                new DurationStats(1, Optional.of(h(2)), Optional.of(h(2)), Optional.of(h(2))), 1, Optional.of(h(13))));
        // HUB->STORE: I4 (MAJOR, resolved in 6 h).
        assertThat(k.lanes().get(HUB_STORE).exceptions()).isEqualTo(new ExceptionStats(1, 1,
                new DurationStats(1, Optional.of(h(6)), Optional.of(h(6)), Optional.of(h(6))), 0, Optional.empty()));
        // DC->?: I5 is a probe fault (not spoilage), resolved in 45 min.
        ExceptionStats inTransit = k.lanes().get(DC_UNKNOWN).exceptions();
        assertThat(inTransit.total()).isEqualTo(1);
        assertThat(inTransit.spoilage()).isZero();
        assertThat(inTransit.resolution().p50()).contains(Duration.ofMinutes(45));
        // HUB: I2 (open since 13:01) and I8 (resolved only after asOf, so open): oldest 10 h 59 min.
        ExceptionStats hub = k.facilities().get(HUB).exceptions();
        assertThat(hub).isEqualTo(new ExceptionStats(2, 0, DurationStats.none(), 2,
                Optional.of(Duration.ofHours(10).plusMinutes(59))));
        assertThat(k.facilities().get(DC).exceptions()).isEqualTo(ExceptionStats.NONE);
    }

    @Test
    void networkExceptionsCountEverythingOpenedByAsOf() {
        SupplyChainKpis k = network();
        // I1..I6 and I8 (I7 opened after asOf). Resolved: I5 45 min, I1 2 h, I4 6 h -> p50 2 h, p90 6 h.
        // Spoilage: I1, I3, I4 and I6 (MAJOR breach, although unattributed).
        // Open: I2, I3, I6, I8; oldest I6 opened 05:00 -> 19 h. I6's shipment has no events: unattributed.
        ExceptionStats all = k.exceptions();
        assertThat(all.total()).isEqualTo(7);
        assertThat(all.spoilage()).isEqualTo(4);
        assertThat(all.resolved()).isEqualTo(3);
        assertThat(all.resolution().p50()).contains(h(2));
        assertThat(all.resolution().p90()).contains(h(6));
        assertThat(all.resolution().mean()).contains(Duration.ofMinutes((45 + 120 + 360) / 3));
        assertThat(all.open()).isEqualTo(4);
        assertThat(all.oldestOpenAge()).contains(h(19));
        assertThat(k.unattributedExceptions()).isEqualTo(1);
    }

    @Test
    void openExceptionAgeIsMeasuredAtAsOf() {
        SupplyChainKpis later = calculator.compute(networkEvents(), networkIncidents(), networkExposure(),
                networkSchedule(), AS_OF.plus(Duration.ofHours(3)));
        // 03:00 next day: I7 (opened 01:00) now counts and is open; I8 resolved at 02:00 (10 h after 16:00).
        assertThat(later.lanes().get(DC_HUB).exceptions().oldestOpenAge()).contains(h(16));
        ExceptionStats hub = later.facilities().get(HUB).exceptions();
        assertThat(hub.open()).isEqualTo(1);
        assertThat(hub.resolution().p50()).contains(h(10));
        assertThat(hub.oldestOpenAge()).contains(Duration.ofHours(13).plusMinutes(59));
        assertThat(later.exceptions().total()).isEqualTo(8);
        assertThat(later.exceptions().oldestOpenAge()).contains(h(22));

        // Before anything was resolved: 11:00 sees I6 and I3 (both opened by 11:00; I1 opened 10:05 too).
        SupplyChainKpis morning = calculator.compute(networkEvents(), networkIncidents(), null, null, at("11:00"));
        assertThat(morning.exceptions().total()).isEqualTo(4); // I1, I3, I5, I6
        assertThat(morning.exceptions().resolved()).isZero();
        assertThat(morning.exceptions().oldestOpenAge()).contains(h(6));
    }

    @Test
    void spoilageIsAMajorOrCriticalColdChainBreachByDefaultAndConfigurable() {
        KpiConfig d = KpiConfig.defaults();
        assertThat(d.isSpoilage("COLD_CHAIN_BREACH", "MAJOR")).isTrue();
        assertThat(d.isSpoilage("COLD_CHAIN_BREACH", "critical")).isTrue();
        assertThat(d.isSpoilage("COLD_CHAIN_BREACH", "MINOR")).isFalse();
        assertThat(d.isSpoilage("PROBE_FAULT", "CRITICAL")).isFalse();
        KpiConfig strict = KpiConfig.builder().spoilageSeverities(Set.of("critical")).build();
        assertThat(strict.isSpoilage("COLD_CHAIN_BREACH", "MAJOR")).isFalse();
        SupplyChainKpis k = new KpiCalculator(strict).compute(networkEvents(), networkIncidents(), null, null, AS_OF);
        assertThat(k.lanes().get(DC_HUB).exceptions().spoilage()).isEqualTo(1); // I3 only
        assertThat(k.exceptions().spoilage()).isEqualTo(1);
    }

    @Test
    void shuffledAndDuplicatedEventsGiveTheSameKpis() {
        SupplyChainKpis expected = network();
        List<CanonicalEvent> base = networkEvents();
        for (long seed = 1; seed <= 20; seed++) {
            List<CanonicalEvent> noisy = new ArrayList<>(base);
            noisy.addAll(base.subList(0, 5));
            // a redelivery: same source and id, different processing time
            for (CanonicalEvent e : base.subList(5, 9)) {
                noisy.add(new CanonicalEvent(e.id(), e.source(), e.type(), e.time(), e.subject(), e.devicetime(),
                        e.brokertime(), null, e.processingtime().plusSeconds(60), e.clockskewms(), false,
                        e.adapter(), null, e.data()));
            }
            Collections.shuffle(noisy, new Random(seed));
            List<ShipmentIncident> incidents = new ArrayList<>(networkIncidents());
            Collections.shuffle(incidents, new Random(seed));
            SupplyChainKpis actual = calculator.compute(noisy, incidents, networkExposure(), networkSchedule(), AS_OF);
            assertThat(actual).as("seed %d", seed).isEqualTo(expected);
        }
    }

    @Test
    void eventsAtTheSameTimeAreOrderedById() {
        // Arrival and departure at the same instant: ids decide ("a-arr" < "b-dep"), so the dwell is zero, not a
        // re-observed departure.
        List<CanonicalEvent> events = List.of(departed("0-dep", S6, DC, "01:00"),
                departed("b-dep", S6, HUB, "05:00"), arrived("a-arr", S6, HUB, "05:00"));
        SupplyChainKpis k = calculator.compute(events, List.of(), null, null, AS_OF);
        assertThat(k.facilities().get(HUB).dwell().p50()).contains(Duration.ZERO);
        assertThat(k.lanes().get(DC_HUB).transit().p50()).contains(h(4));
        assertThat(k.lanes().get(new Lane(HUB, Lane.UNKNOWN_GLN)).inTransit()).isEqualTo(1);
    }

    @Test
    void emptyInputGivesEmptyKpis() {
        SupplyChainKpis k = calculator.compute(List.of(), null, null, null, AS_OF);
        assertThat(k.events()).isZero();
        assertThat(k.lanes()).isEmpty();
        assertThat(k.facilities()).isEmpty();
        assertThat(k.exceptions()).isEqualTo(ExceptionStats.NONE);
    }
}

package io.waybill.local.demo;

import io.waybill.domain.device.RegisteredDevice;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.ReeferTrace;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which of the demo's shipments are planned, under which product class, and which one is left unplanned on purpose.
 *
 * <ul>
 *   <li>the edge reefer's shipment: {@value #EDGE_CLASS} (the band its edge component measures against);</li>
 *   <li>the generated fleet: alternately {@value #FLEET_CLASS_EVEN} and {@value #FLEET_CLASS_ODD} (one stage judges
 *       several product classes; the fleet's loggers read about 4 °C, inside both bands), except its last trip,
 *       which no plan covers: the cold chain must judge it UNCLASSIFIED (ATTENTION, never NORMAL).</li>
 * </ul>
 *
 * @param plans     the plans to publish, edge first
 * @param unplanned the fleet shipment left without a plan
 */
record Planning(List<TripPlans.Plan> plans, String unplanned) {
    static final String EDGE_CLASS = "chilled-biologics-2-8";
    static final String FLEET_CLASS_EVEN = "chilled-biologics-2-8";
    static final String FLEET_CLASS_ODD = "vaccines-2-8";
    /** Plans are issued this long before their trip departs. */
    static final Duration LEAD_TIME = Duration.ofDays(1);

    Planning {
        plans = List.copyOf(plans);
    }

    static Planning of(TrafficGenerator generator, GeneratedTraffic traffic, ReeferTrace edgeTrip) {
        List<TripPlans.Plan> plans = new ArrayList<>();
        plans.add(new TripPlans.Plan(DemoRun.EDGE_SSCC, EDGE_CLASS, GoldenTraces.TRIP_START,
                GoldenTraces.TRIP_START.plus(GoldenTraces.TRIP_LENGTH), List.of(edgeTrip.deviceId()),
                GoldenTraces.TRIP_START.minus(LEAD_TIME)));
        List<String> fleet = traffic.shipments();
        for (int i = 0; i < fleet.size() - 1; i++) {
            String sscc = fleet.get(i);
            List<String> devices = traffic.devices().stream()
                    .filter(d -> d.assignments().stream().anyMatch(a -> a.sscc().equals(sscc)))
                    .map(RegisteredDevice::thing).sorted().toList();
            plans.add(new TripPlans.Plan(sscc, i % 2 == 0 ? FLEET_CLASS_EVEN : FLEET_CLASS_ODD,
                    generator.departure(i), generator.arrival(i), devices, generator.departure(i).minus(LEAD_TIME),
                    generator.hub(i)));
        }
        return new Planning(plans, fleet.get(fleet.size() - 1));
    }

    /** The product class the demo planned for {@code sscc}, or null. */
    String plannedClass(String sscc) {
        return plans.stream().filter(p -> p.sscc().equals(sscc)).map(TripPlans.Plan::productClass).findFirst()
                .orElse(null);
    }

    void print(PrintStream out, int records, long millis) {
        out.printf(Locale.ROOT, "Shipment plans: %d waybill-plan records (the planning system %s over the partner route, and the"
                + " vendor sample's plan) stored in %,d ms, before any trip's evidence:%n", records, TripPlans.PARTNER, millis);
        for (TripPlans.Plan p : plans) {
            out.printf(Locale.ROOT, "  %s  %-22s %s -> %s  devices %s%n", p.sscc(), p.productClass(), p.departure(),
                    p.arrival(), p.devices());
        }
        out.println("  (and the vendor sample's plan events-samples/raw/waybill-plan/planned.json, from partner ACME-TMS)");
        out.printf(Locale.ROOT, "  %s  left unplanned on purpose: judged UNCLASSIFIED under the default class%n%n",
                unplanned);
    }
}

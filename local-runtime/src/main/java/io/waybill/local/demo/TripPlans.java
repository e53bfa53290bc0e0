package io.waybill.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.adapter.WaybillPlanAdapter;
import io.waybill.domain.identity.Gs1;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The demo's shipment master data: one {@code waybill-plan} message per planned trip (the format of
 * {@code events-samples/raw/waybill-plan/planned.json}), as a planning system sends it over the partner route
 * ({@code wb_route} {@code waybill-plan/}{@value #PARTNER}). Each plan names the product class the cold chain judges
 * its shipment under; a shipment left without a plan is judged UNCLASSIFIED.
 */
public final class TripPlans {
    /** The planning system the demo's plans come from (the partner id of the route, never a payload field). */
    public static final String PARTNER = "DEMO-TMS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN_GLN = gln("00001");
    /** The store every plan goes to unless it names another destination. */
    static final String DESTINATION_GLN = gln("00025");

    private TripPlans() {
    }

    /**
     * One trip's plan.
     *
     * @param sscc         the shipment (18 digits)
     * @param productClass the product class name, as the catalog writes it
     * @param departure    planned departure
     * @param arrival      planned arrival (not before the departure)
     * @param devices      the monitoring devices (thing names)
     * @param issuedAt     when the planning system issued it (the event's time)
     * @param destinationGln where the trip goes (the store, or a 3PL's site)
     */
    public record Plan(String sscc, String productClass, Instant departure, Instant arrival, List<String> devices,
                       Instant issuedAt, String destinationGln) {
        public Plan {
            Objects.requireNonNull(sscc, "sscc");
            Objects.requireNonNull(productClass, "productClass");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(destinationGln, "destinationGln");
            devices = List.copyOf(devices);
        }

        /** A plan to the store. */
        public Plan(String sscc, String productClass, Instant departure, Instant arrival, List<String> devices,
                    Instant issuedAt) {
            this(sscc, productClass, departure, arrival, devices, issuedAt, DESTINATION_GLN);
        }

        /** The raw message, with the routing fields the partner gateway adds. */
        public byte[] payload() {
            ObjectNode n = JSON.createObjectNode();
            n.put("wb_route", WaybillPlanAdapter.ID + "/" + PARTNER);
            n.put("wb_received_ms", issuedAt.toEpochMilli() + 1_000);
            n.put("planId", "DEMO-" + sscc);
            n.put("revision", 1);
            n.put("issuedAt", issuedAt.toString());
            n.put("sscc", sscc);
            n.put("productClass", productClass);
            n.putObject("origin").put("gln", ORIGIN_GLN);
            n.putObject("destination").put("gln", destinationGln);
            if (departure != null) {
                n.put("plannedDeparture", departure.toString());
            }
            if (arrival != null) {
                n.put("plannedArrival", arrival.toString());
            }
            if (!devices.isEmpty()) {
                devices.forEach(n.putArray("monitoringDevices")::add);
            }
            return n.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The payloads of {@code plans}, in order. */
    public static List<byte[]> payloads(List<Plan> plans) {
        List<byte[]> out = new ArrayList<>(plans.size());
        plans.forEach(p -> out.add(p.payload()));
        return out;
    }

    private static String gln(String location) {
        String body = "0614141" + location;
        return body + Gs1.checkDigit(body);
    }
}

package io.waybill.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.adapter.GpsTrackerAdapter;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.domain.identity.Gs1;
import io.waybill.samples.SampleCatalog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generates realistic traffic for the demo and the benchmarks: several reefer shipments, each with a dock-door RFID
 * read, a 3PL departure, a GPS geofence exit, temperature readings from one of three logger vendors (each in its
 * own format), GPS pings, an arrival and a proof of delivery. One shipment has a real temperature breach.
 *
 * <p>Then it does to the traffic what networks do: every record is sent 1-3 times, each shipment's records are
 * shuffled (out-of-order arrival), and a few poison records from {@code events-samples/malformed} are mixed in.
 * Everything is derived from the seed, so a run is reproducible.
 *
 * <p>It also says who sent it ({@link GeneratedTraffic#devices()}): every device's registry entry, its adapter, its
 * scope ({@link DeviceScope#defaultFor}: the dock-door portals are SITE devices, the rest travel) and, for the
 * travelling devices, an assignment to their trip's shipment from {@link #ASSIGNMENT_MARGIN} before the trip to as
 * long after its arrival. The partner (SWIFTLOG) is no device. The generated vendors' loggers, trackers and portals
 * do not sign, so they are registered without keys (the demo's signing device, the reefer edge, comes through
 * {@link EdgePath}).
 */
public final class TrafficGenerator {
    /** Device clocks of the generated trips start here; broker receive times trail device times by 0.3-2 s. */
    public static final Instant TRIP_START = Instant.parse("2026-11-26T06:00:00Z");
    private static final String COMPANY_PREFIX = "0614141";
    private static final String ORIGIN_DC = gln("00001");
    private static final String[] HUBS = {gln("00018"), gln("00049"), gln("00056")};
    private static final String CARRIER_GLN = gln("00032");
    private static final String STORE_GLN = gln("00025");
    private static final String[] POISON = {"truncated.json", "wrong-check-digit.json", "unknown-vendor.json",
            "impossible-temperature.json", "not-json.bin", "time-without-offset.json", "missing-identity.json"};

    /** A travelling device's assignment covers its trip with this margin either side. */
    public static final Duration ASSIGNMENT_MARGIN = Duration.ofHours(1);
    private static final Instant REGISTERED_AT = TRIP_START.minus(Duration.ofDays(1));

    private final ObjectMapper json = new ObjectMapper();
    /** The devices of the generated trips: thing -> adapter, scope, assignments (insertion order). */
    private final Map<String, DeviceEntry> devices = new LinkedHashMap<>();

    private record DeviceEntry(String adapter, DeviceScope scope, List<ShipmentAssignment> assignments) {
    }
    private final Random random;
    private final int firstTrip;
    private final int shipments;
    private final int readingsPerShipment;
    private final int maxSends;
    private final int poisonCount;

    /**
     * @param seed                 makes the run reproducible
     * @param shipments            number of shipments (trips)
     * @param readingsPerShipment  temperature messages per shipment, one a minute
     * @param maxSends             every record is sent 1..maxSends times (1 = no duplicates)
     * @param poisonCount          malformed records mixed in
     */
    public TrafficGenerator(long seed, int shipments, int readingsPerShipment, int maxSends, int poisonCount) {
        this(seed, 0, shipments, readingsPerShipment, maxSends, poisonCount);
    }

    /**
     * @param firstTrip number of the first trip: its shipment, devices and their sequence numbers are this trip's
     *                  own. Two generators whose trip ranges overlap make devices that reuse sequence numbers for
     *                  other readings (id conflicts, rightly dead-lettered); runs that add fresh traffic to a store
     *                  use ranges of their own.
     */
    public TrafficGenerator(long seed, int firstTrip, int shipments, int readingsPerShipment, int maxSends,
                            int poisonCount) {
        this.firstTrip = firstTrip;
        this.random = new Random(seed);
        this.shipments = shipments;
        this.readingsPerShipment = readingsPerShipment;
        this.maxSends = maxSends;
        this.poisonCount = poisonCount;
    }

    public GeneratedTraffic generate() {
        List<List<GeneratedTraffic.TrafficRecord>> perShipment = new ArrayList<>();
        List<String> ssccs = new ArrayList<>();
        int distinct = 0;
        int duplicates = 0;
        for (int k = firstTrip; k < firstTrip + shipments; k++) {
            String sscc = sscc(k);
            ssccs.add(sscc);
            List<GeneratedTraffic.TrafficRecord> trip = new ArrayList<>();
            for (GeneratedTraffic.TrafficRecord r : trip(k, sscc)) {
                distinct++;
                int sends = 1 + random.nextInt(maxSends);
                trip.add(r);
                for (int s = 1; s < sends; s++) {
                    trip.add(new GeneratedTraffic.TrafficRecord(r.payload(), r.partitionKey(), sscc, false));
                    duplicates++;
                }
            }
            Collections.shuffle(trip, random);
            perShipment.add(trip);
        }
        List<GeneratedTraffic.TrafficRecord> publishOrder = interleave(perShipment);
        for (int p = 0; p < poisonCount; p++) {
            byte[] poison = SampleCatalog.bytes("malformed/" + POISON[p % POISON.length]);
            publishOrder.add(random.nextInt(publishOrder.size() + 1),
                    new GeneratedTraffic.TrafficRecord(poison, "poison-" + p, null, true));
        }
        return new GeneratedTraffic(publishOrder, distinct, duplicates, poisonCount, ssccs, registeredDevices());
    }

    /** The registry entries of every device seen so far. */
    private List<RegisteredDevice> registeredDevices() {
        List<RegisteredDevice> out = new ArrayList<>();
        devices.forEach((thing, d) -> out.add(new RegisteredDevice(thing, d.adapter(), DeviceStatus.ACTIVE, d.scope(),
                Map.of(), d.assignments(), Map.of(), REGISTERED_AT)));
        return out;
    }

    /** Notes the device of {@code route} ({@code adapter/thing}); a travelling one gets the trip's assignment. */
    private void device(String route, String sscc, Instant tripStart, Instant tripEnd) {
        String adapter = route.substring(0, route.indexOf('/'));
        String thing = route.substring(route.indexOf('/') + 1);
        if (io.waybill.local.iot.LocalDeviceAuthority.PARTNER_ADAPTERS.contains(adapter)) {
            return;
        }
        DeviceScope scope = DeviceScope.defaultFor(adapter);
        DeviceEntry entry = devices.computeIfAbsent(thing, t -> new DeviceEntry(adapter, scope, new ArrayList<>()));
        if (scope == DeviceScope.SHIPMENT) {
            ShipmentAssignment a = new ShipmentAssignment(sscc, tripStart.minus(ASSIGNMENT_MARGIN),
                    tripEnd.plus(ASSIGNMENT_MARGIN));
            if (!entry.assignments().contains(a)) {
                entry.assignments().add(a);
            }
        }
    }

    /** Round-robin over the shipments, so all trips are in flight at once as in a real fleet. */
    private static List<GeneratedTraffic.TrafficRecord> interleave(List<List<GeneratedTraffic.TrafficRecord>> trips) {
        List<GeneratedTraffic.TrafficRecord> out = new ArrayList<>();
        int max = trips.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < max; i++) {
            for (List<GeneratedTraffic.TrafficRecord> t : trips) {
                if (i < t.size()) {
                    out.add(t.get(i));
                }
            }
        }
        return out;
    }

    /** The 3PL hub sites the trips arrive at (trip k at {@code HUBS[k % 3]}). */
    public static List<String> hubs() {
        return List.of(HUBS);
    }

    /** The 3PL hub the {@code index}-th generated trip (0 = the first) goes to: its plan's destination. */
    public String hub(int index) {
        return HUBS[(firstTrip + index) % HUBS.length];
    }

    /** When the {@code index}-th generated trip (0 = the first) departs: its 3PL departure event. */
    public Instant departure(int index) {
        return TRIP_START.plus(Duration.ofMinutes(10L * (firstTrip + index)));
    }

    /** When the {@code index}-th generated trip arrives (its geofence entry; the 3PL's arrival 45 s later). */
    public Instant arrival(int index) {
        return departure(index).plus(Duration.ofMinutes(readingsPerShipment + 5));
    }

    private List<GeneratedTraffic.TrafficRecord> trip(int k, String sscc) {
        List<GeneratedTraffic.TrafficRecord> out = new ArrayList<>();
        Instant start = departure(k - firstTrip);
        Instant arrival = arrival(k - firstTrip);
        String hub = HUBS[k % HUBS.length];
        String tracker = "IMEI-35693803" + String.format(Locale.ROOT, "%07d", 5643809 + k);
        boolean breachTrip = k - firstTrip == 1 % Math.max(1, shipments);
        Instant tripStart = start.minusSeconds(300); // the dock-door read
        Instant tripEnd = arrival.plusSeconds(600); // the proof of delivery
        device("rfid-portal/DOCK-DOOR-" + (1 + k % 4), sscc, tripStart, tripEnd);
        device("gps-tracker/" + tracker, sscc, tripStart, tripEnd);
        device(switch (k % 3) {
            case 0 -> "thermotrack/TT-" + (4200 + k);
            case 1 -> "coldchainco/CC-" + (900 + k);
            default -> "frostbyte/FB-" + (7700 + k);
        }, sscc, tripStart, tripEnd);

        out.add(record("rfid-portal/DOCK-DOOR-" + (1 + k % 4), rfidRead(k, sscc, start.minusSeconds(300)), sscc));
        out.add(record("swiftlog/SWIFTLOG", partner(k, "DEP", sscc, start, ORIGIN_DC, null), sscc));
        out.add(record("gps-tracker/" + tracker, gps(tracker, sscc, "GEOFENCE_EXIT", start.plusSeconds(30), 51.9225, 4.47917, ORIGIN_DC), sscc));
        double lat = 51.9225;
        double lon = 4.47917;
        for (int i = 0; i < readingsPerShipment; i++) {
            Instant t = start.plus(Duration.ofMinutes(i + 1));
            double celsius = 4.0 + Math.round(random.nextGaussian() * 40) / 100.0;
            if (breachTrip && i >= readingsPerShipment / 2 && i < readingsPerShipment / 2 + 12) {
                celsius = 9.1 + i % 3 * 0.2; // a reefer unit failing for 12 minutes
            }
            out.add(switch (k % 3) {
                case 0 -> record("thermotrack/TT-" + (4200 + k), thermoTrack(k, i, sscc, t, celsius), sscc);
                case 1 -> record("coldchainco/CC-" + (900 + k), coldChainReading(k, i, sscc, t, celsius), sscc);
                default -> record("frostbyte/FB-" + (7700 + k), frostByte(k, i, sscc, t, celsius), sscc);
            });
            if (breachTrip && k % 3 == 1 && i == readingsPerShipment / 2 + 9) {
                out.add(record("coldchainco/CC-" + (900 + k), coldChainAlarm(k, i, sscc, t, celsius), sscc));
            }
            if (i % 10 == 9) {
                lat -= 0.02;
                lon += 0.05;
                out.add(record("gps-tracker/" + tracker, gps(tracker, sscc, "PING", t.plusSeconds(20), lat, lon, null), sscc));
            }
        }
        out.add(record("gps-tracker/" + tracker, gps(tracker, sscc, "GEOFENCE_ENTER", arrival, 51.44164, 5.46972, hub), sscc));
        out.add(record("swiftlog/SWIFTLOG", partner(k, "ARR", sscc, arrival.plusSeconds(45), hub, null), sscc));
        out.add(record("swiftlog/SWIFTLOG", partner(k, "POD", sscc, arrival.plusSeconds(600), hub, true), sscc));
        return out;
    }

    private GeneratedTraffic.TrafficRecord record(String route, ObjectNode payload, String sscc) {
        payload.put("wb_route", route);
        return new GeneratedTraffic.TrafficRecord(payload.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                route.substring(route.indexOf('/') + 1), sscc, true);
    }

    private long received(Instant deviceTime) {
        return deviceTime.toEpochMilli() + 300 + random.nextInt(1700);
    }

    private ObjectNode thermoTrack(int k, int i, String sscc, Instant t, double celsius) {
        ObjectNode n = json.createObjectNode();
        n.put("wb_received_ms", received(t));
        n.put("dev", "TT-" + (4200 + k));
        n.put("seq", String.valueOf(i));
        n.put("sscc", sscc);
        n.put("win_start", String.valueOf(t.minusSeconds(60).getEpochSecond()));
        n.put("win_end", String.valueOf(t.getEpochSecond()));
        double f = celsius * 9 / 5 + 32;
        n.put("t_min_f", fmt(f - 0.4));
        n.put("t_max_f", fmt(f + 0.4));
        n.put("t_avg_f", fmt(f));
        n.put("n", "60");
        n.put("rh", String.valueOf(55 + random.nextInt(10)));
        return n;
    }

    private ObjectNode coldChainReading(int k, int i, String sscc, Instant t, double celsius) {
        ObjectNode n = coldChainBase(k, i, sscc, t);
        ObjectNode r = n.putObject("reading");
        r.put("at", t.toEpochMilli());
        r.put("celsius", celsius);
        r.put("humidity", 60 + random.nextInt(10));
        return n;
    }

    private ObjectNode coldChainAlarm(int k, int i, String sscc, Instant t, double celsius) {
        ObjectNode n = coldChainBase(k, i, sscc, t);
        n.put("msgId", "cc" + (900 + k) + "-alarm-" + i);
        ObjectNode a = n.putObject("alarm");
        a.put("at", t.toEpochMilli());
        a.put("kind", "TEMP_HIGH");
        a.put("celsius", celsius);
        a.put("limitCelsius", 8.0);
        a.put("sinceMs", 600_000);
        return n;
    }

    private ObjectNode coldChainBase(int k, int i, String sscc, Instant t) {
        ObjectNode n = json.createObjectNode();
        n.put("wb_received_ms", received(t));
        n.put("msgId", "cc" + (900 + k) + "-" + i);
        ObjectNode d = n.putObject("device");
        d.put("id", "CC-" + (900 + k));
        d.put("fw", "2.1.4");
        n.putObject("shipment").put("sscc", sscc);
        return n;
    }

    private ObjectNode frostByte(int k, int i, String sscc, Instant t, double celsius) {
        ObjectNode n = json.createObjectNode();
        n.put("wb_received_ms", received(t));
        n.put("deviceSerial", "FB-" + (7700 + k));
        n.put("observedAt", t.atOffset(java.time.ZoneOffset.ofHours(1)).toString());
        n.put("shipment", "urn:epc:id:sscc:" + COMPANY_PREFIX + "." + sscc.charAt(0) + sscc.substring(8, 17));
        ObjectNode temp = n.putObject("temperature");
        temp.put("value", fmt(celsius + 273.15));
        temp.put("unit", "K");
        n.put("counter", i);
        return n;
    }

    private ObjectNode gps(String tracker, String sscc, String evt, Instant t, double lat, double lon,
                           String geofenceGln) {
        ObjectNode n = json.createObjectNode();
        n.put("wb_received_ms", received(t));
        n.put("imei", tracker.substring(GpsTrackerAdapter.THING_PREFIX.length()));
        n.put("sscc", sscc);
        n.put("evt", evt);
        ObjectNode fix = n.putObject("fix");
        fix.put("lat", fmt(lat));
        fix.put("lon", fmt(lon));
        fix.put("acc_m", 5 + random.nextInt(10));
        fix.put("ts", t.getEpochSecond());
        if ("PING".equals(evt)) {
            n.put("speed_kmh", fmt(60 + random.nextInt(30)));
        }
        if (geofenceGln != null) {
            n.putObject("geofence").put("gln", geofenceGln);
        }
        return n;
    }

    private ObjectNode rfidRead(int k, String sscc, Instant t) {
        ObjectNode n = json.createObjectNode();
        n.put("wb_received_ms", received(t));
        n.put("readerId", "DOCK-DOOR-" + (1 + k % 4));
        n.put("siteGln", ORIGIN_DC);
        n.put("readTime", t.toString());
        ArrayNode tags = n.putArray("tags");
        for (int c = 0; c < 6; c++) {
            tags.addObject().put("epc", "urn:epc:id:sgtin:" + COMPANY_PREFIX + ".812345." + (10_000 + k * 100 + c)).put("rssi", -50 - c);
        }
        tags.addObject().put("epc", "urn:epc:id:sscc:" + COMPANY_PREFIX + "." + sscc.charAt(0) + sscc.substring(8, 17)).put("rssi", -48);
        return n;
    }

    private ObjectNode partner(int k, String status, String sscc, Instant t, String facility, Boolean handover) {
        ObjectNode n = json.createObjectNode();
        n.put("wb_received_ms", received(t));
        n.put("messageId", "SL-" + status + "-" + sscc);
        n.put("statusCode", status);
        n.put("sscc", "(00)" + sscc);
        n.putObject("facility").put("gln", facility);
        n.put("eventTimeUtc", t.toString());
        if ("DEP".equals(status)) {
            ObjectNode w = n.putObject("grossWeight");
            w.put("value", fmt(1800 + k * 55.5));
            w.put("uom", "LBR");
            n.put("carrier", "SWIFTLOG");
        }
        if (handover != null) {
            ObjectNode h = n.putObject("handover");
            h.put("fromGln", CARRIER_GLN);
            h.put("toGln", STORE_GLN);
        }
        return n;
    }

    /** SSCC for shipment k: extension digit 3, company prefix 0614141, serial reference 7000000 + k. */
    static String sscc(int k) {
        String body = "3" + COMPANY_PREFIX + String.format(Locale.ROOT, "%09d", 7_000_000 + k);
        return body + Gs1.checkDigit(body);
    }

    private static String gln(String location) {
        String body = COMPANY_PREFIX + location;
        return body + Gs1.checkDigit(body);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}

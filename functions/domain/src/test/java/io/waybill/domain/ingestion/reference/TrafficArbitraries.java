package io.waybill.domain.ingestion.reference;

import io.waybill.domain.ingestion.reference.Traffic.Delivery;
import io.waybill.domain.ingestion.reference.Traffic.Kind;
import io.waybill.domain.ingestion.reference.Traffic.Producer;
import io.waybill.domain.ingestion.reference.Traffic.Reading;
import io.waybill.domain.ingestion.reference.Traffic.Vendor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Realistic raw traffic for the ingest properties: a few shipments, each with a 3PL partner's departures, arrivals
 * and proof-of-delivery handovers, a GPS tracker's pings and geofence exits and entries, and one or two temperature
 * loggers (ColdChainCo, ThermoTrack, Waybill edge). Producers' clocks are right, behind or ahead by seconds to days;
 * some producers were offline and forward their messages weeks late; every reading may be resent up to 60 days
 * later (a new broker receive time, the same message), or published twice at once; an id-bearing producer may reuse
 * a message id or sequence number for another reading (counter reset). Each producer's copies travel on one shard,
 * in any order.
 *
 * <p>The shape (shipments, shards, readings per producer) is shrinkable; the details come from a seed.
 */
public final class TrafficArbitraries {
    /** The journey starts here; event times fall on a 10-minute grid over 3 days, so ties between producers occur. */
    static final Instant JOURNEY_START = Instant.parse("2026-11-27T00:00:00Z");
    private static final int GRID_SLOTS = 3 * 24 * 6;
    /** GLNs with valid check digits, from the samples. */
    private static final List<String> SITES = List.of("0614141000012", "0614141000180", "0614141000326",
            "0614141000258", "4012345000009");

    /**
     * What the traffic may contain.
     *
     * @param idReuse                    producers reuse ids for other readings
     * @param futureClocksWithoutStamp   producers without a send stamp may run more than 2 minutes ahead, so the
     *                                   stored copy's time is capped at its receive time and depends on which copy
     *                                   is stored first
     */
    public record Options(boolean idReuse, boolean futureClocksWithoutStamp) {
        public static final Options EVERYTHING = new Options(true, true);
        /** Traffic whose final state must not depend on the order of copies even within a shard. */
        public static final Options ORDER_FREE = new Options(false, false);
    }

    private TrafficArbitraries() {
    }

    public static Arbitrary<Traffic> traffic(Options options) {
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1, 6), Arbitraries.longs())
                .as((shipments, shards, perProducer, seed) -> build(options, shipments, shards, perProducer,
                        new Random(seed)));
    }

    static Traffic build(Options o, int shipmentCount, int shardCount, int perProducer, Random r) {
        List<Reading> readings = new ArrayList<>();
        Producer partner = producer(o, Vendor.SWIFTLOG, "SWIFTLOG", r);
        long[] partnerMessage = {9000};
        List<Producer> producers = new ArrayList<>(List.of(partner));
        for (int s = 0; s < shipmentCount; s++) {
            String sscc = sscc(100_000 + s * 7919L);
            for (Reading x : journey(partner, sscc, perProducer, r, partnerMessage)) {
                readings.add(x);
            }
            Producer gps = producer(o, Vendor.GPS_TRACKER, "IMEI-35693803564" + (3800 + s), r);
            producers.add(gps);
            readings.addAll(readings(gps, sscc, perProducer, r));
            List<Vendor> loggers = new ArrayList<>(List.of(Vendor.COLDCHAINCO, Vendor.THERMOTRACK, Vendor.WAYBILL_EDGE));
            Collections.shuffle(loggers, r);
            for (Vendor v : loggers.subList(0, 1 + r.nextInt(2))) {
                String id = switch (v) {
                    case COLDCHAINCO -> "CC-00" + (10 + s);
                    case THERMOTRACK -> "TT-00" + (40 + s);
                    default -> "reefer-" + (10 + s);
                };
                Producer logger = producer(o, v, id, r);
                producers.add(logger);
                readings.addAll(readings(logger, sscc, perProducer, r));
            }
        }
        if (o.idReuse()) {
            List<Reading> reused = new ArrayList<>();
            for (Reading x : readings) {
                if (x.producer().vendor() != Vendor.GPS_TRACKER && r.nextInt(6) == 0) {
                    reused.add(reuse(x, r));
                }
            }
            readings.addAll(reused);
        }
        Map<Producer, Integer> shardOf = new LinkedHashMap<>();
        producers.forEach(p -> shardOf.put(p, r.nextInt(shardCount)));
        List<List<Delivery>> shards = new ArrayList<>();
        for (int i = 0; i < shardCount; i++) {
            shards.add(new ArrayList<>());
        }
        int serial = 0;
        for (Reading x : readings) {
            List<Delivery> shard = shards.get(shardOf.get(x.producer()));
            Duration forwarding = x.producer().offline() ? Duration.ofHours(24L * 7 + r.nextInt(24 * 28))
                    : Duration.ofMillis(r.nextInt(30_000));
            Instant received = x.happenedAt().plus(x.producer().networkDelay()).plus(forwarding);
            shard.add(new Delivery(x, received, serial++));
            if (r.nextInt(5) == 0) { // published twice at once (QoS 1 retry): same receive second, same bytes
                shard.add(new Delivery(x, received, serial++));
            }
            for (int resend = r.nextInt(3); resend > 0; resend--) { // resent up to 60 days later
                shard.add(new Delivery(x, received.plus(Duration.ofSeconds(60 + r.nextInt(60 * 24 * 3600))), serial++));
            }
        }
        shards.forEach(s -> Collections.shuffle(s, r));
        shards.removeIf(List::isEmpty);
        return new Traffic(shards);
    }

    private static List<Reading> journey(Producer partner, String sscc, int count, Random r, long[] message) {
        List<Reading> out = new ArrayList<>();
        for (int slot : slots(count, r)) {
            Kind kind = List.of(Kind.DEPARTED, Kind.ARRIVED, Kind.CUSTODY).get(r.nextInt(3));
            out.add(new Reading(partner, message[0]++, sscc, kind, at(slot), 0, site(r),
                    kind == Kind.CUSTODY ? site(r) : null, 0, 0));
        }
        return out;
    }

    private static List<Reading> readings(Producer p, String sscc, int count, Random r) {
        List<Reading> out = new ArrayList<>();
        long number = 100 + r.nextInt(1000);
        for (int slot : slots(count, r)) {
            if (p.vendor() == Vendor.GPS_TRACKER) {
                Kind kind = r.nextInt(3) == 0 ? (r.nextBoolean() ? Kind.DEPARTED : Kind.ARRIVED) : Kind.LOCATED;
                out.add(new Reading(p, 0, sscc, kind, at(slot), 0, kind == Kind.LOCATED ? null : site(r), null,
                        5_000_000 + r.nextInt(300_000), 400_000 + r.nextInt(300_000)));
            } else {
                out.add(new Reading(p, number++, sscc, Kind.TEMPERATURE, at(slot), celsius(r), null, null, 0, 0));
            }
        }
        return out;
    }

    /** The same message id or sequence, another reading minutes later: a counter reset or firmware bug. */
    private static Reading reuse(Reading x, Random r) {
        Instant later = x.happenedAt().plus(Duration.ofMinutes(1 + r.nextInt(9)));
        if (x.kind() == Kind.TEMPERATURE) {
            return new Reading(x.producer(), x.number(), x.sscc(), x.kind(), later, x.celsius() + 0.5 + r.nextInt(8),
                    null, null, 0, 0);
        }
        Kind kind = x.kind() == Kind.DEPARTED ? Kind.ARRIVED : Kind.DEPARTED;
        return new Reading(x.producer(), x.number(), x.sscc(), kind, later, 0, site(r), null, 0, 0);
    }

    private static Producer producer(Options o, Vendor v, String id, Random r) {
        Duration ahead = switch (r.nextInt(6)) {
            case 0, 1 -> Duration.ZERO;
            case 2 -> Duration.ofSeconds(r.nextInt(90));                       // within the cap
            case 3 -> Duration.ofMinutes(-(1 + r.nextInt(59)));                // behind by minutes
            case 4 -> Duration.ofHours(-(1 + r.nextInt(24 * 5)));              // behind by hours to days
            default -> v.sendsItsSendTime() || o.futureClocksWithoutStamp()
                    ? Duration.ofMinutes(3 + r.nextInt(60 * 24 * 3))             // ahead by minutes to days
                    : Duration.ofSeconds(-r.nextInt(90));
        };
        return new Producer(v, id, ahead, Duration.ofMillis(r.nextInt(1500)), v != Vendor.SWIFTLOG && r.nextInt(6) == 0);
    }

    private static Instant at(int slot) {
        return JOURNEY_START.plus(Duration.ofMinutes(10L * slot));
    }

    private static List<Integer> slots(int count, Random r) {
        List<Integer> all = new ArrayList<>();
        while (all.size() < count) {
            int s = r.nextInt(GRID_SLOTS);
            if (!all.contains(s)) {
                all.add(s);
            }
        }
        return all;
    }

    private static double celsius(Random r) {
        return (r.nextInt(41) - 10) / 2.0;
    }

    private static String site(Random r) {
        return SITES.get(r.nextInt(SITES.size()));
    }

    /** An SSCC with extension digit 1, GS1 company prefix 0614141 and a valid check digit (GS1 General Specifications 7.9.1). */
    static String sscc(long serial) {
        String body = "10614141" + String.format("%09d", serial);
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int digit = body.charAt(body.length() - 1 - i) - '0';
            sum += i % 2 == 0 ? 3 * digit : digit;
        }
        return body + (10 - sum % 10) % 10;
    }
}

package io.waybill.domain.ingestion.reference;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Generated raw traffic as the generator knows it: who produced each fact, what it says, when it really happened and
 * how every copy of it was received. Nothing here comes from production code: the raw messages are rendered from it
 * ({@link RawMessages}) and the expected outcome is derived from it ({@link ReferenceIngest}).
 *
 * @param shards the deliveries of each shard in the order the shard holds them (a producer's messages share its
 *               partition key, the producer id, so all its copies sit on one shard)
 */
public record Traffic(List<List<Delivery>> shards) {

    /** The vendor formats the generator speaks, with how each identifies its messages. */
    public enum Vendor {
        /** 3PL partner: {@code messageId}; ISO time; no send stamp. */
        SWIFTLOG("swiftlog"),
        /** GPS tracker: no message id, no sequence (identity is a hash of the raw message); epoch seconds. */
        GPS_TRACKER("gps-tracker"),
        /** ColdChainCo logger: {@code msgId}; epoch milliseconds. */
        COLDCHAINCO("coldchainco"),
        /** ThermoTrack logger: sequence {@code seq}; epoch seconds; °F. */
        THERMOTRACK("thermotrack"),
        /** Waybill's edge component: {@code sequence}; ISO time; a send stamp {@code sentTime} by the device clock. */
        WAYBILL_EDGE("waybill-edge");

        public final String adapter;

        Vendor(String adapter) {
            this.adapter = adapter;
        }

        public boolean sendsItsSendTime() {
            return this == WAYBILL_EDGE;
        }
    }

    /** What a fact says about its shipment. */
    public enum Kind { DEPARTED, ARRIVED, LOCATED, CUSTODY, TEMPERATURE }

    /**
     * A device or partner.
     *
     * @param clockAhead   the producer's clock minus true time (negative: behind)
     * @param networkDelay from sending a message to the broker receiving it
     * @param offline      out of coverage for the trip: forwards every message one to five weeks late
     */
    public record Producer(Vendor vendor, String id, Duration clockAhead, Duration networkDelay, boolean offline) {
        public String source() {
            return "urn:waybill:" + vendor.adapter + ":" + id;
        }
    }

    /**
     * One fact, as its producer would send it.
     *
     * @param number     the producer's message number (message id suffix or sequence; unused by GPS trackers);
     *                   two readings of one producer with the same number are an id reuse
     * @param happenedAt the true time (whole seconds)
     * @param celsius    temperature readings, a multiple of 0.5 °C
     * @param gln        the site (departure, arrival, custody handover), or null
     * @param toPartyGln the new custodian (custody only)
     * @param latitude   GPS fixes: degrees × 100,000 (five decimals, as trackers send them)
     */
    public record Reading(Producer producer, long number, String sscc, Kind kind, Instant happenedAt, double celsius,
                          String gln, String toPartyGln, long latitude, long longitude) {
        /** What the producer's clock said when it happened. */
        public Instant deviceTime() {
            return happenedAt.plus(producer.clockAhead());
        }
    }

    /**
     * One copy of a reading on the stream.
     *
     * @param receivedAt when the broker received this copy (milliseconds)
     * @param serial     unique in the traffic (it becomes the record's sequence number on its shard)
     */
    public record Delivery(Reading reading, Instant receivedAt, int serial) {
        public Delivery {
            Objects.requireNonNull(reading, "reading");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }

        /** The producer's clock when it sent this copy: received minus the network delay, on its clock. */
        public Instant sentTime() {
            return receivedAt.minus(reading.producer().networkDelay()).plus(reading.producer().clockAhead());
        }
    }

    public List<Delivery> all() {
        List<Delivery> all = new ArrayList<>();
        shards.forEach(all::addAll);
        return all;
    }

    public int size() {
        return shards.stream().mapToInt(List::size).sum();
    }
}

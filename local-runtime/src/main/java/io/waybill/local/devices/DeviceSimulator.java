package io.waybill.local.devices;

import io.waybill.edge.model.TemperatureReading;
import io.waybill.edge.sensor.SensorPayload;
import io.waybill.local.iot.LocalMqttClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Replays device traces as MQTT 5 publishes (QoS 1) through {@link LocalMqttClient}, the AWS IoT Device SDK's aws-crt
 * client, one client per device (client id = device id, as on IoT Core), connected by a {@link DeviceConnector}:
 * plain TCP to the local broker, or mutual TLS with a certificate per thing (AWS IoT Core, or the local broker's
 * mutual-TLS listener):
 * <ul>
 *   <li>reefer temperature probes on {@code sensors/<sensorId>/temperature} with {@code {"at":epochMillis,
 *       "celsius":4.2}}, the input of the Greengrass edge component ({@link #temperatureSensor});</li>
 *   <li>vendor devices on {@code dt/waybill/<stage>/<adapter>/<thing>} (stage {@value #LOCAL_STAGE} unless given)
 *       in their own raw format, i.e. the
 *       {@code events-samples/raw/<adapter>/*.json} shapes without the {@code wb_*} fields the IoT rule adds:
 *       GPS pings ({@link #gpsTrackers}, adapter {@code gps-tracker}) and RFID portal reads ({@link #rfidPortals},
 *       adapter {@code rfid-portal}).</li>
 * </ul>
 * Traces of several devices are merged by time with {@link #merge}. {@link #replay} sends them at a {@link Rate}
 * (messages per second overall, or as fast as possible), never with more than {@code maxInFlight} publishes
 * unacknowledged; the
 * messages of one device go out in trace order.
 *
 * <p>With {@link #signWith} each vendor device signs its messages as a real one does: {@code wb_sig} with its key and
 * its own sequence, 0, 1, 2, ... in the order it publishes (per device, strictly increasing), the payload published as
 * {@code PayloadSignature.sign} returns it.
 */
public final class DeviceSimulator implements AutoCloseable {
    /** GPS pings and RFID reads are shaped like the samples of these adapters. */
    public static final String GPS_ADAPTER = "gps-tracker";
    public static final String RFID_ADAPTER = "rfid-portal";
    /** The local stack's stage ({@code LocalIotRule.LOCAL_STAGE}): the stage level of the topics devices publish on. */
    public static final String LOCAL_STAGE = io.waybill.local.iot.LocalIotRule.LOCAL_STAGE;
    /**
     * Default bound of unacknowledged publishes (all devices together). A PUBACK only says the broker took the
     * message, not that a subscriber got it, so this bounds the publisher only; see the back-pressure
     * {@link #replay(List, Rate, LongSupplier, long)} for a lossless replay into a slower subscriber.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 32;
    /** Default bound of messages published ahead of a consumer's progress (see the back-pressure replay). */
    public static final long DEFAULT_MAX_AHEAD = 200;

    /** One publish of one device; {@code at} is its time in the trace (used to merge traces, not sent). */
    public record DeviceMessage(String deviceId, Instant at, String topic, byte[] payload) {
        public DeviceMessage {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** Messages per second over all devices, or {@link #asFastAsPossible()}. */
    public record Rate(double messagesPerSecond) {
        public Rate {
            if (!(messagesPerSecond > 0)) {
                throw new IllegalArgumentException("rate must be > 0 messages/s (or infinite): " + messagesPerSecond);
            }
        }

        public static Rate perSecond(double messagesPerSecond) {
            return new Rate(messagesPerSecond);
        }

        public static Rate asFastAsPossible() {
            return new Rate(Double.POSITIVE_INFINITY);
        }

        public boolean unlimited() {
            return Double.isInfinite(messagesPerSecond);
        }
    }

    /** What a replay sent: messages and payload bytes (all PUBACKed), devices, wall-clock time. */
    public record Result(long messages, long payloadBytes, int devices, Duration elapsed) {
        public double messagesPerSecond() {
            return elapsed.isZero() ? Double.POSITIVE_INFINITY : messages * 1e9 / elapsed.toNanos();
        }
    }

    private final DeviceConnector connector;
    private final Duration timeout;
    private final int maxInFlight;
    private final Map<String, LocalMqttClient> clients = new LinkedHashMap<>();
    private volatile java.util.function.ObjLongConsumer<DeviceMessage> onPublish = (m, t) -> { };
    private volatile java.util.function.Function<String, io.waybill.edge.component.SigningKey> keys = thing -> null;
    private final Map<String, AtomicLong> sequences = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param timeout how long to wait for a device's connection and, at the end of a replay, for the outstanding
     *                PUBACKs
     */
    public DeviceSimulator(String host, int port, Duration timeout) {
        this(host, port, timeout, DEFAULT_MAX_IN_FLIGHT);
    }

    /** @param maxInFlight unacknowledged publishes at most, all devices together */
    public DeviceSimulator(String host, int port, Duration timeout, int maxInFlight) {
        this(DeviceConnector.plain(host, port), timeout, maxInFlight);
    }

    /**
     * @param connector   how each device connects (plain TCP, or mutual TLS as on AWS IoT Core)
     * @param maxInFlight unacknowledged publishes at most, all devices together
     */
    public DeviceSimulator(DeviceConnector connector, Duration timeout, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1: " + maxInFlight);
        }
        this.connector = Objects.requireNonNull(connector, "connector");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxInFlight = maxInFlight;
    }

    // ---- traces ------------------------------------------------------------------------------------------------

    /** A temperature probe's readings on {@code sensors/<sensorId>/temperature} (the edge component's input). */
    public static List<DeviceMessage> temperatureSensor(List<TemperatureReading> readings) {
        List<DeviceMessage> out = new ArrayList<>(readings.size());
        for (TemperatureReading r : readings) {
            out.add(new DeviceMessage(r.sensorId(), r.at(), "sensors/" + r.sensorId() + "/temperature",
                    SensorPayload.of(r)));
        }
        return out;
    }

    /**
     * {@code devices} GPS trackers ({@code IMEI-<imei>}), each pinging every {@code interval} from {@code start},
     * {@code pingsPerDevice} times, moving along a straight line from Den Bosch; shape of
     * {@code raw/gps-tracker/ping.json}.
     */
    public static List<DeviceMessage> gpsTrackers(int devices, int pingsPerDevice, Instant start, Duration interval,
                                                  String shipmentSscc) {
        return gpsTrackers(LOCAL_STAGE, devices, pingsPerDevice, start, interval, shipmentSscc);
    }

    /** {@link #gpsTrackers(int, int, Instant, Duration, String)} on the topics of {@code stage}. */
    public static List<DeviceMessage> gpsTrackers(String stage, int devices, int pingsPerDevice, Instant start,
                                                  Duration interval, String shipmentSscc) {
        List<DeviceMessage> out = new ArrayList<>(devices * pingsPerDevice);
        for (int d = 0; d < devices; d++) {
            String imei = String.format(Locale.ROOT, "3569380356%05d", d);
            String thing = "IMEI-" + imei;
            for (int i = 0; i < pingsPerDevice; i++) {
                Instant at = start.plus(interval.multipliedBy(i));
                String json = String.format(Locale.ROOT, "{\"imei\":\"%s\",\"sscc\":\"%s\",\"evt\":\"PING\","
                                + "\"fix\":{\"lat\":\"%.5f\",\"lon\":\"%.5f\",\"acc_m\":8,\"ts\":%d},\"speed_kmh\":\"%.1f\"}",
                        imei, shipmentSscc, 51.68301 + 0.001 * i + 0.01 * d, 5.06213 + 0.0015 * i,
                        at.getEpochSecond(), 60.0 + (i % 40));
                out.add(new DeviceMessage(thing, at, topic(stage, GPS_ADAPTER, thing), utf8(json)));
            }
        }
        return out;
    }

    /**
     * {@code devices} RFID dock-door portals ({@code DOCK-DOOR-<n>}), each reporting {@code readsPerDevice} reads of
     * the shipment's SSCC tag every {@code interval} from {@code start}; shape of {@code raw/rfid-portal/*.json}.
     */
    public static List<DeviceMessage> rfidPortals(int devices, int readsPerDevice, Instant start, Duration interval,
                                                  String siteGln) {
        return rfidPortals(LOCAL_STAGE, devices, readsPerDevice, start, interval, siteGln);
    }

    /** {@link #rfidPortals(int, int, Instant, Duration, String)} on the topics of {@code stage}. */
    public static List<DeviceMessage> rfidPortals(String stage, int devices, int readsPerDevice, Instant start,
                                                  Duration interval, String siteGln) {
        List<DeviceMessage> out = new ArrayList<>(devices * readsPerDevice);
        for (int d = 0; d < devices; d++) {
            String reader = "DOCK-DOOR-" + (d + 1);
            for (int i = 0; i < readsPerDevice; i++) {
                Instant at = start.plus(interval.multipliedBy(i));
                String json = String.format(Locale.ROOT, "{\"readerId\":\"%s\",\"siteGln\":\"%s\",\"readTime\":\"%s\","
                                + "\"tags\":[{\"epc\":\"urn:epc:id:sscc:0614141.1234567890\",\"rssi\":%d,"
                                + "\"antenna\":1}]}",
                        reader, siteGln, at, -45 - (i % 15));
                out.add(new DeviceMessage(reader, at, topic(stage, RFID_ADAPTER, reader), utf8(json)));
            }
        }
        return out;
    }

    /** {@code dt/waybill/local/<adapter>/<thing>}: where a vendor device of the local stack publishes. */
    public static String topic(String adapter, String thing) {
        return topic(LOCAL_STAGE, adapter, thing);
    }

    /**
     * {@code dt/waybill/<stage>/<adapter>/<thing>}: where a vendor device of {@code stage} publishes (the stage's IoT
     * rule selects {@code dt/waybill/<stage>/+/+}; its device policy allows nothing else).
     */
    public static String topic(String stage, String adapter, String thing) {
        return "dt/waybill/" + stage + "/" + adapter + "/" + thing;
    }

    /** The traces merged by time (stable: equal times keep the order of the arguments, then of each trace). */
    @SafeVarargs
    public static List<DeviceMessage> merge(List<DeviceMessage>... traces) {
        List<DeviceMessage> out = new ArrayList<>();
        for (List<DeviceMessage> t : traces) {
            out.addAll(t);
        }
        out.sort(java.util.Comparator.comparing(DeviceMessage::at)); // List.sort is stable
        return out;
    }

    /** Payload bytes of a trace. */
    public static long payloadBytes(List<DeviceMessage> trace) {
        return trace.stream().mapToLong(m -> m.payload().length).sum();
    }

    // ---- replay ------------------------------------------------------------------------------------------------

    /**
     * Publishes the trace in order at {@code rate}, connecting each device's client on its first message, and
     * returns once every publish was acknowledged.
     *
     * @throws IllegalStateException if a device cannot connect, a publish fails or is not acknowledged in time
     */
    public Result replay(List<DeviceMessage> trace, Rate rate) throws InterruptedException {
        return replay(trace, rate, null, 0);
    }

    /**
     * {@link #replay(List, Rate)} with back-pressure from the consumer: never more than {@code maxAhead} messages
     * ahead of {@code consumed} (how many of this trace's messages the consumer has taken so far, e.g. the edge
     * component's reading count). HiveMQ keeps a bounded queue per subscriber and drops the overflow even at QoS 1,
     * so a lossless replay at full speed needs this when the subscriber is slower than the publisher.
     *
     * @param consumed messages of this trace the consumer has taken; null for no back-pressure
     * @param maxAhead the bound, e.g. {@link #DEFAULT_MAX_AHEAD} (well below HiveMQ's 1,000 queued messages)
     * @throws IllegalStateException also when the consumer makes no progress for {@code timeout}
     */
    public Result replay(List<DeviceMessage> trace, Rate rate, LongSupplier consumed, long maxAhead)
            throws InterruptedException {
        if (consumed != null && maxAhead < 1) {
            throw new IllegalArgumentException("maxAhead must be >= 1: " + maxAhead);
        }
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong bytes = new AtomicLong();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        long start = System.nanoTime();
        long i = 0;
        for (Iterator<DeviceMessage> it = trace.iterator(); it.hasNext(); i++) {
            DeviceMessage m = it.next();
            if (failure.get() != null) {
                break;
            }
            if (!rate.unlimited()) {
                long due = start + (long) (i * 1e9 / rate.messagesPerSecond());
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            if (consumed != null) {
                awaitConsumer(consumed, i - maxAhead + 1);
            }
            LocalMqttClient client = client(m.deviceId());
            onPublish.accept(m, System.nanoTime());
            if (!inFlight.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("no PUBACK for " + maxInFlight + " publishes within " + timeout);
            }
            byte[] payload = signed(m);
            CompletableFuture<?> f = client.publish(m.topic(), payload).whenComplete((ack, error) -> {
                inFlight.release();
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else if (ack != null && ack.getReasonCode().getValue() >= 0x80) {
                    failure.compareAndSet(null, new IllegalStateException("publish on " + m.topic() + " refused: "
                            + ack.getReasonCode()));
                } else {
                    bytes.addAndGet(payload.length);
                }
            });
            pending.add(f);
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            failure.compareAndSet(null, e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("replay failed after " + i + " of " + trace.size() + " messages",
                    failure.get());
        }
        return new Result(trace.size(), bytes.get(), clients.size(), Duration.ofNanos(System.nanoTime() - start));
    }

    private void awaitConsumer(LongSupplier consumed, long atLeast) throws InterruptedException {
        long last = consumed.getAsLong();
        long progressDeadline = System.nanoTime() + timeout.toNanos();
        while (last < atLeast) {
            if (System.nanoTime() > progressDeadline) {
                throw new IllegalStateException("the consumer took no message for " + timeout + " (at " + last
                        + ", waiting for " + atLeast + "): messages were lost or it is stuck");
            }
            TimeUnit.MICROSECONDS.sleep(200);
            long now = consumed.getAsLong();
            if (now != last) {
                last = now;
                progressDeadline = System.nanoTime() + timeout.toNanos();
            }
        }
    }

    private LocalMqttClient client(String deviceId) {
        return clients.computeIfAbsent(deviceId, id -> connector.connect(id, timeout));
    }

    /**
     * Calls {@code listener} with each message and {@link System#nanoTime()} just before it is published, so a
     * consumer in the same JVM can measure device-to-consumer latency on the live clock (trace times stay as they
     * are). Called on the replaying thread; keep it cheap.
     */
    public DeviceSimulator onPublish(java.util.function.ObjLongConsumer<DeviceMessage> listener) {
        this.onPublish = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Signs the messages of the devices {@code keys} has a key for (null: that device does not sign, e.g. a probe
     * that talks to its edge component), each device with its own sequence from 0.
     */
    public DeviceSimulator signWith(java.util.function.Function<String, io.waybill.edge.component.SigningKey> keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        return this;
    }

    /** The sequence the device's next signed message gets. */
    public long nextSequence(String deviceId) {
        AtomicLong s = sequences.get(deviceId);
        return s == null ? 0 : s.get();
    }

    private byte[] signed(DeviceMessage m) {
        io.waybill.edge.component.SigningKey key = keys.apply(m.deviceId());
        if (key == null) {
            return m.payload();
        }
        return key.sign(m.payload(), sequences.computeIfAbsent(m.deviceId(), k -> new AtomicLong()).getAndIncrement());
    }

    /** Devices connected so far. */
    public int devices() {
        return clients.size();
    }

    /** Disconnects every device. */
    @Override
    public void close() {
        clients.values().forEach(LocalMqttClient::close);
        clients.clear();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.waybill.local.demo;

import io.waybill.edge.component.EdgeComponentConfig;
import io.waybill.edge.component.ReeferEdgeComponent;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.sensor.MqttSensorSource;
import io.waybill.edge.trace.ReeferTrace;
import io.waybill.edge.uplink.Mqtt5Uplink;
import io.waybill.edge.uplink.MqttEndpoint;
import io.waybill.local.devices.DeviceSimulator;
import io.waybill.local.devices.TimedSensorSource;
import io.waybill.local.iot.LocalIotRule;
import io.waybill.local.iot.LocalMqttBroker;
import io.waybill.local.iot.LocalMqttClient;
import io.waybill.local.iot.LocalRuleRunner;
import io.waybill.local.iot.RuleRunnerStats;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The demo's edge path, wired like {@code SimulatorToStoreEndToEndTest}: device simulator -> local MQTT broker ->
 * reefer edge component (standalone: MQTT sensor source, MQTT 5 uplink on the same broker) -> IoT rule runner ->
 * the demo's stream (the ingest handler and the store are the demo's pipeline).
 */
public final class EdgePath implements AutoCloseable {
    /** How long the edge's shutdown waits for the cloud to confirm what it sent: 3 minutes. */
    static final Duration CONFIRMATION_WAIT = Duration.ofMinutes(3);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The edge's java.util.logging loggers: kept referenced so the levels set here hold. */
    private static final java.util.logging.Logger EDGE_LOG = java.util.logging.Logger.getLogger("io.waybill.edge");
    private static final java.util.logging.Logger CONNECTION_LOG =
            java.util.logging.Logger.getLogger("io.waybill.edge.uplink.Mqtt5Connection");

    /**
     * What one replay did.
     *
     * @param sent          the simulator's replay (sensor messages and raw payload bytes)
     * @param edge          the edge component's counters after close (summaries and alerts flushed)
     * @param uplinked      the edge's messages as the uplink tap received them, in sequence order
     * @param uplinkBytes   their payload bytes
     * @param elapsedMillis wall-clock time of the replay and the edge's drain
     * @param deviceToEdgeMicros per reading, from the simulator's publish to the edge component taking it (live clock)
     * @param readingToAlertAtBrokerMicros per alert, from the publish of the reading that triggered it to the alert's
     *                      arrival at the broker (the uplink tap), through the edge's model, spool and uplink
     */
    public record Result(DeviceSimulator.Result sent, ReeferEdgeComponent.Stats edge, List<EdgeMessage> uplinked,
                         long uplinkBytes, long elapsedMillis, Percentiles deviceToEdgeMicros,
                         Percentiles readingToAlertAtBrokerMicros) {
        public long alerts() {
            return uplinked.stream().filter(m -> m.kind() == EdgeMessage.Kind.ALERT).count();
        }

        public long summaries() {
            return uplinked.stream().filter(m -> m.kind() == EdgeMessage.Kind.SUMMARY).count();
        }

        /** Edge bytes / raw sensor bytes. */
        public double reduction() {
            return sent.payloadBytes() == 0 ? 0 : (double) uplinkBytes / sent.payloadBytes();
        }
    }

    private final ReeferTrace trip;
    private final EdgeComponentConfig config;
    private final Path spoolDir;
    private final LocalMqttBroker broker;
    private final LocalRuleRunner rule;
    private final LocalMqttClient tap;
    private final DeviceSimulator simulator;
    private final List<byte[]> tapped = new ArrayList<>();
    private final List<Long> tappedAtNanos = new ArrayList<>();
    private final java.util.Map<String, Long> publishedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Long> deviceToEdge = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong tappedBytes = new AtomicLong();

    private EdgePath(ReeferTrace trip, EdgeComponentConfig config, Path spoolDir, LocalMqttBroker broker,
                     LocalRuleRunner rule, LocalMqttClient tap, DeviceSimulator simulator) {
        this.trip = trip;
        this.config = config;
        this.spoolDir = spoolDir;
        this.broker = broker;
        this.rule = rule;
        this.tap = tap;
        this.simulator = simulator;
    }

    /**
     * Starts the broker, the rule runner (into {@code stream}, rule errors to {@code errorQueueUrl}), the uplink tap
     * and the simulator; cleans {@code spoolDir}.
     *
     * @param shipmentSscc the shipment the edge reports for (the trip's own SSCC may be used by other traffic)
     */
    public static EdgePath start(ReeferTrace trip, String shipmentSscc, Path spoolDir, KinesisClient kinesis,
                                 String stream, SqsClient sqs, String errorQueueUrl) {
        return start(trip, shipmentSscc, spoolDir, kinesis, stream, sqs, errorQueueUrl, null);
    }

    /**
     * {@link #start(ReeferTrace, String, Path, KinesisClient, String, SqsClient, String)} with the edge's identity:
     * {@code devices} makes its signing key and registers it (adapter {@code waybill-edge}, the key, an assignment to
     * {@code shipmentSscc} over the trip and the run, {@link io.waybill.local.devices.SimulatedDevices#tripAssignment})
     * before it publishes, and the edge signs every message.
     *
     * @param devices null: the edge does not sign and is not registered
     */
    public static EdgePath start(ReeferTrace trip, String shipmentSscc, Path spoolDir, KinesisClient kinesis,
                                 String stream, SqsClient sqs, String errorQueueUrl,
                                 io.waybill.local.devices.SimulatedDevices devices) {
        return start(trip, shipmentSscc, spoolDir, kinesis, stream, sqs, errorQueueUrl, devices, null);
    }

    /**
     * As above, and with {@code canonicalStream} the edge's spool forgets a message only once the cloud confirms it
     * stored it: the edge acknowledgement function's handler ({@code EdgeAcknowledgementHandler}, the class Lambda
     * runs) consumes the canonical stream through a local event source mapping and publishes each confirmation to this
     * path's broker ({@link io.waybill.local.iot.MqttDeviceAcknowledgements}).
     *
     * @param canonicalStream null: no confirmations; the edge forgets on the PUBACK
     */
    public static EdgePath start(ReeferTrace trip, String shipmentSscc, Path spoolDir, KinesisClient kinesis,
                                 String stream, SqsClient sqs, String errorQueueUrl,
                                 io.waybill.local.devices.SimulatedDevices devices, String canonicalStream) {
        return start(trip, shipmentSscc, spoolDir, kinesis, stream, sqs, errorQueueUrl, devices, canonicalStream, null);
    }

    /**
     * As above, and with {@code settlementQueueUrl} the messages ingest dead-letters are confirmed too: the edge
     * settlement function's handler ({@code DeadLetterSettlementHandler}) reads ingest's notices from that queue
     * ({@link io.waybill.local.iot.LocalEdgeAcknowledgement}).
     *
     * @param settlementQueueUrl null: a dead-lettered edge message is not confirmed (the edge sends it again)
     */
    public static EdgePath start(ReeferTrace trip, String shipmentSscc, Path spoolDir, KinesisClient kinesis,
                                 String stream, SqsClient sqs, String errorQueueUrl,
                                 io.waybill.local.devices.SimulatedDevices devices, String canonicalStream,
                                 String settlementQueueUrl) {
        deleteRecursively(spoolDir);
        EdgeComponentConfig.Builder builder = EdgeComponentConfig.builder(trip.deviceId(), shipmentSscc)
                .stage(io.waybill.local.iot.LocalIotRule.LOCAL_STAGE).band(trip.band())
                .acknowledgement(canonicalStream == null ? EdgeComponentConfig.Acknowledgement.PUBACK
                        : EdgeComponentConfig.Acknowledgement.CLOUD)
                .retryMinBackoff(Duration.ofMillis(100)).retryMaxBackoff(Duration.ofMillis(500));
        if (devices != null) {
            var id = devices.enrol(trip.deviceId(), EdgeComponentConfig.ADAPTER_ID,
                    io.waybill.domain.device.DeviceScope.SHIPMENT, true,
                    List.of(io.waybill.local.devices.SimulatedDevices.tripAssignment(shipmentSscc,
                            trip.readings().get(0).at(), trip.readings().get(trip.readings().size() - 1).at(),
                            java.time.Instant.now())));
            builder.signingKeyPath(id.keyFile());
        }
        EdgeComponentConfig config = builder.build();
        LocalMqttBroker broker = LocalMqttBroker.start();
        LocalRuleRunner rule = null;
        LocalMqttClient tap = null;
        try {
            rule = LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis()).broker(broker)
                    .kinesis(kinesis, stream).errorQueue(sqs, errorQueueUrl)
                    .flushInterval(Duration.ofMillis(50)).start();
            EdgePath[] self = new EdgePath[1];
            tap = LocalMqttClient.connect(broker.host(), broker.port(), "demo-uplink-tap",
                    (topic, payload) -> self[0].tapped(payload), WAIT);
            DeviceSimulator simulator = new DeviceSimulator(broker.host(), broker.port(), WAIT);
            self[0] = new EdgePath(trip, config, spoolDir, broker, rule, tap, simulator);
            tap.subscribe(config.uplinkTopic(), WAIT);
            if (canonicalStream != null) {
                self[0].acknowledgements = io.waybill.local.iot.LocalEdgeAcknowledgement.start(broker, kinesis,
                        canonicalStream, sqs, settlementQueueUrl, WAIT);
            }
            return self[0];
        } catch (RuntimeException e) {
            if (tap != null) {
                tap.close();
            }
            if (rule != null) {
                rule.close();
            }
            broker.close();
            throw e;
        }
    }

    private void tapped(byte[] payload) {
        long now = System.nanoTime();
        synchronized (tapped) {
            tapped.add(payload);
            tappedAtNanos.add(now);
        }
        tappedBytes.addAndGet(payload.length);
    }

    /**
     * Replays the trip as fast as the edge takes it (back-pressure: at most {@link DeviceSimulator#DEFAULT_MAX_AHEAD}
     * readings ahead), closes the edge (flushing the last summary and draining its spool) and waits until the rule
     * runner put every edge message on the stream.
     */
    public Result run() throws InterruptedException, IOException {
        long t0 = System.nanoTime();
        EDGE_LOG.setLevel(java.util.logging.Level.WARNING);
        List<DeviceSimulator.DeviceMessage> sensorTrace = DeviceSimulator.temperatureSensor(trip.readings());
        MqttEndpoint endpoint = new MqttEndpoint(broker.host(), broker.port());
        MqttSensorSource mqtt = new MqttSensorSource(endpoint, trip.deviceId() + "-sensors", config.sensorTopic(),
                config::sensorIdOf);
        simulator.onPublish((m, nanos) -> publishedAt.put(m.deviceId() + "|" + m.at().toEpochMilli(), nanos));
        TimedSensorSource source = new TimedSensorSource(mqtt, (sensorId, at) -> {
            Long sent = publishedAt.get(sensorId + "|" + at.toEpochMilli());
            if (sent != null) {
                deviceToEdge.add((System.nanoTime() - sent) / 1_000);
            }
        });
        Mqtt5Uplink uplink = Mqtt5Uplink.plainTcp(endpoint, trip.deviceId(), config.publishTimeout(),
                config.retryMinBackoff(), config.retryMaxBackoff());
        // With storage confirmations the edge's spool empties only once ingest stored its messages, which runs behind
        // the demo's vendor burst by up to a minute: its shutdown waits that long for them (and ends at once when
        // the spool is empty).
        ReeferEdgeComponent edge = new ReeferEdgeComponent(config, spoolDir, source, uplink,
                config.delivery().acknowledgement() == EdgeComponentConfig.Acknowledgement.CLOUD
                        ? CONFIRMATION_WAIT : ReeferEdgeComponent.DEFAULT_SHUTDOWN_DRAIN_TIMEOUT);
        DeviceSimulator.Result sent;
        try {
            edge.start();
            if (!mqtt.awaitSubscribed(WAIT) || !uplink.awaitConnected(WAIT)) {
                throw new IllegalStateException("the edge component did not connect to the local MQTT broker");
            }
            sent = simulator.replay(sensorTrace, DeviceSimulator.Rate.asFastAsPossible(),
                    () -> edge.stats().readings(), DeviceSimulator.DEFAULT_MAX_AHEAD);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (edge.stats().readings() < sent.messages() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            // the demo's report says what the edge did; its INFO lines and the expected disconnects on close are noise
            java.util.logging.Level level = CONNECTION_LOG.getLevel();
            CONNECTION_LOG.setLevel(java.util.logging.Level.SEVERE);
            try {
                edge.close(); // flushes the last summary and drains the spool
            } finally {
                CONNECTION_LOG.setLevel(level);
            }
        }
        ReeferEdgeComponent.Stats stats = edge.stats();
        rule.awaitProcessed(stats.published(), WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (tappedCount() < stats.published() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<EdgeMessage> messages = new ArrayList<>();
        List<Long> readingToAlert = new ArrayList<>();
        String sensor = trip.readings().get(0).sensorId();
        synchronized (tapped) {
            for (int i = 0; i < tapped.size(); i++) {
                EdgeMessage m = EdgeMessageJson.fromBytes(tapped.get(i));
                messages.add(m);
                Long trigger = publishedAt.get(sensor + "|" + m.deviceTime().toEpochMilli());
                if (m.kind() == EdgeMessage.Kind.ALERT && trigger != null) {
                    readingToAlert.add((tappedAtNanos.get(i) - trigger) / 1_000);
                }
            }
        }
        messages.sort(Comparator.comparingLong(EdgeMessage::sequence));
        return new Result(sent, stats, messages, tappedBytes.get(), (System.nanoTime() - t0) / 1_000_000,
                Percentiles.of(new ArrayList<>(deviceToEdge)), Percentiles.of(readingToAlert));
    }

    private int tappedCount() {
        synchronized (tapped) {
            return tapped.size();
        }
    }

    public ReeferTrace trip() {
        return trip;
    }

    public EdgeComponentConfig config() {
        return config;
    }

    public RuleRunnerStats ruleStats() {
        return rule.stats();
    }

    public LocalMqttBroker broker() {
        return broker;
    }

    /** The local edge acknowledgement functions, when started with a canonical stream; else null. */
    private io.waybill.local.iot.LocalEdgeAcknowledgement acknowledgements;

    @Override
    public void close() {
        if (acknowledgements != null) {
            acknowledgements.close();
        }
        simulator.close();
        tap.close();
        rule.close();
        broker.close();
    }

    private static void deleteRecursively(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the edge spool directory " + dir, e);
        }
    }
}

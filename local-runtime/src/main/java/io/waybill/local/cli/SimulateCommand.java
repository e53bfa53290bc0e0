package io.waybill.local.cli;

import io.waybill.domain.identity.Gs1;
import io.waybill.edge.component.EdgeComponentConfig;
import io.waybill.edge.component.ReeferEdgeComponent;
import io.waybill.domain.event.ConveyorJammed;
import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.model.TemperatureReading;
import io.waybill.edge.sensor.MqttSensorSource;
import io.waybill.edge.sensor.SensorPayload;
import io.waybill.edge.sensor.SensorSource;
import io.waybill.edge.trace.ConveyorTrace;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.ReeferTrace;
import io.waybill.edge.uplink.Mqtt5Uplink;
import io.waybill.edge.uplink.MqttEndpoint;
import io.waybill.edge.uplink.Uplink;
import io.waybill.local.demo.Percentiles;
import io.waybill.local.devices.DeviceConnector;
import io.waybill.local.devices.DeviceSimulator;
import io.waybill.local.devices.DeviceSimulator.DeviceMessage;
import io.waybill.local.devices.SimulatedDevices;
import io.waybill.domain.device.DeviceScope;
import io.waybill.local.devices.TimedSensorSource;
import io.waybill.local.iot.DeviceCertificate;
import io.waybill.local.iot.LocalDeviceAuthority;
import io.waybill.local.iot.LocalMqttBroker;
import io.waybill.local.iot.LocalMqttClient;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@code ./waybill simulate}: the device side of a fleet, against the running local stack, any MQTT broker, or AWS
 * IoT Core.
 * <ul>
 *   <li>Reefers: each is a temperature probe replaying a golden 48-hour trip (a different seed per reefer: a door
 *       opening, a sensor glitch, a defrost and one real 40-minute unit failure) plus its own edge component (the
 *       Greengrass component's code, standalone), as on a reefer's gateway: the probe publishes on a device-local
 *       broker (an embedded HiveMQ started here), the edge component uplinks summaries and alerts to the target.</li>
 *   <li>Vendor devices publish their raw formats straight to the target: GPS trackers (pings) and RFID dock-door
 *       portals (reads), on {@code dt/waybill/<stage>/<adapter>/<thing>}.</li>
 * </ul>
 * Every device connects with client id = thing name: plain TCP to the local stack's broker (default), mutual TLS
 * with a certificate per thing from the stack's local CA ({@code --tls}), or AWS IoT Core with the SDK's mTLS
 * builder and the things' certificates ({@code --iot-endpoint --certs}). The report gives what was sent, what the
 * edges sent up, and latency on the live clock: each publish is timed, so device → edge is measured per reading and
 * trigger reading → alert at the broker per alert, however compressed the trace's own time is.
 *
 * <p>Identities ({@link SimulatedDevices}): every device that publishes to the target (edge components, GPS trackers,
 * RFID portals) gets a P-256 signing key made at start ({@code .waybill/devices/keys/<thing>.pem}) and signs every
 * message with its own sequence; against the running local stack each is registered in its device registry first
 * (adapter, scope, public key, and for the travelling devices an assignment to their shipment over the simulated
 * trip), so ingest, which enforces the registry, accepts what they send.
 */
public final class SimulateCommand {
    public static final String USAGE = """
            usage: ./waybill simulate [target] [fleet] [pace]
              target (default: the running ./waybill stack's MQTT broker, plain TCP)
                --tls                     the stack's mutual-TLS listener; certificates per thing from its local CA
                --broker tcp://HOST:PORT  any MQTT 5 broker, plain TCP
                --iot-endpoint HOST --certs DIR [--ca FILE] [--port 8883]
                                          AWS IoT Core (the account's -ats endpoint) with mutual TLS: DIR holds
                                          <thing>.cert.pem and <thing>.private.key per thing (reefer-01.., IMEI-..,
                                          DOCK-DOOR-..); --ca defaults to the system trust store
              fleet
                --reefers N    reefers, each with its edge component (default 1)
                --gps N        GPS trackers (default 2), --gps-pings N per tracker, every 10 min (default 30)
                --rfid N       RFID dock-door portals (default 1), --rfid-reads N per portal (default 10)
                --conveyors N  conveyor drives at a distribution centre, each replaying a golden 2-hour shift with
                               one real jam, watched by the DC's edge component dc-01 (default 0)
              pace
                --rate N       messages per second over all devices (default: as fast as the edges take them)
                --timeout S    seconds to wait for a connection, an acknowledgement or the edges (default 30)
              stage
                --stage NAME   the deployment stage whose topics dt/waybill/<stage>/... the fleet publishes on
                               (default local, the local stack's; with --iot-endpoint the deployed stage, e.g. prod)
              An unknown option or a bad value is a usage error (exit 2), as is a target that cannot be reached;
              a target lost during the run is one line with the cause (exit 1). Details: .waybill/logs/waybill.log.
            """;
    /** Default fleet. */
    public static final int DEFAULT_REEFERS = 1;
    public static final int DEFAULT_GPS = 2;
    public static final int DEFAULT_GPS_PINGS = 30;
    public static final int DEFAULT_RFID = 1;
    public static final int DEFAULT_RFID_READS = 10;
    public static final int DEFAULT_CONVEYORS = 0;
    /** The distribution centre's edge device that watches the simulated conveyor drives. */
    public static final String FACILITY_EDGE = "dc-01";
    /** How long to wait for a connection, a subscription, an acknowledgement or the edges (default of --timeout). */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    private static final String SITE_GLN = "0614141000005";
    /** The report says what the edges did: their INFO lines, and the expected disconnects on close, are noise here. */
    private static final java.util.logging.Logger EDGE_LOG = java.util.logging.Logger.getLogger("io.waybill.edge");

    /** Where the devices connect. */
    public record Target(String description, String host, int port, DeviceConnector devices,
                         Function<String, Uplink> edgeUplink, URI tapBroker) {
    }

    /** What a simulation did. */
    public record Report(Target target, int reefers, int gps, int rfid, int conveyors, long sensorReadings,
                         long vendorMessages, long rawSensorBytes, long edgeReadings, long edgeMessages,
                         long edgeAlerts, long jamAlerts, long edgeBytes,
                         Percentiles deviceToEdgeMicros, Percentiles readingToAlertAtBrokerMicros,
                         Duration elapsed) {
        public double uplinkRatio() {
            return rawSensorBytes == 0 ? 0 : (double) edgeBytes / rawSensorBytes;
        }
    }

    private final Path workDir;
    private final PrintStream out;
    private final Duration wait;
    /** The stage whose topics the devices and edges publish on: {@code local} for the local stack. */
    private final String stage;
    /** Connections to the target that succeeded (the uplink tap) plus vendor messages sent to it: 0 = never reached. */
    private final AtomicLong reached = new AtomicLong();
    /** The devices' keys and registry entries. */
    private SimulatedDevices devices;

    public SimulateCommand(Path workDir, PrintStream out) {
        this(workDir, out, DEFAULT_WAIT, DeviceSimulator.LOCAL_STAGE);
    }

    /** @param wait how long to wait for a connection, an acknowledgement or the edges */
    public SimulateCommand(Path workDir, PrintStream out, Duration wait) {
        this(workDir, out, wait, DeviceSimulator.LOCAL_STAGE);
    }

    /**
     * @param wait  how long to wait for a connection, an acknowledgement or the edges
     * @param stage the deployment stage whose topics {@code dt/waybill/<stage>/...} the fleet publishes on
     */
    public SimulateCommand(Path workDir, PrintStream out, Duration wait, String stage) {
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.out = Objects.requireNonNull(out, "out");
        this.wait = Objects.requireNonNull(wait, "wait");
        if (!EdgeComponentConfig.STAGE_NAME.matcher(Objects.requireNonNull(stage, "stage")).matches()) {
            throw new IllegalArgumentException("--stage '" + stage + "' must match "
                    + EdgeComponentConfig.STAGE_NAME.pattern() + " (a stage name as the CDK app accepts it)");
        }
        this.stage = stage;
        this.devices = new SimulatedDevices(workDir.resolve("keys"), null);
    }

    /** Where the devices' keys go and the registry they are enrolled in (default: keys only, under the work dir). */
    public SimulateCommand enrolWith(SimulatedDevices devices) {
        this.devices = Objects.requireNonNull(devices, "devices");
        return this;
    }

    /**
     * The command line: the options (as parsed by {@code WaybillCli}, names without dashes), runs, prints the report.
     *
     * @return the exit code
     * @throws IllegalArgumentException for a bad option value or combination (a usage error)
     * @throws UserError when the target cannot be reached (exit 2) or is lost mid-run (exit 1): one line, with the cause
     */
    static int main(Map<String, String> options, Path repoRoot, PrintStream out) throws InterruptedException {
        Target target = target(options, repoRoot);
        int reefers = count(options, "reefers", DEFAULT_REEFERS);
        int gps = count(options, "gps", DEFAULT_GPS);
        int rfid = count(options, "rfid", DEFAULT_RFID);
        int conveyors = count(options, "conveyors", DEFAULT_CONVEYORS);
        int gpsPings = count(options, "gps-pings", DEFAULT_GPS_PINGS);
        int rfidReads = count(options, "rfid-reads", DEFAULT_RFID_READS);
        Duration wait = options.containsKey("timeout") ? Duration.ofSeconds(count(options, "timeout", 30))
                : DEFAULT_WAIT;
        if (wait.isZero()) {
            throw new IllegalArgumentException("--timeout must be >= 1 second");
        }
        DeviceSimulator.Rate rate = options.containsKey("rate")
                ? DeviceSimulator.Rate.perSecond(Double.parseDouble(options.get("rate")))
                : DeviceSimulator.Rate.asFastAsPossible();
        String stage = options.getOrDefault("stage", DeviceSimulator.LOCAL_STAGE);
        if (!options.containsKey("iot-endpoint") && !options.containsKey("broker")
                && !DeviceSimulator.LOCAL_STAGE.equals(stage)) {
            throw new IllegalArgumentException("--stage " + stage + " needs --iot-endpoint or --broker: the local"
                    + " stack's IoT rule takes stage " + DeviceSimulator.LOCAL_STAGE + "'s topics only");
        }
        SimulateCommand command = new SimulateCommand(repoRoot.resolve(".waybill").resolve("simulate"), out, wait,
                stage);
        Path keys = SimulatedDevices.keysFolder(repoRoot.resolve(".waybill"));
        io.waybill.local.AwsClients registryClients = null;
        if (!options.containsKey("iot-endpoint") && !options.containsKey("broker")) {
            StackState state = StackState.require(repoRoot);
            registryClients = io.waybill.local.AwsClients.create(state.endpoints());
            command.enrolWith(new SimulatedDevices(keys,
                    io.waybill.local.devices.LocalDeviceRegistry.create(registryClients)));
        } else {
            command.enrolWith(new SimulatedDevices(keys, null));
        }
        Report r;
        try {
            r = command.run(target, reefers, gps, gpsPings, rfid, rfidReads, conveyors, rate);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            if (command.reached.get() == 0) {
                throw new UserError(UserError.USAGE, "cannot connect to " + target.description() + ": "
                        + UserError.describe(e) + " (is it running? check --broker / --iot-endpoint, or start"
                        + " ./waybill stack)", e);
            }
            throw new UserError(UserError.FAILED, "lost " + target.description() + ": "
                    + UserError.describe(e)
                    + " (did the broker stop?)", e);
        } finally {
            if (registryClients != null) {
                registryClients.close();
            }
        }
        print(r, out);
        printIdentities(command.devices, out);
        return 0;
    }

    private static int count(Map<String, String> o, String name, int fallback) {
        if (!o.containsKey(name)) {
            return fallback;
        }
        int n = Integer.parseInt(o.get(name));
        if (n < 0) {
            throw new IllegalArgumentException("--" + name + " must be >= 0");
        }
        return n;
    }

    /** The target from the options (and the running stack's state). */
    static Target target(Map<String, String> o, Path repoRoot) {
        Duration publishTimeout = EdgeComponentConfig.DEFAULT_PUBLISH_TIMEOUT;
        Duration minBackoff = Duration.ofMillis(100);
        Duration maxBackoff = Duration.ofSeconds(2);
        if (o.containsKey("iot-endpoint")) {
            String host = o.get("iot-endpoint");
            if (!o.containsKey("certs")) {
                throw new IllegalArgumentException("--iot-endpoint needs --certs DIR (<thing>.cert.pem, <thing>.private.key)");
            }
            Path certs = Path.of(o.get("certs"));
            Path ca = o.containsKey("ca") ? Path.of(o.get("ca")) : null;
            int port = o.containsKey("port") ? Integer.parseInt(o.get("port")) : DeviceConnector.AWS_IOT_MQTT_PORT;
            Function<String, DeviceCertificate> credentials = thing -> DeviceCertificate.inFolder(certs, thing);
            return new Target("AWS IoT Core " + host + ":" + port + " (mutual TLS, certificates in " + certs + ")",
                    host, port, DeviceConnector.mutualTls(host, port, credentials, ca),
                    thing -> {
                        DeviceCertificate c = credentials.apply(thing);
                        return Mqtt5Uplink.mutualTls(host, port, c.certificatePem(), c.privateKeyPem(), ca, thing,
                                publishTimeout, minBackoff, maxBackoff);
                    }, null);
        }
        if (o.containsKey("broker")) {
            MqttEndpoint e = MqttEndpoint.parse(o.get("broker"));
            return new Target("MQTT broker tcp://" + e.host() + ":" + e.port(), e.host(), e.port(),
                    DeviceConnector.plain(e.host(), e.port()),
                    thing -> Mqtt5Uplink.plainTcp(e, thing, publishTimeout, minBackoff, maxBackoff),
                    URI.create("tcp://" + e.host() + ":" + e.port()));
        }
        StackState state = StackState.running(repoRoot).orElseThrow(() -> new IllegalArgumentException(
                "no local stack is running: start one with ./waybill stack, or give --broker or --iot-endpoint"));
        if (state.mqtt() == null) {
            throw new IllegalArgumentException("the running stack has no MQTT broker (restart ./waybill stack)");
        }
        URI mqtt = state.mqtt();
        if (o.containsKey("tls")) {
            LocalDeviceAuthority authority = LocalDeviceAuthority.openOrCreate(state.deviceAuthority());
            return localMutualTls(mqtt, state.mqttMutualTlsPort(), authority);
        }
        MqttEndpoint e = new MqttEndpoint(mqtt.getHost(), mqtt.getPort());
        return new Target("local stack, " + mqtt, e.host(), e.port(), DeviceConnector.plain(e.host(), e.port()),
                thing -> Mqtt5Uplink.plainTcp(e, thing, publishTimeout, minBackoff, maxBackoff), mqtt);
    }

    /**
     * The local broker's mutual-TLS listener, certificates per thing issued by {@code authority} on first use; the
     * uplink tap on the plain listener {@code plain}.
     */
    public static Target localMutualTls(URI plain, int mutualTlsPort, LocalDeviceAuthority authority) {
        Path ca = authority.certificateAuthorityPem();
        String host = plain.getHost();
        return new Target("local broker, mutual TLS on " + host + ":" + mutualTlsPort + " (certificates from "
                + authority.devicesFolder() + ")", host, mutualTlsPort,
                DeviceConnector.mutualTls(host, mutualTlsPort, thing -> authority.deviceCertificate(thing, adapterOf(thing)), ca),
                thing -> {
                    DeviceCertificate c = authority.deviceCertificate(thing, adapterOf(thing));
                    return Mqtt5Uplink.mutualTls(host, mutualTlsPort, c.certificatePem(), c.privateKeyPem(), ca,
                            thing, EdgeComponentConfig.DEFAULT_PUBLISH_TIMEOUT, Duration.ofMillis(100),
                            Duration.ofSeconds(2));
                }, plain);
    }

    /**
     * The adapter the simulator onboards one of its things with (the thing attribute the device policy publishes
     * under): it names its things, {@code IMEI-...} GPS trackers, {@code DOCK-DOOR-...} RFID portals, and every other
     * thing (reefers, the facility gateway) an edge gateway publishing as {@code waybill-edge}.
     */
    static String adapterOf(String thing) {
        if (thing.startsWith("IMEI-")) {
            return DeviceSimulator.GPS_ADAPTER;
        }
        if (thing.startsWith("DOCK-DOOR-")) {
            return DeviceSimulator.RFID_ADAPTER;
        }
        return EdgeComponentConfig.ADAPTER_ID;
    }

    /** Runs the fleet once through and returns what happened. */
    public Report run(Target target, int reefers, int gps, int gpsPings, int rfid, int rfidReads, int conveyors,
                      DeviceSimulator.Rate rate) throws InterruptedException, IOException {
        EDGE_LOG.setLevel(java.util.logging.Level.WARNING);
        long t0 = System.nanoTime();
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        enrolVendorDevices(gps, gpsPings, rfid, start);
        List<DeviceMessage> vendor = DeviceSimulator.merge(
                DeviceSimulator.gpsTrackers(stage, gps, gpsPings, start, Duration.ofMinutes(10), GoldenTraces.SHIPMENT_SSCC),
                DeviceSimulator.rfidPortals(stage, rfid, rfidReads, start, Duration.ofMinutes(1), SITE_GLN));
        Map<String, Long> publishedAt = new ConcurrentHashMap<>();
        List<Long> deviceToEdge = Collections.synchronizedList(new ArrayList<>());
        List<Long> readingToAlert = Collections.synchronizedList(new ArrayList<>());
        AtomicLong edgeMessages = new AtomicLong();
        AtomicLong edgeAlerts = new AtomicLong();
        AtomicLong jamAlerts = new AtomicLong();
        AtomicLong edgeBytes = new AtomicLong();
        Map<String, String> sensorOfEdge = new ConcurrentHashMap<>();

        List<ReeferEdgeComponent> edges = new ArrayList<>();
        List<DeviceMessage> sensors = new ArrayList<>();
        long rawBytes = 0;
        LocalMqttBroker gateway = null;
        LocalMqttClient tap = null;
        try (DeviceSimulator vendorDevices = new DeviceSimulator(target.devices(), wait,
                DeviceSimulator.DEFAULT_MAX_IN_FLIGHT).onPublish((m, nanos) -> reached.incrementAndGet())
                .signWith(devices::keyOf)) {
            if (target.tapBroker() != null) {
                tap = LocalMqttClient.connect(target.tapBroker().getHost(), target.tapBroker().getPort(),
                        "simulate-uplink-tap", (topic, payload) -> {
                            long now = System.nanoTime();
                            edgeMessages.incrementAndGet();
                            edgeBytes.addAndGet(payload.length);
                            EdgeMessage m = EdgeMessageJson.fromBytes(payload);
                            if (m.kind() == EdgeMessage.Kind.ALERT) {
                                edgeAlerts.incrementAndGet();
                                String trigger;
                                if (m.payload() instanceof ConveyorJammed jam) {
                                    jamAlerts.incrementAndGet();
                                    trigger = jam.equipmentId();
                                } else {
                                    trigger = sensorOfEdge.get(m.deviceId());
                                }
                                Long sent = publishedAt.get(key(trigger, m.deviceTime()));
                                if (sent != null) {
                                    readingToAlert.add((now - sent) / 1_000);
                                }
                            }
                        }, wait);
                reached.incrementAndGet();
                tap.subscribe("dt/waybill/+/waybill-edge/+", wait);
            }
            DeviceSimulator probes = null;
            if (reefers > 0 || conveyors > 0) {
                gateway = LocalMqttBroker.start(workDir.resolve("gateway-broker"));
                MqttEndpoint local = new MqttEndpoint(gateway.host(), gateway.port());
                if (conveyors > 0) {
                    String temperatureTopic = "sensors/" + FACILITY_EDGE + "/+/temperature";
                    String driveTopic = "sensors/" + FACILITY_EDGE + "/+/vibration";
                    SimulatedDevices.Enrolment id = devices.enrol(FACILITY_EDGE, EdgeComponentConfig.ADAPTER_ID,
                            DeviceScope.SITE, true, List.of());
                    EdgeComponentConfig config = facilityConfig(temperatureTopic, driveTopic).toBuilder().stage(stage)
                            .signingKeyPath(id.keyFile()).build();
                    for (int i = 1; i <= conveyors; i++) {
                        String drive = String.format(Locale.ROOT, "sorter-%d-drive-1", i);
                        ConveyorTrace shift = GoldenTraces.conveyorShift(GoldenTraces.DEFAULT_SEED + i - 1);
                        for (ConveyorReading c : shift.readings()) {
                            ConveyorReading mine = new ConveyorReading(drive, c.at(), c.value());
                            byte[] payload = SensorPayload.of(mine);
                            rawBytes += payload.length;
                            sensors.add(new DeviceMessage(drive, c.at(), "sensors/" + FACILITY_EDGE + "/" + drive
                                    + "/vibration", payload));
                        }
                    }
                    edges.add(startEdge(FACILITY_EDGE, config, local, target, publishedAt, deviceToEdge));
                }
                for (int i = 1; i <= reefers; i++) {
                    String device = String.format(Locale.ROOT, "reefer-%02d", i);
                    String sensor = device + "-ra";
                    sensorOfEdge.put(device, sensor);
                    ReeferTrace trip = GoldenTraces.reeferTrip(GoldenTraces.DEFAULT_SEED + i - 1);
                    String topicFilter = "sensors/" + device + "/+/temperature";
                    SimulatedDevices.Enrolment id = devices.enrol(device, EdgeComponentConfig.ADAPTER_ID,
                            DeviceScope.SHIPMENT, true, List.of(SimulatedDevices.tripAssignment(sscc(i),
                                    trip.readings().get(0).at(), trip.readings().get(trip.readings().size() - 1).at(),
                                    Instant.now())));
                    EdgeComponentConfig config = reeferConfig(device, sscc(i), trip, topicFilter).toBuilder().stage(stage)
                            .signingKeyPath(id.keyFile()).build();
                    for (TemperatureReading r : trip.readings()) {
                        TemperatureReading mine = new TemperatureReading(sensor, r.at(), r.celsius());
                        byte[] payload = SensorPayload.of(mine);
                        rawBytes += payload.length;
                        sensors.add(new DeviceMessage(sensor, r.at(), "sensors/" + device + "/" + sensor
                                + "/temperature", payload));
                    }
                    edges.add(startEdge(device, config, local, target, publishedAt, deviceToEdge));
                }
                sensors = DeviceSimulator.merge(sensors);
                probes = new DeviceSimulator(DeviceConnector.plain(gateway.host(), gateway.port()), wait,
                        DeviceSimulator.DEFAULT_MAX_IN_FLIGHT)
                        .onPublish((m, nanos) -> publishedAt.put(key(m.deviceId(), m.at()), nanos));
            }
            long total = sensors.size() + vendor.size();
            DeviceSimulator.Rate sensorRate = share(rate, sensors.size(), total);
            DeviceSimulator.Rate vendorRate = share(rate, vendor.size(), total);
            CompletableFuture<DeviceSimulator.Result> vendorRun = vendor.isEmpty()
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.supplyAsync(() -> {
                        try {
                            return vendorDevices.replay(vendor, vendorRate);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    });
            if (probes != null) {
                try (DeviceSimulator p = probes) {
                    p.replay(sensors, sensorRate, () -> edgeTaken(edges), DeviceSimulator.DEFAULT_MAX_AHEAD);
                }
                long deadline = System.nanoTime() + wait.toNanos();
                while (edgeTaken(edges) < sensors.size()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
            vendorRun.join();
        } catch (RuntimeException | InterruptedException e) {
            if (tap != null) {
                tap.close();
            }
            throw e;
        } finally {
            java.util.logging.Level level = EDGE_LOG.getLevel();
            EDGE_LOG.setLevel(java.util.logging.Level.SEVERE);
            try {
                for (ReeferEdgeComponent e : edges) {
                    e.close(); // flushes the last summary, drains the spool
                }
            } finally {
                EDGE_LOG.setLevel(level);
            }
            if (gateway != null) {
                gateway.close();
            }
        }
        long published = edges.stream().mapToLong(e -> e.stats().published()).sum();
        if (tap != null) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (edgeMessages.get() < published && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            tap.close();
        }
        long edgeReadings = edgeTaken(edges);
        return new Report(target, reefers, gps, rfid, conveyors, sensors.size(), vendor.size(), rawBytes,
                edgeReadings, tap != null ? edgeMessages.get() : published, edgeAlerts.get(), jamAlerts.get(),
                edgeBytes.get(),
                Percentiles.of(new ArrayList<>(deviceToEdge)), Percentiles.of(new ArrayList<>(readingToAlert)),
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Keys and registry entries of the GPS trackers (assigned to the shipment they ping for) and RFID portals. */
    private void enrolVendorDevices(int gps, int gpsPings, int rfid, Instant start) {
        Instant lastPing = start.plus(Duration.ofMinutes(10L * Math.max(0, gpsPings - 1)));
        for (int d = 0; d < gps; d++) {
            devices.enrol(String.format(Locale.ROOT, "IMEI-3569380356%05d", d), DeviceSimulator.GPS_ADAPTER,
                    DeviceScope.SHIPMENT, true, List.of(SimulatedDevices.tripAssignment(GoldenTraces.SHIPMENT_SSCC,
                            start, lastPing, start)));
        }
        for (int d = 0; d < rfid; d++) {
            devices.enrol("DOCK-DOOR-" + (d + 1), DeviceSimulator.RFID_ADAPTER, DeviceScope.SITE, true, List.of());
        }
    }

    /** One line on the devices' identities: how many sign, where the keys are, whether they were registered. */
    static void printIdentities(SimulatedDevices devices, PrintStream out) {
        List<SimulatedDevices.Enrolment> all = devices.enrolments();
        if (all.isEmpty()) {
            return;
        }
        long revoked = all.stream().filter(SimulatedDevices.Enrolment::revoked).count();
        out.printf(Locale.ROOT, "  identities: %d devices signed with their own P-256 key (%s)%s%n", all.size(),
                devices.keysFolder(), devices.registers()
                        ? ", registered in the stack's device registry " + io.waybill.aws.devices.DeviceRegistryTables.LOCAL_TABLE
                        + (revoked == 0 ? "" : "; " + revoked + " revoked there: their messages are refused")
                        : "; not registered here: register them with the target's registry (./waybill devices register)");
    }

    /**
     * The edge configuration of one simulated reefer: its own sensor topic on the shared gateway broker, no conveyor
     * drives.
     */
    static EdgeComponentConfig reeferConfig(String device, String sscc, ReeferTrace trip, String sensorTopic) {
        return EdgeComponentConfig.builder(device, sscc).stage(DeviceSimulator.LOCAL_STAGE).band(trip.band())
                .sensorTopic(sensorTopic)
                .conveyor(EdgeComponentConfig.Conveyor.off())
                // no storage confirmations run beside `simulate` (see README): the spool forgets on the PUBACK
                .acknowledgement(EdgeComponentConfig.Acknowledgement.PUBACK)
                .retryMinBackoff(Duration.ofMillis(100)).retryMaxBackoff(Duration.ofMillis(500)).build();
    }

    /**
     * The distribution centre's edge: the same component with the drives' topic (signal in ampere, the golden
     * shift's unit) and no probes. The component's shipment setting is required but unused without probes.
     */
    static EdgeComponentConfig facilityConfig(String temperatureTopic, String driveTopic) {
        EdgeComponentConfig.Conveyor d = EdgeComponentConfig.DEFAULT_CONVEYOR;
        return EdgeComponentConfig.builder(FACILITY_EDGE, sscc(0)).stage(DeviceSimulator.LOCAL_STAGE)
                .sensorTopic(temperatureTopic)
                .conveyor(new EdgeComponentConfig.Conveyor(driveTopic, ConveyorJammed.SignalUnit.ofSymbol("A"),
                        d.jam(), SITE_GLN))
                // no storage confirmations run beside `simulate` (see README): the spool forgets on the PUBACK
                .acknowledgement(EdgeComponentConfig.Acknowledgement.PUBACK)
                .retryMinBackoff(Duration.ofMillis(100)).retryMaxBackoff(Duration.ofMillis(500)).build();
    }

    /** Starts an edge component on the gateway broker, timing each reading's arrival; waits for its subscription. */
    private ReeferEdgeComponent startEdge(String device, EdgeComponentConfig config, MqttEndpoint local,
                                                 Target target, Map<String, Long> publishedAt,
                                                 List<Long> deviceToEdge) throws IOException, InterruptedException {
        MqttSensorSource mqtt = new MqttSensorSource(local, device + "-sensors", config.sensorTopic(),
                config::sensorIdOf, config.conveyor().enabled() ? config.conveyor().sensorTopic() : null,
                config.conveyor().enabled() ? config::conveyorSensorIdOf : null);
        SensorSource timed = new TimedSensorSource(mqtt, (sensorId, at) -> {
            Long sent = publishedAt.get(key(sensorId, at));
            if (sent != null) {
                deviceToEdge.add((System.nanoTime() - sent) / 1_000);
            }
        });
        Path spool = workDir.resolve("spool-" + device);
        io.waybill.local.stack.DataDirectory.delete(spool);
        ReeferEdgeComponent edge = new ReeferEdgeComponent(config, spool, timed, target.edgeUplink().apply(device));
        edge.start();
        if (!mqtt.awaitSubscribed(wait)) {
            edge.close();
            throw new IllegalStateException(device + ": the edge component did not subscribe to " + config.sensorTopic());
        }
        return edge;
    }

    /** Sensor messages the edges took: probe readings and drive samples. */
    private static long edgeTaken(List<ReeferEdgeComponent> edges) {
        return edges.stream().mapToLong(e -> e.stats().readings() + e.stats().conveyorReadings()).sum();
    }

    /** A valid SSCC (GS1 check digit) per simulated reefer: extension 1, company prefix 0614141. */
    static String sscc(int reefer) {
        String body = "10614141" + String.format(Locale.ROOT, "%09d", 700_000_000 + reefer);
        return body + Gs1.checkDigit(body);
    }

    private static DeviceSimulator.Rate share(DeviceSimulator.Rate rate, long part, long total) {
        if (rate.unlimited() || part == 0) {
            return DeviceSimulator.Rate.asFastAsPossible();
        }
        return DeviceSimulator.Rate.perSecond(rate.messagesPerSecond() * part / total);
    }

    private static String key(String sensorId, Instant at) {
        return sensorId + "|" + at.toEpochMilli();
    }

    static void print(Report r, PrintStream out) {
        out.println("Simulated fleet -> " + r.target().description());
        out.printf(Locale.ROOT, "  devices: %d reefers (probe + edge component each), %d GPS trackers, %d RFID portals, "
                + "%d conveyor drives (edge %s)%n", r.reefers(), r.gps(), r.rfid(), r.conveyors(), FACILITY_EDGE);
        out.printf(Locale.ROOT, "  sent: %,d sensor messages to the edges, %,d vendor messages to the broker, in %.1f s%n",
                r.sensorReadings(), r.vendorMessages(), r.elapsed().toMillis() / 1000.0);
        if (r.reefers() + r.conveyors() > 0) {
            out.printf(Locale.ROOT, "  edges: %,d sensor messages taken, %,d messages sent up (%d alerts, %d of them "
                    + "conveyor jams)", r.edgeReadings(), r.edgeMessages(), r.edgeAlerts(), r.jamAlerts());
            if (r.edgeBytes() > 0) {
                out.printf(Locale.ROOT, ", %,d bytes for %,d bytes of sensor messages (%.4f)", r.edgeBytes(),
                        r.rawSensorBytes(), r.uplinkRatio());
            }
            out.println();
            out.println("  latency on the live clock (ms)        count    p50    p90    p99    max");
            row(out, "device -> edge (per sensor message)", r.deviceToEdgeMicros());
            if (r.target().tapBroker() != null) {
                row(out, "trigger reading -> alert at broker", r.readingToAlertAtBrokerMicros());
            } else {
                out.println("    (alerts at AWS IoT Core are not observed from here: see the rule's metrics)");
            }
        }
    }

    /** A row of latencies measured in microseconds, printed in milliseconds. */
    private static void row(PrintStream out, String name, Percentiles micros) {
        out.printf(Locale.ROOT, "    %-34s %6d %6.1f %6.1f %6.1f %6.1f%n", name, micros.count(), micros.p50() / 1e3,
                micros.p90() / 1e3, micros.p99() / 1e3, micros.max() / 1e3);
    }
}

package io.waybill.edge.component;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.edge.sensor.IpcSensorSource;
import io.waybill.edge.sensor.MqttSensorSource;
import io.waybill.edge.sensor.SensorSource;
import io.waybill.edge.sensor.TraceReplaySource;
import io.waybill.edge.uplink.GreengrassIpcUplink;
import io.waybill.edge.uplink.Mqtt5Uplink;
import io.waybill.edge.uplink.MqttEndpoint;
import io.waybill.edge.uplink.Uplink;
import io.waybill.edge.config.ConfigSource;
import io.waybill.edge.config.FileConfigSource;
import io.waybill.edge.config.IpcConfigSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The component's entry point ({@code java -jar waybill-edge.jar}). Run with {@code --help} for the options.
 *
 * <p><b>Mode.</b> Greengrass mode when {@code AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT} is set (the nucleus
 * sets it for every component process) or with {@code --greengrass}: uplink over IPC {@code PublishToIoTCore},
 * configuration from IPC {@code GetConfiguration} (unless {@code --config} is given), sensors from local pub/sub (unless
 * {@code --sensor-broker} or {@code --trace}). Otherwise standalone: MQTT 5 to {@code --broker} (plain TCP) or, with
 * {@code --iot-endpoint --cert --key}, to AWS IoT Core with mTLS; configuration from {@code --config FILE} or the
 * {@code WAYBILL_EDGE_CONFIG} environment variable (JSON text), defaults for whatever is missing.
 *
 * <p><b>Thing name.</b> {@code --thing-name}, else {@code AWS_IOT_THING_NAME} (set by the nucleus), else the
 * configuration's {@code thingName}. <b>Shipment.</b> The component starts with or without one and follows the
 * configuration's {@code shipmentSscc} while it runs ({@link ShipmentAssignments}): under Greengrass through IPC
 * {@code SubscribeToConfigurationUpdate} (a deployment's configuration merge), standalone by re-reading the
 * {@code --config} file when it changes. {@code --shipment-sscc} is the initial assignment.
 *
 * <p>With {@code --trace} the process replays the trace, flushes, drains (up to the shutdown drain timeout) and exits;
 * otherwise it runs until SIGTERM (Greengrass stops components with SIGTERM), then shuts down gracefully.
 */
public final class Main {
    static final String NUCLEUS_SOCKET_ENV = "AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT";
    static final String CONFIG_ENV = "WAYBILL_EDGE_CONFIG";

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    static final String USAGE = """
            usage: java -jar waybill-edge.jar [options]
              --thing-name NAME        AWS IoT thing name (default: $AWS_IOT_THING_NAME, then the configuration)
              --shipment-sscc SSCC     the initial shipment (default: the configuration's shipmentSscc; without
                                       one the component waits for its assignment)
              --config FILE            component configuration JSON (the recipe's DefaultConfiguration shape),
                                       re-read when it changes (e.g. a new shipmentSscc); default:
                                       $WAYBILL_EDGE_CONFIG (JSON text), under Greengrass IPC GetConfiguration and
                                       SubscribeToConfigurationUpdate
              --spool-dir DIR          store-and-forward spool directory (default: ./spool)
              --broker URL             standalone uplink broker, plain TCP (default: tcp://127.0.0.1:1883)
              --sensor-broker URL      local sensor broker (default: --broker; under Greengrass: local pub/sub)
              --trace FILE.csv         replay a trace (sensorId,epochMillis,value) instead of live sensors, then exit
              --trace-kind KIND        temperature (default: probe readings, °C) or conveyor (drive samples in the
                                       configured conveyor unit)
              --speed-up N             trace pacing factor (default 0 = as fast as possible; 1 = real time)
              --iot-endpoint HOST      standalone to AWS IoT Core with mTLS (needs --cert and --key)
              --cert FILE --key FILE   the thing's certificate and private key (PEM)
              --signing-key FILE       the device's P-256 payload signing key, PKCS#8 PEM (default: the
                                       configuration's signingKeyPath; without one messages go unsigned)
              --greengrass | --standalone   force the mode (default: Greengrass when $%s is set)
              --help
            """.formatted(NUCLEUS_SOCKET_ENV);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts;
        try {
            opts = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (opts.containsKey("help")) {
            System.out.print(USAGE);
            return;
        }
        try {
            System.exit(run(opts, System.getenv()));
        } catch (IllegalArgumentException e) {
            System.err.println("waybill-edge: " + e.getMessage());
            System.exit(2);
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        List<String> flags = List.of("greengrass", "standalone", "help");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                opts.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (flags.contains(key)) {
                opts.put(key, "true");
            } else if (i + 1 < args.length) {
                opts.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
        }
        List<String> known = List.of("thing-name", "shipment-sscc", "config", "spool-dir", "broker", "sensor-broker",
                "trace", "trace-kind", "speed-up", "iot-endpoint", "cert", "key", "signing-key", "greengrass", "standalone",
                "help");
        for (String k : opts.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k);
            }
        }
        return opts;
    }

    static int run(Map<String, String> opts, Map<String, String> env) throws Exception {
        boolean greengrass = opts.containsKey("greengrass")
                || (!opts.containsKey("standalone") && env.get(NUCLEUS_SOCKET_ENV) != null);
        String thingName = opts.getOrDefault("thing-name", env.get("AWS_IOT_THING_NAME"));
        Path spoolDir = Path.of(opts.getOrDefault("spool-dir", "spool"));
        MqttEndpoint broker = MqttEndpoint.parse(opts.getOrDefault("broker", "tcp://127.0.0.1:1883"));

        GreengrassIpcUplink ipcUplink = null;
        EdgeComponentConfig config;
        if (greengrass) {
            ipcUplink = GreengrassIpcUplink.connect(EdgeComponentConfig.DEFAULT_PUBLISH_TIMEOUT);
        }
        ConfigSource configSource;
        if (opts.containsKey("config")) {
            configSource = new FileConfigSource(Path.of(opts.get("config")));
        } else if (env.get(CONFIG_ENV) != null) {
            configSource = ConfigSource.fixed(new ObjectMapper().readTree(env.get(CONFIG_ENV)));
        } else if (ipcUplink != null) {
            configSource = new IpcConfigSource(ipcUplink.ipc());
        } else {
            configSource = ConfigSource.fixed(null);
        }
        try {
            config = EdgeComponentConfig.withoutShipment(configSource.read(), thingName);
            if (opts.containsKey("signing-key")) {
                config = config.toBuilder().signingKeyPath(Path.of(opts.get("signing-key"))).build();
            }
        } catch (IllegalArgumentException e) {
            if (ipcUplink != null) {
                ipcUplink.close();
            }
            throw e;
        }

        Uplink uplink;
        if (ipcUplink != null) {
            uplink = new GreengrassIpcUplink(ipcUplink.ipc(), config.publishTimeout());
        } else if (opts.containsKey("iot-endpoint")) {
            if (!opts.containsKey("cert") || !opts.containsKey("key")) {
                throw new IllegalArgumentException("--iot-endpoint needs --cert and --key");
            }
            uplink = Mqtt5Uplink.awsIotCore(opts.get("iot-endpoint"), Path.of(opts.get("cert")),
                    Path.of(opts.get("key")), config.thingName(), config.publishTimeout(),
                    config.retryMinBackoff(), config.retryMaxBackoff());
        } else {
            uplink = Mqtt5Uplink.plainTcp(broker, config.thingName() + "-uplink", config.publishTimeout(),
                    config.retryMinBackoff(), config.retryMaxBackoff());
        }

        SensorSource source;
        boolean replay = opts.containsKey("trace");
        String conveyorTopic = config.conveyor().enabled() ? config.conveyor().sensorTopic() : null;
        if (replay) {
            String kind = opts.getOrDefault("trace-kind", "temperature");
            double speedUp = Double.parseDouble(opts.getOrDefault("speed-up", "0"));
            if (kind.equals("conveyor")) {
                if (conveyorTopic == null) {
                    throw new IllegalArgumentException("--trace-kind conveyor needs the conveyor section on");
                }
                source = TraceReplaySource.conveyorFromFile(Path.of(opts.get("trace")), speedUp);
            } else if (kind.equals("temperature")) {
                source = TraceReplaySource.fromFile(Path.of(opts.get("trace")), speedUp);
            } else {
                throw new IllegalArgumentException("--trace-kind must be temperature or conveyor, was " + kind);
            }
        } else if (ipcUplink != null && !opts.containsKey("sensor-broker")) {
            source = new IpcSensorSource(ipcUplink.ipc(), config.sensorTopic(), config::sensorIdOf, conveyorTopic,
                    config::conveyorSensorIdOf);
        } else {
            MqttEndpoint sensorBroker = opts.containsKey("sensor-broker")
                    ? MqttEndpoint.parse(opts.get("sensor-broker")) : broker;
            source = new MqttSensorSource(sensorBroker, config.thingName() + "-sensors", config.sensorTopic(),
                    config::sensorIdOf, conveyorTopic, config::conveyorSensorIdOf);
        }

        LOG.log(System.Logger.Level.INFO, (greengrass ? "Greengrass" : "standalone") + " mode, thing "
                + config.thingName() + ", uplink " + uplink + ", source " + source.getClass().getSimpleName()
                + ", configuration from " + configSource);
        ReeferEdgeComponent component = new ReeferEdgeComponent(config, spoolDir, source, uplink);
        ShipmentAssignments assignments = new ShipmentAssignments(configSource, component, thingName,
                opts.get("shipment-sscc"));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            assignments.close();
            component.close();
            stopped.countDown();
        }, "waybill-edge-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        assignments.start();
        if (replay && !opts.getOrDefault("trace-kind", "temperature").equals("conveyor")
                && component.assignment().shipmentSscc() == null) {
            LOG.log(System.Logger.Level.WARNING, "replaying a temperature trace without a shipment: every reading "
                    + "is discarded (give --shipment-sscc or the configuration's shipmentSscc)");
        }
        component.start();
        if (replay) {
            source.finished().join();
            component.close();
            LOG.log(System.Logger.Level.INFO, "trace replayed: " + component.stats());
            return 0;
        }
        stopped.await();
        return 0;
    }
}

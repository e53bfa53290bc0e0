package io.waybill.local.cli;

import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.local.AwsClients;
import io.waybill.local.bench.Benchmarks;
import io.waybill.local.demo.DemoRun;
import io.waybill.local.iot.LocalDeviceAuthority;
import io.waybill.local.iot.LocalIotRule;
import io.waybill.local.iot.LocalMqttBroker;
import io.waybill.local.iot.LocalRuleRunner;
import io.waybill.local.kcl.KclEventSourceMapping;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.replay.DeadLetterReplay;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Entry point of {@code ./waybill}'s Java commands (the launcher script builds and installs first). */
public final class WaybillCli {
    /** The producer part of a record's {@code wb_route}, read without parsing the whole line. */
    private static final java.util.regex.Pattern ROUTE_PRODUCER =
            java.util.regex.Pattern.compile("\"wb_route\"\\s*:\\s*\"[^/\"]*/([^\"]{1,200})\"");

    private WaybillCli() {
    }

    public static void main(String[] args) throws Exception {
        Path root = repoRoot();
        // Handler and emulator logs go to a file; stdout is for the command's own output.
        Path logs = root.resolve(".waybill").resolve("logs");
        Files.createDirectories(logs);
        System.setProperty("waybill.log.dir", logs.toString());
        System.setProperty("log4j2.configurationFile", "waybill-local-log4j2.xml");
        PrintStream out = System.out;
        String command = args.length == 0 ? "help" : args[0];
        if ("coldchain".equals(command)) { // its own option syntax (e.g. --low none)
            System.exit(ColdChainCommand.main(args, System.in, System.out, System.err));
        }
        Map<String, String> options = options(args);
        int exit = switch (command) {
            case "normalize" -> {
                new NormalizeCommand(RecordNormalizer.standard()).run(System.in, System.out);
                yield 0;
            }
            case "demo" -> {
                DemoRun.Options d = DemoRun.Options.defaults();
                DemoRun.Options chosen = new DemoRun.Options(intOption(options, "shipments", d.shipments()),
                        intOption(options, "readings", d.readingsPerShipment()),
                        Long.parseLong(options.getOrDefault("seed", String.valueOf(d.seed()))),
                        intOption(options, "shards", d.shards()));
                yield new DemoRun(out).run(chosen) ? 0 : 1;
            }
            case "bench" -> new Benchmarks(out).run(options.containsKey("quick"),
                    options.containsKey("only")
                            ? List.of(options.get("only").toUpperCase(Locale.ROOT).split(","))
                            : List.of("P1", "P2", "P3", "P7"), root) ? 0 : 1;
            case "stack" -> stack(root, options, out);
            case "replay-dlq" -> replay(root, options, out);
            case "publish" -> publish(root, out);
            case "simulate" -> SimulateCommand.main(options, root, out);
            case "kpis", "incidents" -> operations(command, root, options, out);
            default -> {
                out.println("usage: waybill {demo|normalize|bench|stack|simulate|publish|replay-dlq|coldchain} (see ./waybill --help)");
                yield "help".equals(command) ? 0 : 2;
            }
        };
        System.exit(exit);
    }

    /** The local stack's breach confirmation delay: short, so a simulated breach shows up within a minute. */
    private static final java.time.Duration STACK_CONFIRM_AFTER = java.time.Duration.ofSeconds(30);

    /** How long {@code stack --consumer kcl} waits for KCL to lease every shard before it reports the stack ready. */
    private static final java.time.Duration KCL_LEASE_TIMEOUT = java.time.Duration.ofSeconds(60);

    private static int stack(Path root, Map<String, String> options, PrintStream out) throws InterruptedException {
        LocalPipeline.Consumer consumer;
        try {
            consumer = consumer(options);
        } catch (IllegalArgumentException e) {
            out.println("stack: " + e.getMessage());
            return 2;
        }
        Path deviceAuthority = root.resolve(".waybill").resolve("iot");
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("waybill"))
                     .consumer(consumer).coldChain(io.waybill.domain.coldchain.ColdChainConfig.builder()
                             .confirmAfter(STACK_CONFIRM_AFTER).build(), null)
                     .deploy();
             LocalMqttBroker broker = LocalMqttBroker.startWithMutualTls(root.resolve(".waybill").resolve("mqtt"),
                     LocalDeviceAuthority.openOrCreate(deviceAuthority).brokerKeyMaterial());
             LocalRuleRunner rule = LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis()).broker(broker)
                     .kinesis(pipeline.clients().kinesis(), pipeline.names().stream())
                     .errorQueue(pipeline.clients().sqs(), pipeline.clients().sqs().createQueue(q -> q.queueName(
                             pipeline.names().stream() + "-iot-rule-errors")).queueUrl())
                     .start()) {
            if (pipeline.mapping() instanceof KclEventSourceMapping kcl && !kcl.awaitLeases(KCL_LEASE_TIMEOUT)) {
                out.println("  (KCL has not leased every shard after " + KCL_LEASE_TIMEOUT.toSeconds()
                        + " s: records are consumed once it has)");
            }
            // The scheduled confirmation pass (PendingBreachHandler on AWS, every minute).
            java.util.concurrent.ScheduledExecutorService confirmer = java.util.concurrent.Executors
                    .newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "breach-confirmer");
                        t.setDaemon(true);
                        return t;
                    });
            confirmer.scheduleWithFixedDelay(() -> {
                try {
                    pipeline.confirmPendingBreaches();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(WaybillCli.class).warn("confirmation pass failed", e);
                }
            }, 10, 10, java.util.concurrent.TimeUnit.SECONDS);
            StackState.of(pipeline, broker, deviceAuthority).write(root);
            out.println("Local AWS stack running, ingest pipeline deployed:");
            out.println("  " + stack.endpoints());
            out.println("  MQTT broker (stands in for AWS IoT Core) " + broker.uri() + ", mutual TLS on "
                    + broker.host() + ":" + broker.mutualTlsPort() + " (device certificates from the local CA in "
                    + deviceAuthority + "); IoT rule " + rule.rule().ruleName() + " -> " + rule.streamName());
            out.println("  stream " + pipeline.names().stream() + ", tables " + pipeline.names().eventsTable() + " + "
                    + pipeline.names().shipmentsTable() + ", DLQ " + pipeline.deadLetterQueueUrl());
            out.println("  cold-chain decisions (io.waybill.coldchain.ColdChainHandler, a second consumer of the stream, product"
                    + " class " + io.waybill.domain.coldchain.ColdChainConfig.DEFAULT_PRODUCT_CLASS.name() + "): tables "
                    + pipeline.names().exposureTable() + ", " + pipeline.names().incidentsTable() + ", "
                    + pipeline.names().complianceTable() + " (./waybill incidents, ./waybill kpis); a breach is acted on"
                    + " once it has held " + STACK_CONFIRM_AFTER.toSeconds() + " s (production default "
                    + io.waybill.domain.coldchain.ColdChainConfig.DEFAULT_CONFIRM_AFTER.toSeconds() + " s)");
            out.println("  consumer " + (consumer == LocalPipeline.Consumer.KCL
                    ? "KCL, application and lease table " + LocalPipeline.kclApplicationName(pipeline.names())
                    : "GetRecords"));
            out.println("  state written to " + StackState.file(root) + " (used by simulate, publish, replay-dlq). Ctrl-C to stop.");
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                StackState.delete(root); // a stopped stack leaves no state for replay-dlq or publish to trip over
                stop.countDown();
            }));
            stop.await();
            return 0;
        }
    }

    /**
     * @param options command options
     * @return the {@code --consumer} option: {@code kcl} or {@code get-records} (the default), case-insensitive
     * @throws IllegalArgumentException for any other value
     */
    static LocalPipeline.Consumer consumer(Map<String, String> options) {
        String value = options.getOrDefault("consumer", "get-records").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "kcl" -> LocalPipeline.Consumer.KCL;
            case "get-records", "getrecords", "get_records" -> LocalPipeline.Consumer.GET_RECORDS;
            default -> throw new IllegalArgumentException("unknown --consumer '" + options.get("consumer")
                    + "' (expected kcl or get-records)");
        };
    }

    private static int replay(Path root, Map<String, String> options, PrintStream out) {
        StackState state = StackState.read(root).orElse(null);
        if (state == null) {
            out.println("replay-dlq: no local stack is running (start one with ./waybill stack)");
            return 1;
        }
        String queue = options.getOrDefault("queue-url", state.deadLetterQueueUrl());
        String stream = options.getOrDefault("stream", state.stream());
        try (AwsClients clients = AwsClients.create(state.endpoints())) {
            DeadLetterReplay.Result r = new DeadLetterReplay(clients.sqs(), clients.kinesis(), RecordNormalizer.standard())
                    .replay(queue, stream, options.containsKey("all"), options.containsKey("dry-run"));
            out.printf(Locale.ROOT, "replay-dlq%s: examined %d, %s %d, still failing %s, unreadable %d%n",
                    options.containsKey("dry-run") ? " (dry run)" : "", r.examined(),
                    options.containsKey("dry-run") ? "would re-drive" : "re-driven", r.replayed(), r.stillFailing(), r.unreadable());
            return 0;
        }
    }

    /** {@code kpis} and {@code incidents} against the running stack's tables. */
    private static int operations(String command, Path root, Map<String, String> options, PrintStream out) {
        StackState state = StackState.read(root).orElse(null);
        if (state == null) {
            out.println(command + ": no local stack is running (start one with ./waybill stack)");
            return 1;
        }
        try (AwsClients clients = AwsClients.create(state.endpoints())) {
            OperationsCommands ops = new OperationsCommands(clients.dynamoDb(), PipelineNames.withPrefix("waybill"),
                    java.time.Clock.systemUTC());
            return "kpis".equals(command) ? ops.kpis(options, out) : ops.incidents(options, out);
        }
    }

    /** Puts stdin's JSON lines on the running stack's stream, one record a line, keyed like the IoT rule keys them. */
    private static int publish(Path root, PrintStream out) throws java.io.IOException {
        StackState state = StackState.read(root).orElse(null);
        if (state == null) {
            out.println("publish: no local stack is running (start one with ./waybill stack)");
            return 1;
        }
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
        int count = 0;
        try (AwsClients clients = AwsClients.create(state.endpoints())) {
            String line;
            while ((line = in.readLine()) != null) {
                count++;
                String record = line;
                String key = partitionKey(record, count);
                clients.kinesis().putRecord(b -> b.streamName(state.stream()).partitionKey(key)
                        .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String(record)));
            }
        }
        out.printf(Locale.ROOT, "published %d records to %s%n", count, state.stream());
        return 0;
    }

    /** The producer id from wb_route, as the IoT rule's partition key; the line number for lines without one. */
    private static String partitionKey(String line, int lineNumber) {
        java.util.regex.Matcher m = ROUTE_PRODUCER.matcher(line);
        return m.find() ? m.group(1) : "line-" + lineNumber;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                o.put(name, args[++i]);
            } else {
                o.put(name, "true");
            }
        }
        return o;
    }

    private static int intOption(Map<String, String> o, String name, int fallback) {
        return o.containsKey(name) ? Integer.parseInt(o.get(name)) : fallback;
    }

    private static Path repoRoot() {
        String p = System.getProperty("waybill.repo.root", System.getenv().getOrDefault("WAYBILL_HOME", "."));
        return Path.of(p).toAbsolutePath().normalize();
    }
}

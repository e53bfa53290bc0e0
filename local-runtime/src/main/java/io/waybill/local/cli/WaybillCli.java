package io.waybill.local.cli;

import io.waybill.domain.event.IncidentActioned;

import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.local.AwsClients;
import io.waybill.local.archive.ArchiveDeliveryConfig;
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
import io.waybill.local.replay.ReplayRun;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of {@code ./waybill}'s Java commands (the launcher script builds first), on picocli: every command
 * has typed options and {@code --help}; an unknown option, a stray argument or a bad value is one line naming it,
 * then the command's usage, on stderr, exit 2. A {@link UserError} (no running stack, a stale one, an unreachable
 * broker) is one line on stderr with its exit code; any other failure one line with exit 1. Stack traces go to the
 * command's log file only ({@code .waybill/logs/}). {@link #run} returns the exit code; {@link #main} exits with it.
 */
public final class WaybillCli {
    /** Not a static field: {@link #main} must set the log configuration before Log4j initialises. */
    private static Logger log() {
        return LoggerFactory.getLogger(WaybillCli.class);
    }

    /** The local stack's breach confirmation delay: short, so a simulated breach shows up within a minute. */
    private static final Duration STACK_CONFIRM_AFTER = Duration.ofSeconds(30);

    /** How long {@code stack --consumer kcl} waits for KCL to lease every shard before it reports the stack ready. */
    private static final Duration KCL_LEASE_TIMEOUT = Duration.ofSeconds(60);

    /** The benchmarks {@code bench --only} can pick, and the default set. */
    static final List<String> BENCHMARKS = List.of("P1", "P2", "P3", "P4", "P5", "P7", "P8", "P9", "P10");

    /** The log file of {@code ./waybill stack} (its own: it runs for hours beside other commands). */
    static final String STACK_LOG = "stack.log";
    /** The log file every other command appends to. */
    static final String COMMAND_LOG = "waybill.log";

    private WaybillCli() {
    }

    public static void main(String[] args) {
        Path root = repoRoot();
        String command = args.length == 0 ? "help" : args[0];
        // Handler, emulator and device logs go to a file; stdout and stderr are for the command's own output.
        Path logs = root.resolve(".waybill").resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            System.err.println("waybill: cannot create " + logs + ": " + e.getMessage());
            System.exit(1);
        }
        System.setProperty("waybill.log.dir", logs.toString());
        System.setProperty("waybill.log.file", logFileName(command));
        System.setProperty("log4j2.configurationFile", "waybill-local-log4j2.xml");
        // java.util.logging and System.Logger (the edge component, device clients) into the same file.
        org.apache.logging.log4j.jul.Log4jBridgeHandler.install(true, null, true);
        // Start logging now: a command that logs nothing while it runs would otherwise start Log4j from a shutdown
        // hook at exit, which prints "Cannot start ShutdownCallbackRegistry, already shutting down" on stderr.
        log().info("waybill {}", command);
        System.exit(run(args, System.in, System.out, System.err, root));
    }

    /** The log file name a command writes to, under {@code .waybill/logs/}. */
    static String logFileName(String command) {
        return "stack".equals(command) ? STACK_LOG : COMMAND_LOG;
    }

    /**
     * Runs one command.
     *
     * @param args the command and its options, as {@code ./waybill} receives them
     * @return the exit code: 0, 1 (the command could not do its work), 2 (a usage error)
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Path root) {
        if (args.length > 0 && "coldchain".equals(args[0])) { // its own option syntax (e.g. --low none)
            return ColdChainCommand.main(args, in, out, err);
        }
        Context ctx = new Context(root, in, out, err);
        CommandLine cli = new CommandLine(new Top());
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.addSubcommand(new Normalize(ctx));
        cli.addSubcommand(new Epcis(ctx));
        cli.addSubcommand(new Forecast(ctx));
        cli.addSubcommand(new Demo(ctx));
        cli.addSubcommand(new Bench(ctx));
        cli.addSubcommand(new Stack(ctx));
        cli.addSubcommand(new Simulate(ctx));
        cli.addSubcommand(new Publish(ctx));
        cli.addSubcommand(new Replay(ctx));
        cli.addSubcommand(new ReplayDlq(ctx));
        cli.addSubcommand(new Backfill(ctx));
        cli.addSubcommand(new Kpis(ctx));
        cli.addSubcommand(new Incidents(ctx));
        cli.addSubcommand(new Devices(ctx));
        cli.addSubcommand(new Token(ctx));
        cli.addSubcommand(new Verify(ctx));
        CommandLine simulate = cli.getSubcommands().get("simulate");
        simulate.getHelpSectionMap().put("waybill-usage", help -> SimulateCommand.USAGE);
        simulate.setHelpSectionKeys(List.of("waybill-usage"));
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            log().info("usage error: {}", e.getMessage());
            err.println(prefix(c) + e.getMessage().strip());
            err.print(c.getUsageMessage());
            err.flush();
            return UserError.USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof UserError u) {
                log().info("{} failed: {}", c.getCommandName(), u.getMessage(), u);
                err.println(prefix(c) + u.getMessage());
                err.flush();
                return u.exitCode();
            }
            log().error("{} failed", c.getCommandName(), e);
            err.println(prefix(c) + "failed: " + UserError.describe(e) + " (stack trace in "
                    + root.resolve(".waybill").resolve("logs").resolve(logFileName(c.getCommandName())) + ")");
            err.flush();
            return UserError.FAILED;
        });
        int exit = cli.execute(args);
        out.flush();
        err.flush();
        return exit;
    }

    private static String prefix(CommandLine c) {
        return c.getParent() == null ? "waybill: " : "waybill " + c.getCommandName() + ": ";
    }

    /** What every command reads and writes. */
    private record Context(Path root, InputStream in, PrintStream out, PrintStream err) {
    }

    @Command(name = "waybill", description = "Waybill's local commands (./waybill --help describes them all).",
            synopsisSubcommandLabel = "COMMAND")
    static final class Top implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
    }

    /** What every local command has: the context it runs in, its picocli spec and {@code -h/--help}. */
    abstract static class LocalCommand implements Callable<Integer> {
        final Context ctx;
        @Spec
        CommandSpec spec;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "This text.")
        boolean help;

        LocalCommand(Context ctx) {
            this.ctx = ctx;
        }
    }

    @Command(name = "normalize", mixinStandardHelpOptions = false,
            description = "Raw records as JSON lines on stdin (split on \\n as bytes, as the ingest Lambda gets them)"
                    + " -> one canonical event or rejection per line on stdout.")
    static final class Normalize extends LocalCommand {

        Normalize(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            new NormalizeCommand(RecordNormalizer.standard()).run(ctx.in(), ctx.out());
            return 0;
        }
    }

    @Command(name = "epcis", mixinStandardHelpOptions = false,
            description = "Canonical events as JSON lines on stdin (as normalize writes them; rejection lines are"
                    + " skipped) -> one GS1 EPCIS 2.0 EPCISDocument (JSON-LD) on stdout, a summary on stderr.")
    static final class Epcis extends LocalCommand {

        Epcis(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            return new EpcisCommand(java.time.Clock.systemUTC()).run(ctx.in(), ctx.out(), ctx.err());
        }
    }

    @Command(name = "forecast", mixinStandardHelpOptions = false,
            description = "One SageMaker invocation body (DeepAR's JSON inference format) on stdin -> the response body"
                    + " the forecast endpoint would return, from the same model code in process; a refused request is"
                    + " {\"message\": ...} on stderr, exit 2.")
    static final class Forecast extends LocalCommand {

        Forecast(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            return new ForecastCommand(io.waybill.modelserver.deepar.Invocations.standard())
                    .run(ctx.in(), ctx.out(), ctx.err());
        }
    }

    @Command(name = "demo", description = "The whole pipeline on the local AWS stack, end to end, with a report.")
    static final class Demo extends LocalCommand {
        @Option(names = "--shipments", paramLabel = "N", description = "Trips to generate (default 6).")
        Integer shipments;
        @Option(names = "--readings", paramLabel = "N", description = "Readings per shipment (default 500).")
        Integer readings;
        @Option(names = "--seed", paramLabel = "N", description = "Traffic seed (default 42).")
        Long seed;
        @Option(names = "--shards", paramLabel = "N", description = "Stream shards (default 8).")
        Integer shards;
        @Option(names = "--serve", description = "Keep the stack up after the report and serve the ops API (prints its"
                + " URL, the dashboard's URL and a read+write token) until Ctrl-C.")
        boolean serve;
        @Option(names = "--api-port", paramLabel = "PORT", description = "With --serve: loopback port of the ops API"
                + " (default " + io.waybill.local.api.LocalOpsApi.DEFAULT_PORT + ", or "
                + io.waybill.local.api.LocalOpsApi.ENV_PORT + "; 0 for any free port).")
        Integer apiPort;

        Demo(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            DemoRun.Options d = DemoRun.Options.defaults();
            DemoRun.Options chosen = new DemoRun.Options(atLeastOne("--shipments", shipments, d.shipments()),
                    atLeastOne("--readings", readings, d.readingsPerShipment()),
                    seed == null ? d.seed() : seed, atLeastOne("--shards", shards, d.shards()));
            if (!serve) {
                if (apiPort != null) {
                    throw new ParameterException(spec.commandLine(), "--api-port is only used with --serve");
                }
                return new DemoRun(ctx.out()).run(chosen) ? 0 : 1;
            }
            int port;
            try {
                port = io.waybill.local.api.LocalOpsApi.port(apiPort, System.getenv());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return new DemoRun(ctx.out(), pipeline -> serveUntilStopped(pipeline, ctx.root(), port, ctx.out()))
                    .run(chosen) ? 0 : 1;
        }

        private int atLeastOne(String name, Integer value, int fallback) {
            if (value == null) {
                return fallback;
            }
            if (value < 1) {
                throw new ParameterException(spec.commandLine(), name + " must be at least 1, was " + value);
            }
            return value;
        }
    }

    @Command(name = "bench", description = "Benchmarks P1 (normalise vs parse), P2 (writes per event), P3 (pipeline"
            + " vs PutItem), P7 (edge footprint), P8 (device signature verification vs normalisation), P9 (cold-chain decision cost per"
            + " batch vs trip length), P5 (anchoring gas per event, proof size, stored to anchored), P10 (ops API read routes p50/p99 over HTTP), P4 (ops API cold start vs hello world).")
    static final class Bench extends LocalCommand {
        @Option(names = "--quick", description = "Small workloads (a smoke run; figures indicative only).")
        boolean quick;
        @Option(names = "--only", split = ",", paramLabel = "P", description = "The benchmarks to run, of P1, P2, P3,"
                + " P4, P5, P7, P8, P9, P10 (default all), e.g. --only P1,P7.")
        List<String> only;

        Bench(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            List<String> chosen = selection(spec.commandLine(), only);
            return new Benchmarks(ctx.out()).run(quick, chosen, ctx.root()) ? 0 : 1;
        }
    }

    /**
     * {@code --only}'s values, upper-cased; all benchmarks when none is given.
     *
     * @throws ParameterException naming a value that is no benchmark
     */
    static List<String> selection(CommandLine cli, List<String> only) {
        if (only == null || only.isEmpty()) {
            return BENCHMARKS;
        }
        List<String> chosen = only.stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).distinct().toList();
        for (String p : chosen) {
            if (!BENCHMARKS.contains(p)) {
                throw new ParameterException(cli, "unknown benchmark '" + p + "' for --only (expected "
                        + String.join(", ", BENCHMARKS) + ")");
            }
        }
        return chosen;
    }

    @Command(name = "stack", description = "Start the local stack (emulators, pipeline, MQTT broker, IoT rule) and"
            + " keep it running until Ctrl-C. One stack per repository: a second one is refused.")
    static final class Stack extends LocalCommand {
        @Option(names = "--consumer", paramLabel = "kcl|get-records", description = "How the stream is consumed:"
                + " get-records (default) or kcl (Kinesis Client Library, lease table waybill-telemetry-ingest).")
        String consumer;
        @Option(names = "--api-port", paramLabel = "PORT", description = "Loopback port of the ops API (default "
                + io.waybill.local.api.LocalOpsApi.DEFAULT_PORT + ", or " + io.waybill.local.api.LocalOpsApi.ENV_PORT
                + "; 0 for any free port).")
        Integer apiPort;

        Stack(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws InterruptedException {
            LocalPipeline.Consumer chosen;
            try {
                chosen = WaybillCli.consumer(consumer == null ? Map.of() : Map.of("consumer", consumer));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            int port;
            try {
                port = io.waybill.local.api.LocalOpsApi.port(apiPort, System.getenv());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            // The lock first: a second stack is refused before any emulator starts.
            StackLock lock = StackLock.tryAcquire(ctx.root()).orElseThrow(() -> UserError.usage(refusal(ctx.root())));
            try (lock) {
                return stack(ctx.root(), chosen, port, ctx.out());
            }
        }
    }

    /** Why a second stack cannot start: who runs, since when, where. */
    static String refusal(Path root) {
        Optional<StackLock.Holder> holder = StackLock.holder(root);
        Optional<StackState> state = Optional.empty();
        try {
            state = StackState.read(root);
        } catch (UserError e) {
            // unreadable state: the lock's holder is still named
        }
        StringBuilder b = new StringBuilder("a stack is already running in " + root);
        if (holder.isPresent()) {
            b.append(" (PID ").append(holder.get().pid());
            if (holder.get().startedAt() != null) {
                b.append(", started ").append(holder.get().startedAt());
            }
            b.append(")");
        }
        if (state.isPresent() && holder.isPresent() && state.get().pid() == holder.get().pid()) {
            b.append(": ").append(state.get().describeEndpoints());
        } else {
            b.append(", still starting");
        }
        b.append("; use it, or stop it first (Ctrl-C where it runs");
        holder.ifPresent(h -> b.append(", or kill ").append(h.pid()));
        return b.append(")").toString();
    }

    private static int stack(Path root, LocalPipeline.Consumer consumer, int apiPort, PrintStream out)
            throws InterruptedException {
        Path deviceAuthority = root.resolve(".waybill").resolve("iot");
        // Ingest enforces the device registry (waybill-devices, created with the pipeline), as on a stage.
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("waybill"))
                     .enforceDeviceRegistry(true)
                     .consumer(consumer).coldChain(ColdChainConfig.builder()
                             .confirmAfter(STACK_CONFIRM_AFTER).build(), null)
                     .rawArchive(ArchiveDeliveryConfig.LOCAL_BUCKET, ArchiveDeliveryConfig.local())
                     .anchoring(stack.ethereum())
                     .forecasting(java.util.Map.of())
                     .partners(io.waybill.local.partner.LocalPartners.Settings.of(
                             io.waybill.local.demo.PartnersSection.partners()))
                     .deploy();
             io.waybill.local.stack.BlockTicker blocks = io.waybill.local.stack.BlockTicker.start(stack.ethereum(),
                     io.waybill.local.stack.BlockTicker.BLOCK_TIME);
             LocalMqttBroker broker = LocalMqttBroker.startWithMutualTls(root.resolve(".waybill").resolve("mqtt"),
                     LocalDeviceAuthority.openOrCreate(deviceAuthority));
             LocalRuleRunner rule = LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis()).broker(broker)
                     .kinesis(pipeline.clients().kinesis(), pipeline.names().stream())
                     .errorQueue(pipeline.clients().sqs(), pipeline.clients().sqs().createQueue(q -> q.queueName(
                             pipeline.names().stream() + "-iot-rule-errors")).queueUrl())
                     .start();
             io.waybill.local.api.OpsApiGateway api = serveOpsApi(pipeline, root, apiPort)) {
            String registryTable = pipeline.deviceRegistry().tableName();
            if (pipeline.mapping() instanceof KclEventSourceMapping kcl && !kcl.awaitLeases(KCL_LEASE_TIMEOUT)) {
                out.println("  (KCL has not leased every shard after " + KCL_LEASE_TIMEOUT.toSeconds()
                        + " s: records are consumed once it has)");
            }
            // The scheduled confirmation pass (PendingBreachHandler on AWS, every minute).
            ScheduledExecutorService confirmer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "breach-confirmer");
                t.setDaemon(true);
                return t;
            });
            confirmer.scheduleWithFixedDelay(() -> {
                try {
                    pipeline.confirmPendingBreaches();
                } catch (RuntimeException e) {
                    log().warn("confirmation pass failed", e);
                }
            }, 10, 10, TimeUnit.SECONDS);
            // The daily forecast schedule (ForecastScheduleHandler on AWS): here every 15 minutes, as of today (a rerun
            // the same day replaces that day's forecasts); POST /forecasts/{seriesId} forecasts one series now.
            confirmer.scheduleWithFixedDelay(() -> {
                try {
                    pipeline.forecasting().runOnce(java.time.LocalDate.now(java.time.ZoneOffset.UTC));
                } catch (RuntimeException e) {
                    log().warn("forecast run failed", e);
                }
            }, 1, 15, TimeUnit.MINUTES);
            StackState state = StackState.of(pipeline, broker, deviceAuthority).withOpsApi(api.uri())
                    .withAnchoring(StackAnchoring.of(pipeline));
            state.write(root);
            out.println("Local AWS stack running (PID " + state.pid() + "), ingest pipeline deployed:");
            out.println("  " + stack.endpoints());
            out.println("  MQTT broker (stands in for AWS IoT Core) " + broker.uri() + ", mutual TLS on "
                    + broker.host() + ":" + broker.mutualTlsPort() + " (device certificates from the local CA in "
                    + deviceAuthority + "); IoT rule " + rule.rule().ruleName() + " -> " + rule.streamName());
            out.println("  stream " + pipeline.names().stream() + ", tables " + pipeline.names().eventsTable() + " + "
                    + pipeline.names().shipmentsTable() + ", DLQ " + pipeline.deadLetterQueueUrl());
            out.println("  device registry " + registryTable + ", enforced by ingest (./waybill devices register|assign|"
                    + "unassign|revoke|list; ./waybill simulate registers its devices)");
            out.println("  raw archive (stands in for the stage's Firehose delivery): bucket "
                    + pipeline.rawArchive().bucket() + ", GZIP objects under "
                    + io.waybill.aws.archive.RawArchiveLayout.PREFIX + "yyyy/MM/dd/HH/ every "
                    + pipeline.rawArchive().config().bufferInterval().toSeconds() + " s or "
                    + pipeline.rawArchive().config().bufferBytes() / 1024 + " KiB (./waybill backfill)");
            out.println("  cold-chain decisions (io.waybill.coldchain.ColdChainHandler, the consumer of the canonical event stream "
                    + pipeline.names().canonicalStream() + ", product"
                    + " class " + ColdChainConfig.DEFAULT_PRODUCT_CLASS.name() + "): tables "
                    + pipeline.names().exposureTable() + ", " + pipeline.names().incidentsTable() + ", "
                    + pipeline.names().complianceTable() + " (./waybill incidents, ./waybill kpis); a breach is acted on"
                    + " once it has held " + STACK_CONFIRM_AFTER.toSeconds() + " s (production default "
                    + ColdChainConfig.DEFAULT_CONFIRM_AFTER.toSeconds() + " s)");
            out.println("  ops API " + api.uri() + " (io.waybill.opsapi.OpsApiHandler behind a local JWT authorizer;"
                    + " e.g. curl -H \"Authorization: Bearer $(./waybill token)\" " + api.uri() + "/shipments;"
                    + " ./waybill token --write for acknowledge/resolve)");
            out.println("  dashboard " + api.uri() + "/dashboard (sign in with a token from ./waybill token [--write])");
            out.println("  provenance anchoring: custody transfers and breach decisions from "
                    + pipeline.names().canonicalStream() + " in Merkle batches, anchored on anvil "
                    + stack.ethereum().rpcUrl() + " (chain " + stack.ethereum().chainId() + ", AnchorRegistry "
                    + stack.ethereum().registry() + ", a block every " + io.waybill.local.stack.BlockTicker.BLOCK_TIME
                    .toSeconds() + " s); proofs in " + pipeline.names().proofsTable()
                    + " (./waybill verify EVENT_ID; GET /events/{id}/proof?source=...)");
            out.println("  demand forecasting: daily demand per SKU and location from " + pipeline.names().canonicalStream()
                    + " in " + pipeline.names().demandTable() + "; forecasts with reorder points in "
                    + pipeline.names().forecastTable() + " every 15 minutes, from the model server (the SageMaker"
                    + " endpoint's stand-in) at http://127.0.0.1:" + pipeline.modelServer().port()
                    + "/endpoints/" + io.waybill.local.forecast.LocalForecasting.LOCAL_ENDPOINT
                    + "/invocations (GET/POST /forecasts, the dashboard's Forecasts view)");
            io.waybill.local.partner.LocalPartners partners = pipeline.partners();
            out.println("  partner bus (stands in for EventBridge; EventBridgeClient endpointOverride) "
                    + partners.bus().uri() + ", bus " + partners.busName() + ", rules infra-cdk/event-rules/;"
                    + " egress (io.waybill.partneregress.PartnerEgressHandler) on " + pipeline.names().canonicalStream()
                    + ", partners in " + pipeline.names().partnerTable() + "; "
                    + io.waybill.local.partner.LocalPartners.NORTHWIND + "'s webhook receiver "
                    + partners.receiver(io.waybill.local.partner.LocalPartners.NORTHWIND).uri()
                    + "; DLQ " + pipeline.names().partnerDeliveryDlq());
            out.println("  partner ingress (io.waybill.partneringress.PartnerIngressHandler) onto "
                    + pipeline.names().stream() + "; senders (put with the access key id as credentials): "
                    + io.waybill.local.partner.LocalPartners.SENDERS.stream().map(s -> s.partnerId() + " key "
                            + s.accessKeyId() + " source " + s.source() + " " + s.detailType())
                            .collect(java.util.stream.Collectors.joining(", "))
                    + "; refused events in " + pipeline.names().partnerIngressRefusedQueue()
                    + "; GS1 EPCIS 2.0 capture and query at /epcis on the ops API");
            out.println("  consumer " + (consumer == LocalPipeline.Consumer.KCL
                    ? "KCL, application and lease table " + LocalPipeline.kclApplicationName(pipeline.names())
                    : "GetRecords"));
            out.println("  log " + root.resolve(".waybill").resolve("logs").resolve(STACK_LOG)
                    + " (handlers, emulators, broker; JSON lines, appended)");
            out.println("  state written to " + StackState.file(root) + " (used by simulate, publish, replay,"
                    + " incidents, kpis); lock " + StackLock.file(root) + ". Ctrl-C to stop.");
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                StackState.delete(root); // a stopped stack leaves no state for replay or publish to trip over
                stop.countDown();
            }));
            stop.await();
            return 0;
        } finally {
            StackState.delete(root);
        }
    }

    /**
     * {@code demo --serve}: the demo pipeline's ops API until Ctrl-C, with its URL, the dashboard's and a read+write
     * token printed.
     */
    static void serveUntilStopped(LocalPipeline pipeline, Path root, int port, PrintStream out) {
        try (io.waybill.local.api.OpsApiGateway api = serveOpsApi(pipeline, root, port)) {
            io.waybill.local.api.LocalJwtAuthority authority = io.waybill.local.api.LocalJwtAuthority.openOrCreate(
                    io.waybill.local.api.LocalJwtAuthority.folder(root));
            String user = System.getProperty("user.name", "");
            String token = authority.issue(user.isBlank() ? "operator" : user, true,
                    io.waybill.local.api.LocalJwtAuthority.DEFAULT_TTL, Clock.systemUTC().instant());
            out.println();
            out.println("Serving the ops API (stack kept up; Ctrl-C to stop):");
            out.println("  API " + api.uri() + " (e.g. " + api.uri() + "/shipments, " + api.uri() + "/health)");
            out.println("  dashboard " + api.uri() + "/dashboard (sign in with the token below)");
            out.println("  token (ops.read ops.write, " + io.waybill.local.api.LocalJwtAuthority.DEFAULT_TTL.toMinutes()
                    + " min; a fresh one: ./waybill token --write):");
            out.println("  " + token);
            out.println("  curl -H \"Authorization: Bearer $TOKEN\" " + api.uri() + "/shipments");
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The proof route of a pipeline that anchors (the dashboard's Verify button): the pipeline's proofs table, its
     * event store and a chain adapter on the local node; {@link io.waybill.opsapi.ProofRoutes#off()} otherwise.
     */
    static io.waybill.opsapi.ProofRoutes proofRoutes(LocalPipeline pipeline) {
        io.waybill.local.provenance.LocalAnchoring anchoring = pipeline.anchoring();
        if (anchoring == null) {
            return io.waybill.opsapi.ProofRoutes.off();
        }
        io.waybill.aws.eventstore.DynamoDbEventLedger events = new io.waybill.aws.eventstore.DynamoDbEventLedger(
                software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient.builder()
                        .dynamoDbClient(pipeline.clients().dynamoDb()).build(),
                pipeline.names().eventsTable(), Clock.systemUTC());
        io.waybill.local.stack.LocalEthereum node = anchoring.ethereum();
        return new io.waybill.opsapi.ProofRoutes(anchoring.proofs(), events, node::connect);
    }

    /**
     * The ops API on a loopback port for a deployed pipeline.
     *
     * @throws UserError (exit 1) when the port cannot be bound (taken by another program, or a second stack)
     */
    static io.waybill.local.api.OpsApiGateway serveOpsApi(LocalPipeline pipeline, Path root, int port) {
        try {
            return io.waybill.local.api.LocalOpsApi.serve(pipeline, root, port, proofRoutes(pipeline));
        } catch (IOException e) {
            throw UserError.failed("cannot serve the ops API on 127.0.0.1:" + port + " (" + UserError.describe(e)
                    + "): free the port, or choose another with --api-port or "
                    + io.waybill.local.api.LocalOpsApi.ENV_PORT);
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

    @Command(name = "simulate", description = "A device fleet against the running stack, another broker or AWS IoT"
            + " Core.")
    static final class Simulate extends LocalCommand {
        @Option(names = "--tls")
        boolean tls;
        @Option(names = "--broker", paramLabel = "tcp://HOST:PORT")
        String broker;
        @Option(names = "--iot-endpoint", paramLabel = "HOST")
        String iotEndpoint;
        @Option(names = "--certs", paramLabel = "DIR")
        String certs;
        @Option(names = "--ca", paramLabel = "FILE")
        String ca;
        @Option(names = "--port", paramLabel = "N")
        Integer port;
        @Option(names = "--reefers", paramLabel = "N")
        Integer reefers;
        @Option(names = "--gps", paramLabel = "N")
        Integer gps;
        @Option(names = "--gps-pings", paramLabel = "N")
        Integer gpsPings;
        @Option(names = "--rfid", paramLabel = "N")
        Integer rfid;
        @Option(names = "--rfid-reads", paramLabel = "N")
        Integer rfidReads;
        @Option(names = "--conveyors", paramLabel = "N")
        Integer conveyors;
        @Option(names = "--rate", paramLabel = "N")
        Double rate;
        @Option(names = "--timeout", paramLabel = "SECONDS")
        Integer timeout;
        @Option(names = "--stage", paramLabel = "NAME")
        String stage;

        Simulate(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> o = new LinkedHashMap<>();
            if (tls) {
                o.put("tls", "true");
            }
            put(o, "broker", broker);
            put(o, "iot-endpoint", iotEndpoint);
            put(o, "certs", certs);
            put(o, "ca", ca);
            put(o, "port", port);
            put(o, "reefers", reefers);
            put(o, "gps", gps);
            put(o, "gps-pings", gpsPings);
            put(o, "rfid", rfid);
            put(o, "rfid-reads", rfidReads);
            put(o, "conveyors", conveyors);
            put(o, "rate", rate);
            put(o, "timeout", timeout);
            put(o, "stage", stage);
            try {
                return SimulateCommand.main(o, ctx.root(), ctx.out());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }

        private static void put(Map<String, String> o, String name, Object value) {
            if (value != null) {
                o.put(name, String.valueOf(value));
            }
        }
    }

    @Command(name = "publish", description = "Put stdin's lines (JSON, one record a line, bytes as they are) on the"
            + " running stack's stream: PutRecords batches, progress on stderr, a summary on stdout.")
    static final class Publish extends LocalCommand {

        Publish(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            StackState state = StackState.require(ctx.root());
            try (AwsClients clients = AwsClients.create(state.endpoints())) {
                PublishCommand.Summary s = new PublishCommand(clients.kinesis(), state.stream(), ctx.err())
                        .run(ctx.in());
                PublishCommand.print(s, state.stream(), ctx.out());
                return s.failed() == 0 ? 0 : 1;
            }
        }
    }

    @Command(name = "replay", description = "Re-drive what ingest or the cold chain could not process, after a fix:"
            + " ingest's dead letters (records the current code would reject again stay) and the batch ranges the"
            + " event source mappings gave up on (read again from the stream while it retains them; a range no longer"
            + " there is LOST, kept, exit 1). Identity rejections that are evidence of an attack (IDENTITY_MISMATCH,"
            + " DEVICE_REVOKED, UNSIGNED, BAD_SIGNATURE, REPLAYED) stay unless named with --reason."
            + " Against the running local stack, or a deployed stage with --stage."
            + " Idempotent: the event store absorbs what it already has.")
    static final class Replay extends LocalCommand {
        @Option(names = "--source", paramLabel = "dead-letters|failed-batches|all", description = "What to replay"
                + " (default all).")
        String source;
        @Option(names = "--reason", split = ",", paramLabel = "REASON", description = "Only dead letters rejected for"
                + " these reasons, e.g. --reason OVERSIZED,SCHEMA_VIOLATION. Default: every reason but ID_CONFLICT"
                + " (re-driving cannot settle a conflict) and the identity rejections that are evidence of an attack"
                + " or a broken device, IDENTITY_MISMATCH, DEVICE_REVOKED, UNSIGNED, BAD_SIGNATURE and REPLAYED:"
                + " those are re-driven only when named here (re-driving changes nothing and hides them; name them"
                + " with --dry-run to count them). UNREGISTERED_DEVICE and UNASSIGNED are re-driven by default:"
                + " register or assign the device (./waybill devices) first, and ingest stores them.")
        List<String> reasons;
        @Option(names = {"--all-reasons", "--force"}, description = "Re-drive dead letters even when the current code"
                + " would reject them again (it does not add ID_CONFLICT or the identity rejections: name those with"
                + " --reason).")
        boolean force;
        @Option(names = "--dry-run", description = "Say what would be done (counts per source and reason, ranges,"
                + " records per range); change nothing.")
        boolean dryRun;
        @picocli.CommandLine.Mixin
        StageOptions target = new StageOptions();

        Replay(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ReplayRun.Source chosen;
            java.util.Set<io.waybill.domain.normalize.RejectionReason> selected;
            try {
                chosen = source == null ? ReplayRun.Source.ALL : ReplayRun.Source.of(source);
                selected = ReplayCommand.reasons(reasons);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (chosen == ReplayRun.Source.FAILED_BATCHES && (!selected.isEmpty() || force)) {
                throw new ParameterException(spec.commandLine(), (force ? "--all-reasons" : "--reason")
                        + " selects dead letters: it does not go with --source failed-batches");
            }
            target.check(spec);
            ReplayRun.Options options = new ReplayRun.Options(chosen,
                    new DeadLetterReplay.Selection(selected, force), dryRun);
            return !target.deployed() ? ReplayCommand.local(ctx.root(), options, null, null, ctx.out())
                    : ReplayCommand.stage(target.stage, target.profile, target.region, options, ctx.out());
        }
    }

    @Command(name = "replay-dlq", description = "Alias of replay --source dead-letters on the running local stack"
            + " (kept for scripts): re-drive its dead letters to its stream after a fix (records that would be"
            + " rejected again stay in the queue, and so do ID_CONFLICT and the identity rejections IDENTITY_MISMATCH,"
            + " DEVICE_REVOKED, UNSIGNED, BAD_SIGNATURE, REPLAYED: name those with replay --reason).")
    static final class ReplayDlq extends LocalCommand {
        @Option(names = "--dry-run", description = "Decide and report, change nothing.")
        boolean dryRun;
        @Option(names = {"--all", "--all-reasons", "--force"}, description = "Re-drive even records that would be"
                + " rejected again.")
        boolean all;
        @Option(names = "--queue-url", paramLabel = "URL", description = "Another dead-letter queue.")
        String queueUrl;
        @Option(names = "--stream", paramLabel = "NAME", description = "Another stream to put records on.")
        String stream;

        ReplayDlq(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            ReplayRun.Options options = new ReplayRun.Options(ReplayRun.Source.DEAD_LETTERS,
                    new DeadLetterReplay.Selection(java.util.Set.of(), all), dryRun);
            return ReplayCommand.local(ctx.root(), options, queueUrl, stream, ctx.out());
        }
    }

    @Command(name = "backfill", description = "Re-drive archived raw records through today's adapters: every record"
            + " the raw archive holds for the hours --from to --to (UTC hours of arrival, both included, at most "
            + io.waybill.local.backfill.BackfillWindow.MAX_HOURS + ") is put back on the raw stream with the partition"
            + " key the IoT rule gives it, and ingest stores what is new (idempotent: what is stored already is"
            + " absorbed as a duplicate). Blank and undecodable lines are reported by object and line, never dropped"
            + " silently. From the running local stack's archive (s3rver), or a deployed stage's with --stage.")
    static final class Backfill extends LocalCommand {
        @Option(names = "--from", paramLabel = "yyyy-MM-ddTHH", description = "First hour (UTC), required.")
        String from;
        @Option(names = "--to", paramLabel = "yyyy-MM-ddTHH", description = "Last hour (UTC), included, required.")
        String to;
        @Option(names = "--adapter", split = ",", paramLabel = "ID", description = "Only records of these adapters"
                + " (wb_route's first part), e.g. --adapter thermotrack,swiftlog.")
        List<String> adapters;
        @Option(names = "--device", split = ",", paramLabel = "ID", description = "Only records of these producers"
                + " (wb_route's second part: the thing name or partner id).")
        List<String> devices;
        @Option(names = "--dry-run", description = "Read the archive and say what would be re-driven; put nothing.")
        boolean dryRun;
        @picocli.CommandLine.Mixin
        StageOptions target = new StageOptions();

        Backfill(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            io.waybill.local.backfill.BackfillWindow window;
            // Checked here, not by picocli, so that an unknown option is named first.
            if (from == null || to == null) {
                throw new ParameterException(spec.commandLine(), (from == null ? "--from" : "--to")
                        + " yyyy-MM-ddTHH is required (backfill reads whole UTC hours of arrival, --from to --to)");
            }
            try {
                window = io.waybill.local.backfill.BackfillWindow.parse(from, to);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            target.check(spec);
            var selection = new io.waybill.local.backfill.Backfill.Selection(
                    adapters == null ? java.util.Set.of() : new java.util.HashSet<>(adapters),
                    devices == null ? java.util.Set.of() : new java.util.HashSet<>(devices));
            return !target.deployed() ? BackfillCommand.local(ctx.root(), window, selection, dryRun, ctx.out())
                    : BackfillCommand.stage(target.stage, target.profile, target.region, window, selection, dryRun,
                    ctx.out());
        }
    }

    @Command(name = "kpis", description = "Business KPIs of the running stack per lane and facility. With --emf the"
            + " CloudWatch EMF documents are the only thing on stdout and the report goes to stderr.")
    static final class Kpis extends LocalCommand {
        @Option(names = "--as-of", paramLabel = "INSTANT", description = "ISO-8601 instant (default now).")
        String asOf;
        @Option(names = "--emf", description = "EMF documents on stdout (one per lane and facility), the report on"
                + " stderr.")
        boolean emf;

        Kpis(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            StackState state = StackState.require(ctx.root());
            try (AwsClients clients = AwsClients.create(state.endpoints())) {
                return operations(clients).kpis(asOf, emf, ctx.out(), ctx.err());
            }
        }
    }

    @Command(name = "verify", description = "Check an anchored event's proof against the chain on the running stack:"
            + " the event as stored hashed again, its Merkle proof, the registry's anchoredAt(root), the transaction's"
            + " receipt. Prints the proof and the check as JSON and a verdict. Exit 0 verified, 1 not verified"
            + " (tampered), 2 unknown event or not anchored, 3 chain unreachable.")
    static final class Verify extends LocalCommand {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "EVENT_ID", description = "The event's id (CloudEvents id).")
        String eventId;
        @Option(names = "--source", paramLabel = "SOURCE", description = "The event's CloudEvents source, when"
                + " several sources used the same id.")
        String source;

        Verify(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            StackState state = StackState.require(ctx.root());
            if (state.anchoring() == null) {
                ctx.err().println("verify: the running stack does not anchor (restart it with this version of"
                        + " ./waybill stack)");
                return VerifyCommand.NOT_ANCHORED;
            }
            try (AwsClients clients = AwsClients.create(state.endpoints())) {
                return new VerifyCommand(clients.dynamoDb(), state.anchoring()).run(eventId, source, ctx.out(),
                        ctx.err());
            }
        }
    }

    @Command(name = "incidents", description = "The running stack's shipment exceptions, with why each breaches;"
            + " --ack ID acknowledges one, --resolve ID with --resolution TEXT or --disposition release|reject|destroy"
            + " resolves one, --release-hold SSCC releases a shipment's quality hold (after a RELEASE disposition)."
            + " Each action is an event in the event store naming --actor (default: the OS user).")
    static final class Incidents extends LocalCommand {
        @Option(names = "--ack", paramLabel = "ID", description = "Acknowledge this incident.")
        String ack;
        @Option(names = "--resolve", paramLabel = "ID", description = "Resolve this incident (with --resolution or"
                + " --disposition).")
        String resolve;
        @Option(names = {"--resolution", "--note"}, paramLabel = "TEXT", description = "Why: the resolution of"
                + " --resolve, or a note with --disposition or --release-hold.")
        String resolution;
        @Option(names = "--disposition", paramLabel = "release|reject|destroy", description = "QA's disposition of"
                + " the goods (with --resolve ID).")
        String disposition;
        @Option(names = "--release-hold", paramLabel = "SSCC", description = "Release this shipment's quality hold.")
        String releaseHold;
        @Option(names = "--actor", paramLabel = "NAME", description = "Who acts (default: the OS user).")
        String actor;

        Incidents(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            int actions = (ack != null ? 1 : 0) + (resolve != null ? 1 : 0) + (releaseHold != null ? 1 : 0);
            if (actions > 1) {
                throw new ParameterException(spec.commandLine(), "give one of --ack, --resolve, --release-hold");
            }
            IncidentActioned.Disposition chosen = null;
            if (disposition != null) {
                if (resolve == null) {
                    throw new ParameterException(spec.commandLine(), "--disposition goes with --resolve ID");
                }
                try {
                    chosen = IncidentActioned.Disposition.valueOf(disposition.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--disposition is release, reject or destroy,"
                            + " not '" + disposition + "'");
                }
            }
            if (resolve != null && chosen == null && (resolution == null || resolution.isBlank())) {
                throw new ParameterException(spec.commandLine(),
                        "--resolve needs --resolution TEXT or --disposition release|reject|destroy");
            }
            if (resolution != null && resolve == null && releaseHold == null) {
                throw new ParameterException(spec.commandLine(), "--resolution goes with --resolve ID or"
                        + " --release-hold SSCC");
            }
            if ((ack != null && ack.isBlank()) || (resolve != null && resolve.isBlank())
                    || (releaseHold != null && releaseHold.isBlank())) {
                throw new ParameterException(spec.commandLine(), "the incident ID or SSCC is empty");
            }
            String who = actor != null ? actor.trim() : System.getProperty("user.name", "");
            if (actions == 1 && who.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--actor NAME is empty (and no OS user is known)");
            }
            String note = resolution == null || resolution.isBlank() ? null : resolution.trim();
            StackState state = StackState.require(ctx.root());
            try (AwsClients clients = AwsClients.create(state.endpoints())) {
                OperationsCommands ops = operations(clients);
                if (ack != null) {
                    return ops.acknowledge(ack, who, ctx.out());
                }
                if (resolve != null) {
                    return chosen != null ? ops.disposition(resolve, chosen, note, who, ctx.out())
                            : ops.resolve(resolve, note, who, ctx.out());
                }
                if (releaseHold != null) {
                    return ops.releaseHold(releaseHold.trim(), note, who, ctx.out());
                }
                return ops.list(ctx.out());
            }
        }
    }

    @Command(name = "devices", description = "The device registry: register a device (adapter, signing public key,"
            + " scope), assign it to a shipment for a window, unassign, revoke (registry status REVOKED and its"
            + " certificates revoked: the local broker's, or AWS IoT's on a stage), list. On the running local stack,"
            + " or a deployed stage with --stage.")
    static final class Devices extends LocalCommand {
        @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "register|assign|unassign|revoke|list",
                description = "What to do.")
        String action;
        @Option(names = "--thing", paramLabel = "T", description = "The thing name.")
        String thing;
        @Option(names = "--adapter", paramLabel = "A", description = "register: the adapter its messages come"
                + " through, e.g. waybill-edge, gps-tracker.")
        String adapter;
        @Option(names = "--public-key", paramLabel = "FILE", description = "register: its P-256 signing public key,"
                + " base64 SPKI DER or PEM (without: a device that does not sign).")
        Path publicKey;
        @Option(names = "--scope", paramLabel = "shipment|site", description = "register: default shipment (site"
                + " for rfid-portal): whether its shipment events need an assignment.")
        String scope;
        @Option(names = "--replace", description = "register: replace an existing registration (keys, adapter,"
                + " scope; status ACTIVE again).")
        boolean replace;
        @Option(names = "--sscc", paramLabel = "S", description = "assign/unassign: the shipment's SSCC.")
        String sscc;
        @Option(names = "--from", paramLabel = "INSTANT", description = "assign/unassign: start of the window"
                + " (ISO-8601, inclusive).")
        String from;
        @Option(names = "--until", paramLabel = "INSTANT", description = "assign: end of the window (exclusive;"
                + " default open).")
        String until;
        @picocli.CommandLine.Mixin
        StageOptions target = new StageOptions();

        Devices(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (action == null) {
                throw new ParameterException(spec.commandLine(), "give what to do: "
                        + String.join(", ", DevicesCommand.ACTIONS));
            }
            List<String> allowed;
            try {
                allowed = DevicesCommand.optionsOf(action);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            Map<String, Object> given = new LinkedHashMap<>();
            given.put("--thing", thing);
            given.put("--adapter", adapter);
            given.put("--public-key", publicKey);
            given.put("--scope", scope);
            given.put("--replace", replace ? Boolean.TRUE : null);
            given.put("--sscc", sscc);
            given.put("--from", from);
            given.put("--until", until);
            given.forEach((name, value) -> {
                if (value != null && !allowed.contains(name)) {
                    throw new ParameterException(spec.commandLine(), name + " does not go with " + action);
                }
            });
            target.check(spec);
            try {
                if (!target.deployed()) {
                    StackState state = StackState.require(ctx.root());
                    try (AwsClients clients = AwsClients.create(state.endpoints())) {
                        DevicesCommand.CertificateRevoker revoker = state.deviceAuthority() == null
                                ? t -> List.of()
                                : DevicesCommand.localAuthority(LocalDeviceAuthority.openOrCreate(state.deviceAuthority()));
                        return devices(new DevicesCommand(io.waybill.local.devices.LocalDeviceRegistry.create(clients),
                                revoker, "the local stack's registry "
                                + io.waybill.aws.devices.DeviceRegistryTables.LOCAL_TABLE, Clock.systemUTC(), ctx.out()));
                    }
                }
                return ReplayCommand.onStage(target.stage, target.profile, target.region, (clients, stackName, outputs) -> {
                    String table = DevicesCommand.registryTable(outputs).orElseThrow(() -> UserError.failed("stack "
                            + stackName + " has no output " + DevicesCommand.REGISTRY_TABLE_OUTPUT + " (deployed before"
                            + " the device registry? deploy the stage again)"));
                    return devices(new DevicesCommand(new io.waybill.aws.devices.DynamoDbDeviceRegistry(
                            clients.dynamoDb(), table, Duration.ZERO, Clock.systemUTC()),
                            DevicesCommand.awsIot(clients.iot()), "stage " + target.stage + "'s registry " + table
                            + " (" + clients.region() + ")", Clock.systemUTC(), ctx.out()));
                });
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }

        private int devices(DevicesCommand c) {
            return switch (action) {
                case "register" -> c.register(thing, adapter, publicKey, scope, replace);
                case "assign" -> c.assign(thing, sscc, from, until);
                case "unassign" -> c.unassign(thing, sscc, from);
                case "revoke" -> c.revoke(thing);
                default -> c.list();
            };
        }
    }

    @Command(name = "token", description = "Print a signed access token for the local ops API (RS256 JWT, issuer "
            + io.waybill.local.api.LocalJwtAuthority.ISSUER + ", audience " + io.waybill.local.api.LocalJwtAuthority.AUDIENCE
            + ", scope ops.read, plus ops.write with --write), signed by this checkout's local key"
            + " (.waybill/api/, made on first use). Send it as 'Authorization: Bearer TOKEN'.")
    static final class Token extends LocalCommand {
        @Option(names = "--write", description = "Add the ops.write scope (acknowledge, resolve, replay).")
        boolean write;
        @Option(names = "--subject", paramLabel = "NAME", description = "Who the token names (sub; the API records it"
                + " as the actor). Default: the OS user.")
        String subject;
        @Option(names = "--ttl-minutes", paramLabel = "N", description = "Lifetime in minutes, 1 to 1440 (default 60).")
        int ttlMinutes = (int) io.waybill.local.api.LocalJwtAuthority.DEFAULT_TTL.toMinutes();

        Token(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            long max = io.waybill.local.api.LocalJwtAuthority.MAX_TTL.toMinutes();
            if (ttlMinutes < 1 || ttlMinutes > max) {
                throw new ParameterException(spec.commandLine(), "--ttl-minutes must be 1 to " + max + ", was "
                        + ttlMinutes);
            }
            String who = subject != null ? subject.trim() : System.getProperty("user.name", "");
            if (who.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--subject NAME is empty (and no OS user is known)");
            }
            io.waybill.local.api.LocalJwtAuthority authority = io.waybill.local.api.LocalJwtAuthority.openOrCreate(
                    io.waybill.local.api.LocalJwtAuthority.folder(ctx.root()));
            ctx.out().println(authority.issue(who, write, Duration.ofMinutes(ttlMinutes), Clock.systemUTC().instant()));
            return 0;
        }
    }

    private static OperationsCommands operations(AwsClients clients) {
        return new OperationsCommands(clients.dynamoDb(), PipelineNames.withPrefix("waybill"), Clock.systemUTC());
    }

    private static Path repoRoot() {
        String p = System.getProperty("waybill.repo.root", System.getenv().getOrDefault("WAYBILL_HOME", "."));
        return Path.of(p).toAbsolutePath().normalize();
    }
}

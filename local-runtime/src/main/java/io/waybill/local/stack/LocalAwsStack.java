package io.waybill.local.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import io.waybill.chain.AnchorRegistryDeployment;
import io.waybill.chain.RpcAuth;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.local.AwsClients;
import io.waybill.local.AwsEndpoints;

/**
 * The local AWS stack: real emulators speaking the AWS wire protocols, started by this JVM and stopped with it.
 * <ul>
 *   <li><b>Kinesis</b>: kinesis-mock (npm {@code kinesis-local}), {@code node node_modules/kinesis-local/main.js}
 *       with {@code KINESIS_MOCK_PLAIN_PORT}, {@code KINESIS_MOCK_TLS_PORT}, {@code KINESIS_MOCK_CERT_PATH} and the
 *       stream state-transition durations set to {@link LocalStackConfig#kinesisStateTransition()};</li>
 *   <li><b>DynamoDB</b>: {@code node node_modules/dynalite/cli.js --host H --port P --createTableMs 0
 *       --deleteTableMs 0 --updateTableMs 0} (LevelDB in memory, or {@code --path} when configured);</li>
 *   <li><b>SQS</b>: ElasticMQ embedded in this JVM ({@link SQSRestServerBuilder});</li>
 *   <li><b>S3</b>: {@code node node_modules/s3rver/bin/s3rver.js -d DIR -a HOST -p PORT}, objects in
 *       {@code <logDir>/s3rver-<port>-data} (removed by {@link #close()}); clients use path-style addressing. s3rver
 *       knows only its own key pair, so the guard adds the stack's dummy credentials to it.</li>
 *   <li><b>Ethereum</b>: anvil (npm {@code @foundry-rs/anvil}, its native binary
 *       {@code node_modules/@foundry-rs/anvil-<os>-<arch>/bin/anvil}) with {@code --host H --port P --chain-id 31337
 *       --quiet} (its banner would print the dev keys),
 *       automining each transaction; ready when {@code eth_chainId} answers 31337; then {@code AnchorRegistry} is
 *       deployed by anvil's dev account 0, which is its owner and first anchorer ({@link #ethereum()}).</li>
 * </ul>
 * The five start in parallel. Each is ready when a real API call (ListStreams, ListTables, ListQueues, ListBuckets)
 * answers;
 * {@link #startTimesMillis()} gives how long each took. Node processes write to
 * {@code <local-runtime>/target/local-stack/<emulator>-<port>.log}. If {@code node_modules} is missing,
 * {@code npm ci --no-audit --no-fund} runs first.
 *
 * <p>Every emulator listens on {@link LocalStackConfig#host()} only (loopback by default): the Node.js ones through
 * the emulator guard ({@link NodeEmulatorProcess}), ElasticMQ through its interface setting.
 *
 * <p>{@link #close()} stops everything (processes and their descendants: SIGTERM, then SIGKILL after
 * {@link LocalStackConfig#stopGrace()}); a JVM shutdown hook does the same if {@code close()} was never called, and
 * if this JVM is killed outright (SIGKILL: no hook runs) the Node.js emulators notice their stdin pipe close and exit.
 *
 * <pre>{@code
 * try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults())) {
 *     KinesisClient kinesis = stack.clients().kinesis();
 *     ...
 * }
 * }</pre>
 */
public final class LocalAwsStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAwsStack.class);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final Duration PROBE_CALL_TIMEOUT = Duration.ofSeconds(5);
    /** Shards per account, as AWS's default quota in us-east-1 (kinesis-mock's {@code SHARD_LIMIT}, default 50). */
    public static final int KINESIS_SHARD_QUOTA = 500;
    private static final List<String> KINESIS_DURATION_VARIABLES = List.of(
            "CREATE_STREAM_DURATION", "DELETE_STREAM_DURATION", "REGISTER_STREAM_CONSUMER_DURATION",
            "START_STREAM_ENCRYPTION_DURATION", "STOP_STREAM_ENCRYPTION_DURATION",
            "DEREGISTER_STREAM_CONSUMER_DURATION", "MERGE_SHARDS_DURATION", "SPLIT_SHARD_DURATION",
            "UPDATE_SHARD_COUNT_DURATION", "UPDATE_STREAM_MODE_DURATION");

    private final LocalStackConfig config;
    private final Path localRuntimeDir;
    private final Path logDir;
    private final AwsEndpoints endpoints;
    private final NodeEmulatorProcess kinesis;
    private final NodeEmulatorProcess dynalite;
    private final NodeEmulatorProcess s3rver;
    private final NodeEmulatorProcess anvil;
    private final LocalEthereum ethereum;
    private final Path s3DataDir;
    private final int kinesisTlsPort;
    private final int sqsPort;
    private final List<NodeEmulatorProcess> launched;
    private final List<SQSRestServer> servers;
    private final Map<Emulator, Long> startMillis;
    private final long totalStartMillis;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private final AtomicReference<AwsClients> clients;

    private LocalAwsStack(LocalStackConfig config, Path localRuntimeDir, Path logDir, AwsEndpoints endpoints,
                          NodeEmulatorProcess kinesis, NodeEmulatorProcess dynalite, NodeEmulatorProcess s3rver,
                          NodeEmulatorProcess anvil, LocalEthereum ethereum, Path s3DataDir, int kinesisTlsPort, int sqsPort, List<NodeEmulatorProcess> launched,
                          List<SQSRestServer> servers, Map<Emulator, Long> startMillis, long totalStartMillis,
                          Thread shutdownHook, AtomicReference<AwsClients> clients) {
        this.config = config;
        this.localRuntimeDir = localRuntimeDir;
        this.logDir = logDir;
        this.endpoints = endpoints;
        this.kinesis = kinesis;
        this.dynalite = dynalite;
        this.s3rver = s3rver;
        this.anvil = anvil;
        this.ethereum = ethereum;
        this.s3DataDir = s3DataDir;
        this.kinesisTlsPort = kinesisTlsPort;
        this.sqsPort = sqsPort;
        this.launched = launched;
        this.servers = servers;
        this.startMillis = Collections.unmodifiableMap(startMillis);
        this.totalStartMillis = totalStartMillis;
        this.shutdownHook = shutdownHook;
        this.clients = clients;
    }

    /**
     * Starts the stack with {@link LocalStackConfig#defaults()}.
     *
     * @return the running stack; close it
     * @throws EmulatorStartException if an emulator cannot start or does not answer in time
     */
    public static LocalAwsStack start() {
        return start(LocalStackConfig.defaults());
    }

    /**
     * Starts the five emulators in parallel and waits until each answers a real API call.
     *
     * @param config configuration
     * @return the running stack; close it
     * @throws EmulatorStartException if an emulator cannot start or does not answer in time (whatever did start is
     *                                stopped before it is thrown)
     */
    public static LocalAwsStack start(LocalStackConfig config) {
        long t0 = System.nanoTime();
        Path runtimeDir = config.localRuntimeDir().map(p -> p.toAbsolutePath().normalize())
                .orElseGet(LocalRuntimeLocator::locate);
        Path logDir = config.logDir().orElse(runtimeDir.resolve("target").resolve("local-stack"))
                .toAbsolutePath().normalize();
        NpmInstaller.ensureInstalled(config, runtimeDir, logDir);

        Set<Integer> taken = new HashSet<>();
        int kinesisPort = portOrFree(config.kinesisPort(), taken);
        int kinesisTlsPort = portOrFree(config.kinesisTlsPort(), taken);
        int dynamoPort = portOrFree(config.dynamoDbPort(), taken);
        int sqsPort = portOrFree(config.sqsPort(), taken);
        int s3Port = portOrFree(config.s3Port(), taken);
        int anvilPort = portOrFree(0, taken);
        String host = config.host();
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        AwsEndpoints endpoints = AwsEndpoints.local(config.region(),
                URI.create("http://" + urlHost + ":" + kinesisPort),
                URI.create("http://" + urlHost + ":" + dynamoPort),
                URI.create("http://" + urlHost + ":" + sqsPort),
                URI.create("http://" + urlHost + ":" + s3Port));
        Path s3DataDir = logDir.resolve(Emulator.S3.emulatorName() + "-" + s3Port + "-data");

        // Processes register here as soon as they exist, so that a failure, or a JVM exit during start, stops them.
        List<NodeEmulatorProcess> launched = Collections.synchronizedList(new ArrayList<>());
        List<SQSRestServer> servers = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<AwsClients> clientsRef = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            // Close pooled connections first: kinesis-mock's graceful stop waits for open connections to end.
            AwsClients c = clientsRef.getAndSet(null);
            if (c != null) {
                c.close();
            }
            stopAll(launched, servers, config.stopGrace());
        }, "local-aws-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        AtomicInteger threadCount = new AtomicInteger();
        ExecutorService starter = Executors.newFixedThreadPool(5, r -> {
            Thread t = new Thread(r, "local-aws-stack-start-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        SdkHttpClient probeHttp = AwsClients.newHttpClient();
        try {
            CompletableFuture<Timed<NodeEmulatorProcess>> kinesisFuture = supply(starter, () ->
                    startKinesis(config, runtimeDir, logDir, kinesisPort, kinesisTlsPort, endpoints, probeHttp,
                            launched));
            CompletableFuture<Timed<NodeEmulatorProcess>> dynamoFuture = supply(starter, () ->
                    startDynalite(config, runtimeDir, logDir, dynamoPort, endpoints, probeHttp, launched));
            CompletableFuture<Timed<SQSRestServer>> sqsFuture = supply(starter, () ->
                    startElasticMq(config, sqsPort, endpoints, probeHttp, servers));
            CompletableFuture<Timed<NodeEmulatorProcess>> s3Future = supply(starter, () ->
                    startS3rver(config, runtimeDir, logDir, s3Port, s3DataDir, endpoints, probeHttp, launched));
            CompletableFuture<Timed<AnvilStart>> anvilFuture = supply(starter, () ->
                    startAnvil(config, runtimeDir, logDir, anvilPort, launched));
            try {
                CompletableFuture.allOf(kinesisFuture, dynamoFuture, sqsFuture, s3Future, anvilFuture).join();
            } catch (CompletionException e) {
                // Wait for the others to settle, so that nothing is launched after the clean-up below.
                for (CompletableFuture<?> f : List.of(kinesisFuture, dynamoFuture, sqsFuture, s3Future, anvilFuture)) {
                    try {
                        f.join();
                    } catch (CompletionException ignored) {
                        // reported through the first failure
                    }
                }
                throw e;
            }
            Map<Emulator, Long> times = new EnumMap<>(Emulator.class);
            times.put(Emulator.KINESIS, kinesisFuture.join().millis());
            times.put(Emulator.DYNAMODB, dynamoFuture.join().millis());
            times.put(Emulator.SQS, sqsFuture.join().millis());
            times.put(Emulator.S3, s3Future.join().millis());
            times.put(Emulator.ETHEREUM, anvilFuture.join().millis());
            AnvilStart anvilStart = anvilFuture.join().value();
            long total = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            LocalAwsStack stack = new LocalAwsStack(config, runtimeDir, logDir, endpoints,
                    kinesisFuture.join().value(), dynamoFuture.join().value(), s3Future.join().value(),
                    anvilStart.process(), anvilStart.ethereum(), s3DataDir,
                    kinesisTlsPort, sqsPort, launched, servers, times, total, hook, clientsRef);
            LOG.info("local AWS stack started: totalMs={} kinesisMs={} dynamodbMs={} sqsMs={} s3Ms={} anvilMs={} "
                            + "kinesis={} dynamodb={} sqs={} s3={} ethereum={} registry={} logs={}", total,
                    times.get(Emulator.KINESIS), times.get(Emulator.DYNAMODB), times.get(Emulator.SQS),
                    times.get(Emulator.S3), times.get(Emulator.ETHEREUM), endpoints.kinesis(), endpoints.dynamodb(),
                    endpoints.sqs(), endpoints.s3(), anvilStart.ethereum().rpcUrl(),
                    anvilStart.ethereum().registry(), logDir);
            return stack;
        } catch (RuntimeException e) {
            probeHttp.close(); // before the stop: kinesis-mock's graceful stop waits for open connections
            stopAll(launched, servers, config.stopGrace());
            removeHook(hook);
            deleteTree(s3DataDir);
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof EmulatorStartException ese) {
                throw ese;
            }
            throw new EmulatorStartException(null, null, "local AWS stack failed to start: " + cause, cause);
        } finally {
            starter.shutdownNow();
            probeHttp.close();
        }
    }

    private static <T> CompletableFuture<T> supply(ExecutorService executor, Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, executor);
    }

    private record Timed<T>(T value, long millis) {
    }

    private static Timed<NodeEmulatorProcess> startKinesis(LocalStackConfig config, Path runtimeDir, Path logDir,
                                                           int port, int tlsPort, AwsEndpoints endpoints,
                                                           SdkHttpClient http, List<NodeEmulatorProcess> launched) {
        long t0 = System.nanoTime();
        Path packageDir = runtimeDir.resolve("node_modules").resolve("kinesis-local");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port));
        env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
        // Resolved against the working directory otherwise, and the process dies with ENOENT.
        env.put("KINESIS_MOCK_CERT_PATH", packageDir.resolve("server.json").toString());
        env.put("AWS_REGION", config.region().id());
        env.put("AWS_ACCOUNT_ID", config.accountId());
        env.put("LOG_LEVEL", config.kinesisLogLevel());
        env.put("SHOULD_PERSIST_DATA", "false");
        // The account's shard quota: kinesis-mock's default is 50, AWS's default is 500 in us-east-1, us-west-2 and
        // eu-west-1 (200 elsewhere); a test run that deploys several pipelines needs AWS's.
        env.put("SHARD_LIMIT", Integer.toString(KINESIS_SHARD_QUOTA));
        for (String variable : KINESIS_DURATION_VARIABLES) {
            env.put(variable, config.kinesisStateTransition());
        }
        Path log = logDir.resolve(Emulator.KINESIS.emulatorName() + "-" + port + ".log");
        NodeEmulatorProcess process = NodeEmulatorProcess.launch(Emulator.KINESIS, port, config.nodeCommand(),
                List.of(packageDir.resolve("main.js").toString()), env, config.host(), runtimeDir, log);
        launched.add(process);
        try (KinesisClient probe = KinesisClient.builder().endpointOverride(endpoints.kinesis())
                .region(endpoints.region()).credentialsProvider(endpoints.credentialsProvider()).httpClient(http)
                .overrideConfiguration(probeOverrides()).build()) {
            awaitReady(process, config.startTimeout(), () -> probe.listStreams(b -> b.limit(1)));
        }
        return new Timed<>(process, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static Timed<NodeEmulatorProcess> startDynalite(LocalStackConfig config, Path runtimeDir, Path logDir,
                                                            int port, AwsEndpoints endpoints, SdkHttpClient http,
                                                            List<NodeEmulatorProcess> launched) {
        long t0 = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(
                runtimeDir.resolve("node_modules").resolve("dynalite").resolve("cli.js").toString(),
                "--host", config.host(), "--port", Integer.toString(port),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
        Path log = logDir.resolve(Emulator.DYNAMODB.emulatorName() + "-" + port + ".log");
        if (config.dynamoDbDataDir().isPresent()) {
            Path data = config.dynamoDbDataDir().get().toAbsolutePath();
            try {
                Files.createDirectories(data);
            } catch (IOException e) {
                throw new EmulatorStartException(Emulator.DYNAMODB, log, "cannot create data directory " + data, e);
            }
            command.add("--path");
            command.add(data.toString());
        }
        NodeEmulatorProcess process = NodeEmulatorProcess.launch(Emulator.DYNAMODB, port, config.nodeCommand(),
                command, Map.of(), config.host(), runtimeDir, log);
        launched.add(process);
        try (DynamoDbClient probe = DynamoDbClient.builder().endpointOverride(endpoints.dynamodb())
                .region(endpoints.region()).credentialsProvider(endpoints.credentialsProvider()).httpClient(http)
                .overrideConfiguration(probeOverrides()).build()) {
            awaitReady(process, config.startTimeout(), () -> probe.listTables(b -> b.limit(1)));
        }
        return new Timed<>(process, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static Timed<NodeEmulatorProcess> startS3rver(LocalStackConfig config, Path runtimeDir, Path logDir,
                                                          int port, Path dataDir, AwsEndpoints endpoints,
                                                          SdkHttpClient http, List<NodeEmulatorProcess> launched) {
        long t0 = System.nanoTime();
        Path log = logDir.resolve(Emulator.S3.emulatorName() + "-" + port + ".log");
        try {
            deleteTree(dataDir); // a port reused after a killed stack: start empty, as the other emulators do
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new EmulatorStartException(Emulator.S3, log, "cannot create data directory " + dataDir, e);
        }
        List<String> command = List.of(
                runtimeDir.resolve("node_modules").resolve("s3rver").resolve("bin").resolve("s3rver.js").toString(),
                "-d", dataDir.toString(), "-a", config.host(), "-p", Integer.toString(port));
        Map<String, String> env = Map.of(
                "WAYBILL_S3RVER_ACCESS_KEY_ID", endpoints.accessKeyId(),
                "WAYBILL_S3RVER_SECRET_ACCESS_KEY", endpoints.secretAccessKey());
        NodeEmulatorProcess process = NodeEmulatorProcess.launch(Emulator.S3, port, config.nodeCommand(),
                command, env, config.host(), runtimeDir, log);
        launched.add(process);
        try (S3Client probe = S3Client.builder().endpointOverride(endpoints.s3()).forcePathStyle(true)
                .region(endpoints.region()).credentialsProvider(endpoints.credentialsProvider()).httpClient(http)
                .overrideConfiguration(probeOverrides()).build()) { // ListBuckets has no body: SDK defaults do
            awaitReady(process, config.startTimeout(), probe::listBuckets);
        }
        return new Timed<>(process, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private record AnvilStart(NodeEmulatorProcess process, LocalEthereum ethereum) {
    }

    /** Readiness polling for anvil, which listens within milliseconds of its launch. */
    private static final Duration ANVIL_PROBE_INTERVAL = Duration.ofMillis(10);

    private static Timed<AnvilStart> startAnvil(LocalStackConfig config, Path runtimeDir, Path logDir, int port,
                                                List<NodeEmulatorProcess> launched) {
        long t0 = System.nanoTime();
        Path log = logDir.resolve(Emulator.ETHEREUM.emulatorName() + "-" + port + ".log");
        Path binary = anvilBinary(runtimeDir);
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new EmulatorStartException(Emulator.ETHEREUM, log, "the anvil binary is missing or not executable: "
                    + binary + " (npm @foundry-rs/anvil, pinned in " + runtimeDir.resolve("package.json")
                    + ", ships it for this platform: run 'npm ci' there)", null);
        }
        String host = config.host();
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        URI rpcUrl = URI.create("http://" + urlHost + ":" + port);
        // --quiet: anvil's banner lists its dev accounts' private keys (public test keys, but no key goes to a log).
        List<String> command = List.of(binary.toString(), "--host", host, "--port", Integer.toString(port),
                "--chain-id", Long.toString(LocalEthereum.CHAIN_ID), "--quiet");
        NodeEmulatorProcess process = NodeEmulatorProcess.launchExecutable(Emulator.ETHEREUM, port,
                config.nodeCommand(), command, runtimeDir, log);
        launched.add(process);
        AnvilControl control = new AnvilControl(rpcUrl);
        awaitReady(process, config.startTimeout(), () -> {
            long chainId = Long.decode(control.call("eth_chainId", List.of()).asText());
            if (chainId != LocalEthereum.CHAIN_ID) {
                throw new EmulatorStartException(Emulator.ETHEREUM, log, "anvil reports chain id " + chainId
                        + ", expected " + LocalEthereum.CHAIN_ID, null);
            }
        }, ANVIL_PROBE_INTERVAL);
        long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        DigestSigner owner = AnvilDevAccounts.signer(0);
        AnchorRegistryDeployment.Deployed deployed;
        try {
            deployed = AnchorRegistryDeployment.deploy(rpcUrl, LocalEthereum.CHAIN_ID, RpcAuth.none(), owner,
                    owner.address());
        } catch (RuntimeException e) {
            throw new EmulatorStartException(Emulator.ETHEREUM, log, "AnchorRegistry could not be deployed: " + e, e);
        }
        long totalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        LOG.info("anvil ready: readyMs={} deployMs={} registry={} deploymentGas={} owner={}", readyMs,
                totalMs - readyMs, deployed.registry(), deployed.gasUsed(), owner.address());
        return new Timed<>(new AnvilStart(process, new LocalEthereum(rpcUrl, LocalEthereum.CHAIN_ID,
                deployed.registry(), owner, deployed.gasUsed())), Math.max(1, totalMs));
    }

    /** {@code node_modules/@foundry-rs/anvil-<os>-<arch>/bin/anvil}, as the npm package's optional dependencies name them. */
    static Path anvilBinary(Path runtimeDir) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(java.util.Locale.ROOT);
        String platform = (os.contains("mac") ? "darwin" : os.contains("win") ? "win32" : "linux") + "-"
                + (arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64");
        return runtimeDir.resolve("node_modules").resolve("@foundry-rs").resolve("anvil-" + platform).resolve("bin")
                .resolve(os.contains("win") ? "anvil.exe" : "anvil");
    }

    private static void deleteTree(Path dir) {
        try {
            DataDirectory.delete(dir);
        } catch (java.io.UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    private static Timed<SQSRestServer> startElasticMq(LocalStackConfig config, int port, AwsEndpoints endpoints,
                                                       SdkHttpClient http, List<SQSRestServer> servers) {
        long t0 = System.nanoTime();
        SQSRestServer server;
        try {
            server = SQSRestServerBuilder.withInterface(config.host()).withPort(port)
                    .withAWSRegion(config.region().id()).withAWSAccountId(config.accountId()).start();
            servers.add(server);
            server.waitUntilStarted();
        } catch (RuntimeException e) {
            throw new EmulatorStartException(Emulator.SQS, null, "embedded ElasticMQ failed to bind "
                    + config.host() + ":" + port + " (its log is this JVM's SLF4J output, logger org.elasticmq): "
                    + e, e);
        }
        try (SqsClient probe = SqsClient.builder().endpointOverride(endpoints.sqs())
                .region(endpoints.region()).credentialsProvider(endpoints.credentialsProvider()).httpClient(http)
                .overrideConfiguration(probeOverrides()).build()) {
            long deadline = System.nanoTime() + config.startTimeout().toNanos();
            RuntimeException last = null;
            while (System.nanoTime() < deadline) {
                try {
                    probe.listQueues();
                    return new Timed<>(server, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                } catch (RuntimeException e) {
                    last = e;
                    sleep(PROBE_INTERVAL);
                }
            }
            throw new EmulatorStartException(Emulator.SQS, null, "no answer to ListQueues on port " + port
                    + " within " + config.startTimeout() + " (logs: SLF4J logger org.elasticmq): " + last, last);
        }
    }

    private static ClientOverrideConfiguration probeOverrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(PROBE_CALL_TIMEOUT)
                .build();
    }

    private static void awaitReady(NodeEmulatorProcess process, Duration timeout, Runnable probe) {
        awaitReady(process, timeout, probe, PROBE_INTERVAL);
    }

    private static void awaitReady(NodeEmulatorProcess process, Duration timeout, Runnable probe, Duration interval) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = process.logTail(15);
                throw new EmulatorStartException(process.emulator(), process.logFile(),
                        "process exited with code " + process.exitValue() + " before answering; "
                                + (tail.isBlank() ? "it wrote nothing"
                                : "last output:" + System.lineSeparator() + tail), null);
            }
            try {
                probe.run();
                return;
            } catch (EmulatorStartException e) {
                throw e;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(interval);
        }
        throw new EmulatorStartException(process.emulator(), process.logFile(), "no answer to a "
                + process.emulator().serviceName() + " API call on port " + process.port() + " within " + timeout
                + "; last error: " + last, last);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulatorStartException(null, null, "interrupted while waiting for the emulators", e);
        }
    }

    /**
     * A port that is free now on every interface and not already picked.
     */
    private static int portOrFree(int configured, Set<Integer> taken) {
        if (configured != 0) {
            taken.add(configured);
            return configured;
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress((InetAddress) null, 0));
                int port = socket.getLocalPort();
                if (taken.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new EmulatorStartException(null, null, "cannot find a free TCP port: " + e.getMessage(), e);
            }
        }
        throw new EmulatorStartException(null, null, "cannot find a free TCP port", null);
    }

    private static void stopAll(List<NodeEmulatorProcess> processes, List<SQSRestServer> servers, Duration grace) {
        List<NodeEmulatorProcess> toStop;
        synchronized (processes) {
            toStop = new ArrayList<>(processes);
            processes.clear();
        }
        List<SQSRestServer> serversToStop;
        synchronized (servers) {
            serversToStop = new ArrayList<>(servers);
            servers.clear();
        }
        List<Thread> stoppers = new ArrayList<>();
        for (NodeEmulatorProcess p : toStop) {
            Thread t = new Thread(() -> {
                long s0 = System.nanoTime();
                p.stop(grace);
                LOG.debug("{} (pid {}) stopped in {} ms", p.emulator().emulatorName(), p.pid(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s0));
            }, "local-aws-stack-stop-" + p.emulator().emulatorName());
            t.start();
            stoppers.add(t);
        }
        for (SQSRestServer server : serversToStop) {
            long s0 = System.nanoTime();
            try {
                server.stopAndWait();
                LOG.debug("ElasticMQ stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s0));
            } catch (RuntimeException e) {
                LOG.warn("ElasticMQ did not stop cleanly: {}", e.toString());
            }
        }
        for (Thread t : stoppers) {
            try {
                t.join(grace.toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // JVM already shutting down: the hook runs anyway
        }
    }

    /** @return endpoints, region and dummy credentials of the running emulators */
    public AwsEndpoints endpoints() {
        return endpoints;
    }

    /**
     * SDK clients for this stack, built on first use and closed by {@link #close()}.
     *
     * @return the shared clients
     */
    public AwsClients clients() {
        synchronized (clients) {
            if (closed.get()) {
                throw new IllegalStateException("stack closed");
            }
            AwsClients c = clients.get();
            if (c == null) {
                c = AwsClients.create(endpoints);
                clients.set(c);
            }
            return c;
        }
    }

    /** @return milliseconds each emulator took from launch to its first answered API call */
    public Map<Emulator, Long> startTimesMillis() {
        return startMillis;
    }

    /**
     * @param emulator which one
     * @return milliseconds it took from launch to its first answered API call
     */
    public long startTimeMillis(Emulator emulator) {
        return startMillis.get(emulator);
    }

    /** @return milliseconds {@link #start(LocalStackConfig)} took in all (includes an {@code npm ci} if one ran) */
    public long totalStartTimeMillis() {
        return totalStartMillis;
    }

    /**
     * @param emulator which one
     * @return the TCP port its API answers on
     */
    public int port(Emulator emulator) {
        return switch (emulator) {
            case KINESIS -> kinesis.port();
            case DYNAMODB -> dynalite.port();
            case SQS -> sqsPort;
            case S3 -> s3rver.port();
            case ETHEREUM -> anvil.port();
        };
    }

    /**
     * @return every TCP port the AWS emulators listen on, kinesis-mock's TLS port included (anvil's is
     *     {@code port(Emulator.ETHEREUM)})
     */
    public List<Integer> ports() {
        return List.of(kinesis.port(), kinesisTlsPort, dynalite.port(), sqsPort, s3rver.port());
    }

    /**
     * @param emulator which one
     * @return its log file; empty for ElasticMQ, which logs through this JVM's SLF4J binding
     */
    public Optional<Path> logFile(Emulator emulator) {
        return switch (emulator) {
            case KINESIS -> Optional.of(kinesis.logFile());
            case DYNAMODB -> Optional.of(dynalite.logFile());
            case SQS -> Optional.empty();
            case S3 -> Optional.of(s3rver.logFile());
            case ETHEREUM -> Optional.of(anvil.logFile());
        };
    }

    /** @return process handles of the Node.js emulators (anvil's is {@link #anvilProcess()}) */
    public List<ProcessHandle> processes() {
        return List.of(kinesis.handle(), dynalite.handle(), s3rver.handle());
    }

    /** @return anvil's process handle */
    public ProcessHandle anvilProcess() {
        return anvil.handle();
    }

    /** @return the Ethereum node (anvil) and the AnchorRegistry deployed on it at start */
    public LocalEthereum ethereum() {
        return ethereum;
    }

    /** @return the {@code local-runtime/} directory in use */
    public Path localRuntimeDir() {
        return localRuntimeDir;
    }

    /** @return the directory of the emulator logs */
    public Path logDir() {
        return logDir;
    }

    /** @return the configuration it was started with */
    public LocalStackConfig config() {
        return config;
    }

    /** Stops every emulator and closes {@link #clients()}. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        synchronized (clients) {
            AwsClients c = clients.getAndSet(null);
            if (c != null) {
                c.close();
            }
        }
        stopAll(launched, servers, config.stopGrace());
        removeHook(shutdownHook);
        deleteTree(s3DataDir);
        LOG.info("local AWS stack stopped: stopMs={}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
}

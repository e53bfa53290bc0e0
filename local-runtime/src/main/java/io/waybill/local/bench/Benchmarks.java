package io.waybill.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.local.demo.GeneratedTraffic;
import io.waybill.local.demo.Percentiles;
import io.waybill.local.demo.TrafficGenerator;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import io.waybill.aws.eventstore.EventStoreTables;
import io.waybill.local.stack.StackResources;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./waybill bench}: the foundation's performance figures, each against a baseline measured in the same run
 * (these machines are noisy, so only same-run ratios are compared). Ends with one machine-readable line per figure.
 * <ul>
 *   <li>P1: normalise + contract check on one core vs a bare Jackson tree parse of the same records.</li>
 *   <li>P2: DynamoDB write requests per accepted event (projection included), per absorbed duplicate, and per
 *       duplicate inside one batch.</li>
 *   <li>P3: pipeline events/s from Kinesis put to stored and published on the canonical event stream vs bare
 *       PutItem/s on the same dynalite at the same concurrency; put-to-stored latency at a paced, sustainable
 *       rate.</li>
 *   <li>P7: the edge component's footprint ({@link EdgeFootprint}): uplink bytes / raw sensor bytes over golden
 *       reefer trips, heap under the recipe's {@code -Xmx48m}, CPU per 1,000 readings against the JVM's own start-up
 *       cost measured in the same run.</li>
 *   <li>P8: a device signature's verification ({@code wb_sig}: RFC 8785 canonical form of the message and an ECDSA
 *       P-256 verify) per record, against normalising the same record, on one core in the same run.</li>
 *   <li>P9: the cold chain's decision cost per batch against the trip's length ({@link DecisionCost}): one batch
 *       folded into the running exposure and decided on trips of 1 hour, 1 day and 30 days, against re-deciding
 *       over all of the trip's evidence (the approach before issue 12) in the same run.</li>
 *   <li>P10: p50 and p99 latency of each read route of the ops API ({@link ReadRouteLatency}), every {@code GET} of
 *       its OpenAPI document with path parameters filled from the list routes, called over HTTP through the local
 *       gateway with a signed token (HTTP -> JWT check -> handler -> dynalite) after 10,000 events went through the
 *       local pipeline (ingest and cold chain).</li>
 *   <li>P5: provenance anchoring ({@link AnchorCost}, {@link AnchorLatency}): gas per anchored event for batches of
 *       1 to 10,000 events against one anchor per event in the same run, proof size per batch size, and the latency
 *       from a custody transfer stored to its proof, through the local pipeline at the default anchoring
 *       settings.</li>
 *   <li>P4: the ops API function's cold start, a fresh JVM to its first response ({@code GET /shipments} on the same
 *       stack), next to a hello-world handler's in the same run ({@link ColdStart}); median of 5 runs each.</li>
 * </ul>
 */
public final class Benchmarks {
    private final PrintStream out;
    private final List<String> figures = new ArrayList<>();

    public Benchmarks(PrintStream out) {
        this.out = out;
    }

    /** @param quick smaller workloads (a smoke run, e.g. from tests); figures are then indicative only */
    public boolean run(boolean quick) {
        return run(quick, List.of("P1", "P2", "P3", "P4", "P5", "P7", "P8", "P9", "P10"), Path.of(System.getProperty("waybill.repo.root", ".")));
    }

    /**
     * @param only     the benchmarks to run, e.g. {@code [P7]}
     * @param repoRoot where {@code edge-greengrass/target/waybill-edge.jar} is (P7)
     * @return false when a benchmark could not run
     */
    public boolean run(boolean quick, List<String> only, Path repoRoot) {
        out.println("Waybill benchmarks" + (quick ? " (quick: small workloads, indicative only)" : ""));
        boolean ok = true;
        if (only.contains("P1")) {
            p1(quick);
        }
        if (only.contains("P2") || only.contains("P3")) {
            try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults())) {
                if (only.contains("P2")) {
                    p2(stack, quick);
                }
                if (only.contains("P3")) {
                    p3(stack, quick);
                }
            }
        }
        if (only.contains("P4") || only.contains("P10")) {
            ok &= opsApi(quick, only.contains("P10"), only.contains("P4"), repoRoot);
        }
        if (only.contains("P5")) {
            ok &= p5(quick);
        }
        if (only.contains("P7")) {
            ok &= p7(repoRoot);
        }
        if (only.contains("P8")) {
            p8(quick);
        }
        if (only.contains("P9")) {
            p9(quick);
        }
        out.println();
        figures.forEach(out::println);
        return ok;
    }

    // ---------------------------------------------------------------- P5
    /** The target of P5: gas per event in a batch of 1,000 at most this fraction of one anchor per event. */
    static final double P5_GAS_RATIO_TARGET = 0.001;
    /** The target of P5: stored to anchored (proof in the table) within this, at the default settings. */
    static final Duration P5_LATENCY_TARGET = Duration.ofSeconds(60);

    private boolean p5(boolean quick) {
        List<Integer> sizes = quick ? List.of(1, 10, 100) : List.of(1, 10, 100, 1_000, 10_000);
        int baselineTxs = quick ? 5 : 20;
        int events = quick ? 10 : 120;
        Duration spread = Duration.ofSeconds(quick ? 10 : 60);
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults())) {
            AnchorCost.Result cost = new AnchorCost(stack.ethereum(), 5).measure(sizes, baselineTxs);
            AnchorLatency.Result latency = new AnchorLatency(stack).measure(events, spread, Duration.ofSeconds(90));
            printP5(cost, latency);
            return latency.latenciesMs().size() == latency.stored() && latency.stored() == events;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void printP5(AnchorCost.Result cost, AnchorLatency.Result latency) {
        double base = cost.baselinePerEvent();
        long baseMin = cost.baselineGas().stream().mapToLong(Long::longValue).min().orElse(0);
        long baseMax = cost.baselineGas().stream().mapToLong(Long::longValue).max().orElse(0);
        out.printf(Locale.ROOT, "%nP5 provenance anchoring on the local stack (anvil + AnchorRegistry, dev signer;"
                + " gasUsed read from each receipt)%n");
        out.printf(Locale.ROOT, "  registry deployment: %,d gas (once)%n", cost.deploymentGas());
        out.printf(Locale.ROOT, "  baseline, one anchor() per event: %d transactions, mean %,.0f gas per event"
                + " (min %,d, max %,d)%n", cost.baselineGas().size(), base, baseMin, baseMax);
        out.println("       N   gasUsed (1 tx)   gas/event   ratio to baseline   proof (hashes)   proof JSON line (bytes)");
        for (AnchorCost.Row r : cost.rows()) {
            out.printf(Locale.ROOT, "  %,6d   %,14d   %,9.2f   %17.7f   %6d - %-6d   %8d - %-8d%n", r.events(),
                    r.gasUsed(), r.gasPerEvent(), cost.ratio(r), r.proofMin(), r.proofMax(), r.jsonMinBytes(),
                    r.jsonMaxBytes());
        }
        cost.rows().stream().filter(r -> r.events() == 1_000).findFirst().ifPresent(r -> out.printf(Locale.ROOT,
                "  N = 1,000: ratio %.7f, target <= %.3f: %s%n", cost.ratio(r), P5_GAS_RATIO_TARGET,
                cost.ratio(r) <= P5_GAS_RATIO_TARGET ? "met" : "NOT MET"));
        cost.rows().stream().filter(r -> r.events() == 1_000).findFirst().ifPresent(r -> out.printf(Locale.ROOT,
                "    (the batch's one transaction used %.5f x the baseline's mean single-event anchor, %+,d gas:"
                        + " ratio = that / N; calldata bytes that are not zero cost 16 gas instead of 4)%n",
                r.gasUsed() / base, Math.round(r.gasUsed() - base)));
        out.println("  (proof JSON: EventProof.toJson() of every event of the batch with a 36-character event id,"
                + " UTF-8)");
        Percentiles p = latency.percentiles();
        out.printf(Locale.ROOT, "  stored -> proof in the proofs table, default settings (batch policy, run settings,"
                + " pass every %d ms): %d custody transfers put at %.1f/s over %.0f s, %d stored, %d proved in %d"
                + " batches%n", io.waybill.local.provenance.LocalAnchoring.DEFAULT_PASS_EVERY.toMillis(),
                latency.sent(), latency.rate(), latency.seconds(), latency.stored(), latency.latenciesMs().size(),
                latency.batches());
        out.printf(Locale.ROOT, "    p50 %.1f s, p90 %.1f s, max %.1f s (target <= %d s: %s); proofs table polled every"
                + " %d ms%n", p.p50() / 1000.0, p.p90() / 1000.0, p.max() / 1000.0, P5_LATENCY_TARGET.toSeconds(),
                p.count() == latency.stored() && p.max() <= P5_LATENCY_TARGET.toMillis() ? "met" : "NOT MET",
                AnchorLatency.POLL_EVERY.toMillis());
        out.println(latency.benchMined()
                ? String.format(Locale.ROOT, "    anvil mines only when a transaction arrives, so the default %d"
                        + " confirmations would never come on an idle node: the benchmark mined one block every %d ms"
                        + " (%d blocks), the local model of a chain with 1 s blocks",
                        io.waybill.domain.provenance.AnchorRunSettings.DEFAULT_CONFIRMATIONS,
                        AnchorLatency.BLOCK_EVERY.toMillis(), latency.blocksMined())
                : "    the node produced its own blocks (anvil --block-time); the benchmark mined none");
        StringBuilder gas = new StringBuilder();
        for (AnchorCost.Row r : cost.rows()) {
            gas.append(String.format(Locale.ROOT, " gas_per_event_n%d=%.2f ratio_n%d=%.7f proof_max_n%d=%d"
                    + " proof_json_max_n%d=%d", r.events(), r.gasPerEvent(), r.events(), cost.ratio(r), r.events(),
                    r.proofMax(), r.events(), r.jsonMaxBytes()));
        }
        figures.add(String.format(Locale.ROOT, "P5 deployment_gas=%d baseline_gas_per_event=%.0f%s latency_p50_ms=%d"
                        + " latency_p90_ms=%d latency_max_ms=%d latency_events=%d poll_ms=%d bench_mined_blocks=%b",
                cost.deploymentGas(), base, gas, p.p50(), p.p90(), p.max(), p.count(),
                AnchorLatency.POLL_EVERY.toMillis(), latency.benchMined()));
    }

    // ---------------------------------------------------------------- P10 and P4
    /** Both on one local stack: P10 measures its read routes, P4 reads its shipments table. */
    private boolean opsApi(boolean quick, boolean p10, boolean p4, Path repoRoot) {
        // 20 trips x 449 readings ~ 10,000 events (quick: about 1,100); P4 alone needs a few shipments only
        int trips = p10 ? (quick ? 4 : 20) : 2;
        int readings = p10 ? (quick ? 250 : 449) : 50; // a trip stores about 1.1 events per reading + 6
        GeneratedTraffic traffic = new TrafficGenerator(21, 60, trips, readings, 1, 0).generate();
        boolean ok = true;
        Path home = null;
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults())) {
            Map<String, String> functionEnv;
            try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                    .names(PipelineNames.withPrefix("bench-api"))
                    .coldChain(io.waybill.domain.coldchain.ColdChainConfig.builder().build(), null).deploy()) {
                long loadStart = System.nanoTime();
                publish(pipeline, traffic.records());
                long stored = pipeline.tally().count(RecordOutcome.STORED);
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                if (p10) {
                    seedOneOfEachReadable(pipeline, traffic.records().get(0).partitionKey());
                    home = java.nio.file.Files.createTempDirectory("waybill-bench-api");
                    p10(pipeline, home, stored, loadSeconds, quick);
                }
                functionEnv = opsApiEnvironment(pipeline);
            } // P4 runs with the pipeline's consumers stopped (its tables stay): their polling is no Lambda host's load
            if (p4) {
                ok = p4(functionEnv, repoRoot, quick);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (home != null) {
                deleteTree(home);
            }
        }
        return ok;
    }

    /**
     * So that every read route has something to read: three malformed records through the pipeline (dead letters on
     * the desk), one incident opened in the incident store and one device registered (the traffic's trips breach
     * nothing and the bench pipeline checks no registry).
     */
    private static void seedOneOfEachReadable(LocalPipeline pipeline, String partitionKey) {
        List<byte[]> bad = List.of("{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "{\"vendor\":\"nobody\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        pipeline.publish(bad, List.of(partitionKey, partitionKey, partitionKey));
        if (!pipeline.awaitIdle(Duration.ofMinutes(1))) {
            throw new IllegalStateException("pipeline did not drain the seeded dead letters within a minute");
        }
        java.time.Instant now = java.time.Instant.now();
        software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient enhanced =
                software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient.builder()
                        .dynamoDbClient(pipeline.clients().dynamoDb()).build();
        new io.waybill.aws.coldchain.DynamoDbIncidentStore(enhanced, pipeline.names().incidentsTable())
                .open(io.waybill.domain.incident.ShipmentIncident.open("bench/106000000000000099/chilled",
                        "106000000000000099", "COLD_CHAIN_BREACH", "MAJOR", "seeded for the read benchmark", now,
                        now, 80), "{}");
        new io.waybill.aws.devices.DynamoDbDeviceRegistry(pipeline.clients().dynamoDb(),
                pipeline.names().deviceRegistryTable(), Duration.ofSeconds(60), java.time.Clock.systemUTC())
                .register(new io.waybill.domain.device.RegisteredDevice("bench-reefer-01", "waybill-edge",
                        io.waybill.domain.device.DeviceStatus.ACTIVE, io.waybill.domain.device.DeviceScope.SHIPMENT,
                        Map.of(), List.of(), Map.of(), now), false);
    }

    private void p10(LocalPipeline pipeline, Path home, long stored, double loadSeconds, boolean quick)
            throws IOException {
        int warmup = quick ? 10 : 50;
        int calls = quick ? 50 : 200;
        List<ReadRouteLatency.Row> rows;
        try (io.waybill.local.api.OpsApiGateway api = io.waybill.local.api.LocalOpsApi.serve(pipeline, home, 0)) {
            String token = io.waybill.local.api.LocalJwtAuthority.openOrCreate(
                    io.waybill.local.api.LocalJwtAuthority.folder(home)).issue("bench", false,
                    io.waybill.local.api.LocalJwtAuthority.DEFAULT_TTL, java.time.Instant.now());
            rows = new ReadRouteLatency(api.uri(), token, io.waybill.local.api.LocalOpsApi.handler(pipeline))
                    .measure(ReadRouteLatency.opsApiPlan(), warmup, calls);
        }
        out.printf(Locale.ROOT, "%nP10 ops API read routes over HTTP on the local stack (gateway -> JWT check -> handler"
                + " -> dynalite; %,d events stored through the pipeline in %.0f s; 1 client, %d warm-up + %d calls per"
                + " route)%n", stored, loadSeconds, warmup, calls);
        out.println("  route                                          n    p50 ms    p99 ms   handler alone p50 / p99 ms   path called");
        for (ReadRouteLatency.Row row : rows) {
            if (row.skipped() != null) {
                out.printf(Locale.ROOT, "  %-44s skipped: %s%n", row.route().label(), row.skipped());
                continue;
            }
            Percentiles p = row.percentiles();
            Percentiles d = row.direct();
            out.printf(Locale.ROOT, "  %-44s %4d %9.2f %9.2f   %12.2f / %-12.2f   %s%n", row.route().label(), p.count(),
                    p.p50() / 1000.0, p.p99() / 1000.0, d.p50() / 1000.0, d.p99() / 1000.0, row.path());
        }
        for (ReadRouteLatency.Row row : rows) {
            if (row.skipped() == null) {
                Percentiles p = row.percentiles();
                Percentiles d = row.direct();
                figures.add(String.format(Locale.ROOT, "P10 route=GET_%s n=%d p50_ms=%.2f p99_ms=%.2f"
                                + " handler_p50_ms=%.2f handler_p99_ms=%.2f events=%d", row.route().template(),
                        p.count(), p.p50() / 1000.0, p.p99() / 1000.0, d.p50() / 1000.0, d.p99() / 1000.0, stored));
            }
        }
    }

    /** The ops API function's environment as Lambda would set it, pointing at the pipeline's tables on dynalite. */
    private static Map<String, String> opsApiEnvironment(LocalPipeline pipeline) {
        Map<String, String> env = new HashMap<>();
        env.put("WAYBILL_EVENTS_TABLE", pipeline.names().eventsTable());
        env.put("WAYBILL_SHIPMENTS_TABLE", pipeline.names().shipmentsTable());
        env.put("WAYBILL_INCIDENTS_TABLE", pipeline.names().incidentsTable());
        env.put("WAYBILL_DEAD_LETTER_QUEUE_URL", pipeline.deadLetterQueueUrl()); // its SQS client is built, not called
        env.put("WAYBILL_VERSION", "bench");
        env.put("AWS_REGION", pipeline.clients().endpoints().region().id());
        env.put("AWS_ENDPOINT_URL", pipeline.clients().endpoints().dynamodb().toString());
        env.put("AWS_ACCESS_KEY_ID", pipeline.clients().endpoints().accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", pipeline.clients().endpoints().secretAccessKey());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "waybill-ops-api");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        return env;
    }

    private boolean p4(Map<String, String> env, Path repoRoot, boolean quick) throws IOException, InterruptedException {
        Path jar = ColdStart.defaultOpsApiJar(repoRoot);
        if (jar == null) {
            out.printf(Locale.ROOT, "%nP4 skipped: no functions/ops-api/target/waybill-ops-api-*-lambda.jar under %s"
                    + " (build it: mvn -o package -pl functions/ops-api -am -DskipTests)%n", repoRoot.toAbsolutePath());
            return false;
        }
        int runs = quick ? 3 : 7;
        ColdStart.Result r = new ColdStart(repoRoot.resolve("local-runtime").resolve("target").resolve("bench-p4"), jar)
                .run(env, runs);
        ColdStart.Summary h = r.hello();
        ColdStart.Summary o = r.opsApi();
        out.printf(Locale.ROOT, "%nP4 cold start, fresh JVM to first response (%s; launcher = the runtime's serialiser;"
                + " median of %d runs each, alternating)%n", String.join(" ", ColdStart.LAMBDA_JVM_OPTIONS), runs);
        out.println("  handler            jar (KB)  jvm->main  init   invoke  first response  warm invoke  classes"
                + " (init / first)  status");
        out.printf(Locale.ROOT, "  hello world        %8d %8.0f %6.0f %8.0f %15.0f %12.1f %10.0f / %-6.0f  %s%n",
                r.helloJarBytes() / 1024, h.mainMs(), h.initMs(), h.invokeMs(), h.firstResponseMs(), h.warmInvokeMs(),
                h.classesInit(), h.classesFirst(), h.status());
        out.printf(Locale.ROOT, "  ops API            %8d %8.0f %6.0f %8.0f %15.0f %12.1f %10.0f / %-6.0f  %s%n",
                r.opsApiJarBytes() / 1024, o.mainMs(), o.initMs(), o.invokeMs(), o.firstResponseMs(), o.warmInvokeMs(), o.classesInit(),
                o.classesFirst(), o.status());
        out.printf(Locale.ROOT, "  both invoked with one GET /shipments event (ops.read claims); the ops API reads dynalite;"
                + " ops API jar %s%n", r.opsApiJar().getFileName());
        boolean met = r.ratio() <= ColdStart.RATIO_TARGET;
        out.printf(Locale.ROOT, "  ratio ops API / hello world: %.2f (target <= %.1f): %s%n", r.ratio(),
                ColdStart.RATIO_TARGET, met ? "met" : "NOT met");
        figures.add(String.format(Locale.ROOT, "P4 ratio=%.2f ops_api_first_response_ms=%.0f hello_first_response_ms=%.0f"
                        + " ops_api_init_ms=%.0f ops_api_invoke_ms=%.0f ops_api_warm_invoke_ms=%.1f runs=%d target_met=%s",
                r.ratio(), o.firstResponseMs(), h.firstResponseMs(), o.initMs(), o.invokeMs(), o.warmInvokeMs(), runs,
                met));
        return "200".equals(o.status()) && "200".equals(h.status());
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind
        }
    }

    // ---------------------------------------------------------------- P7
    private boolean p7(Path repoRoot) {
        Path work = repoRoot.resolve("local-runtime").resolve("target").resolve("bench-p7");
        EdgeFootprint.Result r;
        try {
            r = new EdgeFootprint(EdgeFootprint.defaultEdgeJar(repoRoot), work).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        out.printf(Locale.ROOT, "%nP7 edge component footprint (waybill-edge.jar, %s, standalone, MQTT 5 uplink to HiveMQ)%n",
                String.join(" ", EdgeFootprint.RECIPE_JVM_OPTIONS));
        out.println("  run              readings  cpu (s)  rss (MB) heap live  heap size   GCs  uplink  up bytes alerts   ratio");
        out.println("                                               (MB, max)  (MB, max)        msgs");
        out.println(EdgeFootprint.row(r.baseline()));
        out.println(EdgeFootprint.row(r.oneTrip()));
        out.println(EdgeFootprint.row(r.tenTrips()));
        out.printf(Locale.ROOT, "  CPU per 1,000 readings (marginal, ten trips - one trip): %.1f ms; JVM start-up alone: %.0f ms%n",
                r.cpuMillisPerThousandReadings(), r.baseline().cpuSeconds() * 1000);
        out.printf(Locale.ROOT, "  uplink / raw sensor bytes: %.4f (target <= %.2f); alerts %d of %d expected (one trip), %d of %d (ten)%n",
                r.oneTrip().uplinkRatio(), EdgeFootprint.UPLINK_RATIO_TARGET, r.oneTrip().alerts(), r.expectedAlertsOneTrip(),
                r.tenTrips().alerts(), r.expectedAlertsTenTrips());
        out.printf(Locale.ROOT, "  heap: largest size %.1f MB, largest live set %.1f MB (target <= 64 MB): %s%n",
                r.tenTrips().maxHeapCommittedBytes() / 1048576.0, r.tenTrips().maxHeapAfterGcBytes() / 1048576.0,
                r.heapTargetMet() ? "met" : "NOT met");
        figures.add(String.format(Locale.ROOT, "P7 uplink_ratio=%.4f alerts=%d/%d heap_max_mb=%.1f live_max_mb=%.1f rss_max_mb=%.1f cpu_ms_per_1000_readings=%.1f jvm_start_cpu_ms=%.0f",
                r.oneTrip().uplinkRatio(), r.tenTrips().alerts(), r.expectedAlertsTenTrips(),
                r.tenTrips().maxHeapCommittedBytes() / 1048576.0, r.tenTrips().maxHeapAfterGcBytes() / 1048576.0,
                r.tenTrips().maxRssKb() / 1024.0, r.cpuMillisPerThousandReadings(), r.baseline().cpuSeconds() * 1000));
        return r.excursionsComplete();
    }

    // ---------------------------------------------------------------- P9
    private void p9(boolean quick) {
        DecisionCost.Result r = new DecisionCost().run(quick);
        out.printf(Locale.ROOT, "%nP9 cold-chain decision cost per batch vs trip length (2 probes, 30-s logger, 1 thread,"
                + " median of %d rounds; re-decide: %d)%n", r.rounds(), r.redecideRounds());
        out.println("  trip   evidence  verdict   append 10 (us)   10 + 1 late (us)   re-decide all (us, before issue 12)");
        for (DecisionCost.Row row : r.rows()) {
            out.printf(Locale.ROOT, "  %-5s %9d  %-8s %15.1f %18.1f %20.0f%n", row.trip(), row.evidence(), row.status(),
                    row.appendMicros(), row.lateMicros(), row.redecideMicros());
        }
        out.printf(Locale.ROOT, "  ratio 30 d / 1 h: append %.2f, with a late reading %.2f (target <= %.1f); re-deciding"
                + " over all evidence %.0f%n", r.appendRatio(), r.lateRatio(), DecisionCost.RATIO_TARGET,
                r.redecideRatio());
        List<DecisionCost.Row> rows = r.rows();
        figures.add(String.format(Locale.ROOT, "P9 ratio_append=%.2f ratio_late=%.2f ratio_redecide=%.0f append_us_1h=%.1f"
                        + " append_us_30d=%.1f late_us_1h=%.1f late_us_30d=%.1f redecide_us_1h=%.0f redecide_us_30d=%.0f",
                r.appendRatio(), r.lateRatio(), r.redecideRatio(), rows.get(0).appendMicros(),
                rows.get(rows.size() - 1).appendMicros(), rows.get(0).lateMicros(),
                rows.get(rows.size() - 1).lateMicros(), rows.get(0).redecideMicros(),
                rows.get(rows.size() - 1).redecideMicros()));
    }

    // ---------------------------------------------------------------- P1
    private void p1(boolean quick) {
        List<byte[]> records = new ArrayList<>();
        SampleCatalog.valid().forEach(c -> records.add(c.compactRaw()));
        new TrafficGenerator(7, 6, quick ? 50 : 300, 1, 0).generate().records().forEach(r -> records.add(r.payload()));
        ObjectMapper bare = new ObjectMapper();
        RecordNormalizer normalizer = RecordNormalizer.standard();
        RecordNormalizer sampled = new RecordNormalizer(io.waybill.domain.adapter.AdapterRegistry.standard(),
                io.waybill.domain.normalize.NormalizerConfig.builder().contractCheckEvery(100).build(), java.time.Clock.systemUTC());
        int rounds = quick ? 3 : 7;
        long roundNanos = quick ? 200_000_000L : 1_000_000_000L;
        // Warm-up: let the JIT compile every path before measuring (C2 needs several seconds on 2 cores).
        for (int i = 0; i < (quick ? 2 : 5); i++) {
            measure(records, r -> parse(bare, r), roundNanos);
            measure(records, r -> normalize(normalizer, r), roundNanos);
            measure(records, r -> normalize(sampled, r), roundNanos);
        }
        double[] parse = new double[rounds];
        double[] normalize = new double[rounds];
        double[] normalizeSampled = new double[rounds];
        for (int i = 0; i < rounds; i++) { // alternate, so drift hits all alike
            parse[i] = measure(records, r -> parse(bare, r), roundNanos);
            normalize[i] = measure(records, r -> normalize(normalizer, r), roundNanos);
            normalizeSampled[i] = measure(records, r -> normalize(sampled, r), roundNanos);
        }
        double parsePerS = median(parse);
        double normalizePerS = median(normalize);
        double sampledPerS = median(normalizeSampled);
        double ratio = normalizePerS / parsePerS;
        out.printf(Locale.ROOT, "%nP1 normalise + validate (1 thread, %d records of every vendor format, median of %d rounds)%n", records.size(), rounds);
        out.printf(Locale.ROOT, "  bare Jackson readTree     %,12.0f records/s%n", parsePerS);
        out.printf(Locale.ROOT, "  normalise + validate      %,12.0f records/s   (default: adapters validate, JSON Schema check on every event)%n", normalizePerS);
        out.printf(Locale.ROOT, "  schema check 1 in 100     %,12.0f records/s   (WAYBILL_CONTRACT_CHECK_EVERY=100)%n", sampledPerS);
        out.printf(Locale.ROOT, "  ratio %.3f, with sampled schema check %.3f (target >= 0.5)%n", ratio, sampledPerS / parsePerS);
        figures.add(String.format(Locale.ROOT, "P1 ratio=%.3f normalize_per_s=%.0f parse_per_s=%.0f ratio_sampled_check=%.3f normalize_sampled_check_per_s=%.0f",
                ratio, normalizePerS, parsePerS, sampledPerS / parsePerS, sampledPerS));
    }

    private interface Work {
        int apply(byte[] record);
    }

    private static double measure(List<byte[]> records, Work work, long nanos) {
        long start = System.nanoTime();
        long done = 0;
        int sink = 0;
        while (System.nanoTime() - start < nanos) {
            for (byte[] r : records) {
                sink += work.apply(r);
            }
            done += records.size();
        }
        if (sink == 42) {
            System.out.print(""); // keeps the work observable to the JIT
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private static int parse(ObjectMapper mapper, byte[] r) {
        try {
            return mapper.readTree(r).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int normalize(RecordNormalizer normalizer, byte[] r) {
        return normalizer.normalize(RawRecord.of(r, "bench")) instanceof NormalizationResult.Normalized ? 1 : 0;
    }

    // ---------------------------------------------------------------- P8
    private void p8(boolean quick) {
        // The P1 records, each signed by its device as the edge signs (routing fields added after, as the IoT rule
        // adds them): what ingest verifies on a stage where every device signs.
        List<byte[]> plain = new ArrayList<>();
        SampleCatalog.valid().forEach(c -> plain.add(c.compactRaw()));
        new TrafficGenerator(7, 6, quick ? 50 : 300, 1, 0).generate().records().forEach(r -> plain.add(r.payload()));
        java.security.KeyPair pair = io.waybill.domain.device.DeviceKeys.generate();
        java.security.interfaces.ECPublicKey publicKey = (java.security.interfaces.ECPublicKey) pair.getPublic();
        String kid = io.waybill.domain.device.DeviceKeys.keyId(publicKey);
        java.util.Map<String, java.security.interfaces.ECPublicKey> keys = java.util.Map.of(kid, publicKey);
        ObjectMapper mapper = new ObjectMapper();
        List<byte[]> signed = new ArrayList<>();
        try {
            long seq = 0;
            for (byte[] r : plain) {
                com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(r);
                com.fasterxml.jackson.databind.JsonNode route = root.remove(RecordNormalizer.ROUTE_FIELD);
                com.fasterxml.jackson.databind.JsonNode received = root.remove(RecordNormalizer.RECEIVED_FIELD);
                com.fasterxml.jackson.databind.node.ObjectNode out = (com.fasterxml.jackson.databind.node.ObjectNode)
                        mapper.readTree(io.waybill.domain.device.PayloadSignature.sign(mapper.writeValueAsBytes(root),
                                pair.getPrivate(), kid, seq++));
                if (route != null) {
                    out.set(RecordNormalizer.ROUTE_FIELD, route);
                }
                if (received != null) {
                    out.set(RecordNormalizer.RECEIVED_FIELD, received);
                }
                signed.add(mapper.writeValueAsBytes(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RecordNormalizer normalizer = RecordNormalizer.standard();
        Work normalise = r -> normalize(normalizer, r);
        Work verify = r -> {
            try {
                return io.waybill.domain.device.PayloadSignature.verify(
                        (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(r), keys)
                        instanceof io.waybill.domain.device.PayloadSignature.Valid ? 1 : 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        int valid = 0;
        for (byte[] r : signed) {
            valid += verify.apply(r);
        }
        int normalised = 0;
        for (byte[] r : signed) {
            normalised += normalise.apply(r);
        }
        if (valid != signed.size() || normalised != signed.size()) {
            throw new IllegalStateException("of " + signed.size() + " signed bench records " + valid + " verify and "
                    + normalised + " normalise: the comparison would not be like for like");
        }
        int rounds = quick ? 3 : 7;
        long roundNanos = quick ? 200_000_000L : 1_000_000_000L;
        for (int i = 0; i < (quick ? 2 : 5); i++) {
            measure(signed, normalise, roundNanos);
            measure(signed, verify, roundNanos);
        }
        double[] n = new double[rounds];
        double[] v = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            n[i] = measure(signed, normalise, roundNanos);
            v[i] = measure(signed, verify, roundNanos);
        }
        // The ECDSA step alone, on one message, by ingest's Bouncy Castle path and the JDK's SunEC (the alternative).
        byte[] message = plain.get(0);
        java.security.Signature signer;
        byte[] signature;
        try {
            signer = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(pair.getPrivate());
            signer.update(message);
            signature = signer.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        List<byte[]> one = List.of(message);
        Work bc = r -> io.waybill.domain.device.Es256.verify(publicKey, r, signature) ? 1 : 0;
        Work jdk = r -> io.waybill.domain.device.Es256.verifyWithJdk(publicKey, r, signature) ? 1 : 0;
        double[] b = new double[rounds];
        double[] j = new double[rounds];
        for (int i = 0; i < (quick ? 1 : 3); i++) {
            measure(one, bc, roundNanos);
            measure(one, jdk, roundNanos);
        }
        for (int i = 0; i < rounds; i++) {
            b[i] = measure(one, bc, roundNanos);
            j[i] = measure(one, jdk, roundNanos);
        }
        double normalisePerS = median(n);
        double verifyPerS = median(v);
        double ratio = normalisePerS / verifyPerS; // cost ratio = time per verify / time per normalisation
        out.printf(Locale.ROOT, "%nP8 device signature verification (1 thread, %d signed records, ES256 over RFC 8785, median of %d rounds)%n",
                signed.size(), rounds);
        out.printf(Locale.ROOT, "  normalise + validate      %,12.0f records/s   %8.1f us/record%n", normalisePerS, 1e6 / normalisePerS);
        out.printf(Locale.ROOT, "  parse + verify signature  %,12.0f records/s   %8.1f us/record%n", verifyPerS, 1e6 / verifyPerS);
        out.printf(Locale.ROOT, "  verification costs %.2f x a normalisation (ingest does both for a signed record)%n", ratio);
        out.printf(Locale.ROOT, "  ECDSA step alone: Bouncy Castle (ingest) %.1f us, JDK SunEC %.1f us: SunEC / BC = %.2f%n",
                1e6 / median(b), 1e6 / median(j), median(b) / median(j));
        figures.add(String.format(Locale.ROOT, "P8 verify_cost_ratio=%.3f verify_us=%.1f normalize_us=%.1f ecdsa_bc_us=%.1f ecdsa_sunec_us=%.1f",
                ratio, 1e6 / verifyPerS, 1e6 / normalisePerS, 1e6 / median(b), 1e6 / median(j)));
    }

    // ---------------------------------------------------------------- P2
    private void p2(LocalAwsStack stack, boolean quick) {
        int readings = quick ? 40 : 200;
        GeneratedTraffic unique = new TrafficGenerator(11, 5, readings, 1, 0).generate();
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("bench-p2")).deploy()) {
            // (a) a stream without duplicates
            publish(pipeline, unique.records());
            long writesUnique = pipeline.handlerWrites().writes();
            long stored = pipeline.tally().count(RecordOutcome.STORED);
            long projection = pipeline.tally().projectionWrites();
            // (b) the same stream delivered again: every record is a duplicate of a stored event
            pipeline.handlerWrites().reset();
            publish(pipeline, unique.records());
            long writesResent = pipeline.handlerWrites().writes();
            long absorbed = pipeline.tally().count(RecordOutcome.DUPLICATE_IN_STORE);
            // (c) new records, each sent twice back to back: the second copy usually shares the first one's batch
            GeneratedTraffic pairs = new TrafficGenerator(12, 5, 5, readings, 1, 0).generate(); // trips of its own
            List<GeneratedTraffic.TrafficRecord> doubled = new ArrayList<>();
            pairs.records().forEach(r -> {
                doubled.add(r);
                doubled.add(r);
            });
            long storedBefore = pipeline.tally().count(RecordOutcome.STORED);
            long inStoreBefore = pipeline.tally().count(RecordOutcome.DUPLICATE_IN_STORE);
            long projectionBefore = pipeline.tally().projectionWrites();
            pipeline.handlerWrites().reset();
            publish(pipeline, doubled);
            long inBatch = pipeline.tally().count(RecordOutcome.DUPLICATE_IN_BATCH);
            long attributable = pipeline.handlerWrites().writes()
                    - (pipeline.tally().count(RecordOutcome.STORED) - storedBefore)
                    - (pipeline.tally().count(RecordOutcome.DUPLICATE_IN_STORE) - inStoreBefore)
                    - (pipeline.tally().projectionWrites() - projectionBefore);

            double perEvent = writesUnique / (double) stored;
            double perDuplicate = writesResent / (double) Math.max(1, absorbed);
            double perInBatch = attributable / (double) Math.max(1, inBatch);
            out.printf(Locale.ROOT, "%nP2 DynamoDB write requests (counted by an SDK ExecutionInterceptor on the handler's client)%n");
            out.printf(Locale.ROOT, "  no duplicates: %,d write requests for %,d events (%,d event puts + %,d projection puts) = %.3f per event (target <= 1.1)%n",
                    writesUnique, stored, stored, projection, perEvent);
            out.printf(Locale.ROOT, "  same stream again: %,d write requests for %,d absorbed duplicates = %.3f per duplicate (target <= 1)%n",
                    writesResent, absorbed, perDuplicate);
            out.printf(Locale.ROOT, "  pairs: %,d duplicates absorbed inside their batch cost %d write requests = %.3f per in-batch duplicate (target 0)%n",
                    inBatch, attributable, perInBatch);
            figures.add(String.format(Locale.ROOT, "P2 writes_per_event=%.3f writes_per_duplicate=%.3f writes_per_in_batch_duplicate=%.3f events=%d",
                    perEvent, perDuplicate, perInBatch, stored));
        }
    }

    private static void publish(LocalPipeline pipeline, List<GeneratedTraffic.TrafficRecord> records) {
        pipeline.publish(records.stream().map(GeneratedTraffic.TrafficRecord::payload).toList(),
                records.stream().map(GeneratedTraffic.TrafficRecord::partitionKey).toList());
        if (!pipeline.awaitIdle(Duration.ofMinutes(5))) {
            throw new IllegalStateException("pipeline did not drain within 5 minutes");
        }
    }

    // ---------------------------------------------------------------- P3
    private void p3(LocalAwsStack stack, boolean quick) {
        int shards = LocalPipeline.Builder.DEFAULT_SHARDS;
        GeneratedTraffic burst = new TrafficGenerator(13, 8, quick ? 60 : 600, 1, 0).generate();
        double putItemPerS = barePutItem(stack, burst, shards);
        // (a) drain: the stream is filled first, then the pipeline is deployed on it and reads from TRIM_HORIZON:
        //     Kinesis GetRecords -> handler -> DynamoDB, without the emulator's put rate in the window.
        PipelineNames drainNames = PipelineNames.withPrefix("bench-p3-drain");
        StackResources.using(stack.clients()).createStream(drainNames.stream(), shards);
        LocalPipeline.publish(stack.clients().kinesis(), drainNames.stream(),
                burst.records().stream().map(GeneratedTraffic.TrafficRecord::payload).toList(),
                burst.records().stream().map(GeneratedTraffic.TrafficRecord::partitionKey).toList());
        double drainPerS;
        long drainStart = System.currentTimeMillis();
        try (LocalPipeline drain = LocalPipeline.builder(stack.clients()).names(drainNames).shards(shards)
                .canonicalShards(shards).deploy()) {
            drain.awaitIdle(Duration.ofMinutes(5));
            List<Map<String, AttributeValue>> drained = drain.storedEvents();
            long lastStored = drained.stream().mapToLong(i -> n(i, "storedAtMs")).max().orElse(drainStart);
            drainPerS = drained.size() / Math.max(0.001, (lastStored - drainStart) / 1000.0);
        }
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("bench-p3"))
                .shards(shards).canonicalShards(shards).deploy()) {
            // (b) end to end: put and consume at once, from the first record's arrival to the last one stored.
            publish(pipeline, burst.records());
            List<Map<String, AttributeValue>> items = pipeline.storedEvents();
            long firstPut = items.stream().mapToLong(i -> n(i, "streamArrivalMs")).min().orElse(0);
            long lastPut = items.stream().mapToLong(i -> n(i, "streamArrivalMs")).max().orElse(0);
            long lastStored = items.stream().mapToLong(i -> n(i, "storedAtMs")).max().orElse(0);
            // The window closes when the last event is both stored and on the canonical stream (what consumers read).
            List<Long> published = canonicalArrivals(pipeline);
            long lastPublished = published.stream().mapToLong(Long::longValue).max().orElse(0);
            long done = Math.max(lastStored, lastPublished);
            double eventsPerS = items.size() / Math.max(0.001, (done - firstPut) / 1000.0);
            double putPerS = items.size() / Math.max(0.001, (lastPut - firstPut) / 1000.0);
            double ratio = eventsPerS / putItemPerS;

            // Latency at a paced, sustainable rate (a burst measures queueing, not the pipeline).
            GeneratedTraffic paced = new TrafficGenerator(14, 8, 4, quick ? 30 : 150, 1, 0).generate(); // after the burst's 8
            int rate = (int) Math.max(50, Math.min(500, eventsPerS * 0.3));
            long before = System.currentTimeMillis();
            List<GeneratedTraffic.TrafficRecord> records = paced.records();
            int chunk = Math.max(1, rate / 10);
            for (int i = 0; i < records.size(); i += chunk) {
                long due = before + (long) (i * 1000.0 / rate);
                sleepUntil(due);
                List<GeneratedTraffic.TrafficRecord> part = records.subList(i, Math.min(records.size(), i + chunk));
                pipeline.publish(part.stream().map(GeneratedTraffic.TrafficRecord::payload).toList(),
                        part.stream().map(GeneratedTraffic.TrafficRecord::partitionKey).toList());
            }
            pipeline.awaitIdle(Duration.ofMinutes(5));
            List<Long> latencies = new ArrayList<>();
            for (Map<String, AttributeValue> i : pipeline.storedEvents()) {
                long arrival = n(i, "streamArrivalMs");
                if (arrival >= before) {
                    latencies.add(n(i, "storedAtMs") - arrival);
                }
            }
            Percentiles p = Percentiles.of(latencies);
            out.printf(Locale.ROOT, "%nP3 local pipeline: Kinesis put -> stored (kinesis-local + dynalite, %d shards)%n", shards);
            out.printf(Locale.ROOT, "  bare PutItem, %d threads                           %,10.0f items/s (baseline)%n", shards, putItemPerS);
            out.printf(Locale.ROOT, "  pipeline, put -> stored + published (burst of %,d) %,10.0f events/s  ratio %.2f (target >= 0.5)%n",
                    items.size(), eventsPerS, ratio);
            out.printf(Locale.ROOT, "    canonical stream: %,d events published, the last %d ms after the last conditional put%n",
                    published.size(), lastPublished - lastStored);
            out.printf(Locale.ROOT, "    of which the emulator accepted puts at           %,10.0f records/s%n", putPerS);
            out.printf(Locale.ROOT, "  pipeline, pre-filled stream -> stored (drain)      %,10.0f events/s  ratio %.2f%n",
                    drainPerS, drainPerS / putItemPerS);
            out.printf(Locale.ROOT, "  put -> stored at %d records/s paced: p50 %d ms, p99 %d ms, max %d ms over %,d events (target p99 <= 2000 ms)%n",
                    rate, p.p50(), p.p99(), p.max(), p.count());
            figures.add(String.format(Locale.ROOT, "P3 ratio=%.2f events_per_s=%.0f putitem_per_s=%.0f p50_ms=%d p99_ms=%d paced_rate=%d drain_ratio=%.2f drain_events_per_s=%.0f emulator_put_per_s=%.0f",
                    ratio, eventsPerS, putItemPerS, p.p50(), p.p99(), rate, drainPerS / putItemPerS, drainPerS, putPerS));
        }
    }

    /** Conditional PutItem of the same items the pipeline stores, on the same dynalite, at the pipeline's concurrency. */
    private static double barePutItem(LocalAwsStack stack, GeneratedTraffic traffic, int threads) {
        String table = "bench-p3-bare-events";
        StackResources.using(stack.clients()).createTable(EventStoreTables.events(table));
        RecordNormalizer normalizer = RecordNormalizer.standard();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (GeneratedTraffic.TrafficRecord r : traffic.records()) {
            if (normalizer.normalize(RawRecord.of(r.payload(), "bench")) instanceof NormalizationResult.Normalized n) {
                Map<String, AttributeValue> item = new HashMap<>();
                item.put("eventKey", AttributeValue.fromS(n.event().eventKey()));
                item.put("subject", AttributeValue.fromS(n.event().subject()));
                item.put("time", AttributeValue.fromS(n.event().time().toString()));
                item.put("eventJson", AttributeValue.fromS(n.json()));
                items.add(item);
            }
        }
        DynamoDbClient dynamo = stack.clients().dynamoDb();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
                        dynamo.putItem(PutItemRequest.builder().tableName(table).item(items.get(i))
                                .conditionExpression("attribute_not_exists(eventKey)").build());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("bare PutItem baseline failed", e);
        } finally {
            pool.shutdown();
        }
        return items.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Approximate arrival times (epoch ms) of every record on the pipeline's canonical event stream. */
    private static List<Long> canonicalArrivals(LocalPipeline pipeline) {
        KinesisClient kinesis = pipeline.clients().kinesis();
        String stream = pipeline.names().canonicalStream();
        List<Long> arrivals = new ArrayList<>();
        for (Shard shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(r -> r.shardIterator(current).limit(10_000));
                page.records().forEach(r -> arrivals.add(r.approximateArrivalTimestamp().toEpochMilli()));
                iterator = page.records().isEmpty() && page.millisBehindLatest() != null
                        && page.millisBehindLatest() == 0 ? null : page.nextShardIterator();
            }
        }
        return arrivals;
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static void sleepUntil(long epochMs) {
        long wait = epochMs - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package io.waybill.local.demo;

import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ColdChainDecision;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.decision.ColdChainLoop;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.projection.ShipmentProjection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.identity.Gs1;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.edge.model.Excursion;
import io.waybill.edge.trace.ExpectedExcursion;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.ReeferTrace;
import io.waybill.edge.trace.TraceIncident;
import io.waybill.local.archive.ArchiveDeliveryConfig;
import io.waybill.local.iot.RuleRunnerStats;
import io.waybill.local.pipeline.BatchTally;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.replay.DeadLetterReplay;
import io.waybill.local.stack.BlockTicker;
import io.waybill.local.stack.Emulator;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.samples.SampleCatalog;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;


import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./waybill demo}: the whole ingest path on the local AWS stack, end to end, with a report a person can
 * read and checks that make the run fail when the pipeline is wrong.
 */
public final class DemoRun {
    /** How long the pipeline may take to drain everything that was published. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);
    /** How long the report waits for the raw archive to write what the pipeline drained (buffer interval 2 s). */
    static final Duration ARCHIVE_TIMEOUT = Duration.ofSeconds(30);
    /** How long the edge path may take (replay, edge drain, rule runner put). */
    public static final Duration EDGE_TIMEOUT = Duration.ofMinutes(2);
    /** The edge path's shipment: not the golden trip's own SSCC, which the vendor samples use. */
    static final String EDGE_SSCC = edgeSscc();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OBSERVED = "waybill.temperature.observed.v1";
    private static final String BREACHED = "waybill.temperature.breached.v1";

    /**
     * @param shipments           trips to generate
     * @param readingsPerShipment temperature messages per trip
     * @param seed                traffic seed
     * @param shards              stream shards
     */
    public record Options(int shipments, int readingsPerShipment, long seed, int shards) {
        public static Options defaults() {
            return new Options(6, 500, 42, io.waybill.local.pipeline.LocalPipeline.Builder.DEFAULT_SHARDS);
        }
    }

    private final PrintStream out;
    private final java.util.function.Consumer<LocalPipeline> afterReport;
    /** Shipments the traffic generator makes: one custody transfer each (the provenance section's floor). */
    private int generatedShipments;
    /** The demand forecasting section: the generated traffic's demand, seeded history, the forecast runs. */
    private ForecastSection forecastSection;
    /** The partners section's reference: what each partner must get, from the published plans and trips. */
    private PartnersSection.Expectation partnerExpectation;

    public DemoRun(PrintStream out) {
        this(out, null);
    }

    /**
     * @param afterReport run with the deployed pipeline once the report is printed, before the stack stops (e.g. to
     *                    serve the ops API until Ctrl-C: {@code ./waybill demo --serve}); null for none
     */
    public DemoRun(PrintStream out, java.util.function.Consumer<LocalPipeline> afterReport) {
        this.out = out;
        this.afterReport = afterReport;
    }

    /** @return true when every check held */
    public boolean run(Options options) {
        this.generatedShipments = options.shipments();
        out.println("Waybill demo: canonical events from Kinesis into an idempotent DynamoDB event store (vendor traffic + edge path)");
        out.println();
        long t0 = System.nanoTime();
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults())) {
            out.printf(Locale.ROOT, "Local AWS stack up in %d ms: Kinesis (kinesis-local) %d ms, DynamoDB (dynalite) %d ms, "
                            + "SQS (ElasticMQ) %d ms, S3 (s3rver) %d ms%n",
                    ms(t0), stack.startTimeMillis(Emulator.KINESIS), stack.startTimeMillis(Emulator.DYNAMODB),
                    stack.startTimeMillis(Emulator.SQS), stack.startTimeMillis(Emulator.S3));
            out.printf("  endpoints: %s%n  emulator logs: %s%n%n", stack.endpoints(), stack.logDir());

            TrafficGenerator generator = new TrafficGenerator(options.seed(), options.shipments(),
                    options.readingsPerShipment(), 3, 7);
            GeneratedTraffic traffic = generator.generate();
            forecastSection = new ForecastSection(out, ForecastSection.forecastsFile(), options.seed(), traffic);
            // Shipment master data first, as a planning system sends it before the trips start: the cold chain
            // reads each shipment's product class from its plan when it decides.
            Planning planning = Planning.of(generator, traffic, liveEdgeTrip());
            List<byte[]> planPayloads = new ArrayList<>();
            List<String> planKeys = new ArrayList<>();
            List<byte[]> payloads = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            int samples = 0;
            for (SampleCatalog.ValidCase sample : SampleCatalog.valid()) {
                boolean plan = sample.name().startsWith(io.waybill.domain.adapter.WaybillPlanAdapter.ID + "/");
                (plan ? planPayloads : payloads).add(sample.compactRaw());
                (plan ? planKeys : keys).add(sample.name());
                samples += plan ? 0 : 1;
            }
            for (TripPlans.Plan plan : planning.plans()) {
                planPayloads.add(plan.payload());
                planKeys.add(TripPlans.PARTNER);
            }
            for (GeneratedTraffic.TrafficRecord r : traffic.records()) {
                payloads.add(r.payload());
                keys.add(r.partitionKey());
            }
            partnerExpectation = PartnersSection.expect(planPayloads, traffic, PartnersSection.partners());
            List<byte[]> direct = new ArrayList<>(planPayloads);
            direct.addAll(payloads);
            int expectedDistinct = ExpectedProjection.distinctEvents(direct);
            Map<String, ShipmentState> expected = ExpectedProjection.inEventTimeOrder(direct);
            expected.remove(EDGE_SSCC); // the edge path's shipment is checked on its own (its events come from the edge)

            List<io.waybill.domain.device.RegisteredDevice> demoDevices = new ArrayList<>(DemoDevices.ofSamples(
                    payloads.subList(0, samples), TrafficGenerator.TRIP_START));
            demoDevices.addAll(traffic.devices());

            List<ColdChainLoop.Outcome> decisionBatches = new java.util.concurrent.CopyOnWriteArrayList<>();
            // Ingest checks every device record against the registry (registered, adapter, not revoked, signature,
            // sequence, assignment), as the stage's ingest function does.
            try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).enforceDeviceRegistry(true)
                    .names(PipelineNames.withPrefix("waybill-demo")).shards(options.shards())
                    .coldChain(ColdChainConfig.builder().confirmAfter(CONFIRM_AFTER).build(),
                            decisionBatches::add)
                    .rawArchive(ArchiveDeliveryConfig.LOCAL_BUCKET, ArchiveDeliveryConfig.local())
                    .anchoring(stack.ethereum())
                    .forecasting(Map.of())
                    .partners(io.waybill.local.partner.LocalPartners.Settings.of(PartnersSection.partners()))
                    .deploy();
                 BlockTicker blocks = BlockTicker.start(stack.ethereum(), BlockTicker.BLOCK_TIME)) {
                out.printf(Locale.ROOT, "Deployed: stream %s (%d shards), tables %s + %s, dead-letter queue %s "
                                + "(oversized letters claim-checked to bucket %s),%n  canonical event stream %s;%n"
                                + "  the ingest handler (io.waybill.ingest.IngestHandler, the class Lambda runs) is fed by a local%n"
                                + "  Kinesis event source mapping: batch size %d, partial batch responses on, retries %d.%n%n",
                        pipeline.names().stream(), options.shards(), pipeline.names().eventsTable(),
                        pipeline.names().shipmentsTable(), pipeline.names().deadLetterQueue(),
                        pipeline.names().deadLetterBucket(), pipeline.names().canonicalStream(),
                        pipeline.mapping().config().batchSize(), pipeline.mapping().config().maximumRetryAttempts());

                // Onboarding before any traffic: every device of the samples and of the generated trips is registered
                // (adapter, scope, assignments over its trip); the edge registers its own key in EdgePath.start.
                io.waybill.aws.devices.DynamoDbDeviceRegistry registry = pipeline.deviceRegistry();
                int registered = DemoDevices.registerAll(registry, demoDevices);
                String errorQueueUrl = pipeline.clients().sqs()
                        .createQueue(r -> r.queueName(pipeline.names().stream() + "-iot-rule-errors")).queueUrl();
                io.waybill.local.devices.SimulatedDevices edgeIdentity = new io.waybill.local.devices.SimulatedDevices(
                        io.waybill.local.devices.SimulatedDevices.keysFolder(spoolDirectory().getParent()), registry);
                try (EdgePath edgePath = EdgePath.start(liveEdgeTrip(), EDGE_SSCC,
                        spoolDirectory(), pipeline.clients().kinesis(), pipeline.names().stream(),
                        pipeline.clients().sqs(), errorQueueUrl, edgeIdentity, pipeline.names().canonicalStream(),
                        pipeline.edgeSettlementQueueUrl())) {
                    out.printf(Locale.ROOT, "Device registry %s: %d devices registered before publishing (adapter, scope,"
                                    + " shipment assignments over their trips); the edge %s signs with its own P-256 key.%n%n",
                            registry.tableName(), registered + 1, edgePath.trip().deviceId());
                    long publishStart = System.nanoTime();
                    pipeline.publish(planPayloads, planKeys);
                    if (!pipeline.awaitIdle(DRAIN_TIMEOUT)) {
                        out.println("FAILED: the shipment plans were not stored within " + DRAIN_TIMEOUT.toSeconds() + " s");
                        return false;
                    }
                    planning.print(out, planPayloads.size(), ms(publishStart));
                    // the edge path runs alongside the vendor traffic
                    CompletableFuture<EdgePath.Result> edgeRun = CompletableFuture.supplyAsync(() -> {
                        try {
                            return edgePath.run();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted", e);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    pipeline.publish(payloads, keys);
                    long publishMs = ms(publishStart);
                    EdgePath.Result edge;
                    try {
                        edge = edgeRun.get(EDGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    } catch (ExecutionException | TimeoutException e) {
                        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                        out.println("FAILED: the edge path did not complete: " + cause);
                        return false;
                    }
                    RuleRunnerStats ruleStats = edgePath.ruleStats();
                    out.printf(Locale.ROOT, "Published %,d records in %,d ms: %d shipment plans + %d vendor samples + %,d generated"
                                    + " (%d shipments x %d readings,%n"
                                    + "  every record sent 1-3 times = %,d resends, shuffled within each shipment, %d poison records).%n",
                            direct.size(), publishMs, planPayloads.size(), samples, traffic.records().size(),
                            options.shipments(),
                            options.readingsPerShipment(), traffic.duplicateSends(), traffic.poisonRecords());
                    out.printf(Locale.ROOT, "Edge path: replayed the %d-hour reefer trip of %s (%,d readings) through the edge in %,d ms;%n"
                                    + "  the edge sent %d messages, the IoT rule runner put %d records on the stream.%n",
                            GoldenTraces.TRIP_LENGTH.toHours(), edgePath.trip().deviceId(), edge.sent().messages(),
                            edge.elapsedMillis(), edge.edge().published(), ruleStats.recordsPut());
                    boolean drained = pipeline.awaitIdle(DRAIN_TIMEOUT) && coldChainIdle(pipeline);
                    long pipelineMs = ms(publishStart);
                    if (!drained) {
                        out.println("FAILED: the pipeline did not drain the stream within " + DRAIN_TIMEOUT.toSeconds() + " s");
                        return false;
                    }
                    out.printf(Locale.ROOT, "Pipeline drained in %,d ms (%d invocations, %d retries).%n",
                            pipelineMs, pipeline.mapping().stats().invocations(), pipeline.mapping().stats().retries());
                    out.printf(Locale.ROOT, "  (put at %,.0f records/s, drained at %,.0f records/s: the local emulators, not the handler, set that pace)%n%n",
                            payloads.size() * 1000.0 / Math.max(1, publishMs), payloads.size() * 1000.0 / Math.max(1, pipelineMs));
                    boolean archived = pipeline.rawArchive().awaitDelivered(ARCHIVE_TIMEOUT);
                    out.printf(Locale.ROOT, "Raw archive: %,d records in %,d GZIP objects under %s in bucket %s%s%n%n",
                            pipeline.rawArchive().recordsDelivered(), pipeline.rawArchive().objectsWritten(),
                            io.waybill.aws.archive.RawArchiveLayout.PREFIX, pipeline.rawArchive().bucket(),
                            archived ? " (what ./waybill backfill re-drives)" : ", still delivering");
                    // On AWS the confirmation pass runs every minute; here once the traffic is in, until every
                    // pending breach has held CONFIRM_AFTER.
                    List<io.waybill.domain.decision.ColdChainLoop.Confirmation> passes = confirmBreaches(pipeline);
                    boolean ok = report(pipeline, direct.size(), expectedDistinct, traffic.poisonRecords(), expected,
                            edgePath, edge, edgePath.ruleStats(), decisionBatches, passes, planning);
                    if (afterReport != null) {
                        out.flush();
                        afterReport.accept(pipeline);
                    }
                    return ok;
                }
            }
        } catch (RuntimeException e) {
            out.println("FAILED: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * The demo's breach confirmation delay: production's 2 minutes, longer than the time the shuffled burst takes to
     * reach the cold chain. Until a shipment's late readings arrive, the holes between the readings that did are
     * unknown time (DATA_GAP) and can breach it; that verdict must be withdrawn, not acted on. The run waits only for
     * what is still pending once the traffic is in.
     */
    static final Duration CONFIRM_AFTER = ColdChainConfig.DEFAULT_CONFIRM_AFTER;

    private static boolean coldChainIdle(LocalPipeline pipeline) {
        try {
            return pipeline.coldChainMapping().awaitIdle(DRAIN_TIMEOUT)
                    && pipeline.kpiAggregatorMapping().awaitIdle(DRAIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the confirmation pass (the scheduled function on AWS) until no breach is pending; at most 3 delays. */
    private List<io.waybill.domain.decision.ColdChainLoop.Confirmation> confirmBreaches(LocalPipeline pipeline) {
        List<io.waybill.domain.decision.ColdChainLoop.Confirmation> passes = new ArrayList<>();
        long deadline = System.nanoTime() + CONFIRM_AFTER.multipliedBy(3).toNanos();
        while (System.nanoTime() < deadline) {
            io.waybill.domain.decision.ColdChainLoop.Confirmation c = pipeline.confirmPendingBreaches();
            passes.add(c);
            if (c.stillPending() == 0 && c.failure() == null) {
                break;
            }
            sleepQuietly(Duration.ofSeconds(2));
        }
        return passes;
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean report(LocalPipeline pipeline, int directRecords, int expectedDirectDistinct, int poison,
                           Map<String, ShipmentState> expected, EdgePath edgePath, EdgePath.Result edge,
                           RuleRunnerStats ruleStats, List<ColdChainLoop.Outcome> decisionBatches,
                           List<io.waybill.domain.decision.ColdChainLoop.Confirmation> passes, Planning planning) {
        // the edge's records come through the stream too: each one a distinct event
        long recordsIn = directRecords + ruleStats.recordsPut();
        long expectedDistinct = expectedDirectDistinct + edge.edge().published();
        // The cold-chain function's decision events are stored beside the traffic's: counted on their own below.
        List<Map<String, AttributeValue>> storedAll = pipeline.storedEvents();
        List<Map<String, AttributeValue>> decisionItems = storedAll.stream()
                .filter(i -> ColdChainLoop.SOURCE.equals(i.get("source").s())).toList();
        List<Map<String, AttributeValue>> stored = storedAll.stream()
                .filter(i -> !ColdChainLoop.SOURCE.equals(i.get("source").s())).toList();
        // ... and they put breached shipments on hold: the expected fold includes them (order-independent).
        expected = withDecisions(expected, decisionItems);
        BatchTally tally = pipeline.tally();
        List<Message> letters = pipeline.drainDeadLetters(false);
        long duplicates = tally.duplicates();
        long deadLettered = letters.size();
        List<String> failures = new ArrayList<>();

        long handlerStored = tally.count(io.waybill.domain.ingestion.RecordOutcome.STORED);
        long handlerDeadLettered = tally.count(io.waybill.domain.ingestion.RecordOutcome.DEAD_LETTERED);
        out.println("Counts");
        row("records in (put on the stream)", recordsIn);
        row("  - published directly (plans + vendor traffic)", directRecords);
        row("  - put by the IoT rule runner (edge path)", ruleStats.recordsPut());
        row("events stored", handlerStored);
        row("duplicates absorbed", duplicates);
        row("  - inside one batch (no write)", tally.count(io.waybill.domain.ingestion.RecordOutcome.DUPLICATE_IN_BATCH));
        row("  - already in the store (conditional put)", tally.count(io.waybill.domain.ingestion.RecordOutcome.DUPLICATE_IN_STORE));
        row("dead-lettered", handlerDeadLettered);
        long sum = handlerStored + duplicates + handlerDeadLettered;
        boolean conserved = sum == recordsIn;
        out.printf(Locale.ROOT, "  conservation: %,d stored + %,d duplicates + %,d dead-lettered = %,d %s %,d records in  %s%n",
                handlerStored, duplicates, handlerDeadLettered, sum, conserved ? "=" : "!=", recordsIn, conserved ? "OK" : "FAILED");
        check(conserved, "records in != stored + duplicates + dead-lettered", failures);
        boolean once = stored.size() == expectedDistinct;
        out.printf(Locale.ROOT, "  event table holds %,d items for %,d distinct events in the traffic: each stored exactly once %s%n",
                stored.size(), expectedDistinct, once ? "OK" : "FAILED");
        check(once, "event table holds " + stored.size() + " items, expected " + expectedDistinct + " distinct events", failures);
        if (stored.size() != handlerStored) {
            out.printf(Locale.ROOT, "  (%,d events were stored by an attempt whose batch was then retried; the retry absorbed them as duplicates)%n",
                    stored.size() - handlerStored);
        }
        boolean lettersOk = handlerDeadLettered == poison && deadLettered >= handlerDeadLettered;
        out.printf(Locale.ROOT, "  dead-letter queue holds %,d messages for the %d poison records %s%n", deadLettered, poison,
                lettersOk ? "OK" : "FAILED");
        check(lettersOk, "dead-lettered " + handlerDeadLettered + " (" + deadLettered + " in the queue), expected the " + poison + " poison records", failures);
        out.printf(Locale.ROOT, "  DynamoDB write requests by the handler: %,d = %,d conditional event puts + %,d projection puts (%.3f per stored event)%n%n",
                pipeline.handlerWrites().writes(), pipeline.handlerWrites().writes() - tally.projectionWrites(),
                tally.projectionWrites(), pipeline.handlerWrites().writes() / (double) Math.max(1, stored.size()));

        out.println("Dead letters (raw payload kept, base64, with reason and origin; replayable)");
        Map<RejectionReason, Integer> byReason = new TreeMap<>();
        for (Message m : letters) {
            DeadLetter d = DeadLetterJson.fromJson(m.body());
            byReason.merge(d.reason(), 1, Integer::sum);
            out.printf(Locale.ROOT, "  %-17s %-12s %s seq %s: %s%n", d.reason(), d.adapter() == null ? "-" : d.adapter(),
                    d.origin().shardId(), abbreviate(d.origin().sequenceNumber(), 12), abbreviate(d.detail(), 70));
        }
        out.println("  by reason: " + byReason);
        DeadLetterReplay.Result dry = new DeadLetterReplay(pipeline.clients().sqs(), pipeline.clients().kinesis(),
                RecordNormalizer.standard()).replay(pipeline.deadLetterQueueUrl(), pipeline.names().stream(), false, true);
        out.printf(Locale.ROOT, "  replay --dry-run: %d of %d would pass with the code deployed now (the rest still fail: %s)%n%n",
                dry.replayed(), dry.examined(), dry.stillFailing());

        out.println("Shipments (final projected state; must equal the in-order fold of the distinct events)");
        out.printf(Locale.ROOT, "  %-18s %-10s %-24s %8s %-13s %-20s %-20s %s%n", "SSCC", "status", "last location",
                "temp °C", "custodian", "last event (UTC)", "last breach (UTC)", "check");
        Map<String, ShipmentState> actual = new TreeMap<>(pipeline.shipments());
        ShipmentState edgeShipment = actual.remove(EDGE_SSCC);
        for (Map.Entry<String, ShipmentState> e : new TreeMap<>(expected).entrySet()) {
            ShipmentState s = actual.get(e.getKey());
            boolean same = e.getValue().equals(s);
            check(same, "shipment " + e.getKey() + " projection differs from the in-order fold", failures);
            if (s == null) {
                out.printf("  %-18s missing%n", e.getKey());
                continue;
            }
            out.printf(Locale.ROOT, "  %-18s %-10s %-24s %8s %-13s %-20s %-20s %s%n", s.shipmentSscc(), s.status(),
                    location(s), s.temperatureCelsius() == null ? "-" : String.format(Locale.ROOT, "%.2f", s.temperatureCelsius()),
                    s.custodianGln() == null ? "-" : s.custodianGln(), s.lastEventAt(),
                    s.lastBreachAt() == null ? "-" : s.lastBreachAt().toString(), same ? "OK" : "DIFFERS");
        }
        check(actual.size() == expected.size(), actual.size() + " projected shipments, expected " + expected.size(), failures);
        out.println();

        out.println("Latency per boundary, ms (p50 / p90 / p99 / max), from timestamps stored on each event item");
        List<Long> putToHandler = new ArrayList<>();
        List<Long> handlerToStored = new ArrayList<>();
        List<Long> putToStored = new ArrayList<>();
        for (Map<String, AttributeValue> item : stored) {
            Long arrival = number(item, "streamArrivalMs");
            Long handler = number(item, "handlerStartMs");
            Long storedAt = number(item, "storedAtMs");
            if (arrival != null && handler != null && storedAt != null) {
                putToHandler.add(Math.max(0, handler - arrival));
                handlerToStored.add(Math.max(0, storedAt - handler));
                putToStored.add(Math.max(0, storedAt - arrival));
            }
        }
        latency("put -> handler (stream arrival to invocation)", Percentiles.of(putToHandler));
        latency("handler -> stored (invocation to conditional put)", Percentiles.of(handlerToStored));
        latency("put -> stored", Percentiles.of(putToStored));
        out.println("  The traffic is put as one burst, faster than the emulators absorb it, so put -> handler includes time queued");
        out.println("  in the stream behind the burst; ./waybill bench (P3) measures put -> stored at a sustainable, paced rate.");
        out.println("  handler -> stored grows with a record's position in its batch of 100 (conditional puts, 4 in flight at a time).");
        out.println("  Device -> broker is not measured here: the demo's device clocks are simulated (see the edge path).");
        out.println();

        edgeSection(edgePath, edge, ruleStats, stored, edgeShipment, failures);
        coldChainSection(pipeline, decisionItems, decisionBatches, passes, edgeShipment, planning, failures);
        kpiSection(pipeline);
        identitySection(pipeline, failures);
        try {
            new ProvenanceSection(out, ProvenanceSection.proofsFile()).print(pipeline.anchoring(), storedAll,
                    generatedShipments, true, failures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted waiting for the proofs");
        }
        forecastSection.print(pipeline.forecasting(), failures);
        new PartnersSection(out, PartnersSection.epcisFile()).print(pipeline.partners(),
                pipeline.partnerEgressMapping(), pipeline.clients().sqs(), partnerExpectation,
                storedAll.stream().map(DemoRun::event).toList(), failures);

        if (failures.isEmpty()) {
            out.println("RESULT: OK - every check held");
            return true;
        }
        out.println("RESULT: FAILED - " + String.join("; ", failures));
        return false;
    }

    private static Map<String, ShipmentState> withDecisions(Map<String, ShipmentState> expected,
                                                            List<Map<String, AttributeValue>> decisionItems) {
        Map<String, ShipmentState> out = new TreeMap<>(expected);
        for (Map<String, AttributeValue> item : decisionItems) {
            CanonicalEvent e = event(item);
            out.computeIfPresent(e.subject(), (k, s) -> ShipmentProjection.apply(s, e));
        }
        return out;
    }

    private static CanonicalEvent event(Map<String, AttributeValue> item) {
        try {
            return CanonicalEventJson.fromJson(CanonicalEventJson.MAPPER.readTree(item.get("eventJson").s()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void coldChainSection(LocalPipeline pipeline, List<Map<String, AttributeValue>> decisionItems,
                                  List<ColdChainLoop.Outcome> batches,
                                  List<io.waybill.domain.decision.ColdChainLoop.Confirmation> passes,
                                  ShipmentState edgeShipment, Planning planning, List<String> failures) {
        ProductClass product = ColdChainConfig.DEFAULT_PRODUCT_CLASS;
        PipelineNames names = pipeline.names();
        out.println("Cold-chain decisions (io.waybill.coldchain.ColdChainHandler: the consumer of the canonical event stream, so it");
        out.println("  decides only on what ingest stored; the edge detects, the cloud decides over each shipment's whole evidence)");
        out.println("  Each shipment is judged under the product class its plan names (waybill.shipment.planned.v1); one without a");
        out.printf(Locale.ROOT, "  plan is UNCLASSIFIED: judged under the default class %s and flagged ATTENTION at least, never NORMAL.%n",
                product.name());
        Map<String, ColdChainDecision> latest = new TreeMap<>();
        Map<String, List<io.waybill.domain.coldchain.BreachCode>> everBreached = new TreeMap<>();
        List<Long> streamToDecided = new ArrayList<>();
        int opened = 0;
        for (ColdChainLoop.Outcome b : batches) {
            b.decisions().stream().filter(ColdChainDecision::breached)
                    .forEach(d -> everBreached.putIfAbsent(d.shipmentSscc(), d.assessment().verdict().codes()));
            b.decisions().forEach(d -> latest.merge(d.shipmentSscc(), d,
                    (x, y) -> y.decidedAt().isBefore(x.decidedAt()) ? x : y));
            opened += b.incidentsOpened();
            b.decided().forEach(a -> a.streamToDecidedMs().ifPresent(streamToDecided::add));
        }
        int confirmedByPass = 0;
        for (io.waybill.domain.decision.ColdChainLoop.Confirmation c : passes) {
            c.decisions().forEach(d -> latest.put(d.shipmentSscc(), d)); // the passes come after every batch
            confirmedByPass += c.incidentsOpened();
        }
        opened += confirmedByPass;
        Map<io.waybill.domain.coldchain.ExposureStatus, Long> byStatus = new TreeMap<>();
        latest.values().forEach(d -> byStatus.merge(d.status(), 1L, Long::sum));
        long unclassified = latest.values().stream().filter(ColdChainDecision::unclassified).count();
        out.printf(Locale.ROOT, "  %d decision batches; %d shipments with temperature evidence: %s, %d of them UNCLASSIFIED%n",
                batches.size(), latest.size(), byStatus, unclassified);
        shipmentTable(latest, planning);
        List<Map<String, AttributeValue>> incidents = scan(pipeline, names.incidentsTable());
        List<Map<String, AttributeValue>> compliance = scan(pipeline, names.complianceTable());
        java.util.Set<String> withIncident = new java.util.TreeSet<>();
        incidents.forEach(i -> withIncident.add(i.get("shipmentSscc").s()));
        java.util.Set<String> breachedNow = new java.util.TreeSet<>();
        latest.values().stream().filter(ColdChainDecision::breached).forEach(d -> breachedNow.add(d.shipmentSscc()));
        out.printf(Locale.ROOT, "  a breach verdict is acted on once it has held %d s (production default %d s): %d confirmed while"
                        + " evidence kept arriving, %d by the confirmation pass (the scheduled function on AWS)%n",
                CONFIRM_AFTER.toSeconds(), ColdChainConfig.DEFAULT_CONFIRM_AFTER.toSeconds(), opened - confirmedByPass,
                confirmedByPass);
        everBreached.forEach((sscc, codes) -> {
            if (!withIncident.contains(sscc)) {
                out.printf(Locale.ROOT, "  %s: a breach %s on the readings that had arrived, withdrawn when the late ones came"
                        + " in (now %s): nobody alerted%n", sscc, codes, latest.get(sscc).status());
            }
        });
        if (everBreached.values().stream().anyMatch(c -> c.contains(io.waybill.domain.coldchain.BreachCode.DATA_GAP))) {
            out.println("    (DATA_GAP: a shipment's readings arrive shuffled; until the late ones come in, the holes longer than the"
                    + " product class's\n    maximum interpolation gap are unknown time, which counts against the TOR budget)");
        }
        // One decision event and one compliance record per incident opened and per escalation (severity rising on
        // an incident that is not resolved); nobody resolves incidents during the run, so one episode per shipment.
        long escalated = decisionItems.stream().filter(d -> d.get("eventJson").s().contains("\"phase\":\"ESCALATED\""))
                .count();
        boolean oncePerShipment = incidents.size() == opened && decisionItems.size() == opened + escalated
                && compliance.size() == opened + escalated && withIncident.containsAll(breachedNow)
                && breachedNow.containsAll(withIncident);
        out.printf(Locale.ROOT, "  breached shipments %d -> incidents %d (opened %d times, escalated %d times), decision events %d,"
                        + " compliance records %d  %s%n",
                breachedNow.size(), incidents.size(), opened, escalated, decisionItems.size(), compliance.size(),
                oncePerShipment ? "OK" : "FAILED");
        check(oncePerShipment, breachedNow.size() + " breached shipments but " + incidents.size() + " incidents ("
                + withIncident + " vs " + breachedNow + "), " + decisionItems.size() + " decision events, "
                + compliance.size() + " compliance records, " + escalated + " escalations", failures);
        // Every new or escalated incident is told at once (the SNS topic on AWS; here its stand-in queue).
        List<io.waybill.domain.decision.IncidentNotifier.Notice> notices = pipeline.incidentNotifications()
                .map(io.waybill.aws.coldchain.SqsIncidentNotifier::drain).orElse(List.of());
        long noticedOpened = notices.stream()
                .filter(n -> n.reason() == io.waybill.domain.decision.IncidentNotifier.Reason.OPENED)
                .map(io.waybill.domain.decision.IncidentNotifier.Notice::noticeId).distinct().count();
        long noticedEscalated = notices.stream()
                .filter(n -> n.reason() == io.waybill.domain.decision.IncidentNotifier.Reason.ESCALATED)
                .map(io.waybill.domain.decision.IncidentNotifier.Notice::noticeId).distinct().count();
        boolean allNotified = noticedOpened == opened && noticedEscalated == escalated;
        out.printf(Locale.ROOT, "  %d incidents notified (%d opened, %d escalated; queue %s, the SNS topic on AWS)  %s%n",
                notices.size(), noticedOpened, noticedEscalated, names.incidentNotificationsQueue(),
                allNotified ? "OK" : "FAILED");
        check(allNotified, "notified " + noticedOpened + " opened and " + noticedEscalated + " escalated incidents, expected "
                + opened + " and " + escalated, failures);

        ColdChainDecision edge = latest.get(EDGE_SSCC);
        boolean edgeBreached = edge != null && edge.breached();
        if (edge != null) {
            io.waybill.domain.coldchain.ExposureFigures f = edge.assessment().figures();
            out.printf(Locale.ROOT, "  edge shipment %s: %s %s %s: TOR %s (the unit failure; the door opening and the glitch add none),%n"
                            + "    %.1f °C·min above the band, MKT %s °C, peak %.2f °C; edge attention %d  %s%n",
                    EDGE_SSCC, edge.status(), edge.assessment().verdict().severity(), edge.assessment().verdict().codes(),
                    human(Duration.ofSeconds(Math.round(f.torSeconds()))), f.degreeMinutesAbove(),
                    f.mktCelsius().isPresent() ? String.format(Locale.ROOT, "%.2f", f.mktCelsius().getAsDouble()) : "-",
                    f.maxCelsius().orElse(Double.NaN), edge.edgeAttention(), edgeBreached ? "OK" : "FAILED");
        }
        check(edgeBreached, "the edge shipment's unit failure was not decided a breach", failures);
        // The unit failure lasts 40 minutes; anything beyond 45 would mean the door opening or the glitch counted.
        boolean onlyTheFailure = edge != null && edge.assessment().figures().torSeconds() <= 45 * 60
                && edge.assessment().figures().torSeconds() >= 35 * 60;
        check(onlyTheFailure, "the edge shipment's time out of range is not the unit failure's 40 minutes", failures);
        boolean held = edgeShipment != null && edgeShipment.onQualityHold();
        out.printf(Locale.ROOT, "  quality hold on the shipment projection: %s  %s%n",
                held ? edgeShipment.qualityHoldIncidentId() + " since " + edgeShipment.qualityHoldAt() : "none",
                held ? "OK" : "FAILED");
        check(held, "the edge shipment is not on quality hold", failures);
        String incidentProbe = null;
        for (Map<String, AttributeValue> i : incidents) {
            if (i.get("shipmentSscc").s().equals(EDGE_SSCC)) {
                out.printf(Locale.ROOT, "  incident %s: %s %s, opened %s, edge attention %s%n    %s%n",
                        i.get("incidentId").s(), i.get("status").s(), i.get("severity").s(), i.get("openedAt").s(),
                        i.get("edgeAttention").n(), i.get("summary").s());
                AttributeValue decision = i.get("decisionEventJson");
                if (decision != null && decision.s() != null) {
                    incidentProbe = readJson(decision.s()).path("data").path("decision").path("probe").asText(null);
                }
            }
        }
        edgeExposure(pipeline, edge, incidentProbe, failures);
        unplannedShipment(latest.get(planning.unplanned()), planning.unplanned(), failures);
        boolean hashes = compliance.stream().allMatch(c -> c.get("sha256").s()
                .equals(io.waybill.domain.coldchain.ComplianceRecord.sha256(c.get("eventJson").s()))
                && decisionItems.stream().anyMatch(d -> d.get("eventJson").s().equals(c.get("eventJson").s())));
        compliance.stream().filter(c -> c.get("shipmentSscc").s().equals(EDGE_SSCC)).forEach(c ->
                out.printf(Locale.ROOT, "  compliance record %s: sha256 %s… of the stored decision event (for the provenance anchor)%n",
                        abbreviate(c.get("recordId").s(), 30), c.get("sha256").s().substring(0, 16)));
        out.printf(Locale.ROOT, "  every compliance record holds a stored decision event byte for byte, with its SHA-256  %s%n",
                hashes ? "OK" : "FAILED");
        check(hashes, "a compliance record does not match its stored decision event", failures);
        Percentiles p = Percentiles.of(streamToDecided);
        out.printf(Locale.ROOT, "  %-50s %6d / %6d / %6d / %6d   (n=%,d)%n",
                "stream -> decided (per piece of evidence)", p.p50(), p.p90(), p.p99(), p.max(), p.count());
        out.println();
    }

    /** One line per shipment with temperature evidence: its class (or UNCLASSIFIED), status, worst probe. */
    private void shipmentTable(Map<String, ColdChainDecision> latest, Planning planning) {
        out.printf(Locale.ROOT, "    %-18s %-43s %-9s %-28s %9s %9s%n", "SSCC", "product class", "status", "worst probe",
                "TOR", "unknown");
        for (ColdChainDecision d : latest.values()) {
            String productClass = d.unclassified() ? "UNCLASSIFIED (judged " + d.productClass() + ")" : d.productClass();
            String note = d.shipmentSscc().equals(EDGE_SSCC) ? "  the edge reefer"
                    : d.shipmentSscc().equals(planning.unplanned()) ? "  fleet trip left unplanned"
                    : planning.plannedClass(d.shipmentSscc()) != null ? "  fleet trip"
                    : d.unclassified() ? "  vendor sample, no plan" : "  vendor sample, planned";
            io.waybill.domain.coldchain.ExposureFigures f = d.assessment().figures();
            out.printf(Locale.ROOT, "    %-18s %-43s %-9s %-28s %9s %9s%s%n", d.shipmentSscc(), productClass, d.status(),
                    d.worstProbe() == null ? "-" : abbreviate(d.worstProbe(), 28), seconds(f.torSeconds()),
                    seconds(f.unknownSeconds()), note);
        }
    }

    /**
     * The edge shipment's running exposure as the cold chain stored it (the exposure table's STANDING item): per probe
     * its figures and the verdict of its product class's policy, the worst probe, and the missing evidence.
     */
    private void edgeExposure(LocalPipeline pipeline, ColdChainDecision edge, String incidentProbe,
                              List<String> failures) {
        io.waybill.aws.coldchain.DynamoDbEvidenceStore store = new io.waybill.aws.coldchain.DynamoDbEvidenceStore(
                software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient.builder()
                        .dynamoDbClient(pipeline.clients().dynamoDb()).build(), pipeline.names().exposureTable());
        java.util.Optional<io.waybill.domain.coldchain.ShipmentExposure> stored = store.exposure(EDGE_SSCC);
        if (stored.isEmpty()) {
            out.println("  running exposure of the edge shipment: none stored  FAILED");
            check(false, "no running exposure stored for the edge shipment " + EDGE_SSCC, failures);
            return;
        }
        io.waybill.domain.coldchain.ShipmentExposure x = stored.get();
        ProductClass product = io.waybill.domain.coldchain.ProductClassCatalog.defaults().find(x.productClass())
                .orElse(ColdChainConfig.DEFAULT_PRODUCT_CLASS);
        out.printf(Locale.ROOT, "  running exposure of %s (exposure table, version %d), measured against %s: band %s,%n"
                        + "    %s%n", EDGE_SSCC, x.version(), product.name(), product.band(), product.policy().summary());
        out.printf(Locale.ROOT, "    %-28s %9s %9s %11s %11s %8s %8s  %s%n", "probe", "TOR", "unknown", "°C·min >",
                "°C·min <", "MKT °C", "pieces", "verdict");
        for (io.waybill.domain.coldchain.ProbeExposure p : x.probes().values()) {
            io.waybill.domain.coldchain.ExposureFigures f = p.figures(product.band());
            io.waybill.domain.coldchain.BreachVerdict v = product.policy().judge(f);
            out.printf(Locale.ROOT, "    %-28s %9s %9s %11.1f %11.1f %8s %8d  %s%n", p.probeId(),
                    seconds(f.torSeconds()), seconds(f.unknownSeconds()), f.degreeMinutesAbove(), f.degreeMinutesBelow(),
                    f.mktCelsius().isPresent() ? String.format(Locale.ROOT, "%.2f", f.mktCelsius().getAsDouble()) : "-",
                    p.evidence(), v.breached() ? "BREACHED " + v.severity() + " " + v.codes() : "within the policy");
        }
        out.printf(Locale.ROOT, "    worst probe %s (standing %s, TOR %s, unknown %s)%n", x.standing().worstProbe(),
                x.standing().status(), seconds(x.standing().torSeconds()), seconds(x.standing().unknownSeconds()));
        out.printf(Locale.ROOT, "    missing evidence: %d message(s) never arrived (holes in each producer's sequence numbers)%s%n",
                x.missingSequences(), x.sequences().isEmpty() ? ", no producer numbers its messages" : ":");
        x.sequences().forEach((producer, ledger) -> out.printf(Locale.ROOT, "      %-40s sequences %s, %d missing%n",
                producer, ledger.ranges().stream().map(r -> r[0] == r[1] ? String.valueOf(r[0]) : r[0] + "-" + r[1])
                        .toList(), ledger.missing()));
        boolean classifiedBreach = edge != null && !edge.unclassified() && Planning.EDGE_CLASS.equals(edge.productClass())
                && edge.breached() && edge.worstProbe() != null && edge.worstProbe().equals(incidentProbe)
                && edge.worstProbe().equals(x.standing().worstProbe());
        out.printf(Locale.ROOT, "  edge shipment classified %s by its plan, BREACHED on probe %s, the probe the incident names (%s)  %s%n",
                edge == null ? "-" : edge.unclassified() ? "UNCLASSIFIED" : edge.productClass(),
                edge == null ? "-" : edge.worstProbe(), incidentProbe, classifiedBreach ? "OK" : "FAILED");
        check(classifiedBreach, "the edge shipment is not classified " + Planning.EDGE_CLASS + " and BREACHED on the probe"
                + " its incident names (" + (edge == null ? "no decision" : edge.productClass() + ", unclassified "
                + edge.unclassified() + ", " + edge.status() + ", worst probe " + edge.worstProbe()) + ", incident probe "
                + incidentProbe + ")", failures);
    }

    /** The fleet trip no plan covers: UNCLASSIFIED, and never silently NORMAL. */
    private void unplannedShipment(ColdChainDecision d, String sscc, List<String> failures) {
        boolean flagged = d != null && d.unclassified() && d.status() != io.waybill.domain.coldchain.ExposureStatus.NORMAL;
        out.printf(Locale.ROOT, "  unplanned fleet shipment %s: %s, %s  %s%n", sscc,
                d == null ? "no decision" : d.unclassified() ? "UNCLASSIFIED (judged " + d.productClass() + ")"
                        : "classified " + d.productClass(), d == null ? "-" : d.status(), flagged ? "OK" : "FAILED");
        check(flagged, "the unplanned shipment " + sscc + " is not UNCLASSIFIED and flagged ("
                + (d == null ? "no decision" : d.status() + ", unclassified " + d.unclassified()) + ")", failures);
    }

    private static String seconds(double s) {
        long r = Math.round(s);
        return r % 60 == 0 ? (r / 60) + " min" : String.format(Locale.ROOT, "%dm%02ds", r / 60, r % 60);
    }

    /**
     * Every identity attack tried once, through a mutual-TLS broker, the IoT rule and this pipeline's enforced
     * ingest, after the traffic above is checked (their dead letters would otherwise be counted with the poison).
     */
    private void identitySection(LocalPipeline pipeline, List<String> failures) {
        Path work = spoolDirectory().resolveSibling("demo-attacks");
        deleteRecursively(work);
        io.waybill.local.security.IdentityAttacks.Report r;
        try {
            r = new io.waybill.local.security.IdentityAttacks(pipeline, pipeline.deviceRegistry(), work).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            check(false, "the identity attacks were interrupted", failures);
            return;
        } catch (RuntimeException e) {
            out.println("Device identity: the attacks could not run: " + e);
            check(false, "the identity attacks could not run: " + e.getMessage(), failures);
            return;
        }
        out.println("Device identity (each attack once: device over mutual TLS -> broker -> IoT rule -> ingest with the registry)");
        for (io.waybill.local.security.IdentityAttacks.Outcome o : r.outcomes()) {
            out.printf(Locale.ROOT, "  %-48s %-10s %s%n", o.name(), o.attack() ? "attack" : "legitimate",
                    o.attack() ? (o.accepted() ? "ACCEPTED" : "refused: " + o.defence()) : o.defence());
        }
        boolean none = r.attacksAccepted() == 0;
        boolean controls = r.controlsStored() == r.controls();
        out.printf(Locale.ROOT, "  %d tried, %d accepted %s; the %d legitimate messages of the same devices stored %s%n%n",
                r.attacksTried(), r.attacksAccepted(), none ? "OK" : "FAILED", r.controls(), controls ? "OK" : "FAILED");
        check(none, r.attacksAccepted() + " of " + r.attacksTried() + " identity attacks accepted", failures);
        check(controls, "a legitimate message of the attack run was not stored", failures);
    }

    private static void deleteRecursively(Path dir) {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void kpiSection(LocalPipeline pipeline) {
        coldChainIdle(pipeline); // the KPI aggregator has folded everything on the canonical stream
        out.println("Business KPIs (./waybill kpis on a running stack, from the lane and facility aggregates the KPI"
                + " aggregator keeps; the same figures go out as CloudWatch EMF with --emf)");
        io.waybill.local.cli.OperationsCommands ops = new io.waybill.local.cli.OperationsCommands(
                pipeline.clients().dynamoDb(), pipeline.names(), java.time.Clock.systemUTC());
        ops.kpis(null, false, out, out);
        out.println();
    }

    private static List<Map<String, AttributeValue>> scan(LocalPipeline p, String table) {
        return p.clients().dynamoDb().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .toList();
    }

    private void edgeSection(EdgePath edgePath, EdgePath.Result edge, RuleRunnerStats ruleStats,
                             List<Map<String, AttributeValue>> stored, ShipmentState shipment, List<String> failures) {
        ReeferTrace trip = edgePath.trip();
        String source = "urn:waybill:waybill-edge:" + trip.deviceId();
        out.println("Edge path (simulator -> edge -> MQTT broker -> IoT rule -> stream -> handler -> store)");
        out.printf(Locale.ROOT, "  thing %s, shipment %s (%s band), golden %d-hour trip from %s, seed %d%n", trip.deviceId(),
                edgePath.config().shipmentSscc(), trip.band().name(), GoldenTraces.TRIP_LENGTH.toHours(), GoldenTraces.TRIP_START,
                GoldenTraces.DEFAULT_SEED);
        row("readings replayed by the simulator", edge.sent().messages());
        row("readings the edge took", edge.edge().readings());
        row("messages the edge sent (PUBACKed)", edge.edge().published());
        row("messages the cloud confirmed stored (cmd/.../stored)", edge.edge().confirmed());
        row("messages left in the edge's spool", edge.edge().spoolSize());
        check(edge.edge().spoolSize() == 0 && edge.edge().confirmed() == edge.edge().messages(),
                "the edge's spool was not emptied by storage confirmations: " + edge.edge().confirmed()
                        + " of " + edge.edge().messages() + " confirmed, " + edge.edge().spoolSize() + " left",
                failures);
        row("  - summaries (TemperatureObserved)", edge.summaries());
        row("  - alerts (TemperatureBreached)", edge.alerts());
        row("records the IoT rule put on the stream", ruleStats.recordsPut());
        row("IoT rule errors (to the rule's error queue)", ruleStats.ruleErrors());
        out.printf(Locale.ROOT, "  uplink reduction: %,d edge bytes / %,d raw sensor bytes = %.4f (%.0fx less)%n",
                edge.uplinkBytes(), edge.sent().payloadBytes(), edge.reduction(),
                edge.reduction() == 0 ? 0.0 : 1 / edge.reduction());

        List<Map<String, AttributeValue>> edgeItems = new ArrayList<>();
        List<Instant> storedBreaches = new ArrayList<>();
        List<JsonNode> edgeEvents = new ArrayList<>();
        for (Map<String, AttributeValue> item : stored) {
            AttributeValue json = item.get("eventJson");
            if (json == null || json.s() == null) {
                continue;
            }
            JsonNode e = readJson(json.s());
            // the vendor samples include waybill-edge messages of reefer-07 too: the edge path's have its own shipment
            if (!source.equals(e.path("source").asText())
                    || !edgePath.config().shipmentSscc().equals(e.path("subject").asText())) {
                continue;
            }
            edgeItems.add(item);
            edgeEvents.add(e);
            if (BREACHED.equals(e.path("type").asText())) {
                String t = e.hasNonNull("devicetime") ? e.path("devicetime").asText() : e.path("time").asText();
                storedBreaches.add(Instant.parse(t));
            }
        }
        ExcursionComparison cmp = ExcursionComparison.of(trip.expectedExcursions(), edge.uplinked(), storedBreaches);
        out.println("  excursions: ground truth (trace) vs detected by the edge (device time, simulated)");
        for (ExcursionComparison.Row r : cmp.rows()) {
            ExpectedExcursion x = r.expected();
            out.printf(Locale.ROOT, "    expected  %s %s start %s, %s, peak %.1f..%.1f °C (tolerance %s)%n", x.sensorId(),
                    x.limit(), x.start(), human(x.duration()), x.minPeakCelsius(), x.maxPeakCelsius(), human(x.tolerance()));
            if (r.detected().isPresent()) {
                Excursion d = r.detected().get();
                out.printf(Locale.ROOT, "    detected  #%d %s start %s, %s, peak %.2f °C (limit %.1f °C); %d breach event(s) stored  %s%n",
                        d.number(), d.limit(), d.start(), human(d.duration()), d.peakCelsius(), d.limitCelsius(),
                        r.storedBreaches(), r.ok() ? "OK" : "FAILED");
            } else {
                out.printf(Locale.ROOT, "    detected  none matching; %d breach event(s) stored  FAILED%n", r.storedBreaches());
            }
            check(r.ok(), "expected excursion at " + x.start() + " not detected by the edge and stored as breach events", failures);
        }
        for (Excursion d : cmp.detected()) {
            if (cmp.rows().stream().noneMatch(r -> r.detected().filter(d::equals).isPresent())) {
                out.printf(Locale.ROOT, "    unexpected #%d %s start %s, %s, peak %.2f °C%n", d.number(), d.limit(), d.start(),
                        human(d.duration()), d.peakCelsius());
            }
        }
        out.printf(Locale.ROOT, "  not alerted (ground truth, no excursion): %s%n", trip.incidents().stream()
                .filter(i -> i.kind() != TraceIncident.Kind.UNIT_FAILURE)
                .map(i -> i.kind().name().toLowerCase(Locale.ROOT)).distinct().toList());
        boolean noFalse = cmp.noFalseAlarms();
        out.printf(Locale.ROOT, "  edge alerts outside an expected excursion: %d, stored breach events outside one: %d  %s%n",
                cmp.unexpectedAlerts().size(), cmp.unexpectedStoredBreaches().size(), noFalse ? "OK" : "FAILED");
        check(noFalse, cmp.unexpectedAlerts().size() + " edge alert(s) and " + cmp.unexpectedStoredBreaches().size()
                + " stored breach(es) outside an expected excursion", failures);
        boolean same = edgeItems.size() == edge.edge().published() && edge.uplinked().size() == edge.edge().published();
        out.printf(Locale.ROOT, "  events stored from %s for the edge's shipment: %,d (%d summaries, %d breaches) for %,d edge messages sent  %s%n",
                source, edgeItems.size(), edgeEvents.size() - storedBreaches.size(), storedBreaches.size(),
                edge.edge().published(), same ? "OK" : "FAILED");
        check(same, edgeItems.size() + " events stored from " + source + ", the edge sent " + edge.edge().published(),
                failures);
        boolean noRuleErrors = ruleStats.ruleErrors() == 0;
        check(noRuleErrors, ruleStats.ruleErrors() + " IoT rule errors", failures);

        Instant lastBreach = edgeEvents.stream().filter(e -> BREACHED.equals(e.path("type").asText()))
                .map(e -> Instant.parse(e.path("time").asText())).max(Comparator.naturalOrder()).orElse(null);
        JsonNode lastSummary = edgeEvents.stream().filter(e -> OBSERVED.equals(e.path("type").asText()))
                .max(Comparator.comparingLong(e -> e.path("sequence").asLong())).orElse(null);
        Double lastMean = lastSummary == null ? null : lastSummary.path("data").path("meanCelsius").asDouble();
        boolean shipmentOk = shipment != null && java.util.Objects.equals(shipment.temperatureCelsius(), lastMean)
                && java.util.Objects.equals(shipment.lastBreachAt(), lastBreach);
        out.printf(Locale.ROOT, "  shipment %s: %s, temp %s °C (last summary's mean), last breach %s  %s%n",
                edgePath.config().shipmentSscc(), shipment == null ? "missing" : shipment.status(),
                shipment == null || shipment.temperatureCelsius() == null ? "-"
                        : String.format(Locale.ROOT, "%.2f", shipment.temperatureCelsius()),
                shipment == null || shipment.lastBreachAt() == null ? "-" : shipment.lastBreachAt(),
                shipmentOk ? "OK" : "FAILED");
        check(shipmentOk, "edge shipment " + edgePath.config().shipmentSscc()
                + " does not hold the last summary's temperature and the last breach", failures);

        out.println("  latency per boundary, ms (p50 / p90 / p99 / max), wall clock:");
        Percentiles d2e = edge.deviceToEdgeMicros();
        out.printf(Locale.ROOT, "  %-50s %6.1f / %6.1f / %6.1f / %6.1f   (n=%,d readings)%n",
                "device -> edge (probe publish to edge model)", d2e.p50() / 1e3, d2e.p90() / 1e3, d2e.p99() / 1e3,
                d2e.max() / 1e3, d2e.count());
        Percentiles r2a = edge.readingToAlertAtBrokerMicros();
        out.printf(Locale.ROOT, "  %-50s %6.1f / %6.1f / %6.1f / %6.1f   (n=%,d alerts)%n",
                "edge -> broker (trigger reading to alert arrival)", r2a.p50() / 1e3, r2a.p90() / 1e3,
                r2a.p99() / 1e3, r2a.max() / 1e3, r2a.count());
        List<Long> streamToHandler = new ArrayList<>();
        List<Long> handlerToStored = new ArrayList<>();
        List<Long> brokerToStored = new ArrayList<>();
        List<Long> edgeToBroker = new ArrayList<>();
        for (Map<String, AttributeValue> item : edgeItems) {
            Long edgeAt = number(item, "edgeTimeMs");
            Long broker = number(item, "brokerTimeMs");
            if (edgeAt != null && broker != null) {
                edgeToBroker.add(Math.max(0, broker - edgeAt));
            }
            Long arrival = number(item, "streamArrivalMs");
            Long handler = number(item, "handlerStartMs");
            Long storedAt = number(item, "storedAtMs");
            if (arrival != null && handler != null && storedAt != null) {
                streamToHandler.add(Math.max(0, handler - arrival));
                handlerToStored.add(Math.max(0, storedAt - handler));
            }
            if (broker != null && storedAt != null) {
                brokerToStored.add(Math.max(0, storedAt - broker));
            }
        }
        latency("edge -> broker (each event's edgetime to brokertime)", Percentiles.of(edgeToBroker));
        RuleRunnerStats.Latency l = ruleStats.latency();
        out.printf(Locale.ROOT, "  %-50s %6d / %6s / %6d / %6d   (n=%,d; rule runner: p95 %d ms)%n",
                "broker -> stream (hand-over to PutRecords accepted)", l.p50(), "-", l.p99(), l.max(), l.count(), l.p95());
        latency("stream -> handler (stream arrival to invocation)", Percentiles.of(streamToHandler));
        latency("handler -> stored (invocation to conditional put)", Percentiles.of(handlerToStored));
        latency("broker -> stored", Percentiles.of(brokerToStored));
        out.println("  Device time is simulated (the trip is dated " + trip.readings().get(0).at().toString().substring(0, 10)
                + " and replayed in seconds): device -> edge and the alert's trip to the broker are timed on the live clock from"
                + " each publish;\n  edgetime is the component's own emission stamp, carried by every edge event into the store.");
        out.println("  The edge's messages share the stream with the vendor burst, so stream -> handler includes queueing behind it.");
        out.println();
    }

    private static JsonNode readJson(String s) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " min" : String.format(Locale.ROOT, "%d min %d s", s / 60, s % 60);
    }

    static Path spoolDirectory() {
        String home = System.getenv("WAYBILL_HOME");
        return (home == null || home.isBlank() ? Path.of(".") : Path.of(home)).resolve(".waybill").resolve("demo-spool");
    }

    static String edgeSscc() {
        String body = "3" + "0614141" + "008000007";
        return body + Gs1.checkDigit(body);
    }

    private void row(String label, long value) {
        out.printf(Locale.ROOT, "  %-44s %,10d%n", label, value);
    }

    private void latency(String label, Percentiles p) {
        out.printf(Locale.ROOT, "  %-50s %6d / %6d / %6d / %6d   (n=%,d)%n", label, p.p50(), p.p90(), p.p99(), p.max(), p.count());
    }

    private static void check(boolean ok, String failure, List<String> failures) {
        if (!ok) {
            failures.add(failure);
        }
    }

    private static String location(ShipmentState s) {
        if (s.locationGln() != null) {
            return "GLN " + s.locationGln();
        }
        if (s.position() != null) {
            return String.format(Locale.ROOT, "%.4f,%.4f", s.position().latitude(), s.position().longitude());
        }
        return "-";
    }

    private static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    private static String abbreviate(String s, int max) {
        if (s == null) {
            return "-";
        }
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * The golden reefer trip on a thing of its own: the vendor samples in the traffic carry waybill-edge messages of
     * {@code reefer-07} (sequences 0..6), and a device's sequence numbers identify its messages, so a second device
     * under the same name would be (rightly) dead-lettered as id conflicts.
     */
    private static ReeferTrace liveEdgeTrip() {
        ReeferTrace golden = GoldenTraces.reeferTrip(GoldenTraces.DEFAULT_SEED);
        return new ReeferTrace(golden.deviceId() + "-live", golden.shipmentSscc(), golden.band(), golden.readings(),
                golden.incidents(), golden.expectedExcursions());
    }
}

package io.waybill.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.aws.eventstore.EventStoreTables;
import io.waybill.local.AwsClients;
import io.waybill.local.AwsEndpoints;
import io.waybill.local.demo.GeneratedTraffic;
import io.waybill.local.demo.TrafficGenerator;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.StackResources;
import io.waybill.worker.LeaseTable;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Issue 5's check "Worker takeover test: two KCL workers, kill one mid-stream, every event stored exactly once",
 * on the local emulators (kinesis-mock, dynalite, ElasticMQ).
 *
 * <p>Deploys what {@link LocalPipeline} deploys (stream of 4 shards, event and shipment tables, dead-letter and
 * on-failure queues, plus the KCL lease table with its GSI) without its in-process consumer, then starts the stream
 * worker's shaded jar ({@code functions/stream-worker/target/waybill-stream-worker.jar}) twice, as two separate JVMs
 * with the {@code local} timing profile (3 s lease failover), the second once the first holds leases (see the
 * comment on KCL's first-start race), waits until each owns at least one shard lease,
 * publishes generated traffic in which records are sent up to three times, {@code kill -9}s one worker half-way
 * through, publishes the rest, and checks that the survivor took over every lease and that the event table holds each
 * distinct event exactly once (nothing lost, nothing doubled), with an empty dead-letter queue and on-failure queue.
 * The workers' per-batch log lines ({@code batch records= stored= duplicates=}) show the resends and the killed
 * worker's redelivered batch absorbed as duplicates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StreamWorkerTakeoverTest {

    private static final int SHARDS = 4;
    private static final Duration LEASES_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern BATCH_LINE = Pattern.compile(
            "batch records=(\\d+) stored=(\\d+) duplicates=(\\d+) deadLettered=(\\d+)");

    private Path jar;
    private LocalAwsStack stack;
    private final List<Process> workers = new ArrayList<>();

    @BeforeAll
    void startStack() {
        String root = System.getProperty("waybill.repo.root", System.getProperty("user.dir") + "/..");
        jar = Path.of(root, "functions", "stream-worker", "target", "waybill-stream-worker.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "the stream worker's shaded jar is not built (" + jar
                + "): run `mvn -o install -DskipTests -pl functions/stream-worker -am` first");
        stack = LocalAwsStack.start();
    }

    @AfterAll
    void stopEverything() {
        workers.forEach(Process::destroyForcibly);
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void survivorTakesOverTheKilledWorkersShardsAndEveryEventIsStoredExactlyOnce() throws Exception {
        AwsClients clients = stack.clients();
        String run = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
        PipelineNames names = PipelineNames.withPrefix("takeover-" + run);
        String application = names.stream() + "-worker";
        StackResources resources = StackResources.using(clients);
        resources.createStream(names.stream(), SHARDS);
        resources.createStream(names.canonicalStream(), 1);
        resources.createTable(EventStoreTables.events(names.eventsTable()));
        resources.createTable(EventStoreTables.shipments(names.shipmentsTable()));
        resources.createTable(io.waybill.aws.devices.DeviceRegistryTables.registry(names.deviceRegistryTable()));
        String dlq = resources.createQueue(names.deadLetterQueue()).url();
        String onFailure = resources.createQueue(names.onFailureQueue()).url();
        AwsEndpoints endpoints = clients.endpoints();
        try (DynamoDbAsyncClient dynamoAsync = DynamoDbAsyncClient.builder().endpointOverride(endpoints.dynamodb())
                .region(endpoints.region()).credentialsProvider(endpoints.credentialsProvider()).build()) {
            LeaseTable.create(dynamoAsync, application); // as the workers would; both then find it ready
        }

        GeneratedTraffic traffic = new TrafficGenerator(5_050_505L, 12, 80, 3, 0).generate();
        List<byte[]> payloads = traffic.records().stream().map(GeneratedTraffic.TrafficRecord::payload).toList();
        List<String> keys = traffic.records().stream().map(GeneratedTraffic.TrafficRecord::partitionKey).toList();
        assertThat(traffic.duplicateSends()).as("the traffic resends records").isPositive();
        Set<String> expectedKeys = eventKeysOf(payloads);
        assertThat(expectedKeys).hasSize(traffic.distinctEvents());
        // The workers' ingest checks every device against the registry, as on a stage: the traffic's devices are
        // registered (adapter, scope, assignment over their trips) before anything is put.
        io.waybill.aws.devices.DynamoDbDeviceRegistry registry = new io.waybill.aws.devices.DynamoDbDeviceRegistry(
                clients.dynamoDb(), names.deviceRegistryTable(), java.time.Duration.ZERO, java.time.Clock.systemUTC());
        traffic.devices().forEach(d -> registry.register(d, true));

        Path logDir = Files.createDirectories(Path.of("target", "stream-worker-takeover-" + run));
        // Staggered start: KCL 3.5.1 has a first-start race on a new application (two workers creating its
        // "Migration3.0" coordinator state at the same moment: the loser never initializes, "AssignmentMode is not
        // initialized"). Once the first worker holds leases, the second joins and the leader rebalances.
        long t0 = System.nanoTime();
        Process a = startWorker("worker-a", names, application, dlq, onFailure, endpoints, logDir);
        await(LEASES_TIMEOUT, () -> leaseCounts(clients, application).getOrDefault("worker-a", 0) >= 1,
                () -> "worker-a owns a lease: " + leaseOwners(clients, application) + logs(logDir));
        System.out.printf("worker-a owns leases after %d ms%n", millisSince(t0));
        Process b = startWorker("worker-b", names, application, dlq, onFailure, endpoints, logDir);
        await(LEASES_TIMEOUT, () -> {
            Map<String, Integer> owned = leaseCounts(clients, application);
            return owned.getOrDefault("worker-a", 0) >= 1 && owned.getOrDefault("worker-b", 0) >= 1
                    && owned.values().stream().mapToInt(Integer::intValue).sum() == SHARDS;
        }, () -> "both workers own a lease: " + leaseOwners(clients, application) + logs(logDir));
        System.out.printf("both workers own leases after %d ms: %s%n", millisSince(t0),
                leaseOwners(clients, application));

        // Publish continuously; kill worker-b half-way through.
        int chunk = 50;
        int killAt = payloads.size() / 2 / chunk * chunk;
        long killNanos = 0;
        for (int from = 0; from < payloads.size(); from += chunk) {
            if (from == killAt) {
                b.destroyForcibly(); // kill -9: no graceful shutdown, leases left to expire
                killNanos = System.nanoTime();
                System.out.printf("killed worker-b after %d of %d records; it owned %s%n", from, payloads.size(),
                        leaseOwners(clients, application));
            }
            int to = Math.min(payloads.size(), from + chunk);
            LocalPipeline.publish(clients.kinesis(), names.stream(), payloads.subList(from, to), keys.subList(from, to));
            Thread.sleep(100);
        }
        assertThat(b.waitFor(10, TimeUnit.SECONDS)).isTrue();

        long killedAt = killNanos;
        await(TAKEOVER_TIMEOUT, () -> {
            Map<String, Integer> owned = leaseCounts(clients, application);
            return owned.getOrDefault("worker-a", 0) == SHARDS;
        }, () -> "worker-a owns every lease: " + leaseOwners(clients, application) + logs(logDir));
        long takeoverMs = millisSince(killedAt);
        System.out.printf("takeover: worker-a owns all %d leases %d ms after the kill%n", SHARDS, takeoverMs);

        await(DRAIN_TIMEOUT, () -> scanEvents(clients, names.eventsTable()).size() >= traffic.distinctEvents(),
                () -> "events stored: " + scanEvents(clients, names.eventsTable()).size() + " of "
                        + traffic.distinctEvents() + logs(logDir));
        Thread.sleep(2_000); // anything still in flight would show up as an extra item now

        List<Map<String, AttributeValue>> stored = scanEvents(clients, names.eventsTable());
        List<String> storedKeys = stored.stream().map(i -> i.get("eventKey").s()).toList();
        assertThat(stored).as("items in the event table = distinct events").hasSize(traffic.distinctEvents());
        assertThat(storedKeys).as("no event stored twice").doesNotHaveDuplicates();
        assertThat(Set.copyOf(storedKeys)).as("no event missing").isEqualTo(expectedKeys);
        assertThat(approximateMessages(clients, dlq)).as("dead-letter queue (no poison records sent)").isZero();
        assertThat(approximateMessages(clients, onFailure)).as("on-failure queue (no batch given up)").isZero();
        assertThat(a.isAlive()).as("the survivor is still running").isTrue();

        // The per-batch tallies of both workers: redeliveries and resends were absorbed as duplicates.
        long[] tally = tally(logDir);
        System.out.printf("records put=%d distinct=%d resends=%d; logged batches: records=%d stored=%d "
                        + "duplicates=%d deadLettered=%d; stored by the killed worker without a logged batch, "
                        + "then redelivered and absorbed as duplicates: %d; takeover=%d ms%n",
                payloads.size(), traffic.distinctEvents(), traffic.duplicateSends(), tally[0], tally[1], tally[2],
                tally[3], traffic.distinctEvents() - tally[1], takeoverMs);
        assertThat(tally[1]).as("STORED across both workers' logged batches").isLessThanOrEqualTo(
                traffic.distinctEvents());
        assertThat(tally[2]).as("duplicates absorbed >= records resent by the traffic")
                .isGreaterThanOrEqualTo(traffic.duplicateSends());
        assertThat(tally[0]).as("every record put was handled at least once").isGreaterThanOrEqualTo(
                payloads.size());
        assertThat(tally[3]).isZero();

        // SIGTERM to the survivor: KCL's graceful shutdown, then the JVM exits.
        a.destroy();
        assertThat(a.waitFor(30, TimeUnit.SECONDS)).as("the survivor exits on SIGTERM").isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private Process startWorker(String id, PipelineNames names, String application, String dlq, String onFailure,
                                AwsEndpoints endpoints, Path logDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar.toString());
        Map<String, String> env = pb.environment();
        env.put("WAYBILL_STREAM_NAME", names.stream());
        env.put("WAYBILL_APPLICATION_NAME", application);
        env.put("WAYBILL_WORKER_ID", id);
        env.put("WAYBILL_TIMING_PROFILE", "local");
        env.put("WAYBILL_POLL_INTERVAL_MILLIS", "200");
        env.put("WAYBILL_ON_FAILURE_QUEUE_URL", onFailure);
        env.put("AWS_REGION", endpoints.region().id());
        env.put("AWS_ACCESS_KEY_ID", endpoints.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", endpoints.secretAccessKey());
        env.remove("AWS_ENDPOINT_URL");
        env.remove("AWS_PROFILE");
        env.put("WAYBILL_KINESIS_ENDPOINT", endpoints.kinesis().toString());
        env.put("WAYBILL_DYNAMODB_ENDPOINT", endpoints.dynamodb().toString());
        env.put("WAYBILL_SQS_ENDPOINT", endpoints.sqs().toString());
        env.put("WAYBILL_EVENTS_TABLE", names.eventsTable());
        env.put("WAYBILL_SHIPMENTS_TABLE", names.shipmentsTable());
        env.put("WAYBILL_DEAD_LETTER_QUEUE_URL", dlq);
        env.put("WAYBILL_CANONICAL_STREAM_NAME", names.canonicalStream());
        env.put("WAYBILL_DEAD_LETTER_BUCKET", names.deadLetterBucket()); // required; no letter here is oversized
        env.put("WAYBILL_DEVICE_REGISTRY_TABLE", names.deviceRegistryTable());
        pb.redirectErrorStream(true).redirectOutput(logDir.resolve(id + ".log").toFile());
        Process p = pb.start();
        workers.add(p);
        return p;
    }

    private static Map<String, Integer> leaseCounts(AwsClients clients, String table) {
        Map<String, Integer> counts = new HashMap<>();
        leaseOwners(clients, table).forEach((shard, owner) -> counts.merge(owner, 1, Integer::sum));
        return counts;
    }

    /** @return shard lease -> owner (shards without owner are left out) */
    private static Map<String, String> leaseOwners(AwsClients clients, String table) {
        Map<String, String> owners = new HashMap<>();
        for (Map<String, AttributeValue> item : scanAll(clients, table)) {
            String key = item.get(LeaseTable.LEASE_KEY).s();
            AttributeValue owner = item.get(LeaseTable.LEASE_OWNER);
            if (key.startsWith("shardId-") && owner != null && owner.s() != null) {
                owners.put(key, owner.s());
            }
        }
        return owners;
    }

    private static List<Map<String, AttributeValue>> scanEvents(AwsClients clients, String table) {
        return scanAll(clients, table);
    }

    private static List<Map<String, AttributeValue>> scanAll(AwsClients clients, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder req = ScanRequest.builder().tableName(table).consistentRead(true);
            if (start != null) {
                req.exclusiveStartKey(start);
            }
            ScanResponse response = clients.dynamoDb().scan(req.build());
            items.addAll(response.items());
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static long approximateMessages(AwsClients clients, String url) {
        Map<QueueAttributeName, String> a = clients.sqs().getQueueAttributes(GetQueueAttributesRequest.builder()
                .queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).build()).attributes();
        return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static Set<String> eventKeysOf(List<byte[]> payloads) {
        Set<String> keys = new HashSet<>();
        for (byte[] p : payloads) {
            if (RecordNormalizer.standard().normalize(RawRecord.of(p, "expected"))
                    instanceof NormalizationResult.Normalized n) {
                keys.add(n.event().eventKey());
            }
        }
        return keys;
    }

    /** @return summed {records, stored, duplicates, deadLettered} of the workers' per-batch log lines */
    private static long[] tally(Path logDir) throws IOException {
        long[] sum = new long[4];
        try (var files = Files.list(logDir)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    Matcher m = BATCH_LINE.matcher(line);
                    if (m.find()) {
                        for (int i = 0; i < 4; i++) {
                            sum[i] += Long.parseLong(m.group(i + 1));
                        }
                    }
                }
            }
        }
        return sum;
    }

    private static String logs(Path logDir) {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(logDir)) {
            for (Path f : files.toList()) {
                List<String> lines = Files.readAllLines(f);
                sb.append("\n--- ").append(f.getFileName()).append(" (last 15 of ").append(lines.size())
                        .append(" lines)\n");
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> sb.append(l).append('\n'));
            }
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    private static void await(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what.get());
            }
            Thread.sleep(250);
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}

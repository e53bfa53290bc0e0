package io.waybill.local.bench;

import io.waybill.edge.model.TemperatureReading;
import io.waybill.edge.sensor.SensorPayload;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.ReeferTrace;
import io.waybill.edge.trace.TraceSample;
import io.waybill.edge.trace.TraceWriter;
import io.waybill.local.iot.LocalMqttBroker;
import io.waybill.local.iot.LocalMqttClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark P7: the edge component's footprint, measured on the real deployable artifact
 * ({@code edge-greengrass/target/waybill-edge.jar}) started the way the Greengrass recipe starts it
 * ({@code java -Xmx48m -XX:+UseSerialGC}), standalone, replaying golden reefer trips ({@code --trace}) and uplinking
 * over MQTT 5 to a local HiveMQ broker, where a subscriber counts what leaves the edge.
 *
 * <p>Three child processes in one run, so the figures share the machine's state:
 * <ol>
 *   <li>baseline: the same JVM and jar with {@code --help} (JVM start and class loading, no work);</li>
 *   <li>one trip: the golden 48-hour trip ({@value GoldenTraces#TRIP_READINGS} readings);</li>
 *   <li>ten trips: ten golden trips (different seeds) back to back, 480 hours.</li>
 * </ol>
 * CPU is user + system time of the whole process from GNU time ({@code /usr/bin/time}; the bash {@code times}
 * builtin when it is missing, without RSS). CPU per 1,000 readings is the marginal cost, {@code (cpu(ten) - cpu(one))
 * / (readings(ten) - readings(one))}, so JVM start-up is not spread over the readings. Heap: the largest heap
 * occupancy after a collection in the unified GC log (the live set the component needs) and the largest heap size
 * the JVM grew to; both are within {@code -Xmx48m} by construction when the run completes, the log shows by how much.
 * Uplink ratio: payload bytes the subscriber received on the uplink topic / bytes of the same readings as the
 * sensors' MQTT payloads ({@link SensorPayload}), with the number of alerts, which must equal the trips' expected
 * excursion starts and ends.
 */
public final class EdgeFootprint {
    /** The JVM options of the recipe's Run script. */
    public static final List<String> RECIPE_JVM_OPTIONS = List.of("-Xmx48m", "-XX:+UseSerialGC");
    /** Target of the issue: heap at most 64 MB. */
    public static final long HEAP_TARGET_BYTES = 64L * 1024 * 1024;
    /** Target of the issue: uplink bytes / raw sensor bytes at most 0.02. */
    public static final double UPLINK_RATIO_TARGET = 0.02;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    /** One child process's figures. */
    public record Run(String name, int readings, double cpuSeconds, long maxRssKb, long maxHeapAfterGcBytes,
                      long maxHeapCommittedBytes, int gcCount, long uplinkMessages, long uplinkBytes, long alerts,
                      long rawSensorBytes, double wallSeconds) {
        public double uplinkRatio() {
            return rawSensorBytes == 0 ? 0 : (double) uplinkBytes / rawSensorBytes;
        }
    }

    /** The three runs and the derived figures. */
    public record Result(Run baseline, Run oneTrip, Run tenTrips, long expectedAlertsOneTrip,
                         long expectedAlertsTenTrips) {
        /** Marginal CPU milliseconds per 1,000 readings. */
        public double cpuMillisPerThousandReadings() {
            return (tenTrips.cpuSeconds - oneTrip.cpuSeconds) * 1e6 / (tenTrips.readings - oneTrip.readings);
        }

        public boolean heapTargetMet() {
            return tenTrips.maxHeapCommittedBytes <= HEAP_TARGET_BYTES && oneTrip.maxHeapCommittedBytes <= HEAP_TARGET_BYTES;
        }

        public boolean excursionsComplete() {
            return oneTrip.alerts == expectedAlertsOneTrip && tenTrips.alerts == expectedAlertsTenTrips;
        }
    }

    private final Path edgeJar;
    private final Path workDir;

    public EdgeFootprint(Path edgeJar, Path workDir) {
        this.edgeJar = Objects.requireNonNull(edgeJar, "edgeJar");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /** {@code edge-greengrass/target/waybill-edge.jar} under the repository root. */
    public static Path defaultEdgeJar(Path repoRoot) {
        return repoRoot.resolve("edge-greengrass").resolve("target").resolve("waybill-edge.jar");
    }

    public Result run() throws IOException, InterruptedException {
        if (!Files.isRegularFile(edgeJar)) {
            throw new IllegalStateException("the edge component jar is missing: " + edgeJar
                    + " (build it with mvn -B install -DskipTests)");
        }
        Files.createDirectories(workDir);
        List<ReeferTrace> trips = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            trips.add(GoldenTraces.reeferTrip(GoldenTraces.DEFAULT_SEED + i));
        }
        try (LocalMqttBroker broker = LocalMqttBroker.start(workDir.resolve("broker"))) {
            Run baseline = child("baseline (--help)", List.of("--help"), 0, 0, broker);
            Run one = replay("one trip", trips.subList(0, 1), broker);
            Run ten = replay("ten trips", trips, broker);
            return new Result(baseline, one, ten, expectedAlerts(trips.subList(0, 1)), expectedAlerts(trips));
        }
    }

    /** An excursion produces a STARTED and an ENDED alert (and UPDATEs only past the update interval). */
    private static long expectedAlerts(List<ReeferTrace> trips) {
        return trips.stream().mapToLong(t -> 2L * t.expectedExcursions().size()).sum();
    }

    private Run replay(String name, List<ReeferTrace> trips, LocalMqttBroker broker)
            throws IOException, InterruptedException {
        List<TraceSample> samples = new ArrayList<>();
        long rawBytes = 0;
        Duration shift = Duration.ZERO;
        for (ReeferTrace t : trips) {
            for (TemperatureReading r : t.readings()) {
                TemperatureReading shifted = new TemperatureReading(r.sensorId(), r.at().plus(shift), r.celsius());
                samples.add(TraceSample.of(shifted));
                rawBytes += SensorPayload.of(shifted).length;
            }
            shift = shift.plus(GoldenTraces.TRIP_LENGTH);
        }
        Path trace = workDir.resolve(name.replace(' ', '-') + ".csv");
        TraceWriter.write(trace, samples);
        Path spool = workDir.resolve(name.replace(' ', '-') + "-spool");
        deleteRecursively(spool);
        List<String> args = List.of("--standalone", "--thing-name", GoldenTraces.REEFER_DEVICE_ID,
                "--shipment-sscc", GoldenTraces.SHIPMENT_SSCC, "--trace", trace.toString(),
                "--broker", broker.uri().toString(), "--spool-dir", spool.toString());
        return child(name, args, samples.size(), rawBytes, broker);
    }

    private Run child(String name, List<String> args, int readings, long rawBytes, LocalMqttBroker broker)
            throws IOException, InterruptedException {
        String slug = name.replaceAll("[^a-z0-9]+", "-");
        Path gcLog = workDir.resolve(slug + "-gc.log");
        Path timeOut = workDir.resolve(slug + "-time.txt");
        Files.deleteIfExists(gcLog);
        Files.deleteIfExists(timeOut);
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(RECIPE_JVM_OPTIONS);
        java.add("-Xlog:gc:file=" + gcLog);
        java.add("-jar");
        java.add(edgeJar.toString());
        java.addAll(args);
        List<String> command = new ArrayList<>();
        boolean gnuTime = Files.isExecutable(Path.of("/usr/bin/time"));
        if (gnuTime) {
            command.addAll(List.of("/usr/bin/time", "-o", timeOut.toString(), "-f", "%U %S %M"));
            command.addAll(java);
        } else {
            command.addAll(List.of("bash", "-c", "\"$@\"; rc=$?; times > '" + timeOut + "'; exit $rc", "edge"));
            command.addAll(java);
        }
        AtomicLong messages = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong alerts = new AtomicLong();
        String topic = "dt/waybill/+/waybill-edge/" + GoldenTraces.REEFER_DEVICE_ID;
        try (LocalMqttClient tap = LocalMqttClient.connect(broker.host(), broker.port(), "p7-tap-" + slug,
                (t, payload) -> {
                    messages.incrementAndGet();
                    bytes.addAndGet(payload.length);
                    if (new String(payload, StandardCharsets.UTF_8).contains("\"kind\":\"ALERT\"")) {
                        alerts.incrementAndGet();
                    }
                }, Duration.ofSeconds(30))) {
            tap.subscribe(topic, Duration.ofSeconds(30));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve(slug + "-out.txt").toFile()).start();
            if (!p.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + ": the edge component did not finish within " + RUN_TIMEOUT);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            if (p.exitValue() != 0) {
                throw new IllegalStateException(name + ": the edge component exited with " + p.exitValue() + ", see "
                        + workDir.resolve(slug + "-out.txt"));
            }
            // The component drained its spool before exiting (PUBACKed); give the broker a moment to forward.
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            long last = -1;
            while (System.nanoTime() < settle && messages.get() != last) {
                last = messages.get();
                Thread.sleep(200);
            }
            double[] time = parseTime(Files.readString(timeOut), gnuTime);
            long[] gc = parseGcLog(gcLog);
            return new Run(name, readings, time[0] + time[1], (long) time[2], gc[0], gc[1], (int) gc[2],
                    messages.get(), bytes.get(), alerts.get(), rawBytes, wall);
        }
    }

    /** @return user seconds, system seconds, max RSS in KB (0 when unknown) */
    static double[] parseTime(String text, boolean gnuTime) {
        String[] lines = text.strip().split("\\R");
        if (gnuTime) {
            String[] f = lines[lines.length - 1].trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        }
        // bash `times`: line 2 is the children's "XmY.YYYs XmY.YYYs".
        String[] f = lines[1].trim().split("\\s+");
        return new double[] {minutesSeconds(f[0]), minutesSeconds(f[1]), 0};
    }

    private static double minutesSeconds(String s) {
        int m = s.indexOf('m');
        return Integer.parseInt(s.substring(0, m)) * 60 + Double.parseDouble(s.substring(m + 1, s.length() - 1));
    }

    /** @return max heap after GC (bytes), max heap size (bytes), number of collections */
    static long[] parseGcLog(Path gcLog) throws IOException {
        long maxAfter = 0;
        long maxCommitted = 0;
        long count = 0;
        if (!Files.exists(gcLog)) {
            return new long[] {0, 0, 0};
        }
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                count++;
                maxAfter = Math.max(maxAfter, bytes(m.group(3), m.group(4)));
                maxCommitted = Math.max(maxCommitted, bytes(m.group(5), m.group(6)));
            }
        }
        return new long[] {maxAfter, maxCommitted, count};
    }

    private static long bytes(String n, String unit) {
        long v = Long.parseLong(n);
        return switch (unit) {
            case "K" -> v * 1024;
            case "M" -> v * 1024 * 1024;
            default -> v * 1024 * 1024 * 1024;
        };
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A table row for the benchmark report. */
    static String row(Run r) {
        return String.format(Locale.ROOT, "  %-18s %8d %8.2f %9.1f %10.1f %10.1f %5d %8d %9d %6d %8s",
                r.name(), r.readings(), r.cpuSeconds(), r.maxRssKb() / 1024.0, r.maxHeapAfterGcBytes() / 1048576.0,
                r.maxHeapCommittedBytes() / 1048576.0, r.gcCount(), r.uplinkMessages(), r.uplinkBytes(), r.alerts(),
                r.rawSensorBytes() == 0 ? "-" : String.format(Locale.ROOT, "%.4f", r.uplinkRatio()));
    }
}

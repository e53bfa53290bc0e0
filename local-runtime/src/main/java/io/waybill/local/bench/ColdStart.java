package io.waybill.local.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.waybill.local.api.HttpApiPayload;
import io.waybill.local.bench.coldstart.HelloWorldHandler;
import io.waybill.local.bench.coldstart.LambdaLauncher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Bench P4: the ops API function's cold start, a fresh JVM to its first response, against a hello-world handler's in
 * the same run. Each run is a new {@code java} process with the flags Lambda's Java 17/21 runtimes start with
 * ({@link #LAMBDA_JVM_OPTIONS}), started on the {@link LambdaLauncher} (the runtime's stand-in) with the function's
 * shaded jar as Lambda deploys it ({@code functions/ops-api/target/waybill-ops-api-*-lambda.jar}) or the
 * {@link HelloWorldHandler} jar the bench packs under {@code local-runtime/target/bench-p4/} (no production artifact
 * holds it). Both get the same {@code GET /shipments} event with an {@code ops.read} caller's claims; the ops API reads
 * the local stack's shipments table on dynalite, so its first response includes the first DynamoDB call (the warm
 * second call shows what the emulator itself costs). Runs alternate between the two, so drift hits both alike; one
 * discarded run of each comes first.
 */
public final class ColdStart {
    /**
     * The JVM options of the runs: Lambda stops tiered compilation at C1 by default on Java 17 and 21 and uses the
     * serial collector (AWS Lambda developer guide, "Customize Java runtime startup behavior"); class data sharing on
     * the JDK's default archive. The heap is left to the JVM (Lambda sizes it from the function's memory).
     */
    public static final List<String> LAMBDA_JVM_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto");
    /** The target: the ops API's cold start at most this many times the hello-world handler's. */
    public static final double RATIO_TARGET = 3.0;
    public static final String OPS_API_HANDLER = "io.waybill.opsapi.OpsApiHandler";

    /** One launcher run's line ({@code P4RUN ...}), milliseconds since JVM start. */
    public record Run(long mainMs, long initMs, long firstResponseMs, long invokeMs, double warmInvokeMs,
                      int classesInit, int classesFirst, String status) {
        static Run parse(String line) {
            Map<String, String> f = new HashMap<>();
            for (String part : line.trim().split(" ")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    f.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            return new Run(Long.parseLong(f.get("main_ms")), Long.parseLong(f.get("init_ms")),
                    Long.parseLong(f.get("first_response_ms")), Long.parseLong(f.get("invoke_ms")),
                    Double.parseDouble(f.get("warm_invoke_ms")), Integer.parseInt(f.get("classes_init")),
                    Integer.parseInt(f.get("classes_first")), f.get("status"));
        }
    }

    /** The medians of each field over the runs of one handler. */
    public record Summary(int runs, double mainMs, double initMs, double firstResponseMs, double invokeMs,
                          double warmInvokeMs, double classesInit, double classesFirst, String status) {
        static Summary of(List<Run> runs) {
            return new Summary(runs.size(), Medians.of(runs.stream().mapToDouble(Run::mainMs).toArray()),
                    Medians.of(runs.stream().mapToDouble(Run::initMs).toArray()),
                    Medians.of(runs.stream().mapToDouble(Run::firstResponseMs).toArray()),
                    Medians.of(runs.stream().mapToDouble(Run::invokeMs).toArray()),
                    Medians.of(runs.stream().mapToDouble(Run::warmInvokeMs).toArray()),
                    Medians.of(runs.stream().mapToDouble(Run::classesInit).toArray()),
                    Medians.of(runs.stream().mapToDouble(Run::classesFirst).toArray()),
                    String.join(",", new LinkedHashSet<>(runs.stream().map(Run::status).toList())));
        }
    }

    public record Result(Summary hello, Summary opsApi, Path opsApiJar, long opsApiJarBytes, long helloJarBytes) {
        public double ratio() {
            return opsApi.firstResponseMs() / hello.firstResponseMs();
        }
    }

    private final Path work;
    private final Path opsApiJar;

    /**
     * @param work      where the launcher and hello-world jars and the event are written
     * @param opsApiJar the ops API's shaded Lambda jar
     */
    public ColdStart(Path work, Path opsApiJar) {
        this.work = work;
        this.opsApiJar = opsApiJar;
    }

    /** The ops API's Lambda jar under a repository checkout, or null when it was not built. */
    public static Path defaultOpsApiJar(Path repoRoot) {
        Path target = repoRoot.resolve("functions").resolve("ops-api").resolve("target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().matches("waybill-ops-api-.*-lambda\\.jar")).findFirst()
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param env  the ops API function's environment (tables, region, endpoint, credentials), as Lambda sets it
     * @param runs runs per handler
     */
    public Result run(Map<String, String> env, int runs) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path runtimeJar = work.resolve("lambda-launcher.jar");
        Path helloJar = work.resolve("hello-world-lambda.jar");
        Path event = work.resolve("get-shipments.json");
        packLauncher(runtimeJar);
        packHelloWorld(helloJar);
        writeEvent(event);
        // one discarded run of each first: the jars in the OS file cache, as on a Lambda host that has the runtime
        launch(runtimeJar, helloJar, HelloWorldHandler.class.getName(), event, Map.of());
        launch(runtimeJar, opsApiJar, OPS_API_HANDLER, event, env);
        List<Run> hello = new ArrayList<>();
        List<Run> ops = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            hello.add(launch(runtimeJar, helloJar, HelloWorldHandler.class.getName(), event, Map.of()));
            ops.add(launch(runtimeJar, opsApiJar, OPS_API_HANDLER, event, env));
        }
        return new Result(Summary.of(hello), Summary.of(ops), opsApiJar, Files.size(opsApiJar), Files.size(helloJar));
    }

    private Run launch(Path runtimeJar, Path functionJar, String handler, Path event, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_JVM_OPTIONS);
        command.addAll(List.of("-cp", runtimeJar.toString(), LambdaLauncher.class.getName(), functionJar.toString(),
                handler, event.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String line = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (l.startsWith("P4RUN ")) {
                    line = l;
                } else if (output.length() < 4000) {
                    output.append(l).append('\n');
                }
            }
        }
        int exit = p.waitFor();
        if (line == null || exit != 0) {
            throw new IllegalStateException(handler + " run exited " + exit + " without a result:\n" + output);
        }
        return Run.parse(line.substring("P4RUN ".length()));
    }

    private static void writeEvent(Path file) throws IOException {
        APIGatewayV2HTTPEvent event = HttpApiPayload.event(new HttpApiPayload.Request("GET", "/shipments", null,
                List.of(Map.entry("accept", "application/json")), null, "HTTP/1.1", "127.0.0.1", 443,
                "bench-p4-request", Instant.parse("2026-03-02T08:00:00Z")));
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                        .withClaims(Map.of("sub", "bench", "scope", "ops.read", "token_use", "access"))
                        .withScopes(List.of("ops.read")).build()).build());
        try (OutputStream out = Files.newOutputStream(file)) {
            LambdaLauncher.serializer(APIGatewayV2HTTPEvent.class, ColdStart.class.getClassLoader()).toJson(event, out);
        }
    }

    /** The runtime's stand-in: the launcher and the runtime's serialiser (with its own shaded Jackson). */
    private static void packLauncher(Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            Set<String> written = new java.util.HashSet<>();
            copyClass(out, written, LambdaLauncher.class);
            copyTree(out, written, com.amazonaws.services.lambda.runtime.serialization.PojoSerializer.class,
                    List.of("com/amazonaws/services/lambda/runtime/serialization/", "com/amazonaws/lambda/thirdparty/"),
                    List.of());
        }
    }

    /** The hello-world function as a user would deploy it: the handler, aws-lambda-java-core and -events. */
    private static void packHelloWorld(Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            Set<String> written = new java.util.HashSet<>();
            copyClass(out, written, HelloWorldHandler.class);
            List<String> skip = List.of("com/amazonaws/services/lambda/runtime/serialization/");
            copyTree(out, written, RequestHandler.class, List.of("com/amazonaws/services/lambda/runtime/"), skip);
            copyTree(out, written, APIGatewayV2HTTPEvent.class, List.of("com/amazonaws/services/lambda/runtime/"), skip);
        }
    }

    private static void copyClass(JarOutputStream out, Set<String> written, Class<?> type) throws IOException {
        String name = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            put(out, written, name, in);
        }
    }

    /** Every entry under one of {@code prefixes} of the jar or class folder {@code anchor} was loaded from. */
    private static void copyTree(JarOutputStream out, Set<String> written, Class<?> anchor, List<String> prefixes,
                                 List<String> excluded) throws IOException {
        Path source;
        try {
            source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String name = source.relativize(f).toString().replace('\\', '/');
                    if (wanted(name, prefixes, excluded)) {
                        try (InputStream in = Files.newInputStream(f)) {
                            put(out, written, name, in);
                        }
                    }
                }
            }
            return;
        }
        try (JarFile jar = new JarFile(source.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (!entry.isDirectory() && wanted(entry.getName(), prefixes, excluded)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        put(out, written, entry.getName(), in);
                    }
                }
            }
        }
    }

    private static boolean wanted(String name, List<String> prefixes, List<String> excluded) {
        return prefixes.stream().anyMatch(name::startsWith) && excluded.stream().noneMatch(name::startsWith);
    }

    private static void put(JarOutputStream out, Set<String> written, String name, InputStream in) throws IOException {
        if (written.add(name)) {
            out.putNextEntry(new JarEntry(name));
            in.transferTo(out);
            out.closeEntry();
        }
    }
}

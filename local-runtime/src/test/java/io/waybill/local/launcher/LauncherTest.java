package io.waybill.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./waybill} launcher itself, run by bash in a scratch copy of the repository with stand-ins for
 * {@code mvn}, {@code java}, {@code node} and {@code npm} that record how they were called. The stand-in {@code mvn}
 * behaves as the real build does where it matters: it rewrites build output under {@code events-samples/target}
 * on every run, and leaves the shaded local jar alone when it exists (the shade plugin does not rewrite an
 * unchanged jar).
 */
@Timeout(60)
class LauncherTest {

    private static final Path REPO = Path.of(System.getProperty("waybill.repo.root", "..")).toAbsolutePath();
    private static final String SKIP_REPORT = "local-runtime/src/main/java/io/waybill/local/testreport/SkippedTests.java";

    @TempDir
    Path repo;
    private Path calls;
    private Path bin;

    @BeforeEach
    void scratchRepository() throws IOException {
        copy(REPO.resolve("waybill"), repo.resolve("waybill"));
        copy(REPO.resolve(SKIP_REPORT), repo.resolve(SKIP_REPORT));
        copy(REPO.resolve("local-runtime/src/test/resources/skipped-tests/TEST-skipped-sample.xml"),
                repo.resolve("sample-report.xml"));
        write(repo.resolve("pom.xml"), "<project/>");
        write(repo.resolve("functions/domain/src/main/java/Shipment.java"), "class Shipment {}");
        write(repo.resolve("events-samples/normalize-input.jsonl"), "{}\n");
        write(repo.resolve("local-runtime/package-lock.json"), "{}");
        Files.createDirectories(repo.resolve("local-runtime/node_modules/dynalite"));
        Files.createDirectories(repo.resolve("local-runtime/node_modules/kinesis-local"));
        write(repo.resolve("local-runtime/node_modules/.package-lock.json"), "{}");
        // Everything checked out an hour ago; the commands below run now.
        try (var files = Files.walk(repo)) {
            FileTime hourAgo = FileTime.from(Instant.now().minusSeconds(3600));
            for (Path p : files.toList()) {
                Files.setLastModifiedTime(p, hourAgo);
            }
        }
        calls = repo.resolve("calls.log");
        bin = Files.createDirectories(repo.resolve("fake-bin"));
        String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        script("mvn", """
                echo "mvn $*" >> "$CALLS"
                mkdir -p events-samples/target local-runtime/target
                date +%s%N > events-samples/target/generated.json
                [ -f local-runtime/target/waybill-local.jar ] || echo jar > local-runtime/target/waybill-local.jar
                case " $* " in *" verify "*)
                  mkdir -p integration-tests/target/surefire-reports
                  cp sample-report.xml integration-tests/target/surefire-reports/TEST-io.waybill.it.OnLocalStackTest.xml ;;
                esac
                exit "${FAKE_MVN_EXIT:-0}"
                """);
        script("java", """
                case "$1" in *.java) exec "%s" "$@" ;; esac
                echo "java $*" >> "$CALLS"
                """.formatted(realJava));
        script("node", "echo \"node $*\" >> \"$CALLS\"\n");
        script("npm", "echo \"npm $*\" >> \"$CALLS\"\n");
    }

    @Test
    void aCommandAfterABuildDoesNotRebuildUntilASourceChanges() throws Exception {
        assertThat(run("build").exit).isZero();
        assertThat(mavenCalls()).containsExactly("mvn -B install -DskipTests");

        // The build rewrote events-samples/target and kept the jar: nothing a command runs from has changed.
        assertThat(run("normalize").exit).isZero();
        assertThat(mavenCalls()).hasSize(1);
        assertThat(Files.readAllLines(calls)).last().asString().contains("-jar " + repo.resolve(
                "local-runtime/target/waybill-local.jar")).endsWith(" normalize");

        Files.setLastModifiedTime(repo.resolve("functions/domain/src/main/java/Shipment.java"),
                FileTime.from(Instant.now()));
        assertThat(run("normalize").exit).isZero();
        assertThat(mavenCalls()).hasSize(2).last().isEqualTo("mvn -B -q install -DskipTests");

        assertThat(run("coldchain").exit).isZero();
        assertThat(mavenCalls()).as("built once after the edit").hasSize(2);
    }

    @Test
    void aSourceEditedDuringTheBuildIsRebuiltNextTime() throws Exception {
        Path source = repo.resolve("functions/domain/src/main/java/Shipment.java");
        script("mvn", """
                echo "mvn $*" >> "$CALLS"
                mkdir -p local-runtime/target
                echo jar > local-runtime/target/waybill-local.jar
                [ -f edited-once ] || { touch edited-once; sleep 1; touch %s; }
                """.formatted(source));
        assertThat(run("build").exit).isZero();
        assertThat(run("normalize").exit).isZero();
        assertThat(mavenCalls()).hasSize(2);
    }

    @Test
    void testPrintsWhyEachSkippedTestWasSkippedAndKeepsMavensExitCode() throws Exception {
        Result green = run("test");
        assertThat(green.exit).isZero();
        assertThat(green.stdout).contains("Skipped tests (3), with the reason each was skipped:")
                .contains("  SKIPPED io.waybill.it.OnLocalStackTest."
                        + "reorderedAndDuplicatedDeliveryEndsInTheSameProjectionsAsInOrderDelivery: "
                        + "Docker is not available: LocalStack back end skipped")
                .contains("  SKIPPED io.waybill.it.OnLocalEmulatorsTest.disabledForAReason: "
                        + "flaky on 2 cores, see issue 42");

        Result red = run("test", "FAKE_MVN_EXIT=1");
        assertThat(red.exit).isEqualTo(1);
        assertThat(red.stdout).contains("Skipped tests (3)");
    }

    @Test
    void testIgnoresReportsLeftByAnEarlierRun() throws Exception {
        Path old = repo.resolve("functions/ingest/target/surefire-reports/TEST-io.waybill.Old.xml");
        copy(repo.resolve("sample-report.xml"), old);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(600)));
        Result r = run("test");
        assertThat(r.stdout).contains("Skipped tests (3)");
    }

    // ------------------------------------------------------------------ helpers

    @Test
    void aCommandsStdinReachesTheCommandEvenWhenTheLauncherBuildsFirst() throws Exception {
        // Stand-ins that read stdin as Maven's tools may: whatever the build reads is lost to the command.
        script("mvn", """
                echo "mvn $*" >> "$CALLS"
                cat > mvn-stdin.txt
                mkdir -p local-runtime/target
                echo jar > local-runtime/target/waybill-local.jar
                """);
        script("java", """
                echo "java $*" >> "$CALLS"
                cat > java-stdin.txt
                """);
        Path records = repo.resolve("records.jsonl");
        write(records, "{\"n\":1}\n{\"n\":2}\n");

        assertThat(run(records, "normalize").exit).isZero();

        assertThat(mavenCalls()).hasSize(1); // the tree was stale: the launcher built first
        assertThat(Files.readString(repo.resolve("java-stdin.txt"))).isEqualTo("{\"n\":1}\n{\"n\":2}\n");
        assertThat(Files.readString(repo.resolve("mvn-stdin.txt"))).isEmpty();
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private Result run(Path stdin, String command) throws Exception {
        return run(command, stdin, new String[0]);
    }

    private Result run(String command, String... env) throws Exception {
        return run(command, Path.of("/dev/null"), env);
    }

    private Result run(String command, Path stdin, String... env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("waybill").toString(), command)
                .directory(repo.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("CALLS", calls.toString());
        for (String e : env) {
            pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        Path out = Files.createTempFile(repo, "out", ".txt");
        Path err = Files.createTempFile(repo, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(stdin.toFile())).start();
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private List<String> mavenCalls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls).stream().filter(l -> l.startsWith("mvn ")).toList()
                : List.of();
    }

    private void script(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}

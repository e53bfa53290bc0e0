package io.waybill.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stack whose JVM is killed outright (SIGKILL: no shutdown hook runs, as when a terminal is closed or the OOM
 * killer strikes) must not leave its emulators running: they would keep ports and state, and a later command could
 * talk to them with nothing consuming.
 */
@Timeout(120)
class EmulatorLifetimeTest {

    private final List<ProcessHandle> leftovers = new ArrayList<>();
    private Process host;

    @AfterEach
    void killWhatIsLeft() {
        if (host != null) {
            host.destroyForcibly();
        }
        leftovers.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void emulatorsExitWhenTheJvmThatStartedThemIsKilled() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        host = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dwaybill.repo.root=" + System.getProperty("waybill.repo.root", ""),
                "-cp", System.getProperty("java.class.path"), StackHost.class.getName())
                .redirectErrorStream(true).start();
        List<Long> pids = emulatorPids(host);
        List<ProcessHandle> emulators = pids.stream().map(ProcessHandle::of).map(Optional::orElseThrow).toList();
        leftovers.addAll(emulators);
        assertThat(emulators).hasSize(5).allMatch(ProcessHandle::isAlive); // + anvil's guard and anvil

        host.destroyForcibly(); // SIGKILL
        assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && emulators.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(100);
        }
        assertThat(emulators).as("kinesis-mock, dynalite, s3rver and anvil (with its guard) after their JVM was killed")
                .noneMatch(ProcessHandle::isAlive);
    }

    private static List<Long> emulatorPids(Process host) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PIDS ")) {
                return Arrays.stream(line.substring(5).split(",")).map(Long::valueOf).toList();
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the stack host ended before it printed its emulators' PIDs:\n" + seen);
    }
}

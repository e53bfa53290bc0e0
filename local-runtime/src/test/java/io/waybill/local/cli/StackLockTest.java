package io.waybill.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 10: a second {@code ./waybill stack} is refused while one runs (here another JVM holding the lock as
 * the stack does, {@link StackLockHolder}), naming the running one, before it starts anything or touches its state;
 * the lock dies with its process.
 */
@Timeout(60)
class StackLockTest {
    @TempDir
    Path root;

    private Process holder;

    @AfterEach
    void stopHolder() {
        if (holder != null) {
            holder.destroyForcibly();
        }
    }

    private Process startHolder() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                StackLockHolder.class.getName(), root.toString())).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("holder says it holds the lock").isEqualTo("held");
        return p;
    }

    @Test
    void secondStackIsRefusedNamingTheRunningOneAndLeavesItsStateAlone() throws Exception {
        holder = startHolder();
        byte[] stateBefore = Files.readAllBytes(StackState.file(root));

        CliRun r = CliRun.of(root, "stack");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        String line = r.errLines().get(0);
        assertThat(line).startsWith("waybill stack: a stack is already running in " + root)
                .contains("PID " + holder.pid())
                .contains("started " + holder.info().startInstant().orElseThrow())
                .contains("Kinesis http://127.0.0.1:4567", "MQTT tcp://127.0.0.1:1883")
                .contains("kill " + holder.pid());
        assertThat(r.out()).as("nothing started: no banner").isEmpty();
        assertThat(Files.readAllBytes(StackState.file(root))).as("the running stack's state is untouched")
                .isEqualTo(stateBefore);
        assertThat(StackState.running(root)).as("and still reachable").isPresent();
    }

    @Test
    void lockIsTakenOnlyOnceAndFreedWhenItsProcessIsKilled() throws Exception {
        holder = startHolder();
        assertThat(StackLock.tryAcquire(root)).isEmpty();
        assertThat(StackLock.held(root)).isTrue();

        holder.destroyForcibly(); // kill -9: no shutdown hook runs
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(StackLock.held(root)).isFalse();
        try (StackLock mine = StackLock.tryAcquire(root).orElseThrow()) {
            assertThat(StackLock.held(root)).as("held by this JVM now").isTrue();
            assertThat(StackLock.holder(root).orElseThrow().pid()).isEqualTo(ProcessHandle.current().pid());
        }
    }
}

package io.waybill.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.waybill.local.AwsEndpoints;
import software.amazon.awssdk.regions.Region;

/**
 * Issue 9 item 11: a {@code .waybill/stack.json} whose stack process is gone (killed, so no shutdown hook removed
 * it) is reported in one line and removed, by every command that reads it, instead of being trusted.
 */
class StackStateTest {
    @TempDir
    Path root;

    private StackState state(long pid, Instant startedAt) {
        return new StackState(AwsEndpoints.local(Region.US_EAST_1, URI.create("http://127.0.0.1:1"),
                URI.create("http://127.0.0.1:2"), URI.create("http://127.0.0.1:3"), URI.create("http://127.0.0.1:6")), "waybill-telemetry",
                "http://127.0.0.1:3/000000000000/dlq", URI.create("tcp://127.0.0.1:4"), 5, root.resolve("iot"), pid,
                startedAt);
    }

    /** The PID of a process that has exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.pid();
    }

    @ParameterizedTest
    @ValueSource(strings = {"publish", "kpis", "incidents", "replay", "replay-dlq", "simulate"})
    void stateOfAStackWhoseProcessIsGoneIsReportedInOneLineAndRemoved(String command) throws Exception {
        long pid = deadPid();
        state(pid, Instant.parse("2026-12-01T10:00:00Z")).write(root);

        CliRun r = CliRun.of(root, "{\"wb_route\":\"x/y\"}\n".getBytes(), command);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("waybill " + command + ": the stack recorded in "
                + StackState.file(root) + " (PID " + pid + ", started 2026-12-01T10:00:00Z) is no longer running;"
                + " removed that stale state: start a stack with ./waybill stack");
        assertThat(r.out()).isEmpty();
        assertThat(Files.exists(StackState.file(root))).isFalse();
    }

    @Test
    void pidNowUsedByAnotherProcessIsStale() {
        // This JVM's PID, but a start instant that is not this JVM's: the stack that wrote it is gone.
        state(ProcessHandle.current().pid(), Instant.EPOCH).write(root);

        assertThatThrownBy(() -> StackState.running(root)).isInstanceOf(UserError.class)
                .hasMessageContaining("is no longer running");
        assertThat(Files.exists(StackState.file(root))).isFalse();
    }

    @Test
    void stateOfTheLiveProcessIsTrustedAndReadBackWhole() {
        ProcessHandle self = ProcessHandle.current();
        StackState written = state(self.pid(), self.info().startInstant().orElseThrow());
        written.write(root);

        assertThat(StackState.running(root)).contains(written);
    }

    @Test
    void noStateIsNoStack() {
        assertThat(StackState.running(root)).isEmpty();
        assertThatThrownBy(() -> StackState.require(root)).isInstanceOf(UserError.class)
                .hasMessage("no local stack is running (start one with ./waybill stack)");
    }
}

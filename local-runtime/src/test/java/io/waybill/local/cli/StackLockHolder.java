package io.waybill.local.cli;

import io.waybill.local.AwsEndpoints;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A stand-in for a running {@code ./waybill stack} in another JVM (no emulators): takes the stack lock and writes
 * the stack state as the stack does, says "held" on stdout, and keeps both until its stdin closes or it is killed.
 */
public final class StackLockHolder {
    private StackLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        StackLock lock = StackLock.tryAcquire(root).orElseThrow(() -> new IllegalStateException("lock is taken"));
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElse(null);
        new StackState(AwsEndpoints.local(Region.US_EAST_1, URI.create("http://127.0.0.1:4567"),
                URI.create("http://127.0.0.1:4568"), URI.create("http://127.0.0.1:4569"), URI.create("http://127.0.0.1:4570")), "waybill-telemetry",
                "http://127.0.0.1:4569/000000000000/waybill-telemetry-dlq", URI.create("tcp://127.0.0.1:1883"), 8883,
                root.resolve(".waybill").resolve("iot"), self.pid(), started).write(root);
        System.out.println("held");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close stdin
        }
        lock.close();
    }
}

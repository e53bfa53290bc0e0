package io.waybill.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.waybill.local.iot.LocalMqttBroker;
import io.waybill.local.iot.LocalMqttClient;

/**
 * Issue 9 item 12: when the broker goes away during {@code simulate}, the command ends with one line on stderr
 * naming the target and the cause (not only crt warnings, with the cause in the log).
 */
@Timeout(120)
class SimulateBrokerLostTest {
    @TempDir
    Path root;

    @Test
    void brokerThatStopsMidRunEndsTheRunWithOneLineNamingTheCause() throws Exception {
        LocalMqttBroker broker = LocalMqttBroker.start(root.resolve("broker"));
        String uri = "tcp://" + broker.host() + ":" + broker.port();
        CountDownLatch firstMessages = new CountDownLatch(5);
        AtomicLong received = new AtomicLong();
        LocalMqttClient watcher = LocalMqttClient.connect(broker.host(), broker.port(), "watcher", (t, p) -> {
            received.incrementAndGet();
            firstMessages.countDown();
        }, Duration.ofSeconds(30));
        watcher.subscribe("#", Duration.ofSeconds(30));

        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of(root, "simulate",
                "--broker", uri, "--reefers", "0", "--rfid", "0", "--gps", "2", "--gps-pings", "200", "--rate", "20",
                "--timeout", "3"));
        assertThat(firstMessages.await(60, TimeUnit.SECONDS)).as("the fleet reached the broker").isTrue();
        watcher.close();
        broker.close(); // the broker goes away with most of the 400 pings still to send

        CliRun r = run.get(90, TimeUnit.SECONDS);

        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        // the cause as the device clients saw it: no acknowledgement in time, or a failed publish
        assertThat(r.errLines().get(0)).startsWith("waybill simulate: lost MQTT broker " + uri + ": ")
                .containsAnyOf("no PUBACK", "replay failed after").endsWith("(did the broker stop?)");
        assertThat(r.hasNoStackTrace()).as(r.err()).isTrue();
    }
}

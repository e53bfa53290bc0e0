package io.waybill.edge.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.model.ReeferEdgeModel;
import io.waybill.edge.sensor.TraceReplaySource;
import io.waybill.edge.testing.EmbeddedBroker;
import io.waybill.edge.testing.Expected;
import io.waybill.edge.testing.LogCapture;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.TraceSample;
import io.waybill.edge.uplink.Mqtt5Uplink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Edge durability end to end, against the embedded HiveMQ broker standing in for AWS IoT Core and, behind it, a cloud
 * that stores each (thing, sequence) once and confirms what it stored on {@code cmd/waybill/<stage>/<thing>/stored}
 * ({@link EmbeddedBroker}). The expected messages come from the edge model run offline over the same trace parts
 * ({@link Expected}); what a killed process loses (its partial window) is worked out the same way without the flush.
 */
class CloudConfirmedDeliveryTest {
    @TempDir
    Path tmp;

    private static EdgeComponentConfig config(String thing) {
        return EdgeComponentConfig.builder(thing, Expected.SSCC)
                .summaryHeartbeat(Duration.ofHours(1))
                .publishTimeout(Duration.ofSeconds(2))
                .retryMinBackoff(Duration.ofMillis(50)).retryMaxBackoff(Duration.ofMillis(300))
                .delivery(new EdgeComponentConfig.Delivery(EdgeComponentConfig.Acknowledgement.CLOUD,
                        Duration.ofMillis(700), 500, 3, EdgeComponentConfig.Delivery.DEFAULT_MAX_PAYLOAD_BYTES))
                .build();
    }

    private final java.util.Map<ReeferEdgeComponent, Mqtt5Uplink> uplinks = new java.util.HashMap<>();

    private ReeferEdgeComponent start(EdgeComponentConfig config, Path spoolDir, EmbeddedBroker broker,
                                      List<TraceSample> part) throws Exception {
        Mqtt5Uplink uplink = Mqtt5Uplink.plainTcp(broker.endpoint(), config.thingName() + "-uplink-" + System.nanoTime(),
                config.publishTimeout(), config.retryMinBackoff(), config.retryMaxBackoff());
        TraceReplaySource replay = new TraceReplaySource(part, TraceReplaySource.AS_FAST_AS_POSSIBLE);
        ReeferEdgeComponent c = new ReeferEdgeComponent(config, spoolDir, replay, uplink, Duration.ofSeconds(10));
        uplinks.put(c, uplink);
        c.start();
        replay.finished().join();
        return c;
    }

    private static long sequenceOf(byte[] payload) {
        return EdgeMessageJson.fromBytes(payload).sequence();
    }

    @Test
    void brokerAcceptsButNothingIsStoredSoTheSpoolKeepsEveryMessageUntilTheCloudConfirms() throws Exception {
        EdgeComponentConfig config = config("reefer-unstored");
        List<TraceSample> trace = Expected.oneExcursion("probe-1", 5.0, 11.0);
        List<EdgeMessage> expected = Expected.messages(config, List.of(trace));
        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp)) {
            broker.storing(false); // the broker takes every publish (PUBACK SUCCESS); ingest stores nothing
            ReeferEdgeComponent c = start(config, tmp.resolve("spool"), broker, trace);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (c.stats().resent() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                // every message was accepted by the broker, at least once, and none is forgotten
                assertThat(broker.received()).isNotEmpty();
                assertThat(c.stats().published()).isGreaterThanOrEqualTo(c.stats().messages());
                assertThat(c.stats().resent()).as("sent again after the confirm timeout").isPositive();
                assertThat(c.stats().confirmed()).isZero();
                assertThat(c.stats().spoolSize()).isEqualTo((int) c.stats().messages());

                // the cloud stores again: everything is stored once, and only then forgotten
                broker.storing(true);
                assertThat(c.awaitDrained(Duration.ofSeconds(15))).isTrue();
            } finally {
                c.close();
            }
            SortedMap<Long, byte[]> stored = broker.stored(config.thingName());
            assertThat(stored.keySet()).containsExactlyElementsOf(expected.stream().map(EdgeMessage::sequence).toList());
            assertThat(stored.values().stream().map(EdgeMessageJson::fromBytes).toList()).isEqualTo(expected);
        }
    }

    @Test
    void outageWithAKilledProcessThenRestartStoresEveryAlertAndSummaryOnceAndSendsAlertsBeforeTheBacklog()
            throws Exception {
        EdgeComponentConfig config = config("reefer-killed");
        List<TraceSample> trip = GoldenTraces.reeferTrip().samples();
        int q = trip.size() / 4;
        // 12 h with the link up; 12 h down in a process that is then killed; the last 24 h (with the unit failure at
        // 33 h) down in a new process on the same spool; then the link comes back
        List<TraceSample> up = trip.subList(0, q);
        List<TraceSample> killedPart = trip.subList(q, 2 * q);
        List<TraceSample> restartedPart = trip.subList(2 * q, trip.size());

        // expected: a graceful first lifetime (flushed), the killed one without its flush, the last one flushed
        List<EdgeMessage> expected = new ArrayList<>();
        ReeferEdgeModel m1 = new ReeferEdgeModel(config.reeferConfig(0));
        up.forEach(s -> expected.addAll(m1.accept(s.toTemperatureReading())));
        expected.addAll(m1.flush());
        ReeferEdgeModel m2 = new ReeferEdgeModel(config.reeferConfig(m1.nextSequence()));
        killedPart.forEach(s -> expected.addAll(m2.accept(s.toTemperatureReading())));
        long lastOfKilled = expected.get(expected.size() - 1).sequence();
        ReeferEdgeModel m3 = new ReeferEdgeModel(config.reeferConfig(lastOfKilled + 1));
        restartedPart.forEach(s -> expected.addAll(m3.accept(s.toTemperatureReading())));
        expected.addAll(m3.flush());
        assertThat(expected).filteredOn(m -> m.kind() == EdgeMessage.Kind.ALERT).isNotEmpty();

        Path spool = tmp.resolve("spool");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp)) {
            ReeferEdgeComponent first = start(config, spool, broker, up);
            assertThat(first.awaitDrained(Duration.ofSeconds(10))).isTrue();
            first.close();

            broker.stop();
            ReeferEdgeComponent killed = start(config, spool, broker, killedPart);
            // kill -9: the process stops where it is; what it leaves on disk is its spool directory as it is now
            Path leftBehind = copy(spool, tmp.resolve("spool-after-kill"));
            abandon(killed, uplinks.get(killed));

            ReeferEdgeComponent restarted = start(config, leftBehind, broker, restartedPart);
            assertThat(restarted.stats().spoolSize()).isPositive();
            int receivedBefore = broker.received().size();
            broker.start();
            assertThat(restarted.awaitDrained(Duration.ofSeconds(30))).isTrue();
            restarted.close();

            SortedMap<Long, byte[]> stored = broker.stored(config.thingName());
            assertThat(stored.keySet()).containsExactlyElementsOf(expected.stream().map(EdgeMessage::sequence).toList());
            assertThat(stored.values().stream().map(EdgeMessageJson::fromBytes).toList()).isEqualTo(expected);

            // after the outage the alerts went first: no summary of the backlog reached the broker before them
            List<EdgeMessage> afterOutage = broker.received().subList(receivedBefore, broker.received().size())
                    .stream().filter(r -> r.topic().equals(config.uplinkTopic()))
                    .map(r -> EdgeMessageJson.fromBytes(r.payload())).toList();
            long outageAlerts = expected.stream().filter(m -> m.kind() == EdgeMessage.Kind.ALERT
                    && m.sequence() >= m1.nextSequence()).count();
            assertThat(outageAlerts).isPositive();
            assertThat(afterOutage.subList(0, (int) outageAlerts)).allMatch(m -> m.kind() == EdgeMessage.Kind.ALERT);
            long firstBacklogSummary = afterOutage.stream().filter(m -> m.kind() == EdgeMessage.Kind.SUMMARY)
                    .mapToLong(EdgeMessage::sequence).min().orElseThrow();
            assertThat(afterOutage.stream().filter(m -> m.kind() == EdgeMessage.Kind.ALERT))
                    .allMatch(a -> a.sequence() > firstBacklogSummary);
        }
    }

    @Test
    void messageRefusedForGoodIsQuarantinedAfterNAttemptsAndTheSpoolMovesOn() throws Exception {
        EdgeComponentConfig config = config("reefer-poison");
        List<TraceSample> trace = Expected.oneExcursion("probe-1", 5.0, 11.0);
        List<EdgeMessage> expected = Expected.messages(config, List.of(trace));
        long poison = expected.get(1).sequence();
        Path spool = tmp.resolve("spool");
        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp);
             LogCapture log = LogCapture.of(ReeferEdgeComponent.class)) {
            broker.refuse(r -> r.topic().equals(config.uplinkTopic()) && sequenceOf(r.payload()) == poison);
            ReeferEdgeComponent c = start(config, spool, broker, trace);
            try {
                assertThat(c.awaitDrained(Duration.ofSeconds(15))).isTrue();
                assertThat(c.stats().quarantined()).isEqualTo(1);
            } finally {
                c.close();
            }
            List<String> lines = Files.readAllLines(spool.resolve(ReeferEdgeComponent.QUARANTINE_FILE_NAME));
            assertThat(lines).hasSize(1);
            JsonNode q = new ObjectMapper().readTree(lines.get(0));
            assertThat(q.get("sequence").asLong()).isEqualTo(poison);
            assertThat(q.get("reason").asText()).isEqualTo("NOT_AUTHORIZED");
            assertThat(q.get("attempts").asInt()).isEqualTo(3);
            assertThat(EdgeMessageJson.fromBytes(java.util.Base64.getDecoder().decode(q.get("payloadBase64").asText())))
                    .isEqualTo(expected.get(1));
            assertThat(log.events("messageQuarantined")).hasSize(1);
            // every other message is stored
            assertThat(broker.stored(config.thingName()).keySet()).containsExactlyElementsOf(expected.stream()
                    .map(EdgeMessage::sequence).filter(s -> s != poison).toList());
        }
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("spool.lock")) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    /** Leaves a component as a killed process would: it never sends again, and nothing of it is flushed. */
    private static void abandon(ReeferEdgeComponent c, Mqtt5Uplink uplink) {
        uplink.close();
        c.source().close();
    }
}

package io.waybill.edge.component;

import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.sensor.TraceReplaySource;
import io.waybill.edge.testing.EmbeddedBroker;
import io.waybill.edge.testing.Expected;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.TraceSample;
import io.waybill.edge.uplink.Mqtt5Uplink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spool test: the broker goes down mid-trip, the component is restarted (a new instance on the same spool
 * directory) while it is down and keeps producing, then the link comes back. Two things run side by side through the
 * same outage: one with the default spool (nothing may be lost) and one whose spool holds only 20 messages (summaries
 * are dropped, oldest first; alerts never).
 */
class StoreAndForwardTest {
    private static final int SMALL_SPOOL = 20;

    @TempDir
    Path tmp;

    /** One simulated reefer: its config, its two trace parts, and the component instance running now. */
    private final class Reefer {
        final EdgeComponentConfig config;
        final Path spoolDir;
        ReeferEdgeComponent component;
        Mqtt5Uplink uplink;

        Reefer(EdgeComponentConfig config) {
            this.config = config;
            this.spoolDir = tmp.resolve("spool-" + config.thingName());
        }

        void run(EmbeddedBroker broker, List<TraceSample> part) throws Exception {
            uplink = Mqtt5Uplink.plainTcp(broker.endpoint(), config.thingName() + "-uplink", config.publishTimeout(),
                    config.retryMinBackoff(), config.retryMaxBackoff());
            TraceReplaySource replay = new TraceReplaySource(part, TraceReplaySource.AS_FAST_AS_POSSIBLE);
            component = new ReeferEdgeComponent(config, spoolDir, replay, uplink, Duration.ofSeconds(10));
            component.start();
            replay.finished().join();
        }
    }

    private static EdgeComponentConfig config(String thing, int spoolMessages) {
        return EdgeComponentConfig.builder(thing, Expected.SSCC)
                .summaryHeartbeat(Duration.ofHours(1))
                .spoolMaxMessages(spoolMessages)
                .publishTimeout(Duration.ofSeconds(2))
                .retryMinBackoff(Duration.ofMillis(50)).retryMaxBackoff(Duration.ofMillis(300))
                .build();
    }

    private static List<EdgeMessage> receivedBy(EmbeddedBroker broker, String thing) {
        return Expected.dedupe(broker.received().stream()
                .filter(r -> r.topic().equals("dt/waybill/dev/waybill-edge/" + thing))
                .map(EmbeddedBroker.Received::payload).toList());
    }

    @Test
    void linkDownAcrossARestartDeliversEveryAlertAndEverySummaryWithinTheSpoolBoundInOrderExactlyOnce()
            throws Exception {
        List<TraceSample> trip = GoldenTraces.reeferTrip().samples();
        int cut = trip.size() / 4; // 12 h in; the unit failure is at 33 h, during the outage
        List<List<TraceSample>> parts = List.of(trip.subList(0, cut), trip.subList(cut, trip.size()));
        Reefer full = new Reefer(config("reefer-sf-full", EdgeComponentConfig.DEFAULT_SPOOL_MAX_MESSAGES));
        Reefer small = new Reefer(config("reefer-sf-small", SMALL_SPOOL));
        List<Reefer> reefers = List.of(full, small);

        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp)) {
            // 1. link up: the first 12 hours go straight through
            for (Reefer r : reefers) {
                r.run(broker, parts.get(0));
            }
            for (Reefer r : reefers) {
                assertThat(r.component.awaitDrained(Duration.ofSeconds(10))).isTrue();
            }
            int before = broker.received().size();
            assertThat(before).isPositive();

            // 2. the link dies mid-trip; the components are restarted while it is down and run the rest of the trip
            broker.stop();
            for (Reefer r : reefers) {
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (r.uplink.isConnected() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(r.uplink.isConnected()).isFalse();
                r.component.close(); // flushes into the spool; nothing can be sent
            }
            for (Reefer r : reefers) {
                r.run(broker, parts.get(1)); // new instance, same spool directory, link still down
                assertThat(r.component.stats().spoolSize()).isPositive();
            }
            assertThat(small.component.stats().spoolSize()).isLessThanOrEqualTo(SMALL_SPOOL);
            assertThat(small.component.stats().droppedSummaries()).isPositive();
            assertThat(small.component.stats().droppedAlerts()).isZero();

            // 3. the link comes back: the spools drain, oldest first
            broker.start();
            for (Reefer r : reefers) {
                assertThat(r.component.awaitDrained(Duration.ofSeconds(20))).isTrue();
            }
            long smallDropped = small.component.stats().droppedSummaries();
            for (Reefer r : reefers) {
                r.component.close(); // the final flush is sent before the uplink closes
            }

            // every message the full reefer produced arrived once after dedupe, each kind in sequence order (alerts
            // may overtake summaries)
            List<EdgeMessage> expectedFull = Expected.messages(full.config, parts);
            List<EdgeMessage> gotFull = receivedBy(broker, full.config.thingName());
            assertThat(Expected.bySequence(gotFull)).isEqualTo(expectedFull);
            assertThat(Expected.eachKindInSequenceOrder(gotFull)).as("each kind in order, once").isTrue();
            assertThat(expectedFull).filteredOn(m -> m.kind() == EdgeMessage.Kind.ALERT).hasSize(2);

            // the small spool: every alert, and every summary but the ones the spool dropped; still in order
            List<EdgeMessage> expectedSmall = Expected.messages(small.config, parts);
            List<EdgeMessage> gotSmall = receivedBy(broker, small.config.thingName());
            assertThat(Expected.eachKindInSequenceOrder(gotSmall)).as("each kind in order, once").isTrue();
            assertThat(expectedSmall).containsAll(gotSmall);
            assertThat(gotSmall).filteredOn(m -> m.kind() == EdgeMessage.Kind.ALERT)
                    .isEqualTo(expectedSmall.stream().filter(m -> m.kind() == EdgeMessage.Kind.ALERT).toList());
            long missing = expectedSmall.size() - gotSmall.size();
            assertThat(missing).isEqualTo(smallDropped);
            // what is missing are the oldest summaries of the outage, not the newest
            List<Long> missingSeqs = expectedSmall.stream().map(EdgeMessage::sequence)
                    .filter(s -> gotSmall.stream().noneMatch(m -> m.sequence() == s)).toList();
            assertThat(missingSeqs).allSatisfy(s -> assertThat(s).isLessThan(
                    Expected.bySequence(gotSmall).get(gotSmall.size() - SMALL_SPOOL / 2).sequence()));
            assertThat(missingSeqs.stream().map(s -> expectedSmall.get(s.intValue()).kind())
                    .collect(Collectors.toSet())).containsOnly(EdgeMessage.Kind.SUMMARY);
        }
    }
}

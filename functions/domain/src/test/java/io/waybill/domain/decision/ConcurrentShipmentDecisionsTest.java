package io.waybill.domain.decision;

import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ColdChainDecider;
import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.coldchain.ExposureStatus;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ShipmentClassification;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One shipment's evidence processed at the same time by two consumers (two shards before the canonical stream was
 * keyed by shipment, or a retry overlapping the next batch) and by the confirmation pass: the running exposure is
 * written conditionally on its version, so no writer's evidence is lost and the decision sees all of it. Oracle: the
 * figures worked out by hand for the whole trip.
 */
@Timeout(60)
class ConcurrentShipmentDecisionsTest {
    private static final String SSCC = "106141412345678908";
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T00:05:00Z"), ZoneOffset.UTC);

    /** A store whose reads are slow, so the writers' read-modify-write cycles overlap. */
    static final class SlowStore extends InMemoryEvidenceStore {
        @Override
        public Optional<ShipmentExposure> exposure(String sscc) {
            Optional<ShipmentExposure> s = super.exposure(sscc);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return s;
        }
    }

    @RepeatedTest(5)
    void twoConsumersAndTheConfirmerLoseNoEvidence() throws Exception {
        SlowStore store = new SlowStore();
        ColdChainLoop loop = new ColdChainLoop(new ColdChainDecider(ColdChainConfig.defaults()),
                sscc -> ShipmentClassification.classified(sscc, ProductClass.CHILLED_BIOLOGICS_2_8), store,
                new ColdChainLoopTest.Incidents(), new ColdChainLoopTest.Compliance(), new ColdChainLoopTest.Events(),
                new ColdChainLoopTest.Shipments(), CLOCK);
        // 60 readings a minute apart; minutes 10..49 at 12 °C (40 readings above 8 °C, each held 60 s), else 5 °C.
        List<List<CanonicalEvent>> halves = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 60; i++) {
            halves.get(i % 2).add(event("r" + i, T0.plusSeconds(60L * i), i >= 10 && i < 50 ? 12.0 : 5.0));
        }
        CyclicBarrier start = new CyclicBarrier(3);
        AtomicBoolean done = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger redeliveries = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (List<CanonicalEvent> half : halves) {
            threads.add(new Thread(() -> {
                await(start);
                for (int from = 0; from < half.size(); from += 3) { // batches of 3
                    List<CanonicalEvent> batch = half.subList(from, Math.min(half.size(), from + 3));
                    // a batch that lost every optimistic attempt fails and is redelivered, as the stream does
                    while (loop.process(batch).failure() != null) {
                        redeliveries.incrementAndGet();
                    }
                }
            }));
        }
        Thread confirmer = new Thread(() -> {
            await(start);
            while (!done.get()) {
                loop.confirmPending();
            }
        });
        threads.forEach(Thread::start);
        confirmer.start();
        for (Thread t : threads) {
            t.join();
        }
        done.set(true);
        confirmer.join();

        ShipmentExposure s = store.exposure(SSCC).orElseThrow();
        ExposureFigures f = s.probe("CC-0007").figures(ProductClass.CHILLED_BIOLOGICS_2_8.band());
        assertThat(s.evidence()).isEqualTo(60);
        assertThat(f.readings()).isEqualTo(60);
        assertThat(f.timeAbove()).isEqualTo(Duration.ofMinutes(40)); // 40 readings × 60 s
        assertThat(f.degreeMinutesAbove()).isEqualTo(160.0);          // (12 − 8) °C × 40 min
        assertThat(f.unknown()).isZero();
        assertThat(s.standing().status()).isEqualTo(ExposureStatus.BREACHED);
        assertThat(store.applied.values()).allMatch(Boolean::booleanValue);
        // the writers did meet: without the conditional write some of these would have overwritten each other
        assertThat(store.conflicts).isPositive();
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static CanonicalEvent event(String id, Instant at, double celsius) {
        RawRecord raw = RawRecord.of(String.format(Locale.ROOT, "{\"wb_route\":\"coldchainco/CC-0007\","
                + "\"wb_received_ms\":%d,\"msgId\":\"%s\",\"device\":{\"id\":\"CC-0007\"},"
                + "\"shipment\":{\"sscc\":\"%s\"},\"reading\":{\"at\":%d,\"celsius\":%.1f}}", at.toEpochMilli() + 500,
                id, SSCC, at.toEpochMilli(), celsius).getBytes(StandardCharsets.UTF_8), "test");
        NormalizationResult r = new RecordNormalizer(AdapterRegistry.standard(), NormalizerConfig.defaults(), CLOCK)
                .normalize(raw);
        return ((NormalizationResult.Normalized) r).event();
    }
}

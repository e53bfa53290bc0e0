package io.waybill.domain.decision;

import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ColdChainDecider;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ShipmentClassification;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.ingestion.TransientDependencyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash between the loop's steps (evidence stored, running exposure written, pieces marked applied) followed by the
 * stream's redelivery of the same batch counts every piece once. Oracle: the figures worked out by hand.
 */
class CrashBetweenExposureStepsTest {
    private static final String SSCC = "106141412345678908";
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    /** A store that fails one chosen step once, after doing nothing (save) or after the write (mark). */
    static final class FailingOnce extends InMemoryEvidenceStore {
        boolean failSaveOnce;
        boolean failMarkOnce;

        @Override
        public synchronized boolean saveExposure(ShipmentExposure state, long expectedVersion) {
            if (failSaveOnce) {
                failSaveOnce = false;
                throw new TransientDependencyException("exposure table", "throttled", null);
            }
            return super.saveExposure(state, expectedVersion);
        }

        @Override
        public synchronized void markApplied(String sscc, Collection<ExposureEvidence> pieces, Instant decidedAt) {
            if (failMarkOnce) {
                failMarkOnce = false;
                throw new TransientDependencyException("exposure table", "connection reset", null);
            }
            super.markApplied(sscc, pieces, decidedAt);
        }
    }

    private static List<CanonicalEvent> trip(int from, int to) {
        // a reading a minute; minutes 10..49 at 12 °C, else 5 °C
        List<CanonicalEvent> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(ConcurrentShipmentDecisionsTest.event("r" + i, T0.plusSeconds(60L * i),
                    i >= 10 && i < 50 ? 12.0 : 5.0));
        }
        return out;
    }

    private static ColdChainLoop loop(InMemoryEvidenceStore store) {
        return new ColdChainLoop(new ColdChainDecider(ColdChainConfig.defaults()),
                sscc -> ShipmentClassification.classified(sscc, ProductClass.CHILLED_BIOLOGICS_2_8), store,
                new ColdChainLoopTest.Incidents(), new ColdChainLoopTest.Compliance(), new ColdChainLoopTest.Events(),
                new ColdChainLoopTest.Shipments(), ConcurrentShipmentDecisionsTest.CLOCK);
    }

    private static void assertCountedOnce(InMemoryEvidenceStore store) {
        ShipmentExposure s = store.exposure(SSCC).orElseThrow();
        ExposureFigures f = s.probe("CC-0007").figures(ProductClass.CHILLED_BIOLOGICS_2_8.band());
        assertThat(s.evidence()).isEqualTo(60);
        assertThat(f.readings()).isEqualTo(60);
        assertThat(f.timeAbove()).isEqualTo(Duration.ofMinutes(40)); // 40 readings above 8 °C, 60 s each
        assertThat(f.degreeMinutesAbove()).isEqualTo(160.0);          // (12 − 8) °C × 40 min
        assertThat(store.applied.values()).allMatch(Boolean::booleanValue);
    }

    @Test
    void aCrashAfterTheRunningExposureWasWrittenButBeforeThePiecesWereMarkedCountsThemOnce() {
        FailingOnce store = new FailingOnce();
        ColdChainLoop loop = loop(store);
        assertThat(loop.process(trip(0, 30)).failure()).isNull();
        store.failMarkOnce = true;
        List<CanonicalEvent> second = trip(30, 60);
        assertThat(loop.process(second).failure()).isNotNull(); // written, not marked
        assertThat(loop.process(second).failure()).isNull();    // the stream redelivers the batch
        assertCountedOnce(store);
    }

    @Test
    void aCrashBeforeTheRunningExposureWasWrittenAppliesTheStoredPiecesOnRedelivery() {
        FailingOnce store = new FailingOnce();
        ColdChainLoop loop = loop(store);
        assertThat(loop.process(trip(0, 30)).failure()).isNull();
        store.failSaveOnce = true;
        List<CanonicalEvent> second = trip(30, 60);
        assertThat(loop.process(second).failure()).isNotNull(); // stored, not applied
        assertThat(loop.process(second).failure()).isNull();
        assertCountedOnce(store);
    }
}

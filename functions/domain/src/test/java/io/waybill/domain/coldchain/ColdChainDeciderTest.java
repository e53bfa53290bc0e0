package io.waybill.domain.coldchain;

import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.incident.ShipmentIncident;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The cloud's judgement on the golden reefer trip's shape: six 8-hour edge summaries (means around 5 °C, one of
 * them hiding a 40-second door opening), and the unit failure reported by the edge as an excursion (started after
 * 5 minutes, ended after 40 minutes at up to 10.95 °C).
 */
class ColdChainDeciderTest {
    private static final String SSCC = "106141412345678908";
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final ColdChainDecider DECIDER = new ColdChainDecider(ColdChainConfig.defaults());
    private static final ProductClass BIOLOGICS = ProductClass.CHILLED_BIOLOGICS_2_8;
    private static final Instant NOW = Instant.parse("2026-03-04T00:05:00Z");

    private static ExposureEvidence window(String id, int fromHour, int toHour, double mean) {
        return new ExposureEvidence(id, SSCC, "reefer-07-ra", ExposureEvidence.Kind.WINDOW,
                T0.plus(Duration.ofHours(fromHour)), T0.plus(Duration.ofHours(toHour)), mean, 0);
    }

    private static ExposureEvidence excursion(String id, Instant end, long seconds, double celsius, int severity) {
        return new ExposureEvidence(id, SSCC, "reefer-07-ra", ExposureEvidence.Kind.EXCURSION,
                end.minusSeconds(seconds), end, celsius, severity);
    }

    private static List<ExposureEvidence> trip() {
        Instant failure = T0.plus(Duration.ofHours(33));
        return List.of(window("s0", 0, 8, 5.02), window("s1", 8, 16, 5.10), window("s2", 16, 24, 4.98),
                window("s3", 24, 32, 5.01), window("s4", 32, 40, 5.48), window("s5", 40, 48, 5.00),
                excursion("a-started", failure.plus(Duration.ofMinutes(5)), 300, 10.9, 27),
                excursion("a-ended", failure.plus(Duration.ofMinutes(40)), 2400, 10.95, 61));
    }

    @Test
    void theRealExcursionIsABreachAndTheDoorOpeningInsideASummaryIsNot() {
        ColdChainDecision d = DECIDER.decide(SSCC, BIOLOGICS, trip(), NOW);

        assertThat(d.status()).isEqualTo(ExposureStatus.BREACHED);
        ExposureFigures f = d.assessment().figures();
        assertThat(f.torSeconds()).isEqualTo(2400.0);
        // the ended report (10.95 °C over all 40 min) is the worst evidence covering every minute of the excursion
        assertThat(f.degreeMinutesAbove()).isCloseTo(2.95 * 40, within(1e-9));
        assertThat(d.assessment().verdict().codes()).containsExactly(BreachCode.TOR_BUDGET_EXCEEDED);
        assertThat(d.assessment().verdict().severity()).isEqualTo(BreachSeverity.MAJOR);

        TemperatureBreached b = d.breach().orElseThrow();
        assertThat(b.limit()).isEqualTo(TemperatureBreached.Limit.UPPER);
        assertThat(b.observedCelsius()).isEqualTo(10.95);
        assertThat(b.limitCelsius()).isEqualTo(8.0);
        assertThat(b.durationSeconds()).isEqualTo(2400L);
        assertThat(b.decision().productClass()).isEqualTo("chilled-biologics-2-8");
        assertThat(b.decision().reasons()).containsExactly("TOR_BUDGET_EXCEEDED");
        assertThat(b.decision().evidenceStart()).isEqualTo(T0);
        assertThat(b.decision().evidenceEnd()).isEqualTo(T0.plus(Duration.ofHours(48)));
        assertThat(b.decision().readings()).isEqualTo(8);
        assertThat(b.decision().edgeAttention()).isEqualTo(61);

        ShipmentIncident incident = d.incident().orElseThrow();
        assertThat(incident.incidentId()).isEqualTo("cold-chain/" + SSCC + "/chilled-biologics-2-8")
                .isEqualTo(b.decision().incidentId());
        assertThat(incident.status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(incident.openedAt()).isEqualTo(NOW);
        assertThat(incident.summary()).contains("MAJOR", "40m00s", "10.95 °C");
    }

    @Test
    void withoutTheExcursionTheTripIsNormal() {
        ColdChainDecision d = DECIDER.decide(SSCC, BIOLOGICS, trip().subList(0, 6), NOW);

        assertThat(d.status()).isEqualTo(ExposureStatus.NORMAL);
        assertThat(d.breach()).isEmpty();
        assertThat(d.incident()).isEmpty();
        assertThat(d.assessment().figures().torSeconds()).isZero();
    }

    @Test
    void aShortEdgeAlertRaisesAttentionButTheCloudDecidesNoBreach() {
        List<ExposureEvidence> evidence = new ArrayList<>(trip().subList(0, 6));
        evidence.add(excursion("short", T0.plus(Duration.ofHours(12)), 600, 9.5, 30)); // 10 min < 30 min budget

        ColdChainDecision d = DECIDER.decide(SSCC, BIOLOGICS, evidence, NOW);

        assertThat(d.status()).isEqualTo(ExposureStatus.ATTENTION);
        assertThat(d.edgeAttention()).isEqualTo(30);
        assertThat(d.incident()).isEmpty();
        assertThat(d.assessment().figures().torSeconds()).isEqualTo(600.0);
    }

    @Test
    void moreEvidenceLaterNamesTheSameIncidentSoOneExcursionNeverAlertsTwice() {
        List<ExposureEvidence> early = new ArrayList<>(trip().subList(0, 5));
        early.add(trip().get(7));
        ColdChainDecision first = DECIDER.decide(SSCC, BIOLOGICS, early, NOW);
        ColdChainDecision later = DECIDER.decide(SSCC, BIOLOGICS, trip(), NOW.plus(Duration.ofHours(8)));

        assertThat(first.breached()).isTrue();
        assertThat(later.incident().orElseThrow().incidentId()).isEqualTo(first.incident().orElseThrow().incidentId());
    }

    @Test
    void shuffledAndDuplicatedEvidenceGivesTheSameDecision() {
        ColdChainDecision inOrder = DECIDER.decide(SSCC, BIOLOGICS, trip(), NOW);
        for (long seed = 1; seed <= 5; seed++) {
            List<ExposureEvidence> shuffled = new ArrayList<>(trip());
            shuffled.addAll(trip().subList(2, 7));
            Collections.shuffle(shuffled, new Random(seed));

            assertThat(DECIDER.decide(SSCC, BIOLOGICS, shuffled, NOW)).isEqualTo(inOrder);
        }
    }

    @Test
    void aFreezingExcursionIsACriticalLowerBreach() {
        List<ExposureEvidence> evidence = new ArrayList<>(trip().subList(0, 6));
        evidence.add(excursion("freeze", T0.plus(Duration.ofHours(20)), 900, -1.5, 50));

        ColdChainDecision d = DECIDER.decide(SSCC, BIOLOGICS, evidence, NOW);

        TemperatureBreached b = d.breach().orElseThrow();
        assertThat(b.limit()).isEqualTo(TemperatureBreached.Limit.LOWER);
        assertThat(b.observedCelsius()).isEqualTo(-1.5);
        assertThat(b.limitCelsius()).isEqualTo(2.0);
        assertThat(b.decision().severity()).isEqualTo("CRITICAL");
        assertThat(b.decision().reasons()).contains("HARD_LOW_LIMIT_EXCEEDED");
    }

    @Test
    void complianceRecordHashesTheStoredEventAndRefusesATamperedOne() {
        ComplianceRecord r = ComplianceRecord.of(SSCC, "cold-chain/x", "evt-1", NOW, "chilled-biologics-2-8", "MAJOR",
                "{\"id\":\"evt-1\"}");

        assertThat(r.recordId()).isEqualTo("decision/evt-1");
        // sha256('{"id":"evt-1"}'), computed independently: printf '%s' '{"id":"evt-1"}' | sha256sum
        assertThat(r.sha256()).isEqualTo("1b3b9ad33f5bac2567e961731f4a9af2617ea39aee9d240ec70e45dec92b7371");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ComplianceRecord(SSCC, r.recordId(),
                r.incidentId(), r.decisionEventId(), r.decidedAt(), r.productClass(), r.severity(),
                "{\"id\":\"evt-2\"}", r.sha256())).isInstanceOf(IllegalArgumentException.class);
    }
}

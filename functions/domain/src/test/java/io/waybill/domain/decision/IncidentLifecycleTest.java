package io.waybill.domain.decision;

import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ColdChainDecider;
import io.waybill.domain.coldchain.ComplianceRecord;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.IncidentActioned;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.incident.IncidentActionRefused;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.projection.ShipmentState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Incidents per excursion episode, escalation, notification and the people's actions, over the golden trip of
 * {@link ColdChainLoopTest} (chilled biologics 2–8 °C, 30 min TOR budget, MAJOR above 60 °C·min, CRITICAL above
 * 15 °C). Worked by hand: the unit failure is 40 min at about 10.9 °C, so about 2.9 °C × 40 min = 116 °C·min out of
 * range: over budget and over 60, MAJOR. A reading of 16 °C is above the hard 15 °C: CRITICAL.
 */
class IncidentLifecycleTest {
    private static final String SSCC = "106141412345678908";
    private static final String FIRST = "cold-chain/" + SSCC + "/chilled-biologics-2-8";
    private static final String SECOND = FIRST + "/episode-2";
    /** The trip ends at 2026-03-03T23:59:30Z; QA acts five minutes later. */
    private static final Instant AFTER_TRIP = Instant.parse("2026-03-04T00:05:00Z");

    private final MutableClock clock = new MutableClock(AFTER_TRIP);
    private final ColdChainLoopTest.Evidence evidence = new ColdChainLoopTest.Evidence();
    private final ColdChainLoopTest.Incidents incidents = new ColdChainLoopTest.Incidents();
    private final ColdChainLoopTest.Compliance compliance = new ColdChainLoopTest.Compliance();
    private final ColdChainLoopTest.Events events = new ColdChainLoopTest.Events();
    private final ColdChainLoopTest.Shipments shipments = new ColdChainLoopTest.Shipments();
    private final List<IncidentNotifier.Notice> notices = new ArrayList<>();
    private final ColdChainLoop loop = new ColdChainLoop(
            new ColdChainDecider(ColdChainConfig.builder().confirmAfter(Duration.ZERO).build()),
            sscc -> io.waybill.domain.coldchain.ShipmentClassification.classified(sscc, ProductClass.CHILLED_BIOLOGICS_2_8), evidence, incidents, compliance, events, shipments,
            notices::add, clock);
    private final IncidentDesk desk = new IncidentDesk(incidents, events, shipments, clock);

    @Test
    void aNewExcursionAfterQaResolvedTheFirstOpensASecondIncident() {
        loop.process(events(ColdChainLoopTest.trip()));
        assertThat(incidents.byId.keySet()).containsExactly(FIRST);
        desk.disposition(FIRST, IncidentActioned.Disposition.RELEASE, "stability data cover it", "qa.lead");

        // Six hours after the resolution the unit fails again: 10 min at 10.5 °C.
        clock.set(Instant.parse("2026-03-04T07:00:00Z"));
        ColdChainLoop.Outcome o = loop.process(events(List.of(
                alert(20, Instant.parse("2026-03-04T06:00:00Z"), 10.5, 600, 40))));

        assertThat(o.incidentsOpened()).isEqualTo(1);
        assertThat(incidents.byId.keySet()).containsExactly(FIRST, SECOND);
        assertThat(incidents.byId.get(FIRST).status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(incidents.byId.get(SECOND).status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(decisions()).extracting(b -> b.decision().incidentId()).containsExactly(FIRST, SECOND);
        assertThat(compliance.records).extracting(ComplianceRecord::incidentId).containsExactly(FIRST, SECOND);
        assertThat(notices).extracting(IncidentNotifier.Notice::incidentId, IncidentNotifier.Notice::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FIRST, IncidentNotifier.Reason.OPENED),
                        org.assertj.core.groups.Tuple.tuple(SECOND, IncidentNotifier.Reason.OPENED));
        assertThat(shipments.states.get(SSCC).qualityHoldIncidentId()).isEqualTo(SECOND);
    }

    @Test
    void theResolvedExcursionRedeliveredOpensNothing() {
        loop.process(events(ColdChainLoopTest.trip()));
        desk.resolve(FIRST, "false alarm: probe in the door draught", "qa.lead");
        clock.set(Instant.parse("2026-03-04T07:00:00Z"));

        // The whole trip again: still a breach (the budget it used stays used), but no evidence after the resolution.
        ColdChainLoop.Outcome o = loop.process(events(ColdChainLoopTest.trip()));

        assertThat(o.decisions()).singleElement().satisfies(d -> assertThat(d.breached()).isTrue());
        assertThat(o.incidentsOpened()).isZero();
        assertThat(incidents.byId.keySet()).containsExactly(FIRST);
        assertThat(decisions()).hasSize(1);
        assertThat(notices).hasSize(1);
    }

    @Test
    void theSecondExcursionRedeliveredOpensNoThirdIncident() {
        loop.process(events(ColdChainLoopTest.trip()));
        desk.disposition(FIRST, IncidentActioned.Disposition.RELEASE, null, "qa.lead");
        clock.set(Instant.parse("2026-03-04T07:00:00Z"));
        RawRecord again = alert(20, Instant.parse("2026-03-04T06:00:00Z"), 10.5, 600, 40);
        loop.process(events(List.of(again)));

        for (int i = 0; i < 3; i++) {
            ColdChainLoop.Outcome o = loop.process(events(List.of(again, again)));
            assertThat(o.incidentsOpened()).isZero();
        }
        assertThat(incidents.byId.keySet()).containsExactly(FIRST, SECOND);
        assertThat(decisions()).hasSize(2);
        assertThat(compliance.records).hasSize(2);
        assertThat(notices).hasSize(2);
    }

    @Test
    void anEscalationEmitsOneDecisionEventOneComplianceRecordAndOneNotification() {
        loop.process(events(ColdChainLoopTest.trip()));
        assertThat(incidents.byId.get(FIRST).severity()).isEqualTo("MAJOR");

        // 2 min at 16 °C inside the trip, while the incident is open: above the hard 15 °C, CRITICAL.
        RawRecord hot = alert(21, Instant.parse("2026-03-03T18:00:00Z"), 16.0, 120, 80);
        loop.process(events(List.of(hot)));
        loop.process(events(List.of(hot))); // redelivered: nothing more

        assertThat(incidents.byId.keySet()).containsExactly(FIRST);
        assertThat(incidents.byId.get(FIRST).severity()).isEqualTo("CRITICAL");
        List<TemperatureBreached> decisions = decisions();
        assertThat(decisions).extracting(b -> b.decision().severity()).containsExactly("MAJOR", "CRITICAL");
        assertThat(decisions).extracting(b -> b.decision().phase()).containsExactly(null, "ESCALATED");
        assertThat(decisions.get(1).decision().incidentId()).isEqualTo(FIRST);
        CanonicalEvent escalation = events.stored.values().stream().skip(1).findFirst().orElseThrow();
        assertThat(compliance.records).hasSize(2);
        ComplianceRecord second = compliance.records.get(1);
        assertThat(second.decisionEventId()).isEqualTo(escalation.id());
        assertThat(second.severity()).isEqualTo("CRITICAL");
        assertThat(second.eventJson()).isEqualTo(events.json.get(escalation.id()));
        assertThat(notices).extracting(IncidentNotifier.Notice::reason)
                .containsExactly(IncidentNotifier.Reason.OPENED, IncidentNotifier.Reason.ESCALATED);
        assertThat(notices.get(1).noticeId()).isEqualTo(escalation.id());
    }

    @Test
    void aHoldIsReleasedOnlyAfterADispositionOfReleaseAndTheReleaseClearsItInTheProjection() {
        loop.process(events(ColdChainLoopTest.trip()));
        assertThat(shipments.states.get(SSCC).onQualityHold()).isTrue();

        assertThatThrownBy(() -> desk.releaseHold(SSCC, null, "ops.berlin"))
                .isInstanceOfSatisfying(IncidentActionRefused.class, e -> assertThat(e.reason())
                        .isEqualTo(IncidentActionRefused.Reason.NOT_RELEASED_BY_QA))
                .hasMessageContaining(FIRST);

        desk.acknowledge(FIRST, "ops.berlin");
        desk.disposition(FIRST, IncidentActioned.Disposition.RELEASE, "within stability data", "qa.lead");
        clock.set(AFTER_TRIP.plusSeconds(60));
        ShipmentState after = desk.releaseHold(SSCC, "released to consignee", "qa.lead");

        assertThat(after.onQualityHold()).isFalse();
        assertThat(shipments.states.get(SSCC).onQualityHold()).isFalse();
        assertThat(shipments.states.get(SSCC).qualityHoldReleasedBy()).isEqualTo("qa.lead");
        assertThat(shipments.states.get(SSCC).qualityHoldReleasedAt()).isEqualTo(AFTER_TRIP.plusSeconds(60));
        assertThat(actions()).extracting(IncidentActioned::action, IncidentActioned::actor).containsExactly(
                org.assertj.core.groups.Tuple.tuple(IncidentActioned.Action.ACKNOWLEDGED, "ops.berlin"),
                org.assertj.core.groups.Tuple.tuple(IncidentActioned.Action.DISPOSITIONED, "qa.lead"),
                org.assertj.core.groups.Tuple.tuple(IncidentActioned.Action.HOLD_RELEASED, "qa.lead"));
        assertThat(incidents.byId.get(FIRST).resolution()).isEqualTo("RELEASE: within stability data");
        assertThatThrownBy(() -> desk.releaseHold(SSCC, null, "qa.lead"))
                .isInstanceOfSatisfying(IncidentActionRefused.class, e -> assertThat(e.reason())
                        .isEqualTo(IncidentActionRefused.Reason.NOT_ON_HOLD));
    }

    @Test
    void aDispositionWithoutAnIncidentIsRefusedAndRecordsNothing() {
        String none = "cold-chain/" + SSCC + "/frozen";

        assertThatThrownBy(() -> desk.disposition(none, IncidentActioned.Disposition.DESTROY, null, "qa.lead"))
                .isInstanceOfSatisfying(IncidentActionRefused.class, e -> {
                    assertThat(e.reason()).isEqualTo(IncidentActionRefused.Reason.NO_SUCH_INCIDENT);
                    assertThat(e.subject()).isEqualTo(none);
                })
                .hasMessage("no incident " + none + ": cannot disposition DESTROY it");
        assertThat(events.stored).isEmpty();
    }

    @Test
    void anIncidentIsDispositionedOnce() {
        loop.process(events(ColdChainLoopTest.trip()));
        desk.disposition(FIRST, IncidentActioned.Disposition.REJECT, null, "qa.lead");

        assertThatThrownBy(() -> desk.disposition(FIRST, IncidentActioned.Disposition.RELEASE, null, "qa.other"))
                .isInstanceOfSatisfying(IncidentActionRefused.class, e -> assertThat(e.reason())
                        .isEqualTo(IncidentActionRefused.Reason.WRONG_STATUS))
                .hasMessage("incident " + FIRST + " is RESOLVED: it cannot be dispositioned");
        assertThat(actions()).extracting(IncidentActioned::disposition)
                .containsExactly(IncidentActioned.Disposition.REJECT);
    }

    private List<TemperatureBreached> decisions() {
        return events.stored.values().stream().map(CanonicalEvent::data)
                .filter(d -> d instanceof TemperatureBreached b && b.decision() != null)
                .map(d -> (TemperatureBreached) d).toList();
    }

    private List<IncidentActioned> actions() {
        return events.stored.values().stream().map(CanonicalEvent::data)
                .filter(d -> d instanceof IncidentActioned).map(d -> (IncidentActioned) d).toList();
    }

    private static RawRecord alert(int sequence, Instant at, double observed, long seconds, int severity) {
        String json = String.format(Locale.ROOT, "{\"wb_route\":\"waybill-edge/reefer-07\",\"wb_received_ms\":%d,"
                        + "\"deviceId\":\"reefer-07\",\"sequence\":%d,\"deviceTime\":\"%s\",\"kind\":\"ALERT\","
                        + "\"payload\":{\"shipmentSscc\":\"%s\",\"deviceId\":\"reefer-07-ra\",\"observedCelsius\":%.2f,"
                        + "\"limitCelsius\":8.0,\"limit\":\"UPPER\",\"durationSeconds\":%d},\"severity\":%d,"
                        + "\"excursion\":{\"number\":%d,\"phase\":\"ENDED\",\"start\":\"%s\",\"degreeMinutes\":13.0}}",
                at.toEpochMilli() + 400, sequence, at, SSCC, observed, seconds, severity, sequence,
                at.minusSeconds(seconds));
        return RawRecord.of(json.getBytes(StandardCharsets.UTF_8), "test");
    }

    private List<CanonicalEvent> events(List<RawRecord> records) {
        RecordNormalizer normalizer = new RecordNormalizer(AdapterRegistry.standard(), NormalizerConfig.defaults(),
                clock);
        return records.stream().map(normalizer::normalize)
                .filter(r -> r instanceof NormalizationResult.Normalized)
                .map(r -> ((NormalizationResult.Normalized) r).event()).toList();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant at) {
            now = at;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package io.waybill.domain.decision;

import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ColdChainDecider;
import io.waybill.domain.coldchain.ColdChainDecision;
import io.waybill.domain.coldchain.ComplianceRecord;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureStatus;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.ingestion.ShipmentStateStore;
import io.waybill.domain.ingestion.TransientDependencyException;
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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision loop over the edge's messages for the golden trip's shape (six 8-hour summaries, a door opening hidden
 * in one of them, and the unit failure's started and ended alerts), with in-memory implementations of the ports.
 */
class ColdChainLoopTest {
    private static final String SSCC = "106141412345678908";
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T00:05:00Z"), ZoneOffset.UTC);

    private final Evidence evidence = new Evidence();
    private final Incidents incidents = new Incidents();
    private final Compliance compliance = new Compliance();
    private final Events events = new Events();
    private final Shipments shipments = new Shipments();
    private final ColdChainLoop loop = new ColdChainLoop(
            new ColdChainDecider(ColdChainConfig.builder().confirmAfter(Duration.ZERO).build()),
            sscc -> io.waybill.domain.coldchain.ShipmentClassification.classified(sscc, ProductClass.CHILLED_BIOLOGICS_2_8), evidence,
            incidents, compliance, events, shipments, CLOCK);

    @Test
    void theUnitFailureOpensOneIncidentRecordsTheDecisionHoldsTheShipmentAndAppendsOneComplianceRecord() {
        ColdChainLoop.Outcome first = loop.process(events(trip()));

        assertThat(first.firstRetryIndex()).isEmpty();
        assertThat(first.evidence()).isEqualTo(8);
        assertThat(first.incidentsOpened()).isEqualTo(1);
        assertThat(first.decided()).hasSize(8).allSatisfy(a -> assertThat(a.decidedAt()).isEqualTo(CLOCK.instant()));
        ColdChainDecision d = first.decisions().get(0);
        assertThat(d.status()).isEqualTo(ExposureStatus.BREACHED);

        assertThat(incidents.byId).hasSize(1);
        ShipmentIncident incident = incidents.byId.values().iterator().next();
        assertThat(incident.status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(incident.edgeAttention()).isEqualTo(61);
        assertThat(incidents.recorded).containsExactly(incident.incidentId());

        assertThat(events.stored).hasSize(1);
        CanonicalEvent decision = events.stored.values().iterator().next();
        assertThat(decision.source()).isEqualTo(ColdChainLoop.SOURCE);
        TemperatureBreached b = (TemperatureBreached) decision.data();
        assertThat(b.decision().incidentId()).isEqualTo(incident.incidentId());
        assertThat(b.decision().reasons()).containsExactly("TOR_BUDGET_EXCEEDED");

        ShipmentState s = shipments.states.get(SSCC);
        assertThat(s.onQualityHold()).isTrue();
        assertThat(s.qualityHoldIncidentId()).isEqualTo(incident.incidentId());

        assertThat(compliance.records).hasSize(1);
        ComplianceRecord r = compliance.records.get(0);
        assertThat(r.decisionEventId()).isEqualTo(decision.id());
        assertThat(r.eventJson()).isEqualTo(events.json.get(decision.id()));
    }

    @Test
    void redeliveredShuffledAndDuplicatedBatchesAlertOnceAndRecordTheFirstDecision() {
        loop.process(events(trip()));
        String firstDecisionJson = events.json.values().iterator().next();
        for (long seed = 1; seed <= 4; seed++) {
            List<RawRecord> again = new ArrayList<>(trip());
            again.addAll(trip().subList(3, 8));
            Collections.shuffle(again, new Random(seed));
            ColdChainLoop.Outcome o = loop.process(events(again));

            assertThat(o.incidentsOpened()).isZero();
            assertThat(o.decisions()).singleElement().extracting(ColdChainDecision::status)
                    .isEqualTo(ExposureStatus.BREACHED);
        }
        assertThat(incidents.byId).hasSize(1);
        assertThat(events.stored).hasSize(1);
        assertThat(events.json.values()).containsExactly(firstDecisionJson);
        assertThat(compliance.records).hasSize(1);
    }

    @Test
    void theDoorOpeningAloneDecidesNothing() {
        ColdChainLoop.Outcome o = loop.process(events(trip().subList(0, 6)));

        assertThat(o.decisions()).singleElement().extracting(ColdChainDecision::status)
                .isEqualTo(ExposureStatus.NORMAL);
        assertThat(incidents.byId).isEmpty();
        assertThat(events.stored).isEmpty();
        assertThat(evidence.status(SSCC)).isEqualTo(ExposureStatus.NORMAL);
    }

    @Test
    void aCrashBeforeTheDecisionWasMarkedRecordedIsCompletedByTheRetryWithoutDuplicates() {
        incidents.failMarkOnce = true;

        ColdChainLoop.Outcome failed = loop.process(events(trip()));
        assertThat(failed.firstRetryIndex()).hasValue(0);
        assertThat(events.stored).hasSize(1);
        assertThat(compliance.records).hasSize(1);

        ColdChainLoop.Outcome retried = loop.process(events(trip()));
        assertThat(retried.firstRetryIndex()).isEmpty();
        assertThat(failed.incidentsOpened()).isEqualTo(1); // the failed attempt opened it: people were alerted once
        assertThat(retried.incidentsOpened()).isZero();
        assertThat(incidents.recorded).hasSize(1);
        assertThat(events.stored).hasSize(1);
        assertThat(compliance.records).hasSize(1);
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = CLOCK.instant();

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private ColdChainLoop confirmingAfterTwoMinutes(MovingClock clock) {
        return new ColdChainLoop(new ColdChainDecider(ColdChainConfig.defaults()), sscc -> io.waybill.domain.coldchain.ShipmentClassification.classified(sscc, ProductClass.CHILLED_BIOLOGICS_2_8),
                evidence, incidents, compliance, events, shipments, clock);
    }

    @Test
    void aBreachIsOnlyPendingUntilItHasHeldForTheConfirmationDelayThenTheScheduledPassActsOnIt() {
        MovingClock clock = new MovingClock();
        ColdChainLoop loop = confirmingAfterTwoMinutes(clock);

        ColdChainLoop.Outcome o = loop.process(events(trip()));
        assertThat(o.decisions()).singleElement().extracting(ColdChainDecision::status)
                .isEqualTo(ExposureStatus.BREACHED);
        assertThat(o.incidentsOpened()).isZero();
        assertThat(incidents.byId).isEmpty();
        assertThat(evidence.pendingBreaches()).containsExactly(SSCC);

        clock.now = clock.now.plusSeconds(60);
        ColdChainLoop.Confirmation early = loop.confirmPending();
        assertThat(early.incidentsOpened()).isZero();
        assertThat(early.stillPending()).isEqualTo(1);

        clock.now = clock.now.plusSeconds(61);
        ColdChainLoop.Confirmation due = loop.confirmPending();
        assertThat(due.incidentsOpened()).isEqualTo(1);
        assertThat(incidents.byId).hasSize(1);
        assertThat(events.stored).hasSize(1);
        assertThat(compliance.records).hasSize(1);
        assertThat(evidence.pendingBreaches()).isEmpty();
        // the breach holds: later batches and passes act no more
        assertThat(loop.process(events(trip())).incidentsOpened()).isZero();
        assertThat(loop.confirmPending().decisions()).isEmpty();
    }

    @Test
    void aBreachThatLateReadingsUndoWithinTheDelayIsWithdrawnWithoutAnAlert() {
        MovingClock clock = new MovingClock();
        ColdChainLoop loop = confirmingAfterTwoMinutes(clock);
        // A logger's point readings: 9 °C at 00:10 and 00:25, 5 °C at 00:45. Each holds at most 15 minutes (the
        // policy's interpolation limit): 15 + 15 = 30 min out of range (not over the 30-min budget) and 5 min
        // unknown (00:40-00:45), 35 min together: a DATA_GAP breach ...
        Instant t = T0;
        loop.process(events(List.of(point("p0", t, 4.0), point("p1", t.plusSeconds(600), 9.0),
                point("p3", t.plusSeconds(1500), 9.0), point("p5", t.plusSeconds(2700), 5.0))));
        assertThat(evidence.pendingBreaches()).containsExactly(SSCC);

        // ... until the delayed reading at 00:15 (back to 5 °C) arrives within the delay: 9 °C held 5 min (00:10-00:15)
        // and 15 min (00:25-00:40), 5 min unknown: 25 min, within the budget.
        clock.now = clock.now.plusSeconds(30);
        ColdChainLoop.Outcome late = loop.process(events(List.of(point("p2", t.plusSeconds(900), 5.0))));
        assertThat(late.decisions()).singleElement().extracting(ColdChainDecision::status)
                .isEqualTo(ExposureStatus.NORMAL);
        assertThat(evidence.pendingBreaches()).isEmpty();

        clock.now = clock.now.plusSeconds(600);
        assertThat(loop.confirmPending().decisions()).isEmpty();
        assertThat(incidents.byId).isEmpty();
        assertThat(events.stored).isEmpty();
    }

    /** A ColdChainCo logger's point reading (events-samples/raw/coldchainco/reading.json shape). */
    private static RawRecord point(String id, Instant at, double celsius) {
        return raw(String.format(Locale.ROOT, "{\"wb_route\":\"coldchainco/CC-0007\",\"wb_received_ms\":%d,"
                + "\"msgId\":\"%s\",\"device\":{\"id\":\"CC-0007\"},\"shipment\":{\"sscc\":\"%s\"},"
                + "\"reading\":{\"at\":%d,\"celsius\":%.1f}}", at.toEpochMilli() + 500, id, SSCC,
                at.toEpochMilli(), celsius));
    }

    @Test
    void eventsThatAreNotTemperatureEvidenceAreSkipped() {
        List<RawRecord> batch = List.of(raw("""
                {"wb_route":"gps-tracker/IMEI-356938035643809","wb_received_ms":1795773600500,
                 "imei":"356938035643809","sscc":"106141412345678908","evt":"GEOFENCE_ENTER",
                 "fix":{"lat":51.44164,"lon":5.46972,"acc_m":9,"ts":1795773600},"geofence":{"gln":"0614141000180"}}"""));
        assertThat(events(batch)).hasSize(1);

        ColdChainLoop.Outcome o = loop.process(events(batch));

        assertThat(o.evidence()).isZero();
        assertThat(o.decisions()).isEmpty();
        assertThat(o.firstRetryIndex()).isEmpty();
    }

    // ---- the trip as the edge sends it (events-samples/raw/waybill-edge shapes) -----------------------------------

    static List<RawRecord> trip() {
        List<RawRecord> out = new ArrayList<>();
        double[] means = {5.02, 5.10, 4.98, 5.01, 5.48, 5.00};
        double[] max = {5.6, 11.8, 5.5, 5.6, 10.95, 5.6}; // window 1 holds the 40-second door opening
        for (int w = 0; w < 6; w++) {
            Instant start = T0.plus(Duration.ofHours(8L * w));
            Instant end = start.plus(Duration.ofHours(8)).minusSeconds(30);
            out.add(raw(String.format(Locale.ROOT, "{\"wb_route\":\"waybill-edge/reefer-07\",\"wb_received_ms\":%d,"
                            + "\"deviceId\":\"reefer-07\",\"sequence\":%d,\"deviceTime\":\"%s\",\"kind\":\"SUMMARY\","
                            + "\"payload\":{\"shipmentSscc\":\"%s\",\"deviceId\":\"reefer-07-ra\",\"windowStart\":\"%s\","
                            + "\"windowEnd\":\"%s\",\"minCelsius\":4.4,\"maxCelsius\":%.2f,\"meanCelsius\":%.2f,"
                            + "\"readingCount\":960},\"severity\":0}", end.toEpochMilli() + 400, w < 4 ? w : w + 2,
                    end, SSCC, start, end, max[w], means[w])));
        }
        Instant failure = T0.plus(Duration.ofHours(33));
        out.add(alert(4, failure.plus(Duration.ofMinutes(5)), 10.9, 300, 27, "STARTED"));
        out.add(alert(5, failure.plus(Duration.ofMinutes(40)), 10.95, 2400, 61, "ENDED"));
        return out;
    }

    private static RawRecord alert(int sequence, Instant at, double observed, long seconds, int severity,
                                   String phase) {
        return raw(String.format(Locale.ROOT, "{\"wb_route\":\"waybill-edge/reefer-07\",\"wb_received_ms\":%d,"
                        + "\"deviceId\":\"reefer-07\",\"sequence\":%d,\"deviceTime\":\"%s\",\"kind\":\"ALERT\","
                        + "\"payload\":{\"shipmentSscc\":\"%s\",\"deviceId\":\"reefer-07-ra\",\"observedCelsius\":%.2f,"
                        + "\"limitCelsius\":8.0,\"limit\":\"UPPER\",\"durationSeconds\":%d},\"severity\":%d,"
                        + "\"excursion\":{\"number\":1,\"phase\":\"%s\",\"start\":\"%s\",\"degreeMinutes\":13.0}}",
                at.toEpochMilli() + 400, sequence, at, SSCC, observed, seconds, severity, phase,
                at.minusSeconds(seconds)));
    }

    /** The canonical events ingest makes of the records (what the loop reads from the canonical stream). */
    private static List<CanonicalEvent> events(List<RawRecord> records) {
        RecordNormalizer normalizer = new RecordNormalizer(AdapterRegistry.standard(), NormalizerConfig.defaults(), CLOCK);
        return records.stream().map(normalizer::normalize)
                .filter(r -> r instanceof NormalizationResult.Normalized)
                .map(r -> ((NormalizationResult.Normalized) r).event()).toList();
    }

    private static RawRecord raw(String json) {
        return RawRecord.of(json.getBytes(StandardCharsets.UTF_8), "test");
    }

    // ---- in-memory ports --------------------------------------------------------------------------------------------

    static final class Evidence extends InMemoryEvidenceStore {
    }

    static final class Incidents implements IncidentStore {
        final Map<String, ShipmentIncident> byId = new LinkedHashMap<>();
        final Map<String, String> decisions = new LinkedHashMap<>();
        final List<String> recorded = new ArrayList<>();
        boolean failMarkOnce;

        @Override
        public Stored open(ShipmentIncident incident, String decisionEventJson) {
            ShipmentIncident existing = byId.get(incident.incidentId());
            if (existing != null) {
                return new Stored(existing, false, decisions.get(incident.incidentId()),
                        recorded.contains(incident.incidentId()));
            }
            byId.put(incident.incidentId(), incident);
            decisions.put(incident.incidentId(), decisionEventJson);
            return new Stored(incident, true, decisionEventJson, false);
        }

        @Override
        public void markDecisionRecorded(String incidentId) {
            if (failMarkOnce) {
                failMarkOnce = false;
                throw new TransientDependencyException("incidents", "throttled", null);
            }
            if (!recorded.contains(incidentId)) {
                recorded.add(incidentId);
            }
        }

        @Override
        public void raiseSeverity(String incidentId, String severity) {
            byId.computeIfPresent(incidentId, (k, v) -> v.status() == IncidentStatus.RESOLVED ? v
                    : new ShipmentIncident(v.incidentId(), v.shipmentSscc(), v.kind(), severity, v.summary(),
                    v.openedAt(), v.evidenceTime(), v.status(), v.acknowledgedAt(), v.resolvedAt(), v.resolution(),
                    v.edgeAttention()));
        }

        @Override
        public List<ShipmentIncident> forShipment(String shipmentSscc) {
            return byId.values().stream().filter(i -> i.shipmentSscc().equals(shipmentSscc)).toList();
        }

        @Override
        public Optional<ShipmentIncident> find(String incidentId) {
            return Optional.ofNullable(byId.get(incidentId));
        }

        @Override
        public List<ShipmentIncident> all() {
            return List.copyOf(byId.values());
        }

        @Override
        public ShipmentIncident acknowledge(String incidentId, Instant at) {
            return byId.compute(incidentId, (k, v) -> v.acknowledge(at));
        }

        @Override
        public ShipmentIncident resolve(String incidentId, Instant at, String resolution) {
            return byId.compute(incidentId, (k, v) -> v.resolve(at, resolution));
        }
    }

    static final class Compliance implements ComplianceStore {
        final List<ComplianceRecord> records = new ArrayList<>();

        @Override
        public boolean append(ComplianceRecord record) {
            if (records.stream().anyMatch(r -> r.recordId().equals(record.recordId()))) {
                return false;
            }
            return records.add(record);
        }

        @Override
        public List<ComplianceRecord> forShipment(String sscc) {
            return records.stream().filter(r -> r.shipmentSscc().equals(sscc)).toList();
        }
    }

    static final class Events implements EventLedger {
        final Map<String, CanonicalEvent> stored = new LinkedHashMap<>();
        final Map<String, String> json = new LinkedHashMap<>();

        @Override
        public Append append(NormalizationResult.Normalized n, Instant handlerStartedAt) {
            if (stored.containsKey(n.event().eventKey())) {
                return Append.existing(json.get(n.event().id()), null, null);
            }
            stored.put(n.event().eventKey(), n.event());
            json.put(n.event().id(), n.json());
            assertThat(CanonicalEventJson.toJsonString(n.event())).isEqualTo(n.json());
            return Append.APPENDED;
        }
    }

    static final class Shipments implements ShipmentStateStore {
        final Map<String, ShipmentState> states = new TreeMap<>();
        final Map<String, Long> versions = new TreeMap<>();

        @Override
        public Versioned load(String sscc) {
            // as DynamoDbShipmentStateStore: an absent shipment is Versioned(null, null)
            return new Versioned(states.get(sscc), versions.get(sscc));
        }

        @Override
        public boolean save(ShipmentState state, Long expectedVersion) {
            if (!java.util.Objects.equals(versions.get(state.shipmentSscc()), expectedVersion)) {
                return false;
            }
            states.put(state.shipmentSscc(), state);
            versions.merge(state.shipmentSscc(), 1L, Long::sum);
            return true;
        }
    }
}

package io.waybill.domain.decision;

import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ColdChainDecider;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ShipmentClassification;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.ingestion.CanonicalEventPublisher;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.provenance.EvidenceCommitment;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cold chain's decisions on the canonical stream: each recorded decision event is published exactly as stored
 * (the bytes the compliance record holds), before the incident is marked recorded, and comes back to the loop as
 * nothing it acts on.
 */
class DecisionPublicationTest {
    private static final String SSCC = "106141412345678908";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T00:05:00Z"), ZoneOffset.UTC);

    /** The stream: keeps what it accepted; refuses every publication while {@code refuse} is set. */
    static final class Stream implements CanonicalEventPublisher {
        final List<Publication> published = new ArrayList<>();
        boolean refuse;
        /** Whether the incident was marked recorded when each publication arrived. */
        final List<Boolean> recordedAtPublication = new ArrayList<>();
        /** The incident's stored severity when each publication arrived. */
        final List<String> storedSeverityAtPublication = new ArrayList<>();
        ColdChainLoopTest.Incidents incidents;

        @Override
        public int publish(List<Publication> events) {
            if (refuse) {
                return 0;
            }
            for (Publication p : events) {
                TemperatureBreached b = (TemperatureBreached) p.event().data();
                recordedAtPublication.add(incidents.recorded.contains(b.decision().incidentId()));
                storedSeverityAtPublication.add(incidents.byId.get(b.decision().incidentId()).severity());
            }
            published.addAll(events);
            return events.size();
        }
    }

    private final ColdChainLoopTest.Evidence evidence = new ColdChainLoopTest.Evidence();
    private final ColdChainLoopTest.Incidents incidents = new ColdChainLoopTest.Incidents();
    private final ColdChainLoopTest.Compliance compliance = new ColdChainLoopTest.Compliance();
    private final ColdChainLoopTest.Events events = new ColdChainLoopTest.Events();
    private final ColdChainLoopTest.Shipments shipments = new ColdChainLoopTest.Shipments();
    private final Stream stream = new Stream();
    private final ColdChainLoop loop = new ColdChainLoop(
            new ColdChainDecider(ColdChainConfig.builder().confirmAfter(Duration.ZERO).build()),
            sscc -> ShipmentClassification.classified(sscc, ProductClass.CHILLED_BIOLOGICS_2_8), evidence,
            incidents, compliance, events, shipments, IncidentNotifier.NONE, stream, CLOCK);

    {
        stream.incidents = incidents;
    }

    @Test
    void theRecordedDecisionIsPublishedExactlyAsStoredBeforeItIsMarkedRecorded() {
        loop.process(events(ColdChainLoopTest.trip()));

        assertThat(events.stored).hasSize(1);
        CanonicalEvent decision = events.stored.values().iterator().next();
        assertThat(stream.published).singleElement().satisfies(p -> {
            assertThat(p.event().id()).isEqualTo(decision.id());
            assertThat(p.json()).isEqualTo(events.json.get(decision.id()));
            assertThat(p.json()).isEqualTo(compliance.records.get(0).eventJson());
            // partitioned like every other event of the shipment
            assertThat(CanonicalEventPublisher.partitionKey(p.event())).isEqualTo(SSCC);
        });
        assertThat(stream.recordedAtPublication).containsExactly(false);
        assertThat(incidents.recorded).hasSize(1);
    }

    @Test
    void aRefusedPublicationLeavesTheIncidentUnrecordedAndTheRedeliveryPublishesIt() {
        stream.refuse = true;
        ColdChainLoop.Outcome failed = loop.process(events(ColdChainLoopTest.trip()));

        assertThat(failed.firstRetryIndex()).hasValue(0);
        assertThat(failed.failure()).contains("canonical stream");
        assertThat(stream.published).isEmpty();
        assertThat(incidents.recorded).isEmpty();
        assertThat(compliance.records).hasSize(1); // stored and appended before the publication

        stream.refuse = false;
        ColdChainLoop.Outcome retried = loop.process(events(ColdChainLoopTest.trip()));

        assertThat(retried.firstRetryIndex()).isEmpty();
        assertThat(stream.published).singleElement()
                .satisfies(p -> assertThat(p.json()).isEqualTo(compliance.records.get(0).eventJson()));
        assertThat(incidents.recorded).hasSize(1);
        assertThat(compliance.records).hasSize(1);
        // once recorded, later batches of the same breach publish nothing more
        loop.process(events(ColdChainLoopTest.trip()));
        assertThat(stream.published).hasSize(1);
    }

    @Test
    void theLoopFedItsOwnPublishedDecisionChangesNothing() {
        loop.process(events(ColdChainLoopTest.trip()));
        ShipmentExposure before = evidence.exposure(SSCC).orElseThrow();
        List<ExposureEvidence> evidenceBefore = evidence.load(SSCC);
        String published = stream.published.get(0).json();
        // as a stream consumer reads it: the record's bytes parsed back into a canonical event
        CanonicalEvent fromStream = parse(published);

        ColdChainLoop.Outcome o = loop.process(List.of(fromStream));

        assertThat(o.evidence()).isZero();
        assertThat(o.decisions()).isEmpty();
        assertThat(o.incidentsOpened()).isZero();
        assertThat(o.firstRetryIndex()).isEmpty();
        assertThat(incidents.byId).hasSize(1);
        assertThat(events.stored).hasSize(1);
        assertThat(compliance.records).hasSize(1);
        assertThat(stream.published).hasSize(1);
        assertThat(evidence.exposure(SSCC)).contains(before);
        assertThat(evidence.load(SSCC)).isEqualTo(evidenceBefore);
        assertThat(evidence.pendingBreaches()).isEmpty();
        assertThat(ExposureEvidence.of(fromStream)).isEmpty();
    }

    @Test
    void theDecisionCommitsToEveryPieceOfEvidenceStoredForTheShipment() {
        loop.process(events(ColdChainLoopTest.trip()));

        TemperatureBreached b = (TemperatureBreached) parse(stream.published.get(0).json()).data();
        TemperatureBreached.Commitment c = b.decision().evidenceCommitment();
        // the trip: six 8-hour summaries and the unit failure's two alerts = 8 pieces
        assertThat(c.items()).isEqualTo(8);
        assertThat(c.algorithm()).isEqualTo("sha256-jcs-v1");
        // the wiring: the digest is over the shipment's stored evidence (the digest itself is checked against a
        // hand-written canonical text in EvidenceCommitmentTest)
        assertThat(c.digest()).isEqualTo(EvidenceCommitment.of(evidence.load(SSCC)).digest());
        assertThat(stream.published.get(0).json()).contains("\"evidenceCommitment\":{\"algorithm\":\"sha256-jcs-v1\","
                + "\"items\":8,\"digest\":\"" + c.digest() + "\"}");
    }

    @Test
    void anEscalationIsPublishedAsStoredBeforeTheStoredSeverityIsRaised() {
        loop.process(events(ColdChainLoopTest.trip()));
        // 2 min at 16 °C inside the trip, while the incident is open: above the hard 15 °C, CRITICAL.
        RawRecord hot = alert(21, Instant.parse("2026-03-03T18:00:00Z"), 16.0, 120, 80);
        loop.process(events(List.of(hot)));
        loop.process(events(List.of(hot))); // redelivered: nothing more

        assertThat(compliance.records).hasSize(2);
        assertThat(stream.published).hasSize(2);
        assertThat(stream.published.get(1).json()).isEqualTo(compliance.records.get(1).eventJson());
        assertThat(stream.storedSeverityAtPublication).containsExactly("MAJOR", "MAJOR");
        TemperatureBreached escalation = (TemperatureBreached) parse(stream.published.get(1).json()).data();
        assertThat(escalation.decision().phase()).isEqualTo("ESCALATED");
        // the trip's 8 pieces and the hot alert
        assertThat(escalation.decision().evidenceCommitment().items()).isEqualTo(9);
        // fed back, both decisions change nothing
        ShipmentExposure before = evidence.exposure(SSCC).orElseThrow();
        ColdChainLoop.Outcome o = loop.process(stream.published.stream().map(p -> parse(p.json())).toList());
        assertThat(o.evidence()).isZero();
        assertThat(o.decisions()).isEmpty();
        assertThat(evidence.exposure(SSCC)).contains(before);
        assertThat(compliance.records).hasSize(2);
        assertThat(stream.published).hasSize(2);
    }

    private static RawRecord alert(int sequence, Instant at, double observed, long seconds, int severity) {
        String json = String.format(java.util.Locale.ROOT, "{\"wb_route\":\"waybill-edge/reefer-07\","
                        + "\"wb_received_ms\":%d,\"deviceId\":\"reefer-07\",\"sequence\":%d,\"deviceTime\":\"%s\","
                        + "\"kind\":\"ALERT\",\"payload\":{\"shipmentSscc\":\"%s\",\"deviceId\":\"reefer-07-ra\","
                        + "\"observedCelsius\":%.2f,\"limitCelsius\":8.0,\"limit\":\"UPPER\",\"durationSeconds\":%d},"
                        + "\"severity\":%d,\"excursion\":{\"number\":%d,\"phase\":\"ENDED\",\"start\":\"%s\","
                        + "\"degreeMinutes\":13.0}}",
                at.toEpochMilli() + 400, sequence, at, SSCC, observed, seconds, severity, sequence,
                at.minusSeconds(seconds));
        return RawRecord.of(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "test");
    }

    private static CanonicalEvent parse(String json) {
        try {
            return CanonicalEventJson.fromJson(CanonicalEventJson.MAPPER.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** The canonical events ingest makes of the records (what the loop reads from the canonical stream). */
    private static List<CanonicalEvent> events(List<RawRecord> records) {
        RecordNormalizer normalizer = new RecordNormalizer(AdapterRegistry.standard(), NormalizerConfig.defaults(),
                CLOCK);
        return records.stream().map(normalizer::normalize)
                .filter(r -> r instanceof NormalizationResult.Normalized)
                .map(r -> ((NormalizationResult.Normalized) r).event()).toList();
    }
}

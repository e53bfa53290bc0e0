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
        ColdChainLoopTest.Incidents incidents;

        @Override
        public int publish(List<Publication> events) {
            if (refuse) {
                return 0;
            }
            for (Publication p : events) {
                TemperatureBreached b = (TemperatureBreached) p.event().data();
                recordedAtPublication.add(incidents.recorded.contains(b.decision().incidentId()));
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

package io.waybill.domain.decision;

import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ColdChainDecider;
import io.waybill.domain.coldchain.ColdChainDecision;
import io.waybill.domain.coldchain.ComplianceRecord;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureFold;
import io.waybill.domain.coldchain.ExposureStatus;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ShipmentClassification;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.EventIds;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.incident.ExcursionEpisodes;
import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.ingestion.CanonicalEventPublisher;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.ingestion.ShipmentStateStore;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.projection.ShipmentProjection;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.provenance.EvidenceCommitment;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One batch of the canonical event stream through the cold-chain decision loop (the {@code coldchain} function, a
 * consumer of the events ingest stored and published, partitioned by shipment):
 * <ol>
 *   <li>take each canonical event as ingest stored it (one normalisation, one source of truth: a record ingest
 *       rejected never reaches this loop; a redelivered event is absorbed by the evidence store);</li>
 *   <li>keep the temperature evidence ({@link ExposureEvidence#of}) and store it per shipment;</li>
 *   <li>for every shipment the batch touched, decide over <em>all</em> its stored evidence, so arrival order and
 *       redelivery do not matter, and record its standing;</li>
 *   <li>on a breach, act once per incident of the shipment's current excursion episode
 *       ({@link ExcursionEpisodes}: a new excursion after QA resolved the last incident opens a new one): open the
 *       incident with the decision event (conditional create: one excursion, one alert), append the decision event ({@code TemperatureBreached} with its {@code decision},
 *       source {@value #SOURCE}, id derived from the incident) to the event store, put the shipment on quality hold
 *       in the projection, append the compliance record, notify ({@link IncidentNotifier}), publish the decision event
 *       as stored onto the canonical stream ({@link CanonicalEventPublisher}: the anchorer and partner egress read
 *       it there), then mark the incident recorded. A higher
 *       severity on an incident that is not resolved escalates it: a decision event with phase {@code ESCALATED}, a
 *       compliance record of it, a notification and its publication, then the stored severity. Every step is idempotent,
 *       and a retry after a crash between steps completes the missing ones with the decision stored first (a
 *       publication may so be repeated; stream consumers dedupe by event id).</li>
 * </ol>
 * Every decision event carries its evidence commitment ({@link EvidenceCommitment}): a digest over every evidence
 * item stored for the shipment when the decision was acted on, so a verifier can tell which evidence it saw. The
 * loop ignores its own decisions when they come back on the stream ({@link ExposureEvidence#of} takes no evidence
 * from a {@code TemperatureBreached} with a decision).
 * A dependency failure stops the batch; {@link Outcome#firstRetryIndex()} names the first record to redeliver.
 */
public final class ColdChainLoop {
    /** Source of the cloud's decision events. */
    public static final String SOURCE = "urn:waybill:coldchain";
    /** The {@code adapter} of decision events in the event store. */
    public static final String ADAPTER = "waybill-coldchain";
    /** Optimistic-lock attempts for the projection before giving up (a retry of the batch follows). */
    public static final int PROJECTION_ATTEMPTS = ProjectionWriter.ATTEMPTS;

    /**
     * What a batch did.
     *
     * @param records          records in the batch
     * @param evidence         evidence pieces taken from them
     * @param decisions        the decisions made (one per shipment touched), in shipment order
     * @param incidentsOpened  incidents this batch opened (each alerts people once)
     * @param firstRetryIndex  the first record to redeliver after a dependency failure, if any
     * @param failure          what failed, or null
     * @param decided          the evidence of the shipments decided, with its stream arrival and decision times
     */
    public record Outcome(int records, int evidence, List<ColdChainDecision> decisions, int incidentsOpened,
                          OptionalInt firstRetryIndex, String failure, List<EvidenceArrival> decided) {
        public Outcome {
            decisions = List.copyOf(decisions);
            decided = List.copyOf(decided);
        }
    }

    private final ColdChainDecider decider;
    private final Function<String, ShipmentClassification> classify;
    private final EvidenceStore evidence;
    private final IncidentStore incidents;
    private final ComplianceStore compliance;
    private final EventLedger events;
    private final ShipmentStateStore shipments;
    private final IncidentNotifier notifier;
    private final CanonicalEventPublisher canonical;
    private final Clock clock;

    /** A loop that notifies nobody (tests that do not look at notifications). */
    public ColdChainLoop(ColdChainDecider decider,
                         Function<String, ShipmentClassification> classify, EvidenceStore evidence,
                         IncidentStore incidents, ComplianceStore compliance, EventLedger events,
                         ShipmentStateStore shipments, Clock clock) {
        this(decider, classify, evidence, incidents, compliance, events, shipments, IncidentNotifier.NONE,
                clock);
    }

    public ColdChainLoop(ColdChainDecider decider,
                         Function<String, ShipmentClassification> classify, EvidenceStore evidence,
                         IncidentStore incidents, ComplianceStore compliance, EventLedger events,
                         ShipmentStateStore shipments, IncidentNotifier notifier, Clock clock) {
        this(decider, classify, evidence, incidents, compliance, events, shipments, notifier,
                CanonicalEventPublisher.NONE, clock);
    }

    /**
     * @param canonical where recorded decision events are published ({@link CanonicalEventPublisher#NONE}: nowhere)
     */
    public ColdChainLoop(ColdChainDecider decider,
                         Function<String, ShipmentClassification> classify, EvidenceStore evidence,
                         IncidentStore incidents, ComplianceStore compliance, EventLedger events,
                         ShipmentStateStore shipments, IncidentNotifier notifier, CanonicalEventPublisher canonical,
                         Clock clock) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.canonical = Objects.requireNonNull(canonical, "canonical");
        this.decider = Objects.requireNonNull(decider, "decider");
        this.classify = Objects.requireNonNull(classify, "classify");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.compliance = Objects.requireNonNull(compliance, "compliance");
        this.events = Objects.requireNonNull(events, "events");
        this.shipments = Objects.requireNonNull(shipments, "shipments");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param batch the canonical events of one stream batch, in stream order */
    public Outcome process(List<CanonicalEvent> batch) {
        Map<String, List<EvidenceArrival>> byShipment = new TreeMap<>();
        Map<String, Integer> firstIndex = new LinkedHashMap<>();
        int pieces = 0;
        for (int i = 0; i < batch.size(); i++) {
            CanonicalEvent event = batch.get(i);
            ExposureEvidence e = ExposureEvidence.of(event).orElse(null);
            if (e == null) {
                continue;
            }
            pieces++;
            byShipment.computeIfAbsent(e.shipmentSscc(), k -> new ArrayList<>())
                    .add(new EvidenceArrival(e, event.brokertime(), event.streamtime(), null));
            firstIndex.putIfAbsent(e.shipmentSscc(), i);
        }
        List<ColdChainDecision> decisions = new ArrayList<>();
        List<EvidenceArrival> decided = new ArrayList<>();
        int[] opened = {0};
        for (Map.Entry<String, List<EvidenceArrival>> s : byShipment.entrySet()) {
            String sscc = s.getKey();
            try {
                // Stored first: a decision is only ever made over evidence that is already safe.
                List<ExposureEvidence> unapplied = evidence.storeNew(sscc, s.getValue());
                Settled settled = decideAndSave(sscc, unapplied);
                evidence.markApplied(sscc, unapplied, settled.decision().decidedAt());
                if (settled.act()) {
                    act(settled.decision(), settled.product(), settled.state(), opened);
                }
                ColdChainDecision d = settled.decision();
                s.getValue().stream().map(a -> a.decided(d.decidedAt())).forEach(decided::add);
                decisions.add(d);
            } catch (TransientDependencyException ex) {
                // This shipment and every one after it are redelivered (their records may come before it).
                int retry = byShipment.keySet().stream().dropWhile(k -> !k.equals(sscc))
                        .mapToInt(firstIndex::get).min().orElseThrow();
                return new Outcome(batch.size(), pieces, decisions, opened[0], OptionalInt.of(retry),
                        ex.getMessage(), decided);
            }
        }
        return new Outcome(batch.size(), pieces, decisions, opened[0], OptionalInt.empty(), null, decided);
    }

    /**
     * A decision written with its standing: the running exposure with {@code unapplied} folded in (or rebuilt from
     * every stored piece when the shipment's product class changed), decided, and written conditionally on the
     * version read; on a conflict (the confirmation pass or a retry wrote first) everything is read and done again.
     *
     * @param decision the decision
     * @param product  the product class it was made under
     * @param state    the running exposure as written
     * @param act      true when the breach verdict has held long enough to act on
     */
    private record Settled(ColdChainDecision decision, ProductClass product, ShipmentExposure state, boolean act) {
    }

    /** Optimistic attempts to write a shipment's running exposure before the batch is retried. */
    static final int EXPOSURE_ATTEMPTS = 8;

    private Settled decideAndSave(String sscc, List<ExposureEvidence> unapplied) {
        ShipmentClassification c = classify.apply(sscc);
        ProductClass product = c.productClass();
        for (int attempt = 1; attempt <= EXPOSURE_ATTEMPTS; attempt++) {
            ShipmentExposure stored = evidence.exposure(sscc).orElse(ShipmentExposure.empty(sscc, product.name()));
            ExposureFold.Applied applied;
            if (stored.productClass().equals(product.name())) {
                applied = ExposureFold.apply(stored, unapplied, product, evidence);
            } else {
                // Measured against another product class: rebuild from every stored piece (rare: a plan changed it).
                List<EvidenceStore.Stored> all = evidence.loadAll(sscc);
                ShipmentExposure empty = new ShipmentExposure(sscc, product.name(), Map.of(), Map.of(),
                        stored.standing(), List.of(), stored.version());
                ShipmentExposure rebuilt = ExposureFold.apply(empty, all.stream().map(EvidenceStore.Stored::evidence)
                        .toList(), product, ExposureFold.TimelineNeighbours.NONE).state();
                List<String> unmarked = new ArrayList<>(all.stream().filter(x -> !x.applied())
                        .map(x -> x.evidence().evidenceId()).toList());
                unapplied.forEach(e -> { if (!unmarked.contains(e.evidenceId())) unmarked.add(e.evidenceId()); });
                applied = new ExposureFold.Applied(rebuilt, unmarked);
            }
            Instant now = clock.instant();
            ColdChainDecision d = decider.decide(applied.state(), product, c.classified(), now);
            ShipmentExposure.Standing before = stored.standing();
            ShipmentExposure.Standing standing;
            boolean act = false;
            if (!d.breached()) {
                standing = new ShipmentExposure.Standing(d.status(), null, false, now, d.worstProbe(),
                        d.assessment().figures().torSeconds(), d.assessment().figures().unknownSeconds());
            } else {
                Instant since = before.breachSince() != null ? before.breachSince() : now;
                act = !now.isBefore(since.plus(decider.config().confirmAfter()));
                standing = new ShipmentExposure.Standing(ExposureStatus.BREACHED, since, !act, now, d.worstProbe(),
                        d.assessment().figures().torSeconds(), d.assessment().figures().unknownSeconds());
            }
            ShipmentExposure next = applied.state().withStanding(standing).withApplied(applied.applied());
            if (evidence.saveExposure(next, stored.version())) {
                return new Settled(d, product, next, act);
            }
        }
        throw new TransientDependencyException("exposure of " + sscc, "still conflicting after " + EXPOSURE_ATTEMPTS
                + " attempts", null);
    }

    /**
     * The scheduled confirmation (every minute on AWS, one at a time: reserved concurrency 1): re-decides every
     * shipment with a pending breach from its running exposure, acts on those whose verdict has now held long enough,
     * withdraws those whose verdict went away. It writes the standing conditionally on the version, like the stream
     * consumer, so the two never overwrite each other.
     *
     * @return the decisions made, one per pending shipment (a dependency failure stops the pass; the next run resumes)
     */
    public Confirmation confirmPending() {
        List<ColdChainDecision> decisions = new ArrayList<>();
        int[] opened = {0};
        int stillPending = 0;
        int withdrawn = 0;
        String failure = null;
        try {
            for (String sscc : evidence.pendingBreaches()) {
                Settled settled = decideAndSave(sscc, List.of());
                ColdChainDecision d = settled.decision();
                if (settled.act()) {
                    act(d, settled.product(), settled.state(), opened);
                } else if (d.breached()) {
                    stillPending++;
                } else {
                    withdrawn++;
                }
                decisions.add(d);
            }
        } catch (TransientDependencyException e) {
            failure = e.getMessage();
        }
        return new Confirmation(decisions, opened[0], stillPending, withdrawn, failure);
    }

    /**
     * What a confirmation pass did.
     *
     * @param decisions       re-decisions of the pending shipments
     * @param incidentsOpened breaches confirmed now (each alerts people once)
     * @param stillPending    breaches that have not held long enough yet
     * @param withdrawn       pending breaches that late evidence took away
     * @param failure         a dependency failure that stopped the pass, or null
     */
    public record Confirmation(List<ColdChainDecision> decisions, int incidentsOpened, int stillPending,
                               int withdrawn, String failure) {
        public Confirmation {
            decisions = List.copyOf(decisions);
        }
    }

    /**
     * Acts on a confirmed breach: finds the incident of its excursion episode ({@link ExcursionEpisodes}), opens it
     * and records the opening decision (event, hold, compliance record, notification) once, or escalates the
     * incident when the decision's severity is higher than the stored one while it is not resolved.
     *
     * @param opened counts the incident if this call created it (even when a later step fails)
     */
    private void act(ColdChainDecision d, ProductClass product, ShipmentExposure state, int[] opened) {
        ShipmentIncident computed = d.incident().orElseThrow();
        String incidentId = ExcursionEpisodes.incidentFor(computed.incidentId(),
                incidents.forShipment(d.shipmentSscc()), state.lastOutOfBand()).orElse(null);
        if (incidentId == null) {
            return; // the breach of an episode QA has resolved: no new excursion since
        }
        ShipmentIncident incident = computed.withId(incidentId);
        // Every piece stored for the shipment when it is acted on (stored before any decision over it).
        TemperatureBreached.Commitment commitment = EvidenceCommitment.of(evidence.load(d.shipmentSscc()));
        CanonicalEvent event = decisionEvent(d, incidentId, commitment);
        IncidentStore.Stored stored = incidents.open(incident, CanonicalEventJson.toJsonString(event));
        if (stored.opened()) {
            opened[0]++;
        }
        if (!stored.decisionRecorded()) {
            recordOpening(d, incident, stored);
        }
        if (stored.incident().status() != IncidentStatus.RESOLVED
                && severityRank(incident.severity()) > severityRank(stored.incident().severity())) {
            escalate(d, incident, commitment);
        }
    }

    private void recordOpening(ColdChainDecision d, ShipmentIncident incident, IncidentStore.Stored stored) {
        // The decision as first stored with the incident is the one recorded, whatever this retry computed.
        String json = stored.decisionEventJson();
        CanonicalEvent recorded = parse(json, incident.incidentId());
        events.append(new NormalizationResult.Normalized(RawRecord.of(json.getBytes(StandardCharsets.UTF_8),
                "coldchain decision " + incident.incidentId()), recorded, json), d.decidedAt());
        hold(recorded);
        TemperatureBreached b = (TemperatureBreached) recorded.data();
        compliance.append(ComplianceRecord.of(d.shipmentSscc(), incident.incidentId(), recorded.id(),
                recorded.processingtime(), b.decision().productClass(), b.decision().severity(), json));
        notifier.notify(new IncidentNotifier.Notice(recorded.id(), IncidentNotifier.Reason.OPENED,
                incident.incidentId(), d.shipmentSscc(), b.decision().severity(), stored.incident().summary(),
                recorded.processingtime()));
        publish(recorded, json);
        incidents.markDecisionRecorded(incident.incidentId());
    }

    /**
     * The incident's severity rose: a decision event with phase {@code ESCALATED} (id derived from the incident and
     * the new severity: one per step up), the hold, a compliance record of it, a notification, then the stored
     * severity (the last step: a retry after a crash repeats only idempotent steps and the notification).
     */
    private void escalate(ColdChainDecision d, ShipmentIncident incident, TemperatureBreached.Commitment commitment) {
        TemperatureBreached data = d.breach().orElseThrow();
        TemperatureBreached escalated = data.withDecision(data.decision()
                .forIncident(incident.incidentId(), TemperatureBreached.Decision.ESCALATED)
                .withEvidenceCommitment(commitment));
        String id = EventIds.deterministic(SOURCE, escalated, null, (incident.incidentId() + "/escalated/"
                + incident.severity()).getBytes(StandardCharsets.UTF_8));
        CanonicalEvent event = new CanonicalEvent(id, SOURCE, EventType.of(escalated).type(),
                escalated.decision().evidenceEnd(), d.shipmentSscc(), null, null, null, d.decidedAt(), 0, false,
                ADAPTER, null, escalated);
        String json = CanonicalEventJson.toJsonString(event);
        EventLedger.Append appended = events.append(new NormalizationResult.Normalized(RawRecord.of(
                json.getBytes(StandardCharsets.UTF_8), "coldchain escalation " + incident.incidentId()), event, json),
                d.decidedAt());
        // A retry that computed other figures finds the first escalation stored under the same id: that one stands.
        String storedJson = appended.kind() == EventLedger.Append.Kind.APPENDED ? json : appended.storedJson();
        CanonicalEvent recorded = parse(storedJson, incident.incidentId());
        hold(recorded);
        TemperatureBreached b = (TemperatureBreached) recorded.data();
        compliance.append(ComplianceRecord.of(d.shipmentSscc(), incident.incidentId(), recorded.id(),
                recorded.processingtime(), b.decision().productClass(), b.decision().severity(), storedJson));
        notifier.notify(new IncidentNotifier.Notice(recorded.id(), IncidentNotifier.Reason.ESCALATED,
                incident.incidentId(), d.shipmentSscc(), b.decision().severity(), incident.summary(),
                recorded.processingtime()));
        publish(recorded, storedJson);
        incidents.raiseSeverity(incident.incidentId(), incident.severity());
    }

    /**
     * Puts the recorded decision event onto the canonical stream exactly as stored, before the step that marks it
     * recorded: a crash or a refused publication redelivers the batch, which publishes it again.
     */
    private void publish(CanonicalEvent recorded, String storedJson) {
        int published = canonical.publish(List.of(new CanonicalEventPublisher.Publication(recorded, storedJson)));
        if (published < 1) {
            throw new TransientDependencyException("canonical stream", "decision event " + recorded.id()
                    + " not published", null);
        }
    }

    private static CanonicalEvent parse(String json, String incidentId) {
        try {
            return CanonicalEventJson.fromJson(CanonicalEventJson.MAPPER.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("incident " + incidentId + " holds an unreadable decision", ex);
        }
    }

    private void hold(CanonicalEvent decision) {
        ProjectionWriter.apply(shipments, decision);
    }

    /** The decision as a canonical event: id derived from the incident, so every retry names the same event. */
    static CanonicalEvent decisionEvent(ColdChainDecision d) {
        return decisionEvent(d, d.breach().orElseThrow().decision().incidentId());
    }

    /** The opening decision of an episode's incident (episode 1: exactly the decider's event, as before episodes). */
    static CanonicalEvent decisionEvent(ColdChainDecision d, String incidentId) {
        return decisionEvent(d, incidentId, null);
    }

    /** The opening decision of an episode's incident, committing to the evidence it saw (null: no commitment). */
    static CanonicalEvent decisionEvent(ColdChainDecision d, String incidentId,
                                        TemperatureBreached.Commitment commitment) {
        TemperatureBreached computed = d.breach().orElseThrow();
        TemperatureBreached data = incidentId.equals(computed.decision().incidentId()) ? computed
                : computed.withDecision(computed.decision().forIncident(incidentId, null));
        if (commitment != null) {
            data = data.withDecision(data.decision().withEvidenceCommitment(commitment));
        }
        String id = EventIds.deterministic(SOURCE, data, null, incidentId.getBytes(StandardCharsets.UTF_8));
        Instant time = data.decision().evidenceEnd();
        return new CanonicalEvent(id, SOURCE, EventType.of(data).type(), time, d.shipmentSscc(), null, null, null,
                d.decidedAt(), 0, false, ADAPTER, null, data);
    }

    private static int severityRank(String severity) {
        return switch (severity) {
            case "CRITICAL" -> 3;
            case "MAJOR" -> 2;
            case "MINOR" -> 1;
            default -> 0;
        };
    }
}

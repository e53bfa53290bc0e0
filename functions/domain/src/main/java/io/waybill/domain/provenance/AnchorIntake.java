package io.waybill.domain.provenance;

import io.waybill.domain.event.CanonicalEvent;

import java.time.Clock;
import java.util.Objects;

/**
 * Queues the selected events of the canonical stream for anchoring. Idempotent by event id: a redelivered event, or
 * one already batched or anchored, is not queued again (the ledger's conditional put).
 */
public final class AnchorIntake {
    private final ProvenanceSelection selection;
    private final AnchorLedger ledger;
    private final Clock clock;
    private final AnchorJournal journal;

    public AnchorIntake(ProvenanceSelection selection, AnchorLedger ledger, Clock clock, AnchorJournal journal) {
        this.selection = Objects.requireNonNull(selection, "selection");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    public enum Outcome { QUEUED, ALREADY_KNOWN, NOT_SELECTED }

    /** @throws io.waybill.domain.ingestion.TransientDependencyException when the ledger could not answer (retry) */
    public Outcome accept(CanonicalEvent event) {
        if (!selection.selects(event)) {
            return Outcome.NOT_SELECTED;
        }
        AnchorCandidate candidate = AnchorCandidate.of(event, clock.instant());
        if (!ledger.enqueue(candidate)) {
            return Outcome.ALREADY_KNOWN;
        }
        journal.queued(candidate);
        return Outcome.QUEUED;
    }
}

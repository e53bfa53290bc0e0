package io.waybill.domain.provenance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One pass of the anchoring engine: dissolve batches a crash left SEALING, seal due batches, send sealed ones, follow
 * sent ones to confirmation. Callable in a loop until a deadline ({@link #until}). The pass holds the writer lease
 * {@code writer#<address>} (one writer per key); a pass that cannot take it does nothing. When the node or the key
 * service does not answer, the pass stops where it is: every state change already made is a stored fact, and the
 * next pass goes on from it.
 */
public final class AnchorRun {
    /** How a pass ended. */
    public enum Outcome {
        /** Every open batch was looked at. */
        DONE,
        /** Another run holds the writer lease. */
        LEASE_HELD,
        /** The node or the key service did not answer: the pass stopped early. */
        NODE_UNAVAILABLE,
        /** The deadline came before every batch was looked at. */
        DEADLINE
    }

    /** Waits between passes (tests pass a clock-advancing one). */
    public interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private final AnchorLedger ledger;
    private final DigestSigner signer;
    private final AnchorBatcher batcher;
    private final AnchorWriter writer;
    private final AnchorConfirmer confirmer;
    private final AnchorRunSettings settings;
    private final Clock clock;
    private final AnchorJournal journal;
    private final String owner = UUID.randomUUID().toString();

    public AnchorRun(AnchorLedger ledger, AnchorChain chain, DigestSigner signer, EventProofs proofs,
                     AnchorBatchPolicy policy, AnchorRunSettings settings, Clock clock, AnchorJournal journal) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.batcher = new AnchorBatcher(ledger, policy, settings, clock, journal);
        this.writer = new AnchorWriter(ledger, chain, signer, settings, clock, journal);
        this.confirmer = new AnchorConfirmer(ledger, chain, signer, writer, proofs, settings, clock, journal);
    }

    /** The writer lease's key for this signer. */
    public String leaseKey() {
        return "writer#" + signer.address();
    }

    /** One pass, ending early at {@code deadline}. */
    public Outcome pass(Instant deadline) {
        if (!renewLease()) {
            return Outcome.LEASE_HELD;
        }
        try {
            for (AnchorBatch b : ledger.openBatches()) {
                if (b.state() == AnchorBatch.State.SEALING) {
                    batcher.dissolve(b);
                }
            }
            batcher.sealDue();
            List<AnchorBatch> open = ledger.openBatches();
            for (AnchorBatch listed : open) {
                if (!clock.instant().isBefore(deadline)) {
                    return Outcome.DEADLINE;
                }
                if (!renewLease()) {
                    return Outcome.LEASE_HELD;
                }
                AnchorBatch b = ledger.batch(listed.root()).orElse(null);
                if (b == null) {
                    continue;
                }
                switch (b.state()) {
                    case SEALED -> writer.write(b);
                    case SENDING, INCLUDED -> confirmer.confirm(b);
                    default -> {
                    }
                }
            }
            return Outcome.DONE;
        } catch (ChainUnavailableException e) {
            journal.nodeUnavailable("anchor pass", e);
            return Outcome.NODE_UNAVAILABLE;
        }
    }

    /**
     * Passes until {@code deadline}, {@code every} apart, then gives the lease up. A pass that found the node
     * unavailable is followed by the next one after the same pause.
     */
    public void until(Instant deadline, Duration every, Pause pause) throws InterruptedException {
        try {
            while (clock.instant().plus(every).isBefore(deadline)) {
                pass(deadline);
                pause.sleep(every);
            }
        } finally {
            ledger.releaseLease(leaseKey(), owner);
        }
    }

    private boolean renewLease() {
        Instant now = clock.instant();
        return ledger.holdLease(leaseKey(), owner, now, now.plus(settings.lease()));
    }
}

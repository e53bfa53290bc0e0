package io.waybill.domain.provenance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Seals due batches: a batch closes when {@code maxEvents} are queued or the oldest queued event has waited
 * {@code maxWait}; its members are the oldest queued events, up to {@code maxEvents}, and its id is their tree's root.
 *
 * <p>Crash safety: the batch is written SEALING (root, count) first, then each member is claimed (conditional: still
 * queued), then the batch becomes SEALED. A SEALING batch found by a later pass was never signed: it is dissolved, its
 * members go back to the queue and the batch is deleted. Runs only under the writer lease.
 */
public final class AnchorBatcher {
    private final AnchorLedger ledger;
    private final AnchorBatchPolicy policy;
    private final AnchorRunSettings settings;
    private final Clock clock;
    private final AnchorJournal journal;

    public AnchorBatcher(AnchorLedger ledger, AnchorBatchPolicy policy, AnchorRunSettings settings, Clock clock,
                         AnchorJournal journal) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    /** Dissolves a batch left SEALING by a crashed pass. */
    public void dissolve(AnchorBatch sealing) {
        if (sealing.state() != AnchorBatch.State.SEALING) {
            throw new IllegalArgumentException("only a SEALING batch is dissolved: " + sealing.state());
        }
        for (AnchorCandidate member : ledger.members(sealing.root())) {
            ledger.release(member.eventId(), sealing.root());
        }
        ledger.deleteBatch(sealing.root());
    }

    /** Seals every due batch; returns the roots sealed. */
    public List<String> sealDue() {
        List<String> sealed = new ArrayList<>();
        while (true) {
            List<AnchorCandidate> queued = ledger.oldestQueued(policy.maxEvents());
            if (queued.isEmpty()) {
                return sealed;
            }
            Instant now = clock.instant();
            boolean full = queued.size() >= policy.maxEvents();
            boolean waited = !queued.get(0).queuedAt().plus(policy.maxWait()).isAfter(now);
            if (!full && !waited) {
                return sealed;
            }
            String root = seal(queued, now);
            if (root == null) {
                return sealed; // raced or collided: the queue is looked at again next pass
            }
            sealed.add(root);
        }
    }

    private String seal(List<AnchorCandidate> queued, Instant now) {
        List<AnchorCandidate> members = queued;
        AnchorBatch sealing;
        while (true) {
            AnchorTree tree = AnchorTree.ofHex(members.stream().map(AnchorCandidate::leafValue).toList());
            String root = tree.root();
            sealing = AnchorBatch.sealing(root, members.size(), settings.uri(root), now);
            if (ledger.createBatch(sealing, members)) {
                break;
            }
            // The same hashes in the same order were batched before (events with equal content under other ids; the
            // hash leaves the id out). One event fewer gives another root; the rest waits for the next batch.
            if (members.size() == 1) {
                journal.alarm(root, "event " + members.get(0).eventId() + " alone makes the root of an existing "
                        + "batch (an event with the same content was anchored alone); it stays queued");
                return null;
            }
            members = members.subList(0, members.size() - 1);
        }
        String root = sealing.root();
        for (int i = 0; i < members.size(); i++) {
            if (!ledger.claim(members.get(i).eventId(), root, i)) {
                dissolve(sealing); // a member left the queue meanwhile: the tree would be wrong
                return null;
            }
        }
        if (!ledger.update(sealing.in(AnchorBatch.State.SEALED))) {
            throw new IllegalStateException("batch " + root + " changed while it was being sealed under the lease");
        }
        journal.sealed(root, members.size());
        return root;
    }
}

package io.waybill.domain.provenance;

import io.waybill.domain.ingestion.TransientDependencyException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Follows a sent batch to confirmation. Any of its attempts may be the one mined (a replacement or the original), so
 * all are looked for. Included and succeeded: the inclusion is recorded; once it is {@code confirmations} deep and the
 * block at that height still has the recorded hash, every member's proof is written, then the batch is CONFIRMED
 * (proofs first: a crash repeats an idempotent write). A recorded inclusion that is gone is a reorganisation: the
 * batch goes back to sending. Not included after {@code stuckAfter}: unknown to the node, the same bytes are sent
 * again; pending, a replacement with raised fees is sent. Runs only under the writer lease.
 */
public final class AnchorConfirmer {
    private final AnchorLedger ledger;
    private final AnchorChain chain;
    private final DigestSigner signer;
    private final AnchorWriter writer;
    private final EventProofs proofs;
    private final AnchorRunSettings settings;
    private final Clock clock;
    private final AnchorJournal journal;

    public AnchorConfirmer(AnchorLedger ledger, AnchorChain chain, DigestSigner signer, AnchorWriter writer,
                           EventProofs proofs, AnchorRunSettings settings, Clock clock, AnchorJournal journal) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.proofs = Objects.requireNonNull(proofs, "proofs");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    /** One look at a SENDING or INCLUDED batch. */
    public void confirm(AnchorBatch batch) {
        if (batch.state() != AnchorBatch.State.SENDING && batch.state() != AnchorBatch.State.INCLUDED) {
            throw new IllegalArgumentException("only a sent batch is confirmed: " + batch.state());
        }
        List<AnchorChain.Inclusion> found = new ArrayList<>();
        for (AnchorAttempt attempt : batch.attempts()) {
            chain.inclusion(attempt.hash()).ifPresent(found::add);
        }
        Optional<AnchorChain.Inclusion> succeeded = found.stream().filter(AnchorChain.Inclusion::succeeded)
                .findFirst();
        if (succeeded.isPresent()) {
            included(batch, succeeded.get());
        } else if (!found.isEmpty()) {
            reverted(batch, found.get(0));
        } else if (batch.state() == AnchorBatch.State.INCLUDED) {
            journal.reorganised(batch.root(), batch.included());
            AnchorBatch back = batch.reorganised();
            if (ledger.update(back)) {
                resend(back);
            }
        } else {
            unmined(batch);
        }
    }

    private void included(AnchorBatch batch, AnchorChain.Inclusion inclusion) {
        AnchorBatch current = batch;
        if (batch.state() != AnchorBatch.State.INCLUDED || !inclusion.equals(batch.included())) {
            if (batch.state() == AnchorBatch.State.INCLUDED) {
                journal.reorganised(batch.root(), batch.included()); // mined again, elsewhere
            }
            current = batch.includedIn(inclusion);
            if (!ledger.update(current)) {
                return;
            }
        }
        long depth = chain.blockNumber() - inclusion.block() + 1;
        if (depth < settings.confirmations()) {
            return;
        }
        Optional<String> hashNow = chain.blockHash(inclusion.block());
        if (hashNow.isEmpty() || !hashNow.get().equals(inclusion.blockHash())) {
            return; // the block is being replaced: the next look finds where (or whether) it landed
        }
        AnchorReceipt receipt = new AnchorReceipt(chain.chainId(), chain.registry(), inclusion.txHash(),
                inclusion.block());
        List<AnchorCandidate> members = ledger.members(batch.root());
        if (members.size() != batch.count()) {
            throw new TransientDependencyException("anchor ledger", "batch " + batch.root() + " lists "
                    + members.size() + " of its " + batch.count() + " members (index not caught up)", null);
        }
        AnchorTree tree = AnchorTree.ofHex(members.stream().map(AnchorCandidate::leafValue).toList());
        if (!tree.root().equals(batch.root())) {
            throw new IllegalStateException("the members of batch " + batch.root() + " make root " + tree.root());
        }
        List<EventProof> out = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            AnchorCandidate m = members.get(i);
            out.add(EventProof.of(m.eventId(), EventHash.ofHex(m.eventHash()), tree, i, receipt));
        }
        proofs.putAll(out);
        if (ledger.update(current.in(AnchorBatch.State.CONFIRMED))) {
            journal.confirmed(batch.root(), receipt, members.size());
        }
    }

    private void reverted(AnchorBatch batch, AnchorChain.Inclusion inclusion) {
        OptionalLong onChain = chain.anchoredAt(batch.root());
        if (onChain.isPresent()) {
            writer.adopt(batch, onChain.getAsLong());
        } else {
            writer.fail(batch, "transaction " + inclusion.txHash() + " reverted in block " + inclusion.block());
        }
    }

    /** After a reorganisation: the same bytes while their nonce is free, else a new anchor. */
    private void resend(AnchorBatch batch) {
        AnchorAttempt latest = batch.latest().orElseThrow();
        if (chain.nonce(signer.address(), false).compareTo(latest.nonce()) > 0) {
            writer.reanchor(batch);
        } else {
            writer.rebroadcast(batch);
        }
    }

    private void unmined(AnchorBatch batch) {
        Optional<AnchorAttempt> latestOr = batch.latest();
        if (latestOr.isEmpty()) {
            return;
        }
        AnchorAttempt latest = latestOr.get();
        if (latest.underpriced()) {
            writer.replace(batch);
            return;
        }
        if (latest.broadcastAt() == null) {
            resend(batch); // stored, never accepted (a crash, an unreachable node): the same bytes
            return;
        }
        Instant now = clock.instant();
        if (latest.broadcastAt().plus(settings.stuckAfter()).isAfter(now)) {
            return;
        }
        if (!chain.knows(latest.hash())) {
            resend(batch);
        } else {
            writer.replace(batch);
        }
    }
}

package io.waybill.domain.provenance;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Signs, stores and broadcasts a batch's anchor transaction. The signed bytes and the signer's next nonce are stored
 * together before anything is broadcast, so a crash between the two leaves bytes to rebroadcast, never a second
 * nonce; a stored attempt is only ever sent as stored. Runs only under the writer lease.
 */
public final class AnchorWriter {
    private final AnchorLedger ledger;
    private final AnchorChain chain;
    private final DigestSigner signer;
    private final AnchorRunSettings settings;
    private final Clock clock;
    private final AnchorJournal journal;

    public AnchorWriter(AnchorLedger ledger, AnchorChain chain, DigestSigner signer, AnchorRunSettings settings,
                        Clock clock, AnchorJournal journal) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    /** Sends a SEALED batch's first transaction, unless its root is already on chain. */
    public void write(AnchorBatch sealed) {
        if (sealed.state() != AnchorBatch.State.SEALED) {
            throw new IllegalArgumentException("only a SEALED batch is written: " + sealed.state());
        }
        anchor(sealed, true);
    }

    /**
     * A new transaction with a fresh nonce for a batch none of whose attempts can be mined any more (its nonce was
     * taken by another transaction, or a reorganisation dropped it and the nonce is gone).
     */
    public void reanchor(AnchorBatch batch) {
        anchor(batch, false);
    }

    private void anchor(AnchorBatch batch, boolean mayRetryNonce) {
        OptionalLong onChain = chain.anchoredAt(batch.root());
        if (onChain.isPresent()) {
            adopt(batch, onChain.getAsLong());
            return;
        }
        AnchorChain.AnchorCall call = new AnchorChain.AnchorCall(batch.root(), batch.count(), batch.uri());
        long estimate;
        try {
            estimate = chain.estimateGas(signer.address(), call);
        } catch (ChainRejectedException e) {
            OptionalLong raced = chain.anchoredAt(batch.root());
            if (raced.isPresent()) {
                adopt(batch, raced.getAsLong());
            } else {
                // not authorised, paused registry...: the batch waits (stays as it is) until an operator fixes it
                journal.alarm(batch.root(), "the registry would revert anchor(); the batch waits: " + e.getMessage());
            }
            return;
        }
        Optional<BigInteger> stored = ledger.nextNonce(signer.address());
        BigInteger nonce = stored.orElse(BigInteger.ZERO).max(chain.nonce(signer.address(), false));
        AnchorChain.AnchorTx tx = new AnchorChain.AnchorTx(nonce, chain.suggestedFees(),
                AnchorRunSettings.gasLimit(estimate), call);
        AnchorBatch next = store(batch, tx, stored);
        if (next != null) {
            send(next, Sending.FIRST, mayRetryNonce);
        }
    }

    /** A replacement of the pending newest attempt: same nonce, fees raised by at least the bump. */
    public void replace(AnchorBatch batch) {
        AnchorAttempt pending = batch.latest().orElseThrow();
        AnchorChain.Fees fees = pending.fees().bumped(settings.feeBumpPercent(), chain.suggestedFees());
        AnchorChain.AnchorTx tx = new AnchorChain.AnchorTx(pending.nonce(), fees, pending.gasLimit(),
                new AnchorChain.AnchorCall(batch.root(), batch.count(), batch.uri()));
        AnchorBatch next = store(batch, tx, ledger.nextNonce(signer.address()));
        if (next != null) {
            send(next, Sending.REPLACEMENT, true);
        }
    }

    /** Sends the newest attempt's stored bytes again. */
    public void rebroadcast(AnchorBatch batch) {
        send(batch, Sending.AGAIN, true);
    }

    private AnchorBatch store(AnchorBatch batch, AnchorChain.AnchorTx tx, Optional<BigInteger> storedNext) {
        AnchorChain.SignedAnchor signed = chain.sign(tx, signer);
        AnchorBatch next = batch.withAttempt(AnchorAttempt.of(signed, clock.instant()));
        BigInteger nextNonce = storedNext.orElse(BigInteger.ZERO).max(tx.nonce().add(BigInteger.ONE));
        if (!ledger.storeAttempt(next, signer.address(), storedNext, nextNonce)) {
            return null; // another writer moved the batch or the nonce: nothing was broadcast
        }
        return next;
    }

    private enum Sending { FIRST, REPLACEMENT, AGAIN }

    private void send(AnchorBatch batch, Sending kind, boolean mayRetryNonce) {
        AnchorAttempt attempt = batch.latest().orElseThrow();
        Instant now = clock.instant();
        try {
            chain.broadcast(attempt.rawBytes());
        } catch (ChainRejectedException e) {
            switch (e.reason()) {
                case ALREADY_KNOWN -> {
                    // the node has these exact bytes: as good as accepted
                }
                case NONCE_TOO_LOW -> {
                    if (anyIncluded(batch)) {
                        return; // one of ours was mined: the confirmer takes it from here
                    }
                    if (mayRetryNonce) {
                        anchor(batch, false); // the nonce is gone: a fresh attempt with a new nonce
                    } else {
                        journal.alarm(batch.root(), "a fresh nonce was refused as too low: " + e.getMessage());
                    }
                    return;
                }
                case REPLACEMENT_UNDERPRICED, FEE_TOO_LOW -> {
                    ledger.update(batch.withLatest(attempt.refusedAsUnderpriced()));
                    return; // the next pass bumps again
                }
                default -> {
                    journal.alarm(batch.root(), "the node refused the anchor transaction " + attempt.hash() + ": "
                            + e.getMessage());
                    return;
                }
            }
        }
        AnchorAttempt sent = attempt.broadcast(now);
        ledger.update(batch.withLatest(sent));
        switch (kind) {
            case FIRST -> journal.broadcast(batch.root(), sent);
            case REPLACEMENT -> journal.feeBump(batch.root(), sent);
            case AGAIN -> journal.rebroadcast(batch.root(), sent);
        }
    }

    private boolean anyIncluded(AnchorBatch batch) {
        for (AnchorAttempt a : batch.attempts()) {
            if (chain.inclusion(a.hash()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The root is already on chain. If one of our attempts holds it the confirmer finds that inclusion; if none of
     * ours does (another anchorer, or an attempt we never stored), there is no transaction of ours to put in the
     * proofs: the batch stops as ANCHORED_ELSEWHERE and an operator is alarmed.
     */
    void adopt(AnchorBatch batch, long block) {
        if (anyIncluded(batch)) {
            if (batch.state() == AnchorBatch.State.SEALED) {
                ledger.update(batch.in(AnchorBatch.State.SENDING));
            }
            return;
        }
        ledger.update(batch.stopped(AnchorBatch.State.ANCHORED_ELSEWHERE,
                "root anchored in block " + block + " by a transaction this ledger does not hold"));
        journal.alarm(batch.root(), "root already anchored in block " + block + " by none of our transactions");
    }

    void fail(AnchorBatch batch, String why) {
        ledger.update(batch.stopped(AnchorBatch.State.FAILED, why));
        journal.alarm(batch.root(), "anchor failed: " + why);
    }
}

package io.waybill.domain.ingestion;

import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;

import java.util.Objects;

/**
 * What re-driving one dead letter would do, decided with the current code: the rule the CLI replay
 * ({@code ./waybill replay}) and the ops API's {@code POST /dead-letters/.../replay} share.
 *
 * <ul>
 * <li>{@link Outcome#KEPT}: an {@link RejectionReason#ID_CONFLICT} letter (re-driving cannot settle a conflict, it
 *     would only raise it again) or security evidence ({@link RejectionReason#securityEvidence()}: re-driving changes
 *     nothing and would hide an attack). Only naming such a reason explicitly re-drives it (the CLI's selection).</li>
 * <li>{@link Outcome#REJECTED_AGAIN}: the current code still rejects the raw payload while normalising; the reason and
 *     detail are the new rejection's.</li>
 * <li>{@link Outcome#WOULD_PASS}: the current code normalises it. For the reasons ingest decides from the device
 *     registry after normalising (unregistered, unassigned, ...) this means "ingest decides again".</li>
 * </ul>
 *
 * @param outcome what would happen
 * @param reason  for {@code REJECTED_AGAIN}: the reason now; for {@code KEPT}: the letter's reason; else null
 * @param detail  for {@code REJECTED_AGAIN}: what the current code says; for {@code KEPT}: why it is kept; else null
 */
public record ReplayVerdict(Outcome outcome, RejectionReason reason, String detail) {

    public enum Outcome { WOULD_PASS, REJECTED_AGAIN, KEPT }

    public ReplayVerdict {
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Whether a replay that names no reason leaves letters of {@code reason} where they are. */
    public static boolean keptUnlessNamed(RejectionReason reason) {
        return reason == RejectionReason.ID_CONFLICT || reason.securityEvidence();
    }

    /**
     * Re-normalises the letter's raw payload with {@code normalizer}.
     *
     * @param source names the letter in the normaliser's origin (a message id, a desk id)
     */
    public static ReplayVerdict of(DeadLetter letter, RecordNormalizer normalizer, String source) {
        if (keptUnlessNamed(letter.reason())) {
            return new ReplayVerdict(Outcome.KEPT, letter.reason(), letter.reason() == RejectionReason.ID_CONFLICT
                    ? "an id conflict is settled by a person, not by re-driving"
                    : "security evidence stays dead-lettered; re-driving would hide it");
        }
        return renormalised(letter, normalizer, source);
    }

    /** Re-normalising only (the CLI applies its own selection first). */
    public static ReplayVerdict renormalised(DeadLetter letter, RecordNormalizer normalizer, String source) {
        NormalizationResult now = normalizer.normalize(RawRecord.of(letter.payload(), source));
        if (now instanceof NormalizationResult.Rejected r) {
            return new ReplayVerdict(Outcome.REJECTED_AGAIN, r.reason(), r.detail());
        }
        return new ReplayVerdict(Outcome.WOULD_PASS, null, null);
    }
}

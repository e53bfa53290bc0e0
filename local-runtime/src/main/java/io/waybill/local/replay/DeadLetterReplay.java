package io.waybill.local.replay;

import io.waybill.aws.stream.RecordRedrive;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.ReplayVerdict;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Re-drives dead-lettered records into the ingest stream after a fix, through the one ingestion path.
 *
 * <p>Each dead letter is decoded ({@link DeadLetterDecoder}) and its raw payload normalised with the current code: a
 * record that would be rejected again stays in the queue (unless {@link Selection#allReasons()}), so a replay before
 * the fix is deployed loses nothing and loops nothing. An {@link RejectionReason#ID_CONFLICT} letter stays too unless
 * its reason is selected by name: re-driving cannot settle a conflict, it would only raise it again. So do the
 * identity rejections that are evidence of an attack or a broken device ({@link RejectionReason#securityEvidence()}:
 * IDENTITY_MISMATCH, DEVICE_REVOKED, UNSIGNED, BAD_SIGNATURE, REPLAYED): re-driving changes nothing and would hide
 * them. UNREGISTERED_DEVICE and UNASSIGNED letters are selected by default: an operator registering or assigning the
 * device is their fix.
 *
 * <p>The replay does not read the device registry: re-normalising says whether the adapters accept a record, not
 * whether its device is registered, assigned, signs correctly or is revoked ({@link #REGISTRY_DECIDED}). A letter
 * dead-lettered for one of those reasons that the current code normalises is therefore re-driven when selected (never
 * counted "rejected again" for a reason the replay cannot check), and ingest decides again: it re-reads the registry
 * fresh before it dead-letters a record as unregistered or unassigned, so a device registered or assigned a moment
 * ago is not rejected by its cache; one that is still not is dead-lettered again with the same reason (nothing lost).
 * A letter the current code rejects while normalising stays, counted under that reason. The records that
 * now pass are put back on the stream with their original partition keys (PutRecords, {@link RecordRedrive}), and
 * only the letters whose record was put are deleted; a crash in between re-drives them again next time, which the
 * event store absorbs: the event id comes from the producer's identity, so a record replayed twice (or replayed
 * after all) is a duplicate, not a second event.
 */
public final class DeadLetterReplay {
    /** How long a received dead letter stays invisible while this run decides about it. */
    public static final int VISIBILITY_SECONDS = 60;
    /** The partition key of a letter whose origin does not name one. */
    public static final String FALLBACK_PARTITION_KEY = "replay";
    /**
     * The reasons ingest decides from the device registry after normalising, which re-normalising cannot check: a
     * letter for one of them that normalises is re-driven and ingest's registry check decides again. (IDENTITY_MISMATCH
     * is both: a payload naming another device is rejected while normalising and stays; a thing registered for
     * another adapter is the registry's word.)
     */
    public static final Set<RejectionReason> REGISTRY_DECIDED = Collections.unmodifiableSet(EnumSet.of(
            RejectionReason.UNREGISTERED_DEVICE, RejectionReason.IDENTITY_MISMATCH, RejectionReason.DEVICE_REVOKED,
            RejectionReason.UNSIGNED, RejectionReason.BAD_SIGNATURE, RejectionReason.REPLAYED,
            RejectionReason.UNASSIGNED));

    private final SqsClient sqs;
    private final RecordNormalizer normalizer;
    private final DeadLetterDecoder decoder;
    private final RecordRedrive redrive;
    private final int waitSeconds;

    /**
     * @param decoder     reads a message body (the claim-check reader plugs in here)
     * @param waitSeconds the receive wait: 0 on the local stack, ≥ 1 on AWS ({@link QueueSweep})
     */
    public DeadLetterReplay(SqsClient sqs, KinesisClient kinesis, RecordNormalizer normalizer, DeadLetterDecoder decoder,
                            int waitSeconds) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.redrive = new RecordRedrive(kinesis);
        this.waitSeconds = waitSeconds;
    }

    /** On the local stack, letters as {@link DeadLetterDecoder#JSON} reads them. */
    public DeadLetterReplay(SqsClient sqs, KinesisClient kinesis, RecordNormalizer normalizer) {
        this(sqs, kinesis, normalizer, DeadLetterDecoder.JSON, 0);
    }

    /**
     * Which letters a replay considers.
     *
     * @param reasons    only letters dead-lettered for one of these reasons (empty: every reason but ID_CONFLICT and
     *                   the security evidence, {@link RejectionReason#securityEvidence()}, which only naming selects)
     * @param allReasons re-drive even the records the current code would reject again (it does not select the
     *                   reasons only naming selects)
     */
    public record Selection(Set<RejectionReason> reasons, boolean allReasons) {
        public Selection {
            reasons = reasons.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(reasons));
        }

        /** Every reason a replay re-drives by default; only the records the current code accepts. */
        public static Selection passingNow() {
            return new Selection(Set.of(), false);
        }

        /** Whether letters dead-lettered for {@code reason} are considered. */
        public boolean selects(RejectionReason reason) {
            if (reasons.isEmpty()) {
                return selectedByDefault(reason);
            }
            return reasons.contains(reason);
        }
    }

    /**
     * Whether a replay that names no reason considers letters of {@code reason}: all but {@code ID_CONFLICT} (re-driving
     * cannot settle a conflict) and the security evidence (re-driving changes nothing and hides an attack).
     */
    public static boolean selectedByDefault(RejectionReason reason) {
        return !ReplayVerdict.keptUnlessNamed(reason);
    }

    /**
     * What a replay did.
     *
     * @param examined     dead letters read
     * @param replayed     put back on the stream and deleted from the queue (in a dry run: would be)
     * @param stillFailing left in the queue, by the reason the current code would reject them for now
     * @param unreadable   messages that are no Waybill dead letter, or whose payload could not be fetched (kept)
     * @param replayedByReason {@code replayed}, by the reason each was dead-lettered for
     * @param notSelected  left in the queue because {@link Selection} leaves their reason out, by that reason
     * @param notPut       would pass but could not be put on the stream (kept), with why
     */
    public record Result(int examined, int replayed, Map<RejectionReason, Integer> stillFailing, int unreadable,
                         Map<RejectionReason, Integer> replayedByReason, Map<RejectionReason, Integer> notSelected,
                         List<String> notPut) {
        public Result {
            stillFailing = Collections.unmodifiableMap(new EnumMap<>(copy(stillFailing)));
            replayedByReason = Collections.unmodifiableMap(new EnumMap<>(copy(replayedByReason)));
            notSelected = Collections.unmodifiableMap(new EnumMap<>(copy(notSelected)));
            notPut = List.copyOf(notPut);
        }

        private static Map<RejectionReason, Integer> copy(Map<RejectionReason, Integer> m) {
            return m.isEmpty() ? new EnumMap<>(RejectionReason.class) : m;
        }

        /** Nothing was left behind for a reason other than "rejected again" or "not selected". */
        public boolean complete() {
            return unreadable == 0 && notPut.isEmpty();
        }
    }

    /**
     * As {@link #replay(String, String, Selection, boolean)} with every reason selected.
     *
     * @param all re-drive even records that would be rejected again
     */
    public Result replay(String queueUrl, String stream, boolean all, boolean dryRun) {
        return replay(queueUrl, stream, new Selection(Set.of(), all), dryRun);
    }

    /**
     * @param queueUrl  the dead-letter queue
     * @param stream    the ingest (raw telemetry) stream to put records back on
     * @param selection which letters to consider
     * @param dryRun    decide and report, change nothing (every message becomes visible again at once)
     */
    public Result replay(String queueUrl, String stream, Selection selection, boolean dryRun) {
        Map<RejectionReason, Integer> stillFailing = new EnumMap<>(RejectionReason.class);
        Map<RejectionReason, Integer> replayedByReason = new EnumMap<>(RejectionReason.class);
        Map<RejectionReason, Integer> notSelected = new EnumMap<>(RejectionReason.class);
        List<String> notPut = new ArrayList<>();
        int[] unreadable = {0};
        int examined = new QueueSweep(sqs, VISIBILITY_SECONDS, waitSeconds).sweep(queueUrl, batch -> {
            List<Message> passing = new ArrayList<>();
            List<DeadLetter> letters = new ArrayList<>();
            for (Message m : batch) {
                DeadLetter letter;
                try {
                    letter = decoder.decode(m.body());
                } catch (RuntimeException e) {
                    unreadable[0]++;
                    continue;
                }
                if (!selection.selects(letter.reason())) {
                    notSelected.merge(letter.reason(), 1, Integer::sum);
                    continue;
                }
                ReplayVerdict now = ReplayVerdict.renormalised(letter, normalizer, "dead letter " + m.messageId());
                if (now.outcome() == ReplayVerdict.Outcome.REJECTED_AGAIN && !selection.allReasons()) {
                    stillFailing.merge(now.reason(), 1, Integer::sum);
                    continue;
                }
                passing.add(m);
                letters.add(letter);
            }
            if (dryRun || passing.isEmpty()) {
                letters.forEach(l -> replayedByReason.merge(l.reason(), 1, Integer::sum));
                return Set.of();
            }
            return putAndSelectForDeletion(stream, passing, letters, replayedByReason, notPut);
        });
        int replayed = replayedByReason.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(examined, replayed, stillFailing, unreadable[0], replayedByReason, notSelected, notPut);
    }

    private Set<Message> putAndSelectForDeletion(String stream, List<Message> messages, List<DeadLetter> letters,
                                                 Map<RejectionReason, Integer> replayedByReason, List<String> notPut) {
        List<RecordRedrive.Entry> entries = letters.stream().map(l -> new RecordRedrive.Entry(
                l.origin() != null && l.origin().partitionKey() != null ? l.origin().partitionKey()
                        : FALLBACK_PARTITION_KEY, SdkBytes.fromByteArray(l.payload()))).toList();
        Set<Message> delete = new HashSet<>(messages);
        // One call per received batch (at most 10 letters); entries still rejected after the retries are kept.
        try {
            for (RecordRedrive.NotPut n : redrive.put(stream, entries).notPut()) {
                Message m = messages.get(n.index());
                delete.remove(m);
                notPut.add("dead letter " + m.messageId() + ": " + n.error());
            }
        } catch (SdkException e) {
            messages.forEach(m -> notPut.add("dead letter " + m.messageId() + ": " + e.getMessage()));
            return Set.of();
        }
        for (int i = 0; i < messages.size(); i++) {
            if (delete.contains(messages.get(i))) {
                replayedByReason.merge(letters.get(i).reason(), 1, Integer::sum);
            }
        }
        return delete;
    }
}

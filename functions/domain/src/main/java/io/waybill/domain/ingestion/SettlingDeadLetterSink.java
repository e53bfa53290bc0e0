package io.waybill.domain.ingestion;

import io.waybill.domain.device.DeadLetterSettlements;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DeadLetterSink} that, once a letter is kept, tells the edge acknowledgement side that a dead-lettered edge
 * message is settled ({@link DeadLetterSettlements}): the device may forget it, as it forgets a stored one. The letter
 * is sent first; only a letter the dead-letter store took is ever settled (a refused letter throws, the record is
 * retried and nothing is announced).
 *
 * <p>A notice that cannot be sent is counted ({@link #noticesFailed()}) and does not fail the record: the letter is
 * safe, and the device sends the message again after its confirm timeout, ingest dead-letters it again (a second
 * letter of the same payload) and sends the notice then. Holding the batch would only delay every other record.
 */
public final class SettlingDeadLetterSink implements DeadLetterSink {
    /** Where settlement notices go (an SQS queue the edge acknowledgement function reads). */
    @FunctionalInterface
    public interface SettlementNotices {
        /** @throws RuntimeException when the notice was not taken */
        void send(DeadLetterSettlements.Settlement settlement);
    }

    private static final System.Logger LOG = System.getLogger(SettlingDeadLetterSink.class.getName());

    private final DeadLetterSink letters;
    private final SettlementNotices notices;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public SettlingDeadLetterSink(DeadLetterSink letters, SettlementNotices notices) {
        this.letters = Objects.requireNonNull(letters, "letters");
        this.notices = Objects.requireNonNull(notices, "notices");
    }

    @Override
    public void send(DeadLetter letter) {
        letters.send(letter);
        DeadLetterSettlements.of(letter).ifPresent(s -> {
            try {
                notices.send(s);
                sent.incrementAndGet();
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "settlement notice for {0} sequence {1} not sent (the device "
                        + "will send the message again): {2}", s.thingName(), s.sequence(), e.toString());
            }
        });
    }

    /** Settlement notices sent since this sink was made. */
    public long noticesSent() {
        return sent.get();
    }

    /** Settlement notices that could not be sent (the device will send its message again). */
    public long noticesFailed() {
        return failed.get();
    }
}

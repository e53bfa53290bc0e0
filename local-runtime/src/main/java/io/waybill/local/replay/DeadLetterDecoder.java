package io.waybill.local.replay;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;

/**
 * Turns a dead-letter queue message body into the {@link DeadLetter} it carries. The one place a replay reads a
 * letter, so a letter whose payload lives elsewhere (a claim check: the payload in S3, the message a pointer) is
 * decoded by plugging in another implementation, without touching the replay.
 */
@FunctionalInterface
public interface DeadLetterDecoder {

    /**
     * Inline letters only: the whole payload in the message ({@link DeadLetterJson}). A claim-checked letter is read by
     * {@code io.waybill.aws.deadletter.S3ClaimCheckStore#decode}, which {@code ./waybill replay} plugs in.
     */
    DeadLetterDecoder JSON = DeadLetterJson::fromJson;

    /**
     * @param body the SQS message body
     * @return the letter, payload included
     * @throws RuntimeException (typically {@link IllegalArgumentException}) when the body is no Waybill dead letter,
     *                          or its payload cannot be fetched; the replay keeps such a message and counts it
     *                          unreadable
     */
    DeadLetter decode(String body);
}

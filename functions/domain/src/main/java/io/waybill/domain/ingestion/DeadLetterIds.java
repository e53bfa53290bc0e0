package io.waybill.domain.ingestion;

import io.waybill.domain.normalize.RecordOrigin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A dead letter's stable id on the desk: SHA-256 (lower-case hex) of {@code stream \n shardId \n sequenceNumber \n
 * reason} when the record has a stream position (a redelivered batch dead-letters the same record at the same
 * position again, so a retried send writes the same entry), else of {@code "payload" \n reason \n} followed by the
 * raw payload's bytes.
 */
public final class DeadLetterIds {
    private DeadLetterIds() {
    }

    public static String of(DeadLetter letter) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        RecordOrigin o = letter.origin();
        if (o != null && o.shardId() != null && o.sequenceNumber() != null) {
            sha.update((o.stream() + "\n" + o.shardId() + "\n" + o.sequenceNumber() + "\n" + letter.reason().name())
                    .getBytes(StandardCharsets.UTF_8));
        } else {
            sha.update(("payload\n" + letter.reason().name() + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(letter.payload());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

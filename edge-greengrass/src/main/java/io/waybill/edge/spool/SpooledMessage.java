package io.waybill.edge.spool;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One message in the spool: the caller's per-device sequence number, its priority and opaque payload bytes.
 *
 * <p>The sequence number is assigned by the caller (the edge model), is never negative and strictly increases from one
 * {@link Spool#append append} to the next; it is the delivery order and the unit of {@link Spool#acknowledge
 * acknowledgement}. The spool never looks inside the payload. The payload array is copied in and out, so a caller
 * can reuse its buffer.
 *
 * @param sequence the per-device sequence number, {@code >= 0}
 * @param priority {@link Priority#ALERT} or {@link Priority#SUMMARY}
 * @param payload the bytes to send, as they are to be published (e.g. the JSON of a summary)
 */
public record SpooledMessage(long sequence, Priority priority, byte[] payload) {

    public SpooledMessage {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0 but was " + sequence);
        }
        Objects.requireNonNull(priority, "priority");
        payload = Objects.requireNonNull(payload, "payload").clone();
    }

    /** An {@link Priority#ALERT} message. */
    public static SpooledMessage alert(long sequence, byte[] payload) {
        return new SpooledMessage(sequence, Priority.ALERT, payload);
    }

    /** A {@link Priority#SUMMARY} message. */
    public static SpooledMessage summary(long sequence, byte[] payload) {
        return new SpooledMessage(sequence, Priority.SUMMARY, payload);
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload's length in bytes. */
    public int payloadLength() {
        return payload.length;
    }

    /** The payload itself, not copied: for the spool's own writes only. */
    byte[] payloadNoCopy() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpooledMessage m
                && m.sequence == sequence
                && m.priority == priority
                && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, priority, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 16));
        return "SpooledMessage[sequence=" + sequence + ", priority=" + priority + ", payload=" + payload.length
                + " bytes" + (payload.length == 0 ? "" : " " + head + (payload.length > 16 ? "…" : "")) + "]";
    }
}

package io.waybill.edge.spool;

/**
 * How much a spooled message matters when the spool is full.
 *
 * <p>When the spool has to make room, it drops the oldest {@link #SUMMARY} first; an {@link #ALERT} is dropped only
 * when no summary is left (see {@link Spool}). The one-byte {@link #code()} is what is written to disk.
 */
public enum Priority {
    /** An excursion or other alert: never dropped while a summary remains in the spool. */
    ALERT((byte) 1),
    /** A windowed summary: the first to go when the spool is full, oldest first. */
    SUMMARY((byte) 2);

    private final byte code;

    Priority(byte code) {
        this.code = code;
    }

    /** The byte that stands for this priority in a record on disk. */
    byte code() {
        return code;
    }

    /** The priority written as {@code code}, or {@code null} when the byte is not one (a corrupt record). */
    static Priority fromCode(byte code) {
        for (Priority p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        return null;
    }
}

package io.waybill.domain.partner;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits entries into {@code PutEvents} calls as EventBridge accepts them: at most {@value #MAX_ENTRIES_PER_CALL}
 * entries per call, each entry at most {@link OutboundEntry#MAX_ENTRY_BYTES} bytes ({@link OutboundEntry#size()}),
 * and the entries of one call together at most that many bytes too (AWS: "the total entry size must be less than
 * 256KB" for a batched request). Order is kept. An entry over the limit can never be sent: it is returned as
 * {@link Oversized} (to dead-letter with its reason), and the others are still sent.
 */
public final class PutEventsBatcher {
    /** {@code PutEvents} takes 1 to {@value} entries per call. */
    public static final int MAX_ENTRIES_PER_CALL = 10;

    private PutEventsBatcher() {
    }

    /** An entry that is not sendable, and why. */
    public record Oversized(OutboundEntry entry, int size, String reason) {
    }

    /** The calls to make, in order, and the entries that cannot be sent. */
    public record Plan(List<List<OutboundEntry>> calls, List<Oversized> oversized) {
        public Plan {
            calls = calls.stream().map(List::copyOf).toList();
            oversized = List.copyOf(oversized);
        }
    }

    public static Plan plan(List<OutboundEntry> entries) {
        List<List<OutboundEntry>> calls = new ArrayList<>();
        List<Oversized> oversized = new ArrayList<>();
        List<OutboundEntry> current = new ArrayList<>();
        long currentBytes = 0;
        for (OutboundEntry e : entries) {
            int size = e.size();
            if (size > OutboundEntry.MAX_ENTRY_BYTES) {
                oversized.add(new Oversized(e, size, "entry size " + size + " bytes is over the PutEvents limit of "
                        + OutboundEntry.MAX_ENTRY_BYTES + " bytes"));
                continue;
            }
            if (current.size() == MAX_ENTRIES_PER_CALL || currentBytes + size > OutboundEntry.MAX_ENTRY_BYTES) {
                calls.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(e);
            currentBytes += size;
        }
        if (!current.isEmpty()) {
            calls.add(current);
        }
        return new Plan(calls, oversized);
    }
}

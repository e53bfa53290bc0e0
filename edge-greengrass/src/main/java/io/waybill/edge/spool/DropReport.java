package io.waybill.edge.spool;

import java.util.List;
import java.util.Objects;

/**
 * The messages a {@link Spool} dropped to stay within its bounds, between two points of its lifetime drop count:
 * what the component needs to say "12 summaries dropped between seq 100 and 140" itself.
 *
 * <p>Drops are itemised as {@link DropRun runs}: consecutive drops of one priority. Because the spool always drops the
 * oldest message of a priority, the sequence numbers within a run increase, and a run's count and first and last
 * sequence number describe it fully (the run may skip sequence numbers: the alerts in between were kept, or had been
 * acknowledged). Runs are listed in the order the drops happened.
 *
 * <p>Use {@link #toDropCount()} as the mark for the next {@link Spool#droppedSince(long)}, or hand the report to
 * {@link Spool#markDropsReported(DropReport)}; asking for a report closes the current run, so the next report starts
 * exactly where this one ends.
 *
 * @param fromDropCount the lifetime drop count this report starts after (exclusive)
 * @param toDropCount the lifetime drop count this report goes up to (inclusive); {@code toDropCount - fromDropCount}
 *     messages were dropped in between
 * @param runs the drops, itemised, oldest run first
 * @param exact {@code false} when the spool could not itemise every drop in the range: the mark fell inside a run (the
 *     first run's {@code firstSequence} is then that whole run's first, a lower bound), or the range reaches back
 *     before the oldest run the spool still keeps (it keeps {@value Spool#MAX_DROP_RUNS}); {@link #total()} is exact
 *     all the same
 */
public record DropReport(long fromDropCount, long toDropCount, List<DropRun> runs, boolean exact) {

    /**
     * Consecutive drops of one priority.
     *
     * @param priority what was dropped
     * @param count how many messages
     * @param firstSequence the sequence number of the first dropped
     * @param lastSequence the sequence number of the last dropped
     */
    public record DropRun(Priority priority, long count, long firstSequence, long lastSequence) {
        public DropRun {
            Objects.requireNonNull(priority, "priority");
        }

        /** E.g. "12 summaries dropped between seq 100 and 140" or "1 alert dropped at seq 7". */
        public String describe() {
            String what = priority == Priority.ALERT ? (count == 1 ? "alert" : "alerts")
                    : (count == 1 ? "summary" : "summaries");
            return count + " " + what + " dropped " + (firstSequence == lastSequence
                    ? "at seq " + firstSequence
                    : "between seq " + firstSequence + " and " + lastSequence);
        }
    }

    public DropReport {
        runs = List.copyOf(runs);
        if (toDropCount < fromDropCount) {
            throw new IllegalArgumentException("toDropCount " + toDropCount + " < fromDropCount " + fromDropCount);
        }
    }

    /** How many messages were dropped in this report's range. */
    public long total() {
        return toDropCount - fromDropCount;
    }

    /** Whether nothing was dropped in this report's range. */
    public boolean isEmpty() {
        return total() == 0;
    }

    /** How many messages of {@code priority} the itemised runs hold. */
    public long count(Priority priority) {
        return runs.stream().filter(r -> r.priority() == priority).mapToLong(DropRun::count).sum();
    }

    /**
     * One line for a log or a status message, e.g. "12 summaries dropped between seq 100 and 140; 1 alert dropped
     * at seq 7", or "nothing dropped".
     */
    public String describe() {
        if (isEmpty()) {
            return "nothing dropped";
        }
        StringBuilder sb = new StringBuilder();
        long itemised = 0;
        for (DropRun run : runs) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(run.describe());
            itemised += run.count();
        }
        if (itemised < total()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(total() - itemised).append(" earlier drops no longer itemised");
        }
        return sb.toString();
    }
}

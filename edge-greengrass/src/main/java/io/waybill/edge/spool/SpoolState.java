package io.waybill.edge.spool;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the spool keeps in its state file beside the segments: the acknowledgement position, the drop floors and the
 * drop counters and journal. Mutable; guarded by the spool's lock.
 *
 * <p>The drop floors are what make drops durable without touching the segments: the spool always drops the
 * <em>oldest</em> message of a priority, and sequence numbers increase, so every message of a priority at or below its
 * floor is gone and every one above it is not. Recovery keeps a record only if its sequence number is above both the
 * acknowledgement position and its priority's floor.
 */
final class SpoolState {

    /** Sequence numbers are never negative, so -1 stands for "none". */
    static final long NONE = -1;

    /** One itemised run of drops, see {@link DropReport.DropRun}. */
    static final class Run {
        final Priority priority;
        long count;
        final long firstSequence;
        long lastSequence;

        Run(Priority priority, long count, long firstSequence, long lastSequence) {
            this.priority = priority;
            this.count = count;
            this.firstSequence = firstSequence;
            this.lastSequence = lastSequence;
        }
    }

    long acknowledgedThrough = NONE;
    long alertFloor = NONE;
    long summaryFloor = NONE;
    long droppedAlerts;
    long droppedSummaries;
    long reportedDropCount;
    /** Lifetime drop count before the oldest run still in {@link #runs}. */
    long journalBase;
    /** Whether the next drop starts a new run even if it has the last run's priority. */
    boolean lastRunClosed;
    final List<Run> runs = new ArrayList<>();

    long floor(Priority priority) {
        return priority == Priority.ALERT ? alertFloor : summaryFloor;
    }

    long dropped(Priority priority) {
        return priority == Priority.ALERT ? droppedAlerts : droppedSummaries;
    }

    long totalDropped() {
        return droppedAlerts + droppedSummaries;
    }

    /** Whether a record of this priority and sequence number is gone (acknowledged or dropped). */
    boolean isGone(Priority priority, long sequence) {
        return sequence <= acknowledgedThrough || sequence <= floor(priority);
    }

    /** Counts the drop of the oldest remaining message of {@code priority}, of sequence number {@code sequence}. */
    void recordDrop(Priority priority, long sequence, int maxRuns) {
        if (sequence <= floor(priority)) {
            throw new IllegalStateException("drop of " + priority + " " + sequence + " at or below its floor "
                    + floor(priority));
        }
        if (priority == Priority.ALERT) {
            alertFloor = sequence;
            droppedAlerts++;
        } else {
            summaryFloor = sequence;
            droppedSummaries++;
        }
        Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        if (last != null && !lastRunClosed && last.priority == priority) {
            last.count++;
            last.lastSequence = sequence;
        } else {
            runs.add(new Run(priority, 1, sequence, sequence));
            lastRunClosed = false;
            while (runs.size() > maxRuns) {
                journalBase += runs.remove(0).count;
            }
        }
    }

    /** The drops after lifetime drop count {@code mark}, itemised as far as the journal allows. */
    DropReport report(long mark) {
        long total = totalDropped();
        if (mark < 0) {
            throw new IllegalArgumentException("mark must be >= 0 but was " + mark);
        }
        if (mark >= total) {
            return new DropReport(total, total, List.of(), true);
        }
        boolean exact = mark >= journalBase;
        List<DropReport.DropRun> out = new ArrayList<>();
        long end = journalBase;
        for (Run run : runs) {
            long start = end;
            end += run.count;
            if (end <= mark) {
                continue;
            }
            if (start < mark) {
                exact = false; // the mark falls inside this run: its first sequence number is only a lower bound
                out.add(new DropReport.DropRun(run.priority, end - mark, run.firstSequence, run.lastSequence));
            } else {
                out.add(new DropReport.DropRun(run.priority, run.count, run.firstSequence, run.lastSequence));
            }
        }
        return new DropReport(mark, total, out, exact);
    }

    void encode(ByteBuffer b) {
        b.putLong(acknowledgedThrough);
        b.putLong(alertFloor);
        b.putLong(summaryFloor);
        b.putLong(droppedAlerts);
        b.putLong(droppedSummaries);
        b.putLong(reportedDropCount);
        b.putLong(journalBase);
        b.put((byte) (lastRunClosed ? 1 : 0));
        b.putShort((short) runs.size());
        for (Run r : runs) {
            b.put(r.priority.code());
            b.putLong(r.count);
            b.putLong(r.firstSequence);
            b.putLong(r.lastSequence);
        }
    }

    /** Bytes {@link #encode} writes with {@code runCount} runs. */
    static int encodedBytes(int runCount) {
        return 7 * 8 + 1 + 2 + runCount * (1 + 3 * 8);
    }

    /** The state in {@code b}, or {@code null} if it does not parse (which a good CRC makes all but impossible). */
    static SpoolState decode(ByteBuffer b) {
        try {
            SpoolState s = new SpoolState();
            s.acknowledgedThrough = b.getLong();
            s.alertFloor = b.getLong();
            s.summaryFloor = b.getLong();
            s.droppedAlerts = b.getLong();
            s.droppedSummaries = b.getLong();
            s.reportedDropCount = b.getLong();
            s.journalBase = b.getLong();
            s.lastRunClosed = b.get() != 0;
            int n = Short.toUnsignedInt(b.getShort());
            for (int i = 0; i < n; i++) {
                Priority p = Priority.fromCode(b.get());
                if (p == null) {
                    return null;
                }
                s.runs.add(new Run(p, b.getLong(), b.getLong(), b.getLong()));
            }
            return s;
        } catch (BufferUnderflowException e) {
            return null;
        }
    }
}

package io.waybill.domain.coldchain;

import java.util.ArrayList;
import java.util.List;

/**
 * The message sequence numbers one producer's evidence about a shipment carried, as sorted disjoint ranges
 * {@code [from, to]}: holes between the lowest and the highest are messages that never arrived, missing evidence.
 * Adding is a set union, so a redelivered message changes nothing.
 *
 * @param ranges sorted, disjoint, non-adjacent {@code [from, to]} pairs
 */
public record SequenceLedger(List<long[]> ranges) {
    public static final SequenceLedger EMPTY = new SequenceLedger(List.of());

    public SequenceLedger {
        ranges = ranges.stream().map(long[]::clone).toList();
    }

    public SequenceLedger with(long sequence) {
        List<long[]> out = new ArrayList<>(ranges.size() + 1);
        boolean placed = false;
        for (long[] r : ranges) {
            if (placed || sequence > r[1] + 1) {
                out.add(r.clone());
                continue;
            }
            if (sequence < r[0] - 1) {
                out.add(new long[] {sequence, sequence});
                out.add(r.clone());
            } else {
                out.add(new long[] {Math.min(r[0], sequence), Math.max(r[1], sequence)});
            }
            placed = true;
        }
        if (!placed) {
            out.add(new long[] {sequence, sequence});
        }
        // merge a range that now touches its successor
        List<long[]> merged = new ArrayList<>(out.size());
        for (long[] r : out) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1)[1] + 1 >= r[0]) {
                long[] m = merged.get(merged.size() - 1);
                m[1] = Math.max(m[1], r[1]);
            } else {
                merged.add(r);
            }
        }
        return new SequenceLedger(merged);
    }

    /** The holes between the ranges, as {@code [from, to]} pairs of sequence numbers that never arrived, ascending. */
    public List<long[]> gaps() {
        List<long[]> gaps = new ArrayList<>();
        for (int i = 1; i < ranges.size(); i++) {
            gaps.add(new long[] {ranges.get(i - 1)[1] + 1, ranges.get(i)[0] - 1});
        }
        return gaps;
    }

    /** Sequence numbers between the lowest and the highest seen that never arrived. */
    public long missing() {
        long missing = 0;
        for (int i = 1; i < ranges.size(); i++) {
            missing += ranges.get(i)[0] - ranges.get(i - 1)[1] - 1;
        }
        return missing;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SequenceLedger other) || other.ranges.size() != ranges.size()) {
            return false;
        }
        for (int i = 0; i < ranges.size(); i++) {
            if (!java.util.Arrays.equals(ranges.get(i), other.ranges.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (long[] r : ranges) {
            h = 31 * h + java.util.Arrays.hashCode(r);
        }
        return h;
    }
}
